package code

// whyVMContext explains input handed to code run in a vm context.
const whyVMContext = "{call} hands request input to code run in a vm context (a sandbox object or context): node's vm, and vm2, are not security boundaries: the objects passed in expose the host's constructors, so script that reaches them escapes to this process (`this.constructor.constructor('return process')()`), and input the script evaluates is code. Keep input out of the context, or run untrusted code in a separate process or isolate."

// jsSQLClients are the SQL client modules whose query methods take SQL text.
var jsSQLClients = []string{"mysql", "mysql2", "mysql2/promise", "pg", "pg-promise", "postgres", "sqlite3", "better-sqlite3",
	"sqlite", "mssql", "tedious", "oracledb", "knex", "sequelize", "typeorm", "@prisma/client", "mariadb", "@databases/pg",
	"@databases/mysql", "slonik", "@vercel/postgres", "@neondatabase/serverless"}

// jsSQLReceiver matches the names programs give a SQL client, pool,
// connection or transaction (db, pool, conn, dbClient, sequelize, knex,
// trx): the receivers of a query method that takes SQL text.
const jsSQLReceiver = `(?i)(db|database|sql|conn|pool|knex|sequelize|postgres|^pg$|^pgp$|mariadb|oracle|trx|^tx$|transaction|^cn$|^con$|^repo(sitory)?$|manager|queryRunner|dataSource|prisma)`

