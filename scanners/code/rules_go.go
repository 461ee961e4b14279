package code

func goRules() []Rule {
	sqlNames := []string{"*.Query", "*.QueryRow", "*.Exec", "*.Prepare", "*.Raw", "*.QueryRowx", "*.Queryx", "*.MustExec"}
	sqlCtxNames := []string{"*.QueryContext", "*.QueryRowContext", "*.ExecContext", "*.PrepareContext", "*.QueryxContext",
		"*.QueryRowxContext", "*.MustExecContext"}
	notSQL := []string{"$req*", "net/url.*", "os/exec.*", "*.URL.Query", "html/template.*", "text/template.*"}
	whyTLSSkip := "{call} turns off certificate verification: anyone on the network path can impersonate the server and read or change the traffic."
	whyTLSOld := "{call} allows SSL 3.0, TLS 1.0 or 1.1, which have practical attacks (POODLE, BEAST) and are deprecated (RFC 8996). Require TLS 1.2 or later."
	refTLSOld := []string{"CWE-327", "https://www.rfc-editor.org/rfc/rfc8996"}
	oldTLS := []string{"crypto/tls.VersionSSL30", "crypto/tls.VersionTLS10", "crypto/tls.VersionTLS11", "0x0300", "0x0301", "0x0302"}
	// tlsOptIn names an insecure mode chosen on purpose: a flag or option
	// that says so (if cfg.Insecure, if !secure), a function or variable
	// named for it (newInsecureClient), a test. Names that only mention
	// verification or trust (verifyUser, trustStore) are no opt-in: code
	// that turns verification off there is the finding.
	tlsOptIn := `(?i)insecure|unsafe|danger|skip.?verif|skip.?tls|tls.?skip|^(Test|Example|Benchmark|Fuzz)([A-Z_]|$)|!\s*[\w.]*secure`
	// tlsFlag is a condition that names a certificate or verification
	// option (if selfSigned, if !opts.validateCertificates(), if
	// mode == "disableVerification"): verification turned off under it is
	// a setting the user chose.
	tlsFlag := `(?i)self.?(cert|sign)|cert|validat|verif|trust|secure|skip|disable|enable`
	tlsLegacyOptIn := `(?i)insecure|legacy|old.?version|compat|unsafe|danger|weak|^(Test|Example|Benchmark|Fuzz)([A-Z_]|$)`
	whyTLSCipher := "{call} allows a cipher suite with a broken cipher (RC4, 3DES) or CBC with HMAC-SHA256 (Lucky13-style timing attacks); crypto/tls lists them in InsecureCipherSuites(). Leave CipherSuites unset or list only AEAD suites."
	weakSuites := []string{"crypto/tls.TLS_*RC4*", "crypto/tls.TLS_*3DES*", "crypto/tls.TLS_*_CBC_SHA256", "crypto/tls.TLS_*_NULL_*"}
	// corsChecked is a condition that checks an origin: against a list or
	// map, a suffix, a value, a named check.
	corsChecked := `(?i)allow|valid|trust|white|permit|check|verif|HasSuffix|HasPrefix|Contains|match|\w\[\w+\]|(^|[^!])==\s*\w`
	// corsCredentials is a handler that turns on credentialed CORS.
	corsCredentials := `(?i)Allow-Credentials"?\s*,\s*"true"|AllowCredentials"?\s*[,:=]\s*"?true`
	// ssrfChecked is a condition that checks a URL: equal to a constant
	// URL, matched, a prefix, a named check. (An equality with any other
	// constant is not taken: what is compared is then as often the method
	// or a mode as the URL.)
	ssrfChecked := `(?i)match|valid|allow|safe|trust|white|HasPrefix|HasSuffix|(^|[^!])==\s*"[a-z][a-z0-9+.-]*://`
	sqlShape := `(?i)\b(select|insert|update|delete|where|from|into|values|order\s+by|group\s+by|union|drop|create|alter|join|limit)\b`
	ctxArg := []string{"ctx", "*context.Background()", "*context.TODO()", "*.Context()", "c", "*ctx"}
	return []Rule{
		{ID: "go-sqli-pgx", Family: "sqli", Languages: gol, Severity: medium, TaintSeverity: critical, Fix: "go-param-query",
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Method: true, Names: []string{"*.Query", "*.QueryRow", "*.Exec"}, NotNames: notSQL, Require: map[string][]string{"#0": ctxArg},
				Arg: 1, When: "injection", Shape: sqlShape}},
		{ID: "go-sqli", Family: "sqli", Languages: gol, Severity: medium, TaintSeverity: critical, Fix: "go-param-query",
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Method: true, Names: append(sqlNames, sqlCtxNames...), NotNames: notSQL, Unless: map[string][]string{"#0": ctxArg}, Arg: 0, When: "injection", Shape: sqlShape}},
		{ID: "go-sqli-context", Family: "sqli", Languages: gol, Severity: medium, TaintSeverity: critical, Fix: "go-param-query",
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Method: true, Names: sqlCtxNames, NotNames: notSQL, Arg: 1, When: "injection", Shape: sqlShape}},
		{ID: "go-sqli-orm", Family: "sqli", Languages: gol, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.Where", "*.WhereOr", "*.Order", "*.OrderExpr", "*.Having", "*.Group", "*.Joins", "*.Join",
				"*.ColumnExpr", "*.TableExpr", "*.Get", "*.Select", "*.QueryOne", "*.ExecOne"}, NotNames: notSQL, Arg: 0, When: "strbuilt", Shape: sqlShape}},
		{ID: "go-sqli-orm-dest", Family: "sqli", Languages: gol, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.Get", "*.Select", "*.QueryOne", "*.ExecOne", "*.Query", "*.Exec"}, NotNames: notSQL, Arg: 1, When: "strbuilt", Shape: sqlShape}},
		{ID: "go-command", Fix: "go-exec-args", TaintSeverity: high, Family: "cmdi", Languages: gol, Severity: low,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"os/exec.Command", "golang.org/x/sys/execabs.Command"}, Arg: 0, Rest: true, When: "command"}},
		{ID: "go-command-argument", Family: "cmdi", Languages: gol, Severity: medium,
			Title:      "Command argument from user input",
			Why:        "{call} passes request input as a program argument: input starting with `-` becomes an option (argument injection), and a path in it reaches any file the program can open. Validate it against an allow-list and end options with `--`.",
			References: []string{"CWE-88", "CWE-78"},
			Match:      Match{RequestOnly: true, Names: []string{"os/exec.Command", "golang.org/x/sys/execabs.Command"}, Arg: none, AnyArg: true, When: "tainted"}},
		{ID: "go-command-context", Fix: "go-exec-args", TaintSeverity: high, Family: "cmdi", Languages: gol, Severity: low,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"os/exec.CommandContext", "golang.org/x/sys/execabs.CommandContext"}, Arg: 1, Rest: true, When: "command"}},
		{ID: "go-syscall-exec", TaintSeverity: high, Family: "cmdi", Languages: gol, Severity: low,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"syscall.Exec", "syscall.ForkExec", "syscall.StartProcess", "os.StartProcess"}, Arg: 0, When: "nonconst"}},
		{ID: "go-syscall-exec-args", TaintSeverity: high, Family: "cmdi", Languages: gol, Severity: low,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"syscall.Exec", "syscall.ForkExec", "syscall.StartProcess", "os.StartProcess"}, Arg: 1, When: "command"}},
		{ID: "go-path-traversal", LocalSeverity: low, Family: "path-traversal", Languages: gol, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			Match: Match{Names: []string{"os.Open", "os.OpenFile", "os.ReadFile", "os.Create", "os.WriteFile", "os.Remove", "os.RemoveAll",
				"os.ReadDir", "os.Mkdir", "os.MkdirAll", "io/ioutil.ReadFile", "io/ioutil.WriteFile", "io/ioutil.ReadDir", "os.Stat", "os.Lstat",
				"os.Chmod", "os.Rename", "os.Truncate", "os.DirFS", "os.OpenInRoot"}, Arg: 0, When: "tainted", UnlessCalled: pathCheckedGo}},
		{ID: "go-serve-file", Family: "path-traversal", Languages: gol, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			Match: Match{RequestOnly: true, Names: []string{"net/http.ServeFile"}, Arg: 2, When: "tainted"}},
		{ID: "go-ssrf", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"net/http.Get", "net/http.Head", "net/http.Post", "net/http.PostForm", "*.Client.Get", "*.Client.Post",
				"*.Client.Head", "*.DefaultClient.Get"}, Arg: 0, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-client", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"*lient.Get", "*lient.Post", "*lient.Head", "*lient.PostForm", "*http*.Get", "*http*.Post"},
				Method: true, Arg: 0, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-url-host", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"*.Get", "*.Post", "*.Head", "*.PostForm"}, Method: true, Arg: 0, When: "host", Checked: ssrfChecked}},
		{ID: "go-ssrf-request", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"net/http.NewRequest", "net.Dial", "net.DialTimeout"}, Arg: 1, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-request-context", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"net/http.NewRequestWithContext"}, Arg: 2, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-websocket", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"golang.org/x/net/websocket.Dial", "golang.org/x/net/websocket.NewConfig", "github.com/gorilla/websocket.DefaultDialer.Dial"},
				Arg: 0, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-websocket-context", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"nhooyr.io/websocket.Dial", "github.com/coder/websocket.Dial", "github.com/gobwas/ws.Dial",
				"github.com/gorilla/websocket.DefaultDialer.DialContext"}, Arg: 1, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-websocket-dialer", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Method: true, Names: []string{"*.Dial"}, Imports: []string{"github.com/gorilla/websocket", "github.com/gobwas/ws"},
				Arg: 0, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-ssrf-websocket-dialer-context", LocalSeverity: low, Family: "ssrf", Languages: gol, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Method: true, Names: []string{"*.DialContext"}, Imports: []string{"github.com/gorilla/websocket", "github.com/gobwas/ws"},
				Arg: 1, When: "tainted", FixedHost: true, Checked: ssrfChecked}},
		{ID: "go-template-unescaped", TaintSeverity: high, Family: "xss", Languages: gol, Severity: low,
			Title:      "Unescaped HTML from a variable",
			Why:        "{call} marks a value that is not a constant as safe markup, so html/template stops escaping it: input that reaches it runs script in the page.",
			References: refXSS,
			Match: Match{Names: []string{"html/template.HTML", "html/template.JS", "html/template.URL", "html/template.HTMLAttr",
				"html/template.CSS", "html/template.JSStr", "html/template.Srcset"}, Arg: 0, When: "nonconst"}},
		{ID: "go-response-xss", Family: "xss", Languages: gol, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"$w.Write"}, Arg: 0, When: "tainted", NotBody: goNotHTMLType}},
		{ID: "go-response-xss-print", Family: "xss", Languages: gol, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString"}, Require: map[string][]string{"#0": {"$w"}},
				Arg: none, AnyArg: true, When: "tainted", NotBody: goHTMLType + "|" + goNotHTMLType, SafePrefix: goSniffedText}},
		// The same, in a handler that says its response is HTML: no
		// sniffing then.
		{ID: "go-response-xss-print-html", Family: "xss", Languages: gol, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString"}, Require: map[string][]string{"#0": {"$w"}},
				Arg: none, AnyArg: true, When: "tainted", Body: goHTMLType}},
		{ID: "go-weak-hash", Family: "weak-crypto", Languages: gol, Severity: medium,
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"crypto/md5.New", "crypto/md5.Sum", "crypto/sha1.New", "crypto/sha1.Sum", "golang.org/x/crypto/md4.New",
				"golang.org/x/crypto/ripemd160.New"}, Arg: none, When: "any"}},
		{ID: "go-weak-cipher", Family: "weak-crypto", Languages: gol, Severity: high,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			Match: Match{Names: []string{"crypto/des.NewCipher", "crypto/des.NewTripleDESCipher", "crypto/rc4.NewCipher",
				"golang.org/x/crypto/blowfish.NewCipher", "golang.org/x/crypto/cast5.NewCipher", "golang.org/x/crypto/tea.NewCipher",
				"golang.org/x/crypto/xtea.NewCipher"}, Arg: none, When: "any"}},
		{ID: "go-weak-rsa-key", Family: "weak-crypto", Languages: gol, Severity: medium,
			Title:      "RSA key too short",
			Why:        "{call} makes an RSA key shorter than 2048 bits, which is within reach of factoring (NIST SP 800-131A disallows them). Use 2048 bits or more.",
			References: []string{"CWE-326", "https://csrc.nist.gov/pubs/sp/800/131/a/r2/final"},
			Match: Match{Names: []string{"crypto/rsa.GenerateKey", "crypto/rsa.GenerateMultiPrimeKey"}, Arg: -1, AnyArg: true, When: "literal",
				Equals: []string{"128", "256", "384", "512", "640", "768", "1000", "1024", "1280", "1536", "1792", "2000", "2047"},
				OptIn:  `>=?\s*(2048|3072|4096)\b`}},
		{ID: "go-weak-dsa-key", Family: "weak-crypto", Languages: gol, Severity: medium,
			Title:      "DSA key too short",
			Why:        "{call} makes DSA parameters with a 1024-bit modulus, too short today (NIST SP 800-131A); DSA itself is deprecated (FIPS 186-5). Use Ed25519 or ECDSA.",
			References: []string{"CWE-326", "https://csrc.nist.gov/pubs/sp/800/131/a/r2/final"},
			Match:      Match{Names: []string{"crypto/dsa.GenerateParameters"}, Arg: 2, When: "literal", Equals: []string{"crypto/dsa.L1024N160"}}},
		{ID: "go-tls-insecure-skip-verify", Family: "tls", Languages: gol, Severity: high, Fix: "drop-pair",
			Title: "TLS certificate verification disabled", Why: whyTLSSkip, References: refTLS,
			Match: Match{Kind: "pair", Names: []string{"InsecureSkipVerify"}, Arg: none, When: "literal", Equals: []string{"true"}, OptIn: tlsOptIn, Checked: tlsFlag}},
		{ID: "go-tls-insecure-skip-verify-set", Family: "tls", Languages: gol, Severity: high, Fix: "drop-pair",
			Title: "TLS certificate verification disabled", Why: whyTLSSkip, References: refTLS,
			Match: Match{Kind: "assign", Names: []string{"InsecureSkipVerify"}, Arg: none, When: "literal", Equals: []string{"true"}, OptIn: tlsOptIn, Checked: tlsFlag}},
		{ID: "go-tls-old-version", Family: "tls", Languages: gol, Severity: medium, Fix: "set-literal:.VersionTLS12",
			Title: "Obsolete TLS version allowed", Why: whyTLSOld, References: refTLSOld,
			Match: Match{Kind: "pair", Names: []string{"MinVersion", "MaxVersion"}, In: []string{"crypto/tls.Config"}, Arg: none, When: "literal",
				Equals: oldTLS, OptIn: tlsLegacyOptIn}},
		{ID: "go-tls-old-version-set", Family: "tls", Languages: gol, Severity: medium, Fix: "set-literal:.VersionTLS12",
			Title: "Obsolete TLS version allowed", Why: whyTLSOld, References: refTLSOld,
			Match: Match{Kind: "assign", Names: []string{"MinVersion", "MaxVersion"}, Arg: none, When: "literal", Equals: oldTLS, OptIn: tlsLegacyOptIn}},
		{ID: "go-tls-weak-cipher-suite", Family: "tls", Languages: gol, Severity: medium,
			Title: "Weak TLS cipher suite allowed", Why: whyTLSCipher, References: refTLSOld,
			Match: Match{Kind: "pair", Names: []string{"CipherSuites"}, In: []string{"crypto/tls.Config"}, Arg: none, When: "elem", Equals: weakSuites,
				OptIn: tlsLegacyOptIn}},
		{ID: "go-tls-weak-cipher-suite-set", Family: "tls", Languages: gol, Severity: medium,
			Title: "Weak TLS cipher suite allowed", Why: whyTLSCipher, References: refTLSOld,
			Match: Match{Kind: "assign", Names: []string{"CipherSuites"}, Arg: none, When: "elem", Equals: weakSuites, OptIn: tlsLegacyOptIn}},
		{ID: "go-weak-random", Family: "weak-random", Languages: gol, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRand, References: refRand,
			Match: Match{Names: []string{"math/rand.*", "math/rand/v2.*"}, NotNames: []string{"*.Seed", "*.New", "*.NewSource", "*.NewPCG", "*.Shuffle"},
				Arg: none, When: "any", Target: tokenTargets}},
		{ID: "go-jwt-unverified", Family: "jwt", Languages: gol, Severity: high,
			Title: "JWT accepted without verification", Why: whyJWT, References: refJWT,
			Match: Match{Names: []string{"*.ParseUnverified"}, Arg: none, When: "any"}},
		{ID: "go-jwt-none", Family: "jwt", Languages: gol, Severity: high,
			Title: "JWT with the 'none' algorithm", Why: whyJWT, References: refJWT,
			Match: Match{Names: []string{"*jwt*.New", "*jwt*.NewWithClaims", "*.SignedString", "*.SigningString"}, Arg: none, AnyArg: true,
				When: "qual", Equals: []string{"*.SigningMethodNone", "*.UnsafeAllowNoneSignatureType"}}},
		{ID: "go-jwt-hardcoded-key", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.SignedString"}, Arg: 0, When: "matches", Pattern: `.`}},
		{ID: "go-hardcoded-password-field", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: goCredFields, NotNames: goCredNotFields, Arg: none, When: "matches", Pattern: goCredValue,
				NotPaths: goTestPaths, OptIn: goTestFunc}},
		{ID: "go-hardcoded-password-set", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "assign", Names: goCredFields, NotNames: goCredNotFields, Arg: none, When: "matches", Pattern: goCredValue,
				NotPaths: goTestPaths, OptIn: goTestFunc}},
		{ID: "go-hardcoded-dsn", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"database/sql.Open", "github.com/jmoiron/sqlx.Open", "github.com/jmoiron/sqlx.Connect", "github.com/jmoiron/sqlx.MustConnect",
				"github.com/jmoiron/sqlx.MustOpen", "github.com/jinzhu/gorm.Open", "xorm.io/xorm.NewEngine", "github.com/go-xorm/xorm.NewEngine"},
				Arg: 1, When: "matches", Pattern: goDSNPassword, NotPaths: goTestPaths, OptIn: goTestFunc}},
		{ID: "go-hardcoded-dsn-single", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"gorm.io/driver/*.Open", "github.com/jackc/pgx*.Connect", "github.com/jackc/pgx*.ParseConfig",
				"github.com/jackc/pgx*/pgxpool.New", "github.com/jackc/pgx*/pgxpool.Connect", "github.com/jackc/pgx*/pgxpool.ParseConfig",
				"github.com/lib/pq.NewConnector", "go.mongodb.org/mongo-driver/mongo/options.Client().ApplyURI", "github.com/go-redis/redis*.ParseURL",
				"github.com/redis/go-redis/v9.ParseURL"}, AnyArg: true, Arg: none, When: "matches", Pattern: goDSNPassword, NotPaths: goTestPaths, OptIn: goTestFunc}},
		{ID: "go-hardcoded-basic-auth", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Method: true, Names: []string{"*.SetBasicAuth"}, NotNames: []string{"$req*"}, Arg: 1, When: "matches", Pattern: goCredValue,
				NotPaths: goTestPaths, OptIn: goTestFunc}},
		{ID: "go-code-eval", Family: "code-injection", Languages: gol, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.Run", "*.Eval", "*.Compile", "*.RunString"}, Imports: []string{"github.com/robertkrimen/otto", "github.com/dop251/goja"},
				Arg: 0, When: "nonconst"}},
		{ID: "go-cors-reflected-credentials", Family: "cors", Languages: gol, Severity: high,
			Title:      "CORS reflects the request's origin with credentials",
			Why:        "{call} allows whatever origin the request names while Access-Control-Allow-Credentials is true: any site can make credentialed requests and read the answers with the user's session. Check the origin against an allow-list.",
			References: refCORS,
			Match: Match{Names: []string{"*.Header().Set", "*.Header().Add", "$req.Header", "$req.Set"}, Require: map[string][]string{"#0": {"Access-Control-Allow-Origin"}},
				Arg: 1, When: "tainted", RequestOnly: true, Body: corsCredentials, Checked: corsChecked}},
		{ID: "go-cors-null-credentials", Family: "cors", Languages: gol, Severity: high,
			Title:      "CORS allows the null origin with credentials",
			Why:        "{call} allows the `null` origin while Access-Control-Allow-Credentials is true: sandboxed iframes and local files send `Origin: null`, so any page can make credentialed requests and read the answers.",
			References: refCORS,
			Match: Match{Names: []string{"*.Header().Set", "*.Header().Add", "$req.Header", "$req.Set"}, Require: map[string][]string{"#0": {"Access-Control-Allow-Origin"}},
				Arg: 1, When: "literal", Equals: []string{"null"}, Body: corsCredentials}},
		{ID: "go-cors-any", Family: "cors", Languages: gol, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.Header().Set", "*.Header().Add"}, Require: map[string][]string{"#0": {"Access-Control-Allow-Origin"}},
				Arg: 1, When: "literal", Equals: []string{"*"}}},
	}
}

