package code

// jsMoreRules are JavaScript/TypeScript rules on API families the first
// rule set did not cover: credentials handed to well-known clients, SDKs
// and crypto calls; more HTTP clients and their option objects (SSRF);
// jQuery's HTML sinks; client-side redirects; template and module paths;
// archive entries written to disk.
func jsMoreRules() []Rule {
	// Option keys that hold a secret, and those that name the account.
	secretKeys := []string{"password", "passwd", "pass", "pwd", "secret", "clientSecret", "client_secret", "secretAccessKey",
		"secret_access_key", "sessionToken", "apiKey", "api_key", "apikey", "apiSecret", "token", "accessToken", "access_token",
		"authToken", "bearer", "privateKey", "private_key", "key", "storageAccessKey", "accountKey", "auth", "passphrase"}
	userKeys := []string{"user", "username", "userName", "account", "keyId", "accessKeyId", "access_key_id", "storageAccount", "login"}
	pkgcloudServices := []string{"compute", "storage", "database", "dns", "blockstorage", "loadbalancer", "network", "orchestration", "cdn", "databases"}
	// Calls whose options carry the credentials of a database, a cloud
	// SDK, a mail server or an HTTP request.
	credContainers := []string{
		"pg.Client", "pg.Pool", "pg-promise*", "postgres", "mysql.createConnection", "mysql.createPool", "mysql.createPoolCluster",
		"mysql2.*", "mysql2/promise.*", "mssql.connect", "mssql.ConnectionPool", "tedious.Connection", "oracledb.getConnection",
		"oracledb.createPool", "mongodb.MongoClient*", "mongoose.connect", "mongoose.createConnection", "redis.createClient",
		"ioredis", "ioredis.*", "sequelize", "sequelize.Sequelize", "knex", "typeorm.createConnection", "typeorm.DataSource",
		"nodemailer.createTransport", "aws-sdk.*", "@aws-sdk/*", "ms-rest-azure.*", "@octokit/rest.Octokit", "octokit.Octokit",
		"http.request", "https.request", "http.get", "https.get", "node:http.request", "node:https.request", "node:http.get", "node:https.get",
		"request", "request.*", "request-promise*", "axios", "axios.*", "got", "got.*", "needle", "needle.*", "superagent*",
		"ldapjs.createClient", "amqplib.connect", "ssh2.Client*", "ftp*", "basic-ftp*",
	}
	for _, s := range pkgcloudServices {
		credContainers = append(credContainers, "pkgcloud."+s+".createClient", "pkgcloud.providers.*."+s+".createClient")
	}
	cred := `.`
	return []Rule{
		// SQL run through sqlite's and similar drivers' statement methods.
		{ID: "js-sqli-statement", Family: "sqli", Languages: js, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.get", "*.all", "*.run", "*.each", "*.exec", "*.prepare", "*.map", "*.iterate", "*.pluck"},
				NotNames: []string{"req.*", "request.*", "*.searchParams.*", "axios.*", "got.*", "superagent.*", "request.*", "app.*", "router.*"},
				Imports:  []string{"sqlite3", "sqlite", "better-sqlite3", "sql.js", "@databases/sqlite", "node:sqlite", "bun:sqlite", "expo-sqlite"},
				Arg:      0, When: "nonconst", Shape: `(?i)\b(select\s.*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|replace\s+into|create\s+table|drop\s+table)\b`}},

		// Hard-coded credentials.
		{ID: "js-hardcoded-credential-option", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: secretKeys, In: credContainers, Arg: none, When: "matches", Pattern: cred}},
		{ID: "js-hardcoded-account-option", Family: "hardcoded-credential", Languages: js, Severity: low,
			Title:      "Hard-coded account name",
			Why:        "{call} receives an account name or key id written into the source: half of a credential, and the other half is usually beside it. Load both from the environment or a secret store.",
			References: refCred,
			Match:      Match{Kind: "pair", Names: userKeys, In: credContainers, Arg: none, When: "matches", Pattern: cred}},
		{ID: "js-hardcoded-cloud-secret", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"secretAccessKey", "secret_access_key", "storageAccessKey", "accountKey", "clientSecret"},
				Arg: none, When: "matches", Pattern: `^\S{8,}$`}},
		{ID: "js-hardcoded-cloud-secret-assign", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "assign", Names: []string{"secretAccessKey", "secret_access_key", "storageAccessKey", "accountKey", "clientSecret"},
				Arg: none, When: "matches", Pattern: `^\S{8,}$`}},
		{ID: "js-hardcoded-basic-auth-users", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"*"}, NotNames: []string{"realm", "challenge", "unauthorizedResponse", "authorizer", "authorizeAsync", "users"},
				In: []string{"express-basic-auth", "koa-basic-auth", "http-auth.basic"}, Arg: none, When: "matches", Pattern: cred}},
		{ID: "js-hardcoded-credential-arg", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"basic-auth-connect", "ms-rest-azure.loginWithUsernamePassword", "ms-rest-azure.loginWithServicePrincipalSecret",
				"@azure/ms-rest-nodeauth.loginWithUsernamePassword", "@azure/ms-rest-nodeauth.loginWithServicePrincipalSecret", "twilio"},
				Arg: 1, When: "matches", Pattern: `^\S{4,}$`}},
		{ID: "js-hardcoded-credential-arg3", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"sequelize", "sequelize.Sequelize", "@azure/identity.ClientSecretCredential"},
				Arg: 2, When: "matches", Pattern: `^\S{4,}$`}},
		{ID: "js-hardcoded-credential-arg4", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"@azure/identity.UsernamePasswordCredential"}, Arg: 3, When: "matches", Pattern: `^\S{4,}$`}},
		{ID: "js-hardcoded-token-arg", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"digitalocean.client", "stripe", "stripe.Stripe", "@sendgrid/mail.setApiKey", "node-telegram-bot-api",
				"telegraf", "telegraf.Telegraf", "@slack/web-api.WebClient", "discord.js.Client().login", "*.setApiKey"},
				Arg: 0, When: "matches", Pattern: `^\S{4,}$`}},
		{ID: "js-hardcoded-http-auth", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"request*.auth", "superagent*.auth"},
				Arg: none, AnyArg: true, When: "matches", Pattern: `^\S{4,}$`}},
		{ID: "js-hardcoded-crypto-key", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded cryptographic key", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"crypto.createHmac", "node:crypto.createHmac", "crypto.createCipheriv", "crypto.createDecipheriv",
				"node:crypto.createCipheriv", "node:crypto.createDecipheriv", "crypto-js.AES.*crypt", "crypto-js.DES.*crypt", "crypto-js.TripleDES.*crypt",
				"crypto-js.Rabbit.*crypt", "crypto-js.RC4.*crypt", "crypto-js/aes.*crypt", "crypto-js/tripledes.*crypt", "crypto-js.Hmac*", "crypto-js/hmac-*"},
				Arg: 1, When: "matches", Pattern: `^.{4,}$`}},

		{ID: "js-hardcoded-auth-header", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"Authorization", "authorization", "X-API-Key", "x-api-key", "X-Api-Key"}, Arg: none,
				When: "matches", Pattern: authHeaderValue}},
		{ID: "js-hardcoded-auth-header-set", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.set", "*.append", "*.setHeader", "*.header", "*.setRequestHeader"},
				Require: map[string][]string{"#0": {"Authorization", "authorization", "X-API-Key", "x-api-key", "X-Api-Key"}},
				Arg:     1, When: "matches", Pattern: authHeaderValue}},

		// Randomness for a key.
		{ID: "js-weak-random-key", Family: "weak-random", Languages: js, Severity: medium,
			Title:      "Predictable randomness for a secret",
			Why:        "{call} gets a key or IV made by `Math.random()`, which is predictable: whoever sees a few outputs can compute the key. Use `crypto.randomBytes`.",
			References: refRand,
			Match: Match{Names: []string{"crypto.createHmac", "node:crypto.createHmac", "crypto.createCipheriv", "crypto.createDecipheriv",
				"node:crypto.createCipheriv", "crypto.createSecretKey"}, Arg: none, AnyArg: true, When: "qual", Equals: []string{"Math.random()"}}},

		// Secure random bytes skewed by arithmetic.
		{ID: "js-biased-random", Family: "weak-random", Languages: js, Severity: low,
			Title:      "Biased random number from secure bytes",
			Why:        "This arithmetic skews cryptographically random bytes: a remainder by a number that is not a power of two, a sum or product of two random numbers, or a rounded division makes some results likelier than others, so a code or token made of them is easier to guess. Use `crypto.randomInt(min, max)`, or reject the bytes that skew the result.",
			References: refRand,
			Match:      Match{Names: []string{"biased-random"}, Arg: none, When: "any"}},

		// SSRF through an options object.
		{ID: "js-ssrf-option", LocalSeverity: low, Family: "ssrf", Languages: js, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Kind: "pair", Names: []string{"url", "uri", "host", "hostname", "baseURL", "baseUrl"},
				In: []string{"axios", "axios.*", "got", "got.*", "request", "request.*", "request-promise*", "http.request", "https.request",
					"http.get", "https.get", "node:http.*", "node:https.*", "needle*", "superagent*", "undici.*", "*.Page.navigate", "*.navigate",
					"*.goto", "node-fetch", "fetch", "phin", "bent"},
				Arg: none, When: "tainted", FixedHost: true, NotSources: domSources}},

		// jQuery parses strings passed to these as HTML.
		{ID: "js-jquery-html", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: jqueryHTMLSinks(), Arg: 0, When: "tainted", NotSources: []string{"req.cookies*", "request.cookies*"}}},

		// $(x) parses x as HTML when it starts with '<'; "#" + id, "." +
		// name and other strings with a constant start that is not '<'
		// are selectors.
		{ID: "js-jquery-html-selector", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"$", "jQuery"}, Arg: 0, When: "tainted", SafePrefix: `^\s*[^<\s]`,
				NotSources: []string{"req.cookies*", "request.cookies*"}}},

		// More HTML sinks: the DOM's, Angular's sanitizer bypasses, and
		// responses sent after a status or header call.
		{ID: "js-dom-html-sink", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"*.createContextualFragment", "*.bypassSecurityTrustHtml", "*.bypassSecurityTrustScript",
				"*.bypassSecurityTrustUrl", "*.bypassSecurityTrustResourceUrl", "*.bypassSecurityTrustStyle"}, Arg: 0, When: "tainted"}},
		{ID: "js-dom-url-attribute", Family: "xss", Languages: js, Severity: medium,
			Title:      "Script URL from the page's address",
			Why:        "{call} sets a link, frame or script address from input: a `javascript:` URL in it runs script in the page when followed or loaded (DOM XSS), and a frame's `srcdoc` is markup. Allow only http(s) URLs, or paths on this site.",
			References: refXSS,
			Match: Match{Kind: "assign", Names: []string{"href", "src", "action", "formAction", "srcdoc"}, Arg: none, When: "tainted",
				SafePrefix: redirectSafe, NotSources: pageOwnURL}},
		{ID: "js-dom-set-attribute", Family: "xss", Languages: js, Severity: medium,
			Title:      "Script URL from the page's address",
			Why:        "{call} sets a link, frame, form or script address from input: a `javascript:` URL in it runs when followed or loaded (DOM XSS).",
			References: refXSS,
			Match: Match{Names: []string{"*.setAttribute"}, Require: map[string][]string{"#0": {"href", "src", "action", "formaction", "srcdoc",
				"xlink:href", "data"}},
				Arg: 1, When: "tainted", SafePrefix: redirectSafe, NotSources: pageOwnURL}},
		{ID: "js-response-xss-chained", Family: "xss", Languages: js, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"res.*.send", "res.*.write", "res.*.end", "response.*.send", "response.*.write"},
				Arg: 0, When: "tainted", NotSources: jsVictimOwnSources}},

		// Client-side redirects.
		{ID: "js-client-redirect", Family: "open-redirect", Languages: js, Severity: medium,
			Title:      "Redirect to a URL from the page's address",
			Why:        "{call} navigates to a URL taken from the page's own address (its fragment or query), so a link can send the user to any site, or run script with a `javascript:` URL. Check the target against a list of allowed paths or hosts.",
			References: refRedirect,
			Match: Match{Kind: "assign", Names: []string{"location", "href"},
				In:  []string{"window", "document", "self", "top", "parent", "location", "window.location", "document.location", "self.location", "top.location"},
				Arg: none, When: "tainted", SafePrefix: redirectSafe, NotSources: redirectNotSources}},
		{ID: "js-client-redirect-call", Family: "open-redirect", Languages: js, Severity: medium,
			Title:      "Redirect to a URL from the page's address",
			Why:        "{call} navigates to a URL taken from the page's own address (its fragment or query), so a link can send the user to any site, or run script with a `javascript:` URL. Check the target against a list of allowed paths or hosts.",
			References: refRedirect,
			Match: Match{Names: []string{"location.assign", "location.replace", "window.location.assign", "window.location.replace",
				"document.location.assign", "document.location.replace", "window.open", "window.navigate"},
				Arg: 0, When: "tainted", SafePrefix: redirectSafe, NotSources: redirectNotSources}},

		// Paths: modules and templates chosen by input.
		{ID: "js-require-input", LocalSeverity: low, Family: "path-traversal", Languages: js, Severity: high,
			Title:      "Module loaded from a path from user input",
			Why:        "{call} loads the module a request names: the sender picks any file on the server to run as code, with `../` in it.",
			References: []string{"CWE-22", "CWE-829"},
			Match:      Match{Names: []string{"require"}, Arg: 0, When: "tainted"}},
		{ID: "js-render-input", LocalSeverity: low, Family: "path-traversal", Languages: js, Severity: high,
			Title:      "Template path from user input",
			Why:        "{call} renders the template a request names: with `../` in it, any file the server can read is rendered (and disclosed), or run as a template.",
			References: refPath,
			Match:      Match{Names: []string{"res.render", "response.render", "ctx.render", "*.res.render"}, Arg: 0, When: "tainted", RequestOnly: true}},

		// Zip slip: an entry's name written to as a path.
		{ID: "js-zip-slip-write", Family: "zip-slip", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Archive entry name used as a path", Why: whyZipSlip, References: refZipSlip,
			Match: Match{Names: []string{"fs.createWriteStream", "fs.writeFile", "fs.writeFileSync", "fs.mkdir", "fs.mkdirSync", "fs/promises.writeFile",
				"fs/promises.mkdir", "fs-extra.*", "node:fs.createWriteStream", "node:fs.writeFile", "node:fs.writeFileSync", "node:fs/promises.writeFile"},
				Imports: []string{"adm-zip", "unzipper", "unzip", "yauzl", "tar-stream", "jszip", "node-stream-zip", "unzip-stream", "yauzl-promise", "decompress"},
				Arg:     0, When: "qual", Equals: []string{"*.entryName", "*.fileName", "*.path", "*.name"},
				UnlessCalled: []string{"*.startsWith", "path.relative", "node:path.relative"}}},
		{ID: "js-zip-slip-entry-path", Family: "zip-slip", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Archive entry name used as a path", Why: whyZipSlip, References: refZipSlip,
			Match: Match{Names: []string{"fs.createWriteStream", "fs.writeFile", "fs.writeFileSync", "fs.mkdir", "fs.mkdirSync", "fs/promises.writeFile",
				"fs/promises.mkdir", "node:fs.createWriteStream", "node:fs.writeFile", "node:fs.writeFileSync", "node:fs/promises.writeFile",
				"fs-extra.outputFile", "fs-extra.outputFileSync", "fs-extra.writeFile", "fs-extra.writeFileSync", "fs-extra.createWriteStream",
				"fs-extra.ensureDir", "fs-extra.ensureDirSync", "fs-extra.mkdirp", "fs-extra.mkdirs", "mkdirp", "mkdirp.sync",
				"fs.promises.writeFile", "fs.promises.mkdir"},
				Arg: 0, When: "tainted", Sources: []string{"archive entry names (*"},
				UnlessCalled: []string{"*.startsWith", "path.relative", "node:path.relative"}}},
	}
}