func jsRules() []Rule {
	sqlShape := `(?i)\b(select|insert|update|delete|where|from|into|values|order\s+by|group\s+by|union|drop|create|alter|join|limit)\b`
	shellNames := []string{"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"}
	return []Rule{
		{ID: "js-sqli", Family: "sqli", Languages: js, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.query", "*.execute", "*.raw", "*.$queryRawUnsafe", "*.$executeRawUnsafe", "*.whereRaw",
				"*.joinRaw", "*.orderByRaw", "*.havingRaw", "*.groupByRaw", "*.unsafe"},
				NotNames: []string{"req.*", "request.*", "*.searchParams.*"}, Arg: 0, When: "injection", Shape: sqlShape,
				// Input passed whole is query text only to a database
				// client's method (db.query, this.pool.query), or where
				// the file uses a SQL client: not a search module's query.
				ShapelessReceiver: jsSQLReceiver, ShapelessImports: jsSQLClients}},
		// A query whose whole text is a variable (a parameter, a value from
		// elsewhere) has no shape to read: .query(q) is SQL only where the
		// file uses a SQL client, not on a search index or a JSON query helper.
		{ID: "js-sqli-variable", Family: "sqli", Languages: js, Severity: medium, TaintRaises: true,
			Title: "SQL text from a variable", Why: whySQL, References: refSQLi,
			// A method of a client or pool (db.query), not a function of
			// the project called query (a JSONPath or GraphQL helper).
			Match: Match{Names: []string{"*.query", "*.execute", "*.raw", "*.$queryRawUnsafe", "*.$executeRawUnsafe", "*.unsafe"},
				NotNames: []string{"req.*", "request.*", "*.searchParams.*"}, Arg: 0, When: "nonconst", Imports: jsSQLClients, Method: true}},
		{ID: "js-shell-injection", Family: "cmdi", Languages: js, Severity: high, TaintRaises: true,
			Title: "Shell command built from a variable", Why: whyShell, References: refCmdi,
			Match: Match{Names: []string{"child_process.exec", "child_process.execSync", "shelljs.exec", "node:child_process.exec",
				"node:child_process.execSync", "execa.command", "execa.commandSync", "execa.execaCommand"}, Arg: 0, When: "nonconst"}},
		{ID: "js-spawn-shell", Family: "cmdi", Languages: js, Severity: high, TaintRaises: true,
			Title: "Shell command built from a variable", Why: whyShell, References: refCmdi,
			Match: Match{Names: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync",
				"node:child_process.spawn", "node:child_process.execFile"}, Require: map[string][]string{"#0": shellNames}, Arg: 1, When: "nonconst"}},
		{ID: "js-spawn-program", Family: "cmdi", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync",
				"node:child_process.spawn", "node:child_process.execFile", "execa", "execa.execa"}, Arg: 0, When: "command"}},
		{ID: "js-spawn-argument", Family: "cmdi", Languages: js, Severity: medium,
			Title:      "Command argument from user input",
			Why:        "{call} passes request input as a program argument: input starting with `-` becomes an option (argument injection: `git clone --upload-pack=...` runs commands). Validate it against an allow-list and end options with `--`.",
			References: []string{"CWE-88", "CWE-78"},
			Match: Match{Names: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync",
				"node:child_process.spawn", "node:child_process.execFile"}, Arg: 1, When: "tainted", RequestOnly: true}},
		{ID: "js-spawn-git-argument", Family: "cmdi", Languages: js, Severity: medium, TaintRaises: true,
			Title:      "Command argument from a variable",
			Why:        "{call} runs git with arguments that are not constants: a value starting with `-` becomes an option, and git options run commands (`--upload-pack=...`, `-c core.sshCommand=...`), so whoever controls it runs code (argument injection). Validate it (a URL or ref that cannot start with `-`) and put `--` before it.",
			References: []string{"CWE-88", "CWE-78"},
			Match: Match{Names: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync",
				"node:child_process.spawn", "node:child_process.spawnSync", "node:child_process.execFile", "node:child_process.execFileSync",
				"execa", "execa.execa", "execa.sync"}, Require: map[string][]string{"#0": {"git"}}, Arg: 1, When: "nonconst"}},
		{ID: "js-code-eval", Family: "code-injection", Languages: js, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"eval", "window.eval", "global.eval", "globalThis.eval", "Function", "vm.runInContext",
				"vm.runInNewContext", "vm.runInThisContext", "vm.compileFunction", "vm.Script", "vm.SourceTextModule",
				"node:vm.runInContext", "node:vm.runInNewContext", "node:vm.runInThisContext", "node:vm.Script"},
				Arg: 0, When: "nonconst"}},
		{ID: "js-vm-context-input", Family: "code-injection", Languages: js, Severity: medium,
			Title: "Request input inside a VM context", Why: whyVMContext, References: refCode,
			Match: Match{Names: []string{"vm.runInNewContext", "vm.runInContext", "node:vm.runInNewContext", "node:vm.runInContext"},
				Arg: 1, When: "tainted"}},
		{ID: "js-vm-parsing-context-input", Family: "code-injection", Languages: js, Severity: medium,
			Title: "Request input inside a VM context", Why: whyVMContext, References: refCode,
			Match: Match{Kind: "pair", Names: []string{"parsingContext", "contextObject"}, In: []string{"vm.compileFunction", "node:vm.compileFunction"},
				Arg: none, When: "tainted"}},
		{ID: "js-vm-sandbox-input", Family: "code-injection", Languages: js, Severity: medium,
			Title: "Request input inside a VM context", Why: whyVMContext, References: refCode,
			Match: Match{Names: []string{"vm.createContext", "node:vm.createContext", "vm2.VM", "vm2.NodeVM"}, Arg: 0, When: "tainted"}},
		{ID: "js-code-timer", Family: "code-injection", Languages: js, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"setTimeout", "setInterval", "window.setTimeout", "window.setInterval"}, Arg: 0, When: "strbuilt"}},
		{ID: "js-code-sandbox", Family: "code-injection", Languages: js, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.run", "*.runInContext", "*.compile", "VMScript", "*.VMScript"}, Imports: []string{"vm2", "sandbox", "safe-eval", "notevil", "static-eval"},
				Arg: 0, When: "nonconst"}},
		{ID: "js-code-vm2", Family: "code-injection", Languages: js, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"vm2.VMScript", "safe-eval", "static-eval"}, Arg: 0, When: "nonconst"}},
		{ID: "js-innerhtml", Family: "xss", Languages: js, Severity: medium, TaintRaises: true, Fix: "rename:textContent",
			Title:      "Unescaped HTML from a variable",
			Why:        "{call} parses a value that is not a constant as HTML, so input that reaches it runs script in the page (DOM XSS). Assign `textContent` to show it as text, or sanitize it (DOMPurify).",
			References: refXSS,
			Match:      Match{Kind: "assign", Names: []string{"innerHTML"}, Arg: none, When: "nonconst"}},
		{ID: "js-outerhtml", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Kind: "assign", Names: []string{"outerHTML"}, Arg: none, When: "nonconst"}},
		{ID: "js-document-write", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"document.write", "document.writeln", "window.document.write"}, Arg: 0, When: "input"}},
		{ID: "js-insert-adjacent-html", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"*.insertAdjacentHTML"}, Arg: 1, When: "nonconst"}},
		{ID: "js-dangerously-set-inner-html", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title:      "Unescaped HTML from a variable",
			Why:        "{call} renders a value that is not a constant as raw HTML, bypassing React's escaping: input that reaches it runs script in the page. Render it as text, or sanitize it (DOMPurify.sanitize).",
			References: refXSS,
			Match:      Match{Kind: "pair", Names: []string{"dangerouslySetInnerHTML"}, Arg: none, When: "input"}},
		{ID: "js-markdown-raw-html", Family: "xss", Languages: js, Severity: medium,
			Title:      "Raw HTML rendered from markdown",
			Why:        "{call} lets raw HTML in the markdown through to the page: markdown from users then carries script (XSS). Keep HTML escaped, or sanitize with rehype-sanitize.",
			References: refXSS,
			Match:      Match{Kind: "pair", Names: []string{"allowDangerousHtml"}, In: []string{"jsx"}, Arg: none, When: "literal", Equals: []string{"true"}}},
		{ID: "js-markdown-escape-off", Family: "xss", Languages: js, Severity: medium,
			Title:      "Raw HTML rendered from markdown",
			Why:        "{call} turns escaping off: raw HTML in the markdown reaches the page, so markdown from users carries script (XSS).",
			References: refXSS,
			Match:      Match{Kind: "pair", Names: []string{"escapeHtml"}, In: []string{"jsx"}, Arg: none, When: "literal", Equals: []string{"false"}}},
		{ID: "js-response-xss", Family: "xss", Languages: js, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"res.send", "res.write", "res.end", "response.send", "response.write"}, Arg: 0, When: "tainted",
				// A victim's cookies, and the headers of the victim's
				// request (but its Referer), are not the attacker's to set.
				NotSources: jsVictimOwnSources}},
		{ID: "js-deserialization", Family: "deserialization", Languages: js, Severity: high, TaintRaises: true,
			Title: "Unsafe deserialization", Why: whyDeser, References: refDeser,
			Match: Match{Names: []string{"node-serialize.unserialize", "serialize-to-js.deserialize", "funcster.deepDeserialize",
				"cryo.parse"}, Arg: 0, When: "nonconst"}},
		{ID: "js-yaml-load", Family: "deserialization", Languages: js, Severity: low, TaintSeverity: high,
			Title: "YAML loaded with code-running types",
			Why: "{call} loads YAML without a safe schema: js-yaml before 4.0 builds `!!js/function` and `!!js/regexp` values from the " +
				"document, so a crafted document runs code when it is loaded (from 4.0 on, load is safe unless the schema adds " +
				"js-yaml-js-types). Pass `{ schema: yaml.CORE_SCHEMA }` (or upgrade to js-yaml 4) for data from elsewhere.",
			References: refDeser,
			// js-yaml's load is js-yaml-unsafe-load (javascript.go reads its
			// schema option); low when the document is not request input.
			Match: Match{Names: []string{"js-yaml-unsafe-load"}, Arg: 0, When: "nonconst"}},
		{ID: "js-weak-hash", Family: "weak-crypto", Languages: js, Severity: medium, Fix: "set-string:sha256",
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"crypto.createHash", "node:crypto.createHash", "*.createHash"}, Arg: 0, When: "matches",
				Pattern: `(?i)^(md5|md4|md2|sha1|sha-1|ripemd160|rmd160)$`}},
		{ID: "js-weak-cipher", Family: "weak-crypto", Languages: js, Severity: high,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			Match: Match{Names: []string{"crypto.createCipheriv", "crypto.createDecipheriv", "crypto.createCipher", "crypto.createDecipher",
				"node:crypto.createCipheriv", "*.createCipheriv"}, Arg: 0, When: "matches",
				Pattern: `(?i)(^des|^rc4|^rc2|^bf|blowfish|^cast|^idea|^seed|-ecb$|^aes\d*$)`}},
		{ID: "js-tls-reject-unauthorized", Family: "tls", Languages: js, Severity: high, Fix: "drop-pair",
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			// An options object written apart, or passed to a method, a
			// client library or a constructor; not one handed to a local
			// function of unknown purpose.
			// Node reads the option as a truth value (tls.connect spreads it
			// over its default): 0, null and undefined given turn it off too.
			Match: Match{Kind: "pair", Names: []string{"rejectUnauthorized", "strictSSL"}, In: jsTLSContainers, Arg: none, When: "literal", Equals: jsFalsy}},
		{ID: "js-tls-old-protocol", Family: "tls", Languages: js, Severity: medium,
			Title: "Obsolete TLS version allowed",
			Why: "{call} asks for SSL 3 or TLS 1.0/1.1, protocol versions with known attacks (POODLE, BEAST) that RFC 8996 deprecates. " +
				"Leave secureProtocol unset and set minVersion: 'TLSv1.2' (Node's default) or later.",
			References: []string{"CWE-327", "https://datatracker.ietf.org/doc/html/rfc8996", "https://nodejs.org/api/tls.html#tlscreatesecurecontextoptions"},
			// tls.createSecureContext / https.Agent / tls.connect options:
			// secureProtocol names an OpenSSL method; minVersion the
			// lowest version accepted.
			Match: Match{Kind: "pair", Names: []string{"secureProtocol", "minVersion"}, In: jsTLSContainers, Arg: none, When: "literal",
				Equals: []string{"SSLv2_method", "SSLv2_client_method", "SSLv2_server_method", "SSLv3_method", "SSLv3_client_method",
					"SSLv3_server_method", "TLSv1_method", "TLSv1_client_method", "TLSv1_server_method", "TLSv1_1_method",
					"TLSv1_1_client_method", "TLSv1_1_server_method", "TLSv1", "TLSv1.1", "SSLv3"}}},
		{ID: "js-tls-disable-certs", Family: "tls", Languages: js, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			// superagent's request.disableTLSCerts() accepts any certificate.
			Match: Match{Names: []string{"superagent*.disableTLSCerts", "*.disableTLSCerts"}, Arg: none, When: "any"}},
		{ID: "js-tls-env", Family: "tls", Languages: js, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Kind: "assign", Names: []string{"NODE_TLS_REJECT_UNAUTHORIZED"}, Arg: none, When: "literal", Equals: []string{"0"}}},
		{ID: "js-weak-random", Fix: "js-crypto-random", Family: "weak-random", Languages: js, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRand, References: refRand,
			Match: Match{Names: []string{"Math.random"}, Arg: none, When: "any", Target: tokenTargets}},
		{ID: "js-pseudo-random-bytes", Family: "weak-random", Languages: js, Severity: medium, Fix: "rename:randomBytes",
			Title:      "Predictable randomness for a secret",
			Why:        "{call} is not cryptographically strong (and is deprecated): bytes from it must not become keys, tokens or nonces. Use `crypto.randomBytes`.",
			References: refRand,
			Match:      Match{Names: []string{"crypto.pseudoRandomBytes", "node:crypto.pseudoRandomBytes"}, Arg: none, When: "any"}},
		{ID: "js-ssrf", LocalSeverity: low, Family: "ssrf", Languages: js, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"axios", "axios.get", "axios.post", "axios.put", "axios.delete", "axios.head", "axios.patch", "axios.request",
				"fetch", "node-fetch", "got", "got.*", "request", "request.get", "request.post", "needle", "needle.get", "superagent.get",
				"superagent.post", "http.get", "https.get", "http.request", "https.request", "node:http.get", "node:https.get",
				"*.goto", "undici.request", "undici.fetch", "$.ajax", "$.get", "jsdom.JSDOM.fromURL", "request-promise", "request-promise-native",
				"superagent", "ky", "ky.*", "phin", "bent", "wreck.get", "@hapi/wreck.get", "@hapi/wreck.request",
				// More verbs and clients of the same shape (url first).
				"request.put", "request.patch", "request.delete", "request.del", "request.head", "superagent.put", "superagent.patch",
				"superagent.delete", "superagent.del", "superagent.head", "needle.post", "needle.put", "needle.patch", "needle.delete",
				"needle.head", "urllib.request", "urllib.curl", "simple-get", "simple-get.concat", "cross-fetch", "isomorphic-fetch",
				"make-fetch-happen", "node:http.request", "node:https.request", "undici.stream", "undici.pipeline",
				"wreck.request", "wreck.post", "@hapi/wreck.post"}, Arg: 0, Keyword: "url", When: "tainted", FixedHost: true,
				NotSources: domSources}},
		{ID: "js-ssrf-method-first", LocalSeverity: low, Family: "ssrf", Languages: js, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			// needle('get', url), needle.request('get', url): the method first.
			Match: Match{Names: []string{"needle", "needle.request", "wreck.request", "@hapi/wreck.request"}, Arg: 1, When: "tainted", FixedHost: true,
				Require:    map[string][]string{"#0": {"get", "post", "put", "patch", "delete", "head", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}},
				NotSources: domSources}},
		{ID: "js-path-traversal", LocalSeverity: low, Family: "path-traversal", Languages: js, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			Match: Match{Names: []string{"fs.*", "fs/promises.*", "node:fs.*", "node:fs/promises.*", "fs-extra.*", "res.sendFile", "res.download",
				"*.sendFile"}, NotNames: []string{"*.existsSync", "*.exists"}, Arg: 0, When: "tainted", UnlessCalled: pathCheckedJS}},
		{ID: "js-cors-any", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.setHeader", "*.header", "*.set", "*.append", "Header", "*.Header"},
				Require: map[string][]string{"#0": {"Access-Control-Allow-Origin", "access-control-allow-origin"}},
				Arg:     1, When: "literal", Equals: []string{"*"}}},
		{ID: "js-cors-reflect", Family: "cors", Languages: js, Severity: high,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.setHeader", "*.header", "*.set", "*.append"},
				Require: map[string][]string{"#0": {"Access-Control-Allow-Origin", "access-control-allow-origin"}},
				// A reflected origin matters when credentialed requests may
				// read the response.
				Arg: 1, When: "tainted", IfCalled: jsCredentialsHeader}},
		{ID: "js-cors-header-pair", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"Access-Control-Allow-Origin", "access-control-allow-origin"}, Arg: none,
				When: "literal", Equals: []string{"*"}}},
		{ID: "js-cors-header-pair-reflect", Family: "cors", Languages: js, Severity: high,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"Access-Control-Allow-Origin", "access-control-allow-origin"}, Arg: none, When: "tainted"}},
		{ID: "js-cors-nest-default", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.enableCors"}, Arg: 0, When: "absent"}},
		{ID: "js-cors-nest-true", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"cors"}, In: []string{"*NestFactory.create"}, Arg: none, When: "literal", Equals: []string{"true"}}},
		{ID: "js-cors-options", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"origin"}, In: []string{"cors", "*.enableCors", "*.register", "*.use", "*NestFactory.create"}, Arg: none,
				When: "literal", Equals: []string{"*"}}},
		{ID: "js-jwt-decode", Family: "jwt", Languages: js, Severity: medium,
			Title:      "JWT read without verification",
			Why:        "{call} only decodes the token: its claims are not checked against a signature, so a client can forge them. Use `jwt.verify` before trusting any claim.",
			References: refJWT,
			Match:      Match{Names: []string{"jsonwebtoken.decode", "jwt-decode", "jwt-decode.jwtDecode", "jose.decodeJwt"}, Arg: 0, When: "nonconst"}},
		{ID: "js-jwt-none", Family: "jwt", Languages: js, Severity: high,
			Title: "JWT with the 'none' algorithm", Why: whyJWT, References: refJWT,
			Match: Match{Kind: "pair", Names: []string{"algorithms", "algorithm"}, In: []string{"jsonwebtoken.*", "jwt.*", "*.verify", "*.sign"}, Arg: none,
				When: "contains", Equals: []string{"none"}}},
		{ID: "js-jwt-hardcoded-secret", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"jsonwebtoken.sign", "jsonwebtoken.verify", "jose.JWT.sign", "jose.JWT.verify", "jose.JWK.asKey",
				"jose.JWE.encrypt", "jose.JWS.sign"}, Arg: 1, When: "matches", Pattern: `.`}},
		{ID: "js-jwt-hardcoded-key-object", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"jose.JWT.sign", "jose.JWT.verify", "jose.JWS.sign", "jose.JWE.encrypt", "jsonwebtoken.sign", "jsonwebtoken.verify"},
				Arg: 1, When: "constcall", Equals: []string{"jose.JWK.asKey()", "*.createSecretKey()", "Buffer.from()"}}},
		{ID: "js-jwt-hardcoded-key", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"jose.JWK.asKey", "jose.JWK.import", "*.createSecretKey"}, Arg: 0, When: "matches", Pattern: `.`}},
		{ID: "js-jwt-hardcoded-option", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"secret", "secretOrKey", "secretOrPublicKey"}, In: []string{"express-jwt*", "*jwt*", "*Strategy"},
				Arg: none, When: "matches", Pattern: `.`}},
	}
}