// goCredFields are struct fields and members that hold a password, secret
// or key (oauth2.Config's ClientSecret, an AWS SecretAccessKey, a DSN
// config's Passwd).
var goCredFields = []string{"password", "Password", "*Password", "*password", "passwd", "Passwd", "*Passwd", "*passwd", "secret", "Secret",
	"*Secret", "*secret", "*SecretKey", "*secretKey", "*SecretAccessKey", "apiKey", "APIKey", "ApiKey", "*APIKey", "*ApiKey", "*apiKey",
	"*AccessToken", "*accessToken", "*AuthToken", "*authToken", "*APIToken", "*ApiToken", "*apiToken", "*PrivateKey", "*privateKey"}

// goCredNotFields are names goCredFields takes that hold no secret.
var goCredNotFields = []string{"*test*", "*Test*", "*Hash*", "*hash*", "*File", "*Path", "*Env*", "*Name", "*Field", "*Header*", "*Prompt*", "*Policy*",
	"*Regex*", "*Pattern*", "*Length", "*Len", "*Min*", "*Max*", "*URL", "*Url", "*Type", "*ID", "*Id"}

// goCredValue is a literal that can be a secret: no spaces, no format verb
// or template, not a path, not an upper-case name (an environment
// variable's).
const goCredValue = `^[^\s%${}<>/]*[a-z0-9][^\s%${}<>/]*$`