// authHeaderValue is a credential in an Authorization header value (a
// JWT's segments are long; process.env.TOKEN's are not).
const authHeaderValue = `^(?i)(basic\s+[a-z0-9+/=]{8,}|(bearer|token|apikey)\s+[a-z0-9_~+/=-]{8,}(\.[a-z0-9_~+/=-]{8,}){0,2})$|^[A-Za-z0-9_-]{20,}$`

// pageOwnURL are the sources that are the page's whole address: a
// redirect built from it stays on this page's origin.
var pageOwnURL = []string{"window.location", "location", "document.location", "self.location", "*location.href", "*location.toString()*",
	"*location.href*", "document.URL", "document.documentURI", "*location.origin", "*location.pathname", "*location.host",
	"*location.hostname", "*location.protocol"}

// redirectNotSources are the sources a client-side redirect may use: the
// page's own address, and what the user typed into the page.
var redirectNotSources = append(append([]string{}, pageOwnURL...), domSources...)

// jqueryHTMLSinks are the jQuery methods that parse a string argument as
// HTML, on $(...) and jQuery(...) chains.
func jqueryHTMLSinks() []string {
	var out []string
	for _, m := range []string{"html", "append", "prepend", "after", "before", "replaceWith", "wrap", "wrapAll", "wrapInner"} {
		out = append(out, "$(*."+m, "jQuery(*."+m)
	}
	return append(out, "$.parseHTML", "jQuery.parseHTML")
}
