package code

// goMoreRules are Go rules on cookies set without HttpOnly (net/http, echo,
// fiber, gin, gorilla/sessions), SSH clients that accept any host key, a
// constant OAuth2 state (CSRF on the login callback), math/rand in code
// that makes keys, archive entries written where their names say, and
// outgoing requests (http.Client.Do, websocket configs, resty, gorequest,
// grequests) to a URL from request input.
func goMoreRules() []Rule {
	const (
		whyHTTPOnly = "{call} sets a session or authentication cookie without HttpOnly (net/http, echo and fiber leave it off unless set): " +
			"any script that runs in the page, one XSS away, can read the cookie and send it elsewhere. Set HttpOnly: true (and Secure: true)."
		whySessionOptions = "{call} sets the session store's cookie options without HttpOnly: true (gorilla/sessions and gin-contrib/sessions leave it off), " +
			"so any script that runs in the page, one XSS away, can read the session cookie. Set HttpOnly: true and Secure: true in the Options."
		whySessionSave = "{call} sends a gorilla/sessions session cookie without HttpOnly: nothing in this handler turns it on (the store's default " +
			"Options leave it off), so any script in the page can read the session cookie. Set store.Options (or session.Options) with HttpOnly: true and Secure: true."
		whyHostKey = "{call} accepts whatever host key the SSH server presents, so anyone on the network path can impersonate the server and read " +
			"the session, the credentials sent to it included. Check the key: ssh.FixedHostKey, or golang.org/x/crypto/ssh/knownhosts.New."
		whyOAuthState = "{call} sends the user to the OAuth2 provider with a constant state: the state is what ties the callback to the browser that " +
			"started the login, so with a constant one any site can complete a login into the attacker's account (login CSRF). Generate a random state " +
			"per login (crypto/rand), keep it in the session or a cookie, and compare it in the callback."
		whyRandCrypto = "{call} is math/rand, a predictable generator, in code that makes keys, nonces or password hashes: who sees a few outputs " +
			"(or guesses the seed) can reproduce the secret. Use crypto/rand."
		whyRandSink = "{call} takes key material in a function that draws numbers from math/rand, a predictable generator: a key or nonce made " +
			"from it can be reproduced. Fill secrets from crypto/rand."
		whyZipSlipGo = "{call} uses an archive entry's name as a path: a name with `../` (or an absolute one, or a symlink entry) writes outside the " +
			"destination directory (zip slip). Reject names that filepath.IsLocal refuses, or check the joined path stays under the destination."
	)
	// sensitiveCookie: a cookie whose name (or non-constant value) says it
	// carries a session, a login or a token.
	sensitiveCookie := `(?im)^(name=\$?|name\$name=|value=\$|value\$name=)[^\n]*(sess|auth|token|jwt|login|logged|sid\b|secret|passw|credential|remember|identity|user)`
	// A CSRF token cookie is meant to be read by the page's script.
	notSensitiveCookie := `(?im)^name(\$name)?=[^\n]*(csrf|xsrf|forgery)`
	sessionImports := []string{"github.com/gorilla/sessions", "github.com/gin-contrib/sessions", "github.com/gin-contrib/sessions/cookie",
		"github.com/gin-contrib/sessions/redis", "github.com/gin-contrib/sessions/memstore"}
	refHostKey := []string{"CWE-322", "CWE-295", "https://pkg.go.dev/golang.org/x/crypto/ssh#InsecureIgnoreHostKey"}
	// hostKeyChecks make host key callbacks that check the key.
	hostKeyChecks := []string{"golang.org/x/crypto/ssh.FixedHostKey", "golang.org/x/crypto/ssh/knownhosts.New"}
	refOAuth := []string{"CWE-352", "https://www.rfc-editor.org/rfc/rfc6749#section-10.12"}
	// cryptoSinks take key material, nonces or passwords.
	cryptoSinks := []string{"crypto/aes.NewCipher", "crypto/des.NewCipher", "crypto/des.NewTripleDESCipher", "crypto/rc4.NewCipher", "crypto/hmac.New",
		"crypto/cipher.NewCBCEncrypter", "crypto/cipher.NewCFBEncrypter", "crypto/cipher.NewCTR", "crypto/cipher.NewOFB",
		"golang.org/x/crypto/chacha20poly1305.New", "golang.org/x/crypto/chacha20poly1305.NewX", "golang.org/x/crypto/nacl/secretbox.Seal",
		"golang.org/x/crypto/bcrypt.GenerateFromPassword", "golang.org/x/crypto/argon2.IDKey", "golang.org/x/crypto/argon2.Key",
		"golang.org/x/crypto/scrypt.Key", "golang.org/x/crypto/pbkdf2.Key", "crypto/pbkdf2.Key", "crypto/ed25519.NewKeyFromSeed"}
	cryptoSinkCalls := append(append([]string{}, cryptoSinks...), "*.Seal", "*.SignedString")
	// mathRand are math/rand's package-level generators.
	mathRand := []string{"math/rand.Read", "math/rand.Int", "math/rand.Intn", "math/rand.Int31", "math/rand.Int31n", "math/rand.Int63",
		"math/rand.Int63n", "math/rand.Uint32", "math/rand.Uint64", "math/rand.Float32", "math/rand.Float64", "math/rand.Perm",
		"math/rand/v2.Int", "math/rand/v2.IntN", "math/rand/v2.Int32", "math/rand/v2.Int32N", "math/rand/v2.Int64", "math/rand/v2.Int64N",
		"math/rand/v2.Uint32", "math/rand/v2.Uint32N", "math/rand/v2.Uint64", "math/rand/v2.Uint64N", "math/rand/v2.UintN", "math/rand/v2.N",
		"math/rand/v2.Perm"}
	// mathRandNew make a math/rand generator of its own.
	mathRandNew := []string{"math/rand.New", "math/rand.NewSource", "math/rand/v2.New", "math/rand/v2.NewPCG"}
	// cryptoImports are packages whose presence says a file handles keys.
	cryptoImports := []string{"crypto/aes", "crypto/cipher", "crypto/hmac", "crypto/des", "crypto/ed25519", "golang.org/x/crypto/chacha20poly1305",
		"golang.org/x/crypto/nacl/secretbox", "golang.org/x/crypto/nacl/box", "golang.org/x/crypto/bcrypt", "golang.org/x/crypto/argon2",
		"golang.org/x/crypto/scrypt", "golang.org/x/crypto/pbkdf2", "github.com/golang-jwt/jwt", "github.com/golang-jwt/jwt/v4",
		"github.com/golang-jwt/jwt/v5", "github.com/dgrijalva/jwt-go"}
	archiveNames := []string{"*.Name", "*.Linkname", "*.FileHeader.Name", "*.Header.Name"}
	ssrfChecked := `(?i)match|valid|allow|safe|trust|white|HasPrefix|HasSuffix|(^|[^!])==\s*"[a-z][a-z0-9+.-]*://`
	ssrf := func(id string, names []string, imports []string, arg int, method bool) Rule {
		return Rule{ID: id, LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: names, Imports: imports, Method: method, Arg: arg, When: "tainted", FixedHost: true, Checked: ssrfChecked}}
	}
	return []Rule{
		// Cookies without HttpOnly.
		{ID: "go-cookie-httponly-unset", Family: "cookie", Languages: gol, Severity: low,
			Title: "Session cookie without HttpOnly", Why: whyHTTPOnly, References: refCookie,
			Match: Match{Names: []string{"net/http.SetCookie"}, Arg: 1, When: "unset", Equals: []string{"httponly"}, Pattern: sensitiveCookie,
				NotPattern: notSensitiveCookie}},
		{ID: "go-cookie-httponly-unset-framework", Family: "cookie", Languages: gol, Severity: low,
			Title: "Session cookie without HttpOnly", Why: whyHTTPOnly, References: refCookie,
			Match: Match{Names: []string{"$req.SetCookie", "$req.Cookie"}, Arg: 0, When: "unset", Equals: []string{"httponly"}, Pattern: sensitiveCookie,
				NotPattern: notSensitiveCookie}},
		{ID: "go-cookie-httponly-off-set", Family: "cookie", Languages: gol, Severity: low,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "assign", Names: []string{"HttpOnly", "HTTPOnly"}, Imports: append([]string{"net/http", "github.com/gofiber/fiber/v2"}, sessionImports...),
				Arg: none, When: "literal", Equals: []string{"false"}}},
		{ID: "go-gin-cookie-httponly-off", Family: "cookie", Languages: gol, Severity: low,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: []string{"$req.SetCookie"}, Imports: []string{"github.com/gin-gonic/gin"}, Arg: 6, When: "literal", Equals: []string{"false"}}},
		{ID: "go-session-options-httponly-unset", Family: "cookie", Languages: gol, Severity: low,
			Title: "Session cookie without HttpOnly", Why: whySessionOptions, References: refCookie,
			// HttpOnly: false written out is go-cookie-httponly-off's, on its line.
			Match: Match{Kind: "assign", Names: []string{"Options"}, Imports: sessionImports, Arg: none, When: "unset", Equals: []string{"httponly"},
				NotPattern: `(?m)^httponly=false$`}},
		{ID: "go-session-options-httponly-unset-call", Family: "cookie", Languages: gol, Severity: low,
			Title: "Session cookie without HttpOnly", Why: whySessionOptions, References: refCookie,
			Match: Match{Method: true, Names: []string{"*.Options"}, Imports: sessionImports, Arg: 0, When: "unset", Equals: []string{"httponly"},
				NotPattern: `(?m)^httponly=false$`}},
		{ID: "go-session-save-default-options", Family: "cookie", Languages: gol, Severity: low,
			Title: "Session cookie without HttpOnly", Why: whySessionSave, References: refCookie,
			Match: Match{Names: []string{"*.Save", "github.com/gorilla/sessions.Save"}, Imports: []string{"github.com/gorilla/sessions"}, Require: map[string][]string{"#0": {"$req"}, "#1": {"$w"}},
				Arg: none, When: "any", NotBody: `HttpOnly:\s*(true|[a-eg-zA-Z_][\w.]*\s*[,}\n])|HttpOnly\s*=\s*(true|[a-eg-zA-Z_][\w.]*\s*(;|\n))`, NotPaths: goTestPaths}},

		// SSH host keys.
		// (Chosen in one arm of an if, the other may check the key.)
		{ID: "go-ssh-insecure-host-key", Family: "tls", Languages: gol, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: refHostKey,
			Match: Match{Names: []string{"golang.org/x/crypto/ssh.InsecureIgnoreHostKey"}, Arg: none, When: "any", OptIn: goTestFunc, NotPaths: goTestPaths,
				Checked: `.`}},
		{ID: "go-ssh-host-key-callback-accept-all", Family: "tls", Languages: gol, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: refHostKey,
			Match: Match{Kind: "pair", Names: []string{"HostKeyCallback"}, Arg: none, When: "qual",
				Equals: []string{goNilFunc, "golang.org/x/crypto/ssh.InsecureIgnoreHostKey()"}, OptIn: goTestFunc, NotPaths: goTestPaths}},
		{ID: "go-ssh-host-key-callback-accept-all-set", Family: "tls", Languages: gol, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: refHostKey,
			// (A field set once insecurely and again, in the same function,
			// to a callback that checks is a choice made at run time.)
			Match: Match{Kind: "assign", Names: []string{"HostKeyCallback"}, Arg: none, When: "qual",
				Equals: []string{goNilFunc, "golang.org/x/crypto/ssh.InsecureIgnoreHostKey()"}, OptIn: goTestFunc, NotPaths: goTestPaths,
				UnlessCalled: hostKeyChecks, NotBody: `(?s)HostKeyCallback\s*=[^=].*HostKeyCallback\s*=[^=]`}},
		{ID: "go-ssh-host-key-callback-func", Family: "tls", Languages: gol, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: refHostKey,
			Match: Match{Names: []string{"golang.org/x/crypto/ssh.HostKeyCallback"}, Arg: 0, When: "qual", Equals: []string{goNilFunc}, OptIn: goTestFunc, NotPaths: goTestPaths}},

		// OAuth2 state.
		{ID: "go-oauth2-constant-state", Family: "csrf", Languages: gol, Severity: medium,
			Title: "Constant OAuth2 state", Why: whyOAuthState, References: refOAuth,
			Match: Match{Method: true, Names: []string{"*.AuthCodeURL"}, Imports: []string{"golang.org/x/oauth2", "golang.org/x/oauth2/google",
				"golang.org/x/oauth2/github", "golang.org/x/oauth2/microsoft", "golang.org/x/oauth2/facebook", "golang.org/x/oauth2/gitlab"}, Arg: 0, When: "matches", Pattern: `^`,
				// A command-line flow (the code pasted back on standard
				// input, an out-of-band redirect) has no browser to forge.
				NotBody: `urn:ietf:wg:oauth:2\.0:oob|fmt\.S?[Ss]can|os\.Stdin|\.ReadString\(|\.ReadLine\(|term\.ReadPassword|//(localhost|127\.0\.0\.1|\[::1\])\b`, NotPaths: goTestPaths, OptIn: goTestFunc}},

		// math/rand where keys are made.
		{ID: "go-weak-random-crypto", Family: "weak-random", Languages: gol, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRandCrypto, References: refRand,
			Match: Match{Names: mathRand, Arg: none, When: "any", IfCalled: cryptoSinkCalls, NotPaths: goTestPaths}},
		{ID: "go-weak-random-read", Family: "weak-random", Languages: gol, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRandCrypto, References: refRand,
			Match: Match{Names: []string{"math/rand.Read"}, Imports: cryptoImports, Arg: none, When: "any", NotPaths: goTestPaths}},
		{ID: "go-weak-random-key", Family: "weak-random", Languages: gol, Severity: medium,
			Title: "Key material from a predictable generator", Why: whyRandSink, References: refRand,
			Match: Match{Names: []string{"*.Seal"}, Arg: none, When: "any", IfCalled: append(append([]string{}, mathRand...), mathRandNew...), NotPaths: goTestPaths}},
		// A key buffer made here (make), in a function that draws from
		// math/rand: a parameter's key comes from elsewhere.
		{ID: "go-weak-random-key-buffer", Family: "weak-random", Languages: gol, Severity: medium,
			Title: "Key material from a predictable generator", Why: whyRandSink, References: refRand,
			Match: Match{Names: cryptoSinks, Arg: none, AnyArg: true, When: "qual", Equals: []string{"make()", "math/rand*"},
				IfCalled: append(append([]string{}, mathRand...), mathRandNew...), NotPaths: goTestPaths}},
		{ID: "go-weak-random-reader", Family: "weak-random", Languages: gol, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRandCrypto, References: refRand,
			Match: Match{Names: []string{"io.ReadFull", "io.ReadAtLeast", "io.CopyN"}, Arg: none, AnyArg: true, When: "qual",
				Equals: []string{"math/rand.New()", "math/rand/v2.New()"}, NotPaths: goTestPaths}},

		// Zip slip beyond filepath.Join.
		{ID: "go-zip-slip-write", Family: "zip-slip", Languages: gol, Severity: medium,
			Title: "Archive entry name used as a path", Why: whyZipSlipGo, References: refZipSlip,
			Match: Match{Names: []string{"path/filepath.Abs", "os.Create", "os.OpenFile", "os.WriteFile", "io/ioutil.WriteFile", "os.Mkdir", "os.MkdirAll",
				"os.Symlink", "os.Link", "os.Rename", "os.Chmod", "os.Chtimes", "os.Lchown", "os.Chown"},
				Imports: []string{"archive/zip", "archive/tar"}, Arg: none, AnyArg: true, When: "qual", Equals: archiveNames,
				UnlessCalled: []string{"strings.HasPrefix", "path/filepath.IsLocal", "path/filepath.Rel", "strings.Contains", "path/filepath.EvalSymlinks"}}},

		// Framework responses that send a file by path (gin c.File,
		// echo c.File/Attachment, fiber c.SendFile/Download).
		{ID: "go-framework-send-file", Family: "path-traversal", Languages: gol, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			Match: Match{Names: []string{"$req.File", "$req.FileAttachment", "$req.Attachment", "$req.Inline", "$req.SendFile", "$req.Download"},
				Arg: 0, When: "tainted", RequestOnly: true, UnlessCalled: pathCheckedGo}},

		// Outgoing requests.
		ssrf("go-ssrf-do", []string{"*lient.Do", "*lient().Do", "*.DefaultClient.Do", "*.RoundTrip"}, []string{"net/http"}, 0, true),
		{ID: "go-ssrf-do-request", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Method: true, Names: []string{"*.Do"}, Require: map[string][]string{"#0": {"net/http.NewRequest*()"}}, Arg: 0, When: "tainted",
				FixedHost: true, Checked: ssrfChecked}},
		ssrf("go-ssrf-websocket-config", []string{"golang.org/x/net/websocket.DialConfig"}, nil, 0, false),
		ssrf("go-ssrf-resty", []string{"*.R().Get", "*.R().Post", "*.R().Put", "*.R().Delete", "*.R().Patch", "*.R().Head", "*.R().Options",
			"*.R().*.Get", "*.R().*.Post", "*.R().*.Put", "*.R().*.Delete", "*.R().*.Patch", "*.R().*.Head"},
			[]string{"github.com/go-resty/resty/v2", "github.com/go-resty/resty", "resty.dev/v3"}, 0, true),
		ssrf("go-ssrf-gorequest", []string{"github.com/parnurzeal/gorequest.New().Get", "github.com/parnurzeal/gorequest.New().Post",
			"github.com/parnurzeal/gorequest.New().Put", "github.com/parnurzeal/gorequest.New().Delete", "github.com/parnurzeal/gorequest.New().Head",
			"github.com/parnurzeal/gorequest.New().Patch", "*equest.Get", "*equest.Post", "*equest.Put", "*equest.Delete", "*equest.Head",
			"*equest.Patch", "*gent.Get", "*gent.Post", "*gent.Put", "*gent.Delete", "*gent.Head", "*gent.Patch"},
			[]string{"github.com/parnurzeal/gorequest"}, 0, false),
		ssrf("go-ssrf-grequests", []string{"github.com/levigross/grequests.Get", "github.com/levigross/grequests.Post", "github.com/levigross/grequests.Put",
			"github.com/levigross/grequests.Delete", "github.com/levigross/grequests.Head", "github.com/levigross/grequests.Patch",
			"github.com/levigross/grequests.Options", "github.com/levigross/grequests.DoRegularRequest"}, nil, 0, false),
		ssrf("go-ssrf-gowebsocket", []string{"github.com/sacOO7/gowebsocket.New"}, nil, 0, false),
		ssrf("go-ssrf-dial", []string{"crypto/tls.Dial", "golang.org/x/crypto/ssh.Dial"}, nil, 1, false),
		ssrf("go-ssrf-dialer", []string{"*ialer.Dial", "*ialer{}.Dial", "*.Dialer.Dial"}, []string{"net"}, 1, true),
		ssrf("go-ssrf-dialer-context", []string{"*ialer.DialContext", "*ialer{}.DialContext", "*.Dialer.DialContext"}, []string{"net"}, 2, true),
	}
}