// goDSNPassword is a connection string with a password in it: a URL's
// user:password@, a MySQL DSN's user:password@tcp(...), key=value pairs.
const goDSNPassword = `(?i)(://[^/:@\s]+:[^@\s/$%{]+@|^[^:@/\s]+:[^@\s$%{]+@(tcp|unix)?\(|(^|[\s;])(password|pwd)=[^\s;'"$%{]+)`

// goNotHTMLType is a handler setting its response's Content-Type to one a
// browser does not render as a page (text/plain, JSON, CSV, a download):
// what it writes is not reflected XSS.
const goNotHTMLType = `(?i)"Content-Type"\s*,\s*"(text/plain|application/json|text/csv|application/octet-stream|application/pdf|image/(png|jpeg|gif|webp)|application/zip)`

// goHTMLType is a handler setting an HTML Content-Type.
const goHTMLType = `(?i)"Content-Type"\s*,\s*"(text/html|application/xhtml)`

// goSniffedText is the start of a response that net/http's content
// sniffing (http.DetectContentType, when no Content-Type is set) takes for
// text/plain: text that, after white space, does not open a tag.
const goSniffedText = `^\s*[^\s<]`

// goTestPaths are Go test files and test data.
var goTestPaths = []string{"*_test.go", "*/testdata/*", "testdata/*"}

// goTestFunc names Go test, example and benchmark functions.
const goTestFunc = `^(Test|Example|Benchmark|Fuzz)([A-Z_]|$)`
