package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// goMoreSamples are the samples of goMoreRules (rules_go_more.go).
func goMoreSamples() map[string][]scannertest.Sample {
	const (
		imGin  = "\t\"github.com/gin-gonic/gin\"\n"
		imSess = "\t\"github.com/gorilla/sessions\"\n"
		imSSH  = "\t\"net\"\n\t\"golang.org/x/crypto/ssh\"\n"
		imOA   = "\t\"golang.org/x/oauth2\"\n"
		imRand = "\t\"crypto/aes\"\n\t\"math/rand\"\n"
		imZip  = "\t\"archive/zip\"\n\t\"os\"\n\t\"path/filepath\"\n"
		imTar  = "\t\"archive/tar\"\n\t\"os\"\n"
	)
	gin := func(body string) string {
		return "package p\n\nimport (\n" + imGin + ")\n\nfunc h(c *gin.Context) {\n" + indent("\t", body) + "}\n"
	}
	sess := func(body string) string {
		return "package p\n\nimport (\n\t\"net/http\"\n" + imSess + ")\n\nvar store = sessions.NewCookieStore([]byte(\"k\"))\n\n" +
			"func h(w http.ResponseWriter, r *http.Request) {\n\ts, _ := store.Get(r, \"app\")\n" + indent("\t", body) + "}\n"
	}
	sshCfg := func(extra, cb string) string {
		return "package p\n\nimport (\n" + imSSH + ")\n\n" + extra + "func h(u string) *ssh.ClientConfig {\n\treturn &ssh.ClientConfig{User: u, HostKeyCallback: " + cb + "}\n}\n"
	}
	return map[string][]scannertest.Sample{
		"code/go-cookie-httponly-unset": {
			pos("a.go", goReq("", "c := http.Cookie{Name: \"session\", Value: x}\nhttp.SetCookie(w, &c)\n")),
			pos("a.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"auth_token\", Value: x, HttpOnly: false})\n")),
			pos("a.go", goReq("", "off := false\nc := &http.Cookie{Name: \"sid\", Value: x}\nc.HttpOnly = off\nhttp.SetCookie(w, c)\n")),
			pos("a.go", goReq("", "name := \"session\"\nhttp.SetCookie(w, &http.Cookie{Name: name, Value: x})\n")),
			pos("a.go", goReq("", "var c http.Cookie\nc.Name = \"session\"\nc.Value = x\nhttp.SetCookie(w, &c)\n")),
			neg("a.go", goReq("", "var c http.Cookie\nc.Name = \"session\"\nc.Value = x\nc.HttpOnly = true\nhttp.SetCookie(w, &c)\n")),
			neg("a.go", goReq("", "c := http.Cookie{Name: \"session\", Value: x, HttpOnly: true}\nhttp.SetCookie(w, &c)\n")),
			neg("a.go", goReq("", "c := http.Cookie{Name: \"session\", Value: x}\nc.HttpOnly = true\nhttp.SetCookie(w, &c)\n")),
			// A cookie that holds no session, and one whose HttpOnly is configured.
			neg("a.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"lang\", Value: x})\n")),
			pos("a.go", "package p\n\nimport \"net/http\"\n\nconst sessionCookie = \"c1\"\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\thttp.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: \"v\"})\n}\n"),
			pos("a.go", goReq("", "sessionID := newID()\nhttp.SetCookie(w, &http.Cookie{Name: \"id\", Value: sessionID})\n")),
			neg("a.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"csrf_token\", Value: x})\n")),
			neg("a.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"session\", Value: x, HttpOnly: cfg.HTTPOnly})\n")),
		},
		"code/go-cookie-httponly-unset-framework": {
			pos("a.go", "package p\n\nimport (\n\t\"net/http\"\n\t\"github.com/labstack/echo/v4\"\n)\n\nfunc h(c echo.Context) error {\n\tc.SetCookie(&http.Cookie{Name: \"session\", Value: c.QueryParam(\"v\")})\n\treturn nil\n}\n"),
			pos("a.go", "package p\n\nimport \"github.com/gofiber/fiber/v2\"\n\nfunc h(c *fiber.Ctx) error {\n\tc.Cookie(&fiber.Cookie{Name: \"token\", Value: c.Query(\"v\")})\n\treturn nil\n}\n"),
			neg("a.go", "package p\n\nimport \"github.com/gofiber/fiber/v2\"\n\nfunc h(c *fiber.Ctx) error {\n\tc.Cookie(&fiber.Cookie{Name: \"token\", Value: c.Query(\"v\"), HTTPOnly: true})\n\treturn nil\n}\n"),
			pos("a.go", "package p\n\nimport (\n\t\"net/http\"\n\t\"github.com/labstack/echo/v4\"\n)\n\nfunc h(c echo.Context) error {\n\tcookie := new(http.Cookie)\n\tcookie.Name = \"username\"\n\tcookie.Value = c.QueryParam(\"u\")\n\tc.SetCookie(cookie)\n\treturn nil\n}\n"),
			neg("a.go", "package p\n\nimport (\n\t\"net/http\"\n\t\"github.com/labstack/echo/v4\"\n)\n\nfunc h(c echo.Context) error {\n\tcookie := new(http.Cookie)\n\tcookie.Name = \"username\"\n\tcookie.HttpOnly = true\n\tc.SetCookie(cookie)\n\treturn nil\n}\n"),
		},
		"code/go-cookie-httponly-off-set": {
			pos("a.go", sess("s.Options.HttpOnly = false\ns.Save(r, w)\n")),
			neg("a.go", sess("s.Options.HttpOnly = true\ns.Save(r, w)\n")),
		},
		"code/go-gin-cookie-httponly-off": {
			pos("a.go", gin("c.SetCookie(\"session\", \"v\", 3600, \"/\", \"example.com\", true, false)\n")),
			neg("a.go", gin("c.SetCookie(\"session\", \"v\", 3600, \"/\", \"example.com\", true, true)\n")),
		},
		"code/go-session-options-httponly-unset": {
			pos("a.go", sess("s.Options = &sessions.Options{Path: \"/\", MaxAge: 3600}\ns.Save(r, w)\n")),
			// HttpOnly: false is go-cookie-httponly-off's (one finding, on its line).
			neg("a.go", sess("s.Options = &sessions.Options{Path: \"/\", HttpOnly: false}\ns.Save(r, w)\n")),
			neg("a.go", sess("s.Options = &sessions.Options{Path: \"/\", HttpOnly: true}\ns.Save(r, w)\n")),
		},
		"code/go-session-options-httponly-unset-call": {
			pos("a.go", "package p\n\nimport \"github.com/gin-contrib/sessions\"\n\nfunc h(store sessions.Store) {\n\tstore.Options(sessions.Options{Path: \"/\", MaxAge: 3600})\n}\n"),
			neg("a.go", "package p\n\nimport \"github.com/gin-contrib/sessions\"\n\nfunc h(store sessions.Store) {\n\tstore.Options(sessions.Options{Path: \"/\", MaxAge: 3600, HttpOnly: true, Secure: true})\n}\n"),
		},
		"code/go-session-save-default-options": {
			pos("a.go", sess("s.Values[\"user\"] = r.FormValue(\"u\")\ns.Save(r, w)\n")),
			neg("a.go", sess("s.Options.HttpOnly = true\ns.Save(r, w)\n")),
			neg("a.go", "package p\n\nimport \"gorm.io/gorm\"\n\nfunc h(db *gorm.DB, u *User) {\n\tdb.Save(u)\n}\n"),
		},
		"code/go-ssh-insecure-host-key": {
			pos("a.go", sshCfg("", "ssh.InsecureIgnoreHostKey()")),
			neg("a.go", sshCfg("", "ssh.FixedHostKey(nil)")),
		},
		"code/go-ssh-host-key-callback-accept-all": {
			pos("a.go", sshCfg("", "func(host string, remote net.Addr, key ssh.PublicKey) error { return nil }")),
			pos("a.go", sshCfg("func accept(host string, remote net.Addr, key ssh.PublicKey) error {\n\treturn nil\n}\n\n", "accept")),
			neg("a.go", sshCfg("func check(host string, remote net.Addr, key ssh.PublicKey) error {\n\tif host == \"localhost\" {\n\t\treturn nil\n\t}\n\treturn ssh.ErrNoAuth\n}\n\n", "check")),
		},
		"code/go-ssh-host-key-callback-accept-all-set": {
			pos("a.go", "package p\n\nimport (\n"+imSSH+")\n\nfunc h(c *ssh.ClientConfig) {\n\tcb := ssh.HostKeyCallback(func(string, net.Addr, ssh.PublicKey) error {\n\t\treturn nil\n\t})\n\tc.HostKeyCallback = cb\n}\n"),
			neg("a.go", "package p\n\nimport (\n"+imSSH+")\n\nfunc verify(h string, a net.Addr, k ssh.PublicKey) error {\n\treturn ssh.ErrNoAuth\n}\n\nfunc h(c *ssh.ClientConfig) {\n\tcb := ssh.HostKeyCallback(verify)\n\tc.HostKeyCallback = cb\n}\n"),
			pos("a.go", "package p\n\nimport (\n"+imSSH+")\n\nfunc h(c *ssh.ClientConfig) {\n\tcb := ssh.InsecureIgnoreHostKey()\n\tc.HostKeyCallback = cb\n}\n"),
			neg("a.go", "package p\n\nimport (\n"+imSSH+")\n\nfunc h(c *ssh.ClientConfig, k ssh.PublicKey) {\n\tc.HostKeyCallback = ssh.FixedHostKey(k)\n}\n"),
			// Chosen at run time: a checking callback in the other arm.
			neg("a.go", "package p\n\nimport (\n"+imSSH+")\n\nfunc h(c *ssh.ClientConfig, trust bool, k ssh.PublicKey) {\n\tif trust {\n\t\tc.HostKeyCallback = ssh.InsecureIgnoreHostKey()\n\t} else {\n\t\tc.HostKeyCallback = ssh.FixedHostKey(k)\n\t}\n}\n"),
		},
		"code/go-ssh-host-key-callback-func": {
			pos("a.go", sshCfg("", "ssh.HostKeyCallback(func(string, net.Addr, ssh.PublicKey) error { return nil })")),
			neg("a.go", sshCfg("func verify(h string, a net.Addr, k ssh.PublicKey) error {\n\treturn ssh.ErrNoAuth\n}\n\n", "ssh.HostKeyCallback(verify)")),
		},
		"code/go-oauth2-constant-state": {
			pos("a.go", goReq(imOA, "var conf oauth2.Config\nhttp.Redirect(w, r, conf.AuthCodeURL(\"state\"), http.StatusFound)\n")),
			pos("a.go", "package p\n\nimport (\n\t\"net/http\"\n"+imOA+")\n\nconst oauthState = \"fixed\"\n\nvar conf = &oauth2.Config{}\n\nfunc login(w http.ResponseWriter, r *http.Request) {\n\thttp.Redirect(w, r, conf.AuthCodeURL(oauthState, oauth2.AccessTypeOffline), http.StatusFound)\n}\n"),
			pos("a.go", "package p\n\nimport \"golang.org/x/oauth2\"\n\nfunc newState() string {\n\treturn \"st\"\n}\n\nfunc login(conf *oauth2.Config) string {\n\treturn conf.AuthCodeURL(newState())\n}\n"),
			neg("a.go", goReq(imOA+"\t\"crypto/rand\"\n\t\"encoding/base64\"\n", "b := make([]byte, 16)\nrand.Read(b)\nstate := base64.URLEncoding.EncodeToString(b)\nvar conf oauth2.Config\nhttp.Redirect(w, r, conf.AuthCodeURL(state), http.StatusFound)\n")),
			// A command-line flow: the user pastes the code back.
			neg("a.go", goFn(imOA+"\t\"fmt\"\n", "conf := &oauth2.Config{RedirectURL: \"urn:ietf:wg:oauth:2.0:oob\"}\nfmt.Println(conf.AuthCodeURL(\"state\"))\nvar code string\nfmt.Scan(&code)\n")),
		},
		// A function of the file that returns what math/rand drew.
		"code/go-weak-random": {
			pos("a.go", goFn("\t\"math/rand\"\n", "r := rand.New(rand.NewSource(1))\nsessionID := r.Int63()\n_ = sessionID\n")),
			neg("a.go", goFn("\t\"math/rand\"\n", "r := rand.New(rand.NewSource(1))\ndelay := r.Int63()\n_ = delay\n")),
			pos("a.go", "package p\n\nimport \"math/rand\"\n\nfunc randString(n int) string {\n\tb := make([]byte, n)\n\tfor i := range b {\n\t\tb[i] = byte('a' + rand.Intn(26))\n\t}\n\treturn string(b)\n}\n\nfunc h(u *User) {\n\tu.ResetToken = randString(32)\n}\n"),
			neg("a.go", "package p\n\nimport \"math/rand\"\n\nfunc randString(n int) string {\n\tb := make([]byte, n)\n\tfor i := range b {\n\t\tb[i] = byte('a' + rand.Intn(26))\n\t}\n\treturn string(b)\n}\n\nfunc h(u *User) {\n\tu.Nickname = randString(8)\n}\n"),
		},
		// Responses a browser does not take for HTML.
		"code/go-response-xss": {
			neg("a.go", goReq("", "w.Header().Set(\"Content-Type\", \"text/plain; charset=utf-8\")\nw.Write([]byte(x))\n")),
			// The contents of a file the request names are the file's.
			neg("a.go", goReq("\t\"os\"\n\t\"path/filepath\"\n", "b, _ := os.ReadFile(filepath.Join(\"/srv/pages\", x))\nw.Write(b)\n")),
			pos("a.go", goReq("\t\"fmt\"\n", "_, header, _ := r.FormFile(\"f\")\nw.Write([]byte(fmt.Sprintf(\"name: %v\", header.Filename)))\n")),
		},
		"code/go-response-xss-print": {
			pos("a.go", goReq("\t\"fmt\"\n", "fmt.Fprintf(w, \"\\n  %s\", x)\n")),
			neg("a.go", goReq("\t\"fmt\"\n", "fmt.Fprintf(w, \"Hello, %s\", x)\n")),
			neg("a.go", goReq("\t\"io\"\n", "io.WriteString(w, \"Echo: \"+x)\n")),
			neg("a.go", goReq("\t\"fmt\"\n", "w.Header().Set(\"Content-Type\", \"application/json\")\nfmt.Fprint(w, x)\n")),
		},
		"code/go-response-xss-print-html": {
			pos("a.go", goReq("\t\"fmt\"\n", "w.Header().Set(\"Content-Type\", \"text/html\")\nfmt.Fprintf(w, \"Hello, %s\", x)\n")),
			neg("a.go", goReq("\t\"fmt\"\n", "w.Header().Set(\"Content-Type\", \"text/html\")\nfmt.Fprintf(w, \"Hello, %d\", len(x))\n")),
		},
		"code/go-framework-send-file": {
			pos("a.go", gin("c.File(\"/srv/files/\" + c.Query(\"name\"))\n")),
			pos("a.go", "package p\n\nimport \"github.com/gofiber/fiber/v2\"\n\nfunc h(c *fiber.Ctx) error {\n\treturn c.SendFile(c.Params(\"path\"))\n}\n"),
			neg("a.go", gin("c.File(\"/srv/files/index.html\")\n")),
			neg("a.go", "package p\n\nimport (\n\t\"path/filepath\"\n"+imGin+")\n\nfunc h(c *gin.Context) {\n\tp := filepath.Join(\"/srv/files\", c.Query(\"name\"))\n\tif !filepath.IsLocal(c.Query(\"name\")) {\n\t\treturn\n\t}\n\tc.File(p)\n}\n"),
		},
		"code/go-weak-random-reader": {
			pos("a.go", goFn(imRand+"\t\"io\"\n", "nonce := make([]byte, 12)\nrnd := rand.New(rand.NewSource(1))\nio.ReadFull(rnd, nonce)\n_ = aes.BlockSize\n")),
			neg("a.go", goFn("\t\"crypto/rand\"\n\t\"io\"\n", "nonce := make([]byte, 12)\nio.ReadFull(rand.Reader, nonce)\n")),
		},
		"code/go-weak-random-crypto": {
			pos("a.go", goFn(imRand, "key := make([]byte, 16)\nfor i := range key {\n\tkey[i] = byte(rand.Intn(256))\n}\nblock, _ := aes.NewCipher(key)\n_ = block\n")),
			neg("a.go", goFn(imRand, "n := rand.Intn(10)\n_ = n\n")),
		},
		"code/go-weak-random-read": {
			pos("a.go", goFn(imRand, "iv := make([]byte, aes.BlockSize)\nrand.Read(iv)\n_ = iv\n")),
			neg("a.go", goFn("\t\"math/rand\"\n", "buf := make([]byte, 8)\nrand.Read(buf)\n_ = buf\n")),
		},
		"code/go-weak-random-key": {
			pos("a.go", goFn(imRand+"\t\"crypto/cipher\"\n", "var g cipher.AEAD\nnonce := make([]byte, 12)\nrand.Read(nonce)\ng.Seal(nil, nonce, []byte(x), nil)\n_ = aes.BlockSize\n")),
			neg("a.go", goFn("\t\"crypto/rand\"\n\t\"crypto/cipher\"\n", "var g cipher.AEAD\nnonce := make([]byte, 12)\nrand.Read(nonce)\ng.Seal(nil, nonce, []byte(x), nil)\n")),
		},
		"code/go-weak-random-key-buffer": {
			pos("a.go", goFn(imRand, "k := make([]byte, 32)\nrand.Read(k)\nblock, _ := aes.NewCipher(k)\n_ = block\n")),
			neg("a.go", goFn("\t\"crypto/aes\"\n\t\"crypto/rand\"\n", "k := make([]byte, 32)\nrand.Read(k)\nblock, _ := aes.NewCipher(k)\n_ = block\n")),
			neg("a.go", "package p\n\nimport (\n"+imRand+")\n\nfunc h(key []byte) {\n\tblock, _ := aes.NewCipher(key)\n\t_ = block\n\t_ = rand.Intn(10)\n}\n"),
		},
		"code/go-zip-slip-write": {
			pos("a.go", goFn(imZip+"\t\"io/ioutil\"\n", "r, _ := zip.OpenReader(x)\nfor _, f := range r.File {\n\tp, _ := filepath.Abs(f.Name)\n\tioutil.WriteFile(p, nil, 0o600)\n}\n")),
			pos("a.go", goFn(imTar, "tr := tar.NewReader(os.Stdin)\nhdr, _ := tr.Next()\nos.Symlink(hdr.Linkname, \"out\")\n")),
			neg("a.go", goFn(imZip, "r, _ := zip.OpenReader(x)\nfor _, f := range r.File {\n\tif !filepath.IsLocal(f.Name) {\n\t\tcontinue\n\t}\n\tos.Create(f.Name)\n}\n")),
		},
		"code/go-ssrf-do": {
			pos("a.go", goReq("", "req, _ := http.NewRequest(\"GET\", x, nil)\nclient := &http.Client{}\nclient.Do(req)\n")),
			neg("a.go", goReq("", "req, _ := http.NewRequest(\"POST\", \"https://api.example.com/v1/items\", r.Body)\nclient := &http.Client{}\nclient.Do(req)\n")),
			neg("a.go", goReq("", "req, _ := http.NewRequest(\"GET\", \"https://api.example.com/items/\"+x, nil)\nhttp.DefaultClient.Do(req)\n")),
		},
		"code/go-ssrf-do-request": {
			pos("a.go", goReq("", "req, _ := http.NewRequestWithContext(r.Context(), \"GET\", x, nil)\napi.hc.Do(req)\n")),
			neg("a.go", goReq("", "req, _ := http.NewRequestWithContext(r.Context(), \"POST\", \"https://api.example.com/v1\", r.Body)\napi.hc.Do(req)\n")),
		},
		"code/go-ssrf-websocket-config": {
			pos("a.go", goReq("\t\"golang.org/x/net/websocket\"\n", "cfg, _ := websocket.NewConfig(x, \"http://localhost/\")\nwebsocket.DialConfig(cfg)\n")),
			neg("a.go", goReq("\t\"golang.org/x/net/websocket\"\n", "cfg, _ := websocket.NewConfig(\"wss://feed.example.com/\", x)\nwebsocket.DialConfig(cfg)\n")),
		},
		"code/go-ssrf-resty": {
			pos("a.go", goReq("\t\"github.com/go-resty/resty/v2\"\n", "client := resty.New()\nclient.R().SetHeader(\"Accept\", \"application/json\").Get(x)\n")),
			neg("a.go", goReq("\t\"github.com/go-resty/resty/v2\"\n", "client := resty.New()\nclient.R().SetQueryParam(\"q\", x).Get(\"https://api.example.com/search\")\n")),
		},
		"code/go-ssrf-gorequest": {
			pos("a.go", goReq("\t\"github.com/parnurzeal/gorequest\"\n", "gorequest.New().Get(x).End()\n")),
			neg("a.go", goReq("\t\"github.com/parnurzeal/gorequest\"\n", "gorequest.New().Get(\"https://api.example.com/\").Query(x).End()\n")),
		},
		"code/go-ssrf-grequests": {
			pos("a.go", goReq("\t\"github.com/levigross/grequests\"\n", "grequests.Get(\"http://\"+x+\"/status\", nil)\n")),
			neg("a.go", goReq("\t\"github.com/levigross/grequests\"\n", "grequests.Get(\"https://api.example.com/status/\"+x, nil)\n")),
		},
		// chi's route parameters are input.
		"code/go-ssrf": {
			pos("a.go", "package p\n\nimport (\n\t\"net/http\"\n\t\"github.com/go-chi/chi/v5\"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\thttp.Get(\"http://\" + chi.URLParam(r, \"host\") + \"/status\")\n}\n"),
			neg("a.go", "package p\n\nimport (\n\t\"net/http\"\n\t\"github.com/go-chi/chi/v5\"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\thttp.Get(\"https://api.example.com/items/\" + chi.URLParam(r, \"id\"))\n}\n"),
		},
		"code/go-ssrf-gowebsocket": {
			pos("a.go", goReq("\t\"github.com/sacOO7/gowebsocket\"\n", "s := gowebsocket.New(x)\ns.Connect()\n")),
			neg("a.go", goReq("\t\"github.com/sacOO7/gowebsocket\"\n", "s := gowebsocket.New(\"wss://feed.example.com/\" + x)\ns.Connect()\n")),
		},
		"code/go-ssrf-dial": {
			pos("a.go", goReq("\t\"crypto/tls\"\n", "tls.Dial(\"tcp\", x, &tls.Config{})\n")),
			neg("a.go", goReq("\t\"crypto/tls\"\n", "tls.Dial(\"tcp\", \"db.internal:5432\", &tls.Config{ServerName: x})\n")),
		},
		"code/go-ssrf-dialer": {
			pos("a.go", goReq("\t\"net\"\n", "var dialer net.Dialer\ndialer.Dial(\"tcp\", x)\n")),
			neg("a.go", goReq("\t\"net\"\n", "var d net.Dialer\nd.Dial(\"tcp\", \"db.internal:5432\")\n")),
		},
		"code/go-ssrf-dialer-context": {
			pos("a.go", goReq("\t\"net\"\n", "dialer := &net.Dialer{}\ndialer.DialContext(r.Context(), \"tcp\", x)\n")),
			neg("a.go", goReq("\t\"net\"\n", "dialer := &net.Dialer{}\ndialer.DialContext(r.Context(), x, \"db.internal:5432\")\n")),
		},
	}
}