// jsTLSContainers are the calls an options object that turns TLS
// verification off is passed to: none (an object written apart, passed on
// later), a method (https.Agent, tls.connect, axios.create), a client
// library called by its module's name, or a constructor.
var jsTLSContainers = []string{"", "*.*", "request", "request-promise*", "got", "axios", "needle", "superagent*", "node-fetch", "fetch", "phin", "bent",
	"undici*", "https*", "http*", "tls*", "ws", "websocket*", "socket.io-client", "io", "mqtt*", "nodemailer*", "pg*", "mysql*", "mongodb*", "redis*",
	"ioredis", "*Client", "*Pool", "*Connection", "*Agent", "*Socket", "create*", "connect*", "jsdom*", "puppeteer*", "ldapjs*", "amqplib*",
	"cypress*", "sequelize*", "Sequelize", "knex", "postgres", "elasticsearch*", "@elastic/*", "nano", "couchbase*", "grpc*", "@grpc/*", "soap*", "ftp*",
	"basic-ftp*", "ssh2*", "imap*", "node-rest-client*", "restify-clients*", "@hapi/wreck*", "wreck*"}

// jsFalsy are the constants a truth test reads as false (an empty string
// is left out: literalIn cannot tell it from no value).
var jsFalsy = []string{"false", "0", "null", "undefined"}

// jsVictimOwnSources are the parts of a request a page elsewhere cannot
// choose when it makes the victim's browser send it: its cookies, and its
// headers but the Referer (which javascript.go names apart). Reflected, they are no
// cross-site scripting (CodeQL's ReflectedXss takes the same view).
var jsVictimOwnSources = []string{"req.cookies*", "request.cookies*", "ctx.cookies*", "req.headers*", "request.headers*", "ctx.headers*",
	"ctx.request.headers*", "ctx.req.headers*", "req.get()", "req.header()", "ctx.get()"}
