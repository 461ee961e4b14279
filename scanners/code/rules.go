package code

import "github.com/shiftward/shiftward/scanners"

// The built-in rules, grouped by vulnerability class. They are written from
// the classes themselves (what makes a call dangerous), not taken from any
// other tool's rule set.

const (
	low      = scanners.SeverityLow
	medium   = scanners.SeverityMedium
	high     = scanners.SeverityHigh
	critical = scanners.SeverityCritical
)

var (
	py   = []string{"python"}
	js   = []string{"javascript", "typescript"}
	gol  = []string{"go"}
	jv   = []string{"java"}
	none = -1
	// receiver as a Match.Arg checks the value a method is called on
	// (path.read_text(): the path), where the language records it.
	receiver = -2
)

// Families and their CWE references.
var (
	refSQLi      = []string{"CWE-89", "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html"}
	refCmdi      = []string{"CWE-78", "https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html"}
	refCode      = []string{"CWE-95", "CWE-94"}
	refPath      = []string{"CWE-22"}
	refSSRF      = []string{"CWE-918", "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html"}
	refXSS       = []string{"CWE-79", "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html"}
	refDeser     = []string{"CWE-502", "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html"}
	refHash      = []string{"CWE-328", "CWE-327"}
	refCipher    = []string{"CWE-327"}
	refTLS       = []string{"CWE-295"}
	refRand      = []string{"CWE-338"}
	refCred      = []string{"CWE-798"}
	refCORS      = []string{"CWE-942"}
	refJWT       = []string{"CWE-347"}
	whySQL       = "{call} builds SQL text from a value that is not a constant, so a quote in that value changes the query (SQL injection). Pass the value as a query parameter instead."
	whyShell     = "{call} runs its argument through a shell, and the command is not a constant: shell metacharacters in it (; | $() `) run other commands. Run the program directly with an argument list."
	whyExec      = "{call} starts a program chosen or argued by a value that is not a constant, so whoever controls it chooses what runs."
	whyEval      = "{call} executes code that is not a constant: whoever controls the text runs code in this process."
	whyPath      = "{call} opens a path built from request input: `../` in it reaches files outside the intended directory. Resolve the path and check it stays under a base directory."
	whySSRF      = "{call} fetches a URL whose host comes from request input, so the server can be made to call internal services (cloud metadata, admin ports). Fix the host and let input choose only a path or a query value, or check it against an allow-list."
	whyXSS       = "{call} puts markup that is not a constant into the page without escaping, so input that reaches it can run script in the user's browser (cross-site scripting)."
	whyDeser     = "{call} deserializes data into arbitrary objects: a crafted payload runs code while loading. Use a data-only format or loader."
	whyHash      = "{call} uses a hash that is broken for security (collisions are practical); for passwords, signatures or integrity use SHA-256 or better (and a password hash such as bcrypt/argon2 for passwords)."
	whyCipher    = "{call} uses a broken or obsolete cipher or mode (DES, RC4, Blowfish, ECB...): data encrypted this way can be recovered or tampered with. Use AES-GCM or ChaCha20-Poly1305."
	whyTLS       = "{call} turns off TLS certificate verification, so anyone on the network path can impersonate the server and read or change the traffic."
	whyRand      = "{call} is a predictable random generator, and its output here makes a token or secret: an attacker who sees a few outputs can predict the next. Use the cryptographic generator."
	whyCred      = "{call} receives a credential written into the source: everyone who can read the repository (and its history) has it. Load it from the environment or a secret store."
	whyCORS      = "{call} allows any origin to make credentialed cross-origin requests, so any website a user visits can read responses meant for them. List the trusted origins."
	whyJWT       = "{call} accepts a JSON Web Token without verifying its signature (or with the 'none' algorithm), so anyone can forge the claims."
	tokenTargets = `(?i)(token|secret|passw|nonce|salt|otp|session_?id|csrf|api_?key|auth_?code|reset|verification|activation|^key$|_key$|[a-z]Key$)`
)

// notHTML are content types a browser does not render as a page: a
// response of one is not reflected XSS.
var notHTML = []string{"text/plain*", "application/json*", "text/csv*", "application/octet-stream*", "application/pdf*", "image/png*", "image/jpeg*",
	"application/zip*"}

// Path checks: a function that resolves a path and checks its prefix
// (or asks whether it is inside a base) keeps what it opens under that
// base, so its path-traversal sites are not findings. The check is looked
// for in the whole function, not on the path's way to the site: coarse,
// in the direction of fewer false alarms.
var (
	pathCheckedPy = []string{"os.path.commonpath", "*.is_relative_to", "*.relative_to",
		"os.path.realpath & *.startswith", "os.path.abspath & *.startswith", "os.path.normpath & *.startswith",
		"werkzeug.security.safe_join", "safe_join", "flask.safe_join", "werkzeug.utils.safe_join"}
	pathCheckedGo = []string{"path/filepath.IsLocal", "path/filepath.Rel", "path/filepath.Clean & strings.HasPrefix",
		"path/filepath.Abs & strings.HasPrefix", "path/filepath.EvalSymlinks & strings.HasPrefix", "path/filepath.Join & strings.HasPrefix"}
	pathCheckedJava = []string{"*.normalize & *.startsWith", "*.getCanonicalPath & *.startsWith",
		"*.getCanonicalFile & *.startsWith", "*.toRealPath & *.startsWith", "*.toAbsolutePath & *.startsWith"}
	pathCheckedJS = []string{"path.relative", "node:path.relative", "path.resolve & *.startsWith", "node:path.resolve & *.startsWith",
		"path.normalize & *.startsWith", "node:path.normalize & *.startsWith", "path.join & *.startsWith", "node:path.join & *.startsWith"}
)

// Builtin returns the built-in rules.
func Builtin() []Rule {
	var rs []Rule
	rs = append(rs, builtStringRules()...)
	rs = append(rs, pythonRules()...)
	rs = append(rs, goRules()...)
	rs = append(rs, jsRules()...)
	rs = append(rs, jsMoreRules()...)
	rs = append(rs, jsDOMRules()...)
	rs = append(rs, javaRules()...)
	rs = append(rs, injectionRules()...)
	rs = append(rs, parserRules()...)
	rs = append(rs, frameworkRules()...)
	rs = append(rs, pythonMoreRules()...)
	rs = append(rs, pythonCryptoRules()...)
	rs = append(rs, weakRandomRules()...)
	rs = append(rs, goMoreRules()...)
	rs = append(rs, javaMoreRules()...)
	return rs
}

// builtStringRules are the rules on strings built from input, the same in
// every language: HTML markup and URLs whose host is chosen by the input.
func builtStringRules() []Rule {
	all := []string{"go", "python", "javascript", "typescript", "java"}
	return []Rule{
		{ID: "html-from-input", Family: "xss", Languages: all, Severity: medium,
			Title:      "HTML built from request input",
			Why:        "{call} builds HTML markup by pasting in request input without escaping: markup or script in the input reaches the page (XSS). Render through an auto-escaping template, or escape the value.",
			References: refXSS,
			Match: Match{Kind: "string", Names: []string{"*"}, Arg: none, When: "tainted", RequestOnly: true,
				Shape: `(?i)<\s*/?\s*[a-z!]`}},
		{ID: "url-host-from-input", Family: "ssrf", Languages: all, Severity: medium,
			Title:      "URL host from request input",
			Why:        "{call} puts request input in the host part of a URL: whoever sends the request chooses which server this code then talks to (SSRF). Keep the host fixed and let input choose only a path or query value, or check it against an allow-list.",
			References: refSSRF,
			Match:      Match{Kind: "string", Names: []string{"*"}, Arg: none, When: "host", RequestOnly: true}},
		{ID: "html-response-body", Family: "xss", Languages: all, Severity: high,
			Title:      "Request input written to the response",
			Why:        "{call} returns markup built from request input as the response body (an API Gateway / Lambda proxy response, a response object): the browser renders it, so script in the input runs in the page (XSS). Escape the value or render through an auto-escaping template.",
			References: refXSS,
			Match: Match{Kind: "pair", Names: []string{"body", "Body"}, Arg: none, When: "tainted", RequestOnly: true,
				Shape: `(?i)<\s*/?\s*[a-z!]`}},
	}
}

func pythonRules() []Rule {
	return []Rule{
		{ID: "py-airflow-bash", Family: "cmdi", Languages: py, Severity: high,
			Title: "Shell command built from a variable", Why: whyShell, References: refCmdi,
			Match: Match{Names: []string{"*BashOperator"}, Arg: none, Keyword: "bash_command", When: "strbuilt"}},
		{ID: "py-paramiko-exec", Family: "cmdi", Languages: py, Severity: medium, TaintRaises: true,
			Title:      "Remote shell command built from a variable",
			Why:        "{call} runs a command line on the remote host through its shell, and the command is not a constant: metacharacters in it run other commands there. Quote each value with shlex.quote.",
			References: refCmdi,
			Match:      Match{Names: []string{"*.exec_command"}, Imports: []string{"paramiko"}, Arg: 0, Keyword: "command", When: "nonconst"}},
		{ID: "py-sqli", Family: "sqli", Languages: py, Severity: medium, TaintSeverity: critical, Fix: "py-param-query",
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.execute", "*.executemany", "*.executescript", "*.mogrify", "*.raw",
				"*RawSQL", "sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "*.read_sql", "*.read_sql_query",
				"*.fetch", "*.fetchrow", "*.fetchval"},
				NotNames: []string{"subprocess.*", "os.*"},
				Arg:      0, Keyword: "sql", When: "injection"}},
		{ID: "py-sqli-orm", Family: "sqli", Languages: py, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.filter", "*.having", "*.group_by", "*.order_by", "*.distinct", "*.run", "*.where",
				"*.from_statement", "*.with_entities"}, NotNames: []string{"subprocess.*", "asyncio.*", "os.*"},
				Arg: 0, When: "strbuilt"}},
		{ID: "py-sqli-extra", Family: "sqli", Languages: py, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.extra"}, Arg: none, AnyArg: true, Keyword: "where", When: "nonconst"}},
		{ID: "py-shell-injection", Family: "cmdi", Languages: py, Severity: high, TaintRaises: true,
			Title: "Shell command built from a variable", Why: whyShell, References: refCmdi,
			Match: Match{Names: []string{"os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "commands.getoutput",
				"commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput",
				"asyncio.create_subprocess_shell", "*.create_subprocess_shell", "popen2.*", "platform.popen"},
				Arg: 0, Keyword: "cmd", When: "nonconst"}},
		{ID: "py-subprocess-shell", Fix: "py-exec-args", Family: "cmdi", Languages: py, Severity: high, TaintRaises: true,
			Title: "Shell command built from a variable", Why: whyShell, References: refCmdi,
			Match: Match{Names: []string{"subprocess.*"}, Arg: 0, Keyword: "args", When: "nonconst",
				Require: map[string][]string{"shell": {"True", "1"}}}},
		{ID: "py-subprocess-exec", Family: "cmdi", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"subprocess.call", "subprocess.run", "subprocess.Popen", "subprocess.check_call",
				"subprocess.check_output", "subprocess.capture_output"}, Arg: 0, Keyword: "args", When: "command",
				Unless: map[string][]string{"shell": {"True", "1"}}}},
		{ID: "py-loop-subprocess-shell", Family: "cmdi", Languages: py, Severity: high, TaintRaises: true,
			Title: "Shell command built from a variable", Why: whyShell, References: refCmdi,
			Match: Match{Names: []string{"*.subprocess_shell"}, Arg: 1, Keyword: "cmd", When: "nonconst"}},
		{ID: "py-loop-subprocess-exec", Family: "cmdi", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"*.subprocess_exec"}, Arg: 1, When: "command"}},
		{ID: "py-os-exec", Family: "cmdi", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			// The program and its arguments, from the path on: a constant
			// program given input as arguments is not injection (unless
			// it is a shell given a script).
			Match: Match{Names: []string{"os.exec*", "os.posix_spawn*", "asyncio.create_subprocess_exec", "*.create_subprocess_exec"},
				Arg: 0, Rest: true, When: "command"}},
		{ID: "py-os-spawn", Family: "cmdi", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			// os.spawnl(mode, path, arg0, ...)
			Match: Match{Names: []string{"os.spawn*"}, Arg: 1, Rest: true, When: "command"}},
		{ID: "py-code-eval", Family: "code-injection", Languages: py, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"eval", "exec", "builtins.eval", "builtins.exec", "compile"}, Arg: 0, When: "nonconst"}},
		{ID: "py-pickle", Family: "deserialization", Languages: py, Severity: high, TaintRaises: true,
			Title: "Unsafe deserialization", Why: whyDeser, References: refDeser,
			Match: Match{Names: []string{"pickle.load", "pickle.loads", "pickle.Unpickler", "cPickle.load", "cPickle.loads",
				"_pickle.load", "_pickle.loads", "dill.load", "dill.loads", "shelve.open", "jsonpickle.decode",
				"jsonpickle.unpickler.decode", "marshal.load", "marshal.loads", "pandas.read_pickle", "*.read_pickle"},
				// pickle.loads(pickle.dumps(x)): bytes this code made.
				Arg: 0, When: "nonconst", Unless: map[string][]string{"#0": {"pickle.dumps()", "cPickle.dumps()", "_pickle.dumps()",
					"dill.dumps()", "cloudpickle.dumps()", "marshal.dumps()"}}}},
		{ID: "py-yaml-load", Family: "deserialization", Languages: py, Severity: high, TaintRaises: true, Fix: "py-yaml-safe",
			Title: "Unsafe YAML load", Why: "{call} without a safe loader builds arbitrary Python objects from the document: a crafted YAML file runs code. Use `yaml.safe_load`.",
			References: refDeser,
			Match: Match{Names: []string{"yaml.load", "yaml.load_all"}, Arg: 0, Keyword: "stream", When: "nonconst",
				Unless: map[string][]string{"Loader": {"*SafeLoader", "*CSafeLoader", "*BaseLoader"}, "#1": {"*SafeLoader", "*CSafeLoader", "*BaseLoader"}}}},
		{ID: "py-yaml-unsafe-loader", Family: "deserialization", Languages: py, Severity: high, Fix: "py-yaml-safe",
			Title: "Unsafe YAML load", Why: "{call} loads YAML with a loader that builds arbitrary Python objects: a crafted document runs code. Use `yaml.safe_load` (or `Loader=yaml.SafeLoader`).",
			References: refDeser,
			Match: Match{Names: []string{"yaml.load", "yaml.load_all"}, Arg: none, Keyword: "Loader", When: "literal",
				Equals: []string{"yaml.Loader", "yaml.UnsafeLoader", "yaml.CLoader", "yaml.FullLoader", "yaml.CUnsafeLoader", "yaml.CFullLoader"}}},
		{ID: "py-yaml-unsafe-load", Family: "deserialization", Languages: py, Severity: high, TaintRaises: true,
			Title: "Unsafe YAML load", Why: whyDeser, References: refDeser,
			Match: Match{Names: []string{"yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all"},
				Arg: none, When: "any",
				Unless: map[string][]string{"Loader": {"*SafeLoader", "*CSafeLoader", "*BaseLoader"}, "#1": {"*SafeLoader", "*CSafeLoader", "*BaseLoader"}}}},
		{ID: "py-ruamel-unsafe", Family: "deserialization", Languages: py, Severity: high,
			Title: "Unsafe YAML load", Why: whyDeser, References: refDeser,
			Match: Match{Names: []string{"ruamel.yaml.YAML", "*.YAML"}, Arg: none, Keyword: "typ", When: "literal", Equals: []string{"unsafe", "base"}}},
		{ID: "py-weak-hash", Family: "weak-crypto", Languages: py, Severity: medium, Fix: "rename:sha256",
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"hashlib.md5", "hashlib.sha1", "hashlib.md4"}, Arg: none, When: "any",
				Unless: map[string][]string{"usedforsecurity": {"False"}}}},
		{ID: "py-weak-hash-new", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"hashlib.new"}, Arg: 0, Keyword: "name", When: "matches", Pattern: `(?i)^(md5|sha1|md4|md2|sha-1)$`,
				Unless: map[string][]string{"usedforsecurity": {"False"}}}},
		{ID: "py-weak-hash-lib", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"Crypto.Hash.MD5.new", "Crypto.Hash.MD4.new", "Crypto.Hash.MD2.new", "Crypto.Hash.SHA.new", "Crypto.Hash.SHA1.new",
				"Cryptodome.Hash.MD5.new", "Cryptodome.Hash.MD4.new", "Cryptodome.Hash.MD2.new", "Cryptodome.Hash.SHA.new", "Cryptodome.Hash.SHA1.new",
				"cryptography.hazmat.primitives.hashes.MD5", "cryptography.hazmat.primitives.hashes.SHA1"},
				Arg: none, When: "any"}},
		{ID: "py-weak-cipher", Family: "weak-crypto", Languages: py, Severity: high,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			Match: Match{Names: []string{"Crypto.Cipher.DES.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.ARC2.new", "Crypto.Cipher.Blowfish.new",
				"Crypto.Cipher.XOR.new", "Cryptodome.Cipher.DES.new", "Cryptodome.Cipher.ARC4.new", "Cryptodome.Cipher.ARC2.new",
				"Cryptodome.Cipher.Blowfish.new", "Cryptodome.Cipher.XOR.new",
				"cryptography.hazmat.primitives.ciphers.algorithms.ARC4", "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
				"cryptography.hazmat.primitives.ciphers.algorithms.IDEA", "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
				"cryptography.hazmat.primitives.ciphers.algorithms.SEED", "cryptography.hazmat.primitives.ciphers.modes.ECB",
				"cryptography.hazmat.decrepit.ciphers.algorithms.*"},
				Arg: none, When: "any"}},
		{ID: "py-tls-verify-off", Family: "tls", Languages: py, Severity: high, Fix: "drop-kwarg:verify",
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"requests.*", "httpx.*", "*.get", "*.post", "*.put", "*.patch", "*.delete", "*.head", "*.request", "*.options", "*.Client", "*.AsyncClient"},
				Arg: none, Keyword: "verify", When: "literal", Equals: []string{"False", "0"}}},
		{ID: "py-tls-cert-reqs", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"*"}, Arg: none, Keyword: "cert_reqs", When: "literal",
				Equals: []string{"ssl.CERT_NONE", "ssl.CERT_OPTIONAL", "NONE", "CERT_NONE", "OPTIONAL", "CERT_OPTIONAL"}}},
		{ID: "py-tls-unverified-context", Family: "tls", Languages: py, Severity: high, Fix: "rename:create_default_context",
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"ssl._create_unverified_context", "ssl._create_stdlib_context"}, Arg: none, When: "any"}},
		{ID: "py-tls-cert-none", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Kind: "assign", Names: []string{"verify_mode", "check_hostname"}, Arg: none, When: "literal", Equals: []string{"ssl.CERT_NONE", "False"}}},
		{ID: "py-ssrf", LocalSeverity: low, Family: "ssrf", Languages: py, Severity: high, TaintRaises: false,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"requests.*", "httpx.*", "urllib.request.urlopen", "urllib.request.Request", "urllib.urlopen",
				"urllib2.urlopen", "urllib2.Request", "urllib.request.urlretrieve", "aiohttp.request", "*.session.get", "*.Session().get"},
				NotNames: []string{"requests.exceptions.*", "requests.codes*"},
				Arg:      0, Keyword: "url", When: "tainted", FixedHost: true}},
		{ID: "py-path-traversal", LocalSeverity: low, Family: "path-traversal", Languages: py, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			Match: Match{Names: []string{"open", "io.open", "codecs.open", "os.open", "builtins.open", "flask.send_file", "send_file",
				"os.remove", "os.unlink", "shutil.rmtree", "os.rmdir", "aiofiles.open"},
				Arg: 0, Keyword: "file", When: "tainted", UnlessCalled: pathCheckedPy}},
		{ID: "py-path-traversal-fs", LocalSeverity: low, Family: "path-traversal", Languages: py, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			// The other calls that read, write, list or move what a path
			// names (each of its path arguments).
			Match: Match{Names: []string{"os.stat", "os.lstat", "os.listdir", "os.scandir", "os.walk", "os.makedirs", "os.mkdir", "os.rename", "os.renames",
				"os.replace", "os.chmod", "os.chown", "os.link", "os.symlink", "os.truncate", "os.utime", "os.removedirs", "os.path.getsize",
				"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.chown", "shutil.make_archive",
				"shutil.unpack_archive", "io.FileIO", "fileinput.input", "linecache.getline", "linecache.getlines", "gzip.open", "bz2.open",
				"lzma.open", "tarfile.open", "zipfile.ZipFile", "glob.glob", "glob.iglob", "werkzeug.utils.send_file", "flask.helpers.send_file",
				"aiofiles.os.*", "django.http.FileResponse"},
				Arg: none, AnyArg: true, When: "tainted", RequestOnly: true, UnlessCalled: pathCheckedPy}},
		{ID: "py-path-traversal-pathlib", LocalSeverity: low, Family: "path-traversal", Languages: py, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			// Path(base) / name, Path(base, name): the file methods of a
			// path built from input.
			Match: Match{Names: []string{"*.read_text", "*.read_bytes", "*.write_text", "*.write_bytes", "*.unlink", "*.rmdir", "*.iterdir",
				"*.rename", "*.replace", "*.symlink_to", "*.hardlink_to", "*.chmod", "*.touch"},
				Arg: receiver, When: "tainted", RequestOnly: true, UnlessCalled: pathCheckedPy}},
		{ID: "py-xss-markup", Family: "xss", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe", "mark_safe", "*Markup.unescape",
				"django.utils.html.format_html"}, Arg: 0, When: "nonconst"}},
		{ID: "py-flask-view-returns-input", Family: "xss", Languages: py, Severity: high,
			Title: "Request input reflected into HTML", References: refXSS,
			Why: "This Flask view returns a body holding request input ({source}) as it came: Flask sends a returned string as text/html, " +
				"so markup or script in the input runs in the user's browser (reflected XSS). Escape it (markupsafe.escape), render a template, " +
				"or return JSON (jsonify).",
			// What a view returns, written as input or built from it; a
			// call's result (jsonify, redirect, make_response) is judged
			// by that call's own rules.
			Match: Match{Names: []string{pyViewReturn}, Arg: 0, When: "source", Equals: []string{"*"}, RequestOnly: true}},
		{ID: "py-xss-response", Family: "xss", Languages: py, Severity: high,
			Title: "Request input reflected into HTML", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"django.http.HttpResponse", "django.http.HttpResponseBadRequest", "HttpResponse", "HttpResponseBadRequest",
				"flask.make_response", "make_response", "flask.Response", "Response", "django.http.HttpResponseNotFound", "django.http.HttpResponseForbidden",
				"django.http.HttpResponseServerError", "django.http.HttpResponseGone", "django.http.response.HttpResponse", "django.http.response.HttpResponseNotFound",
				"django.http.response.HttpResponseBadRequest", "django.http.response.HttpResponseForbidden", "starlette.responses.HTMLResponse",
				"fastapi.responses.HTMLResponse"}, Arg: 0, Keyword: "content", When: "tainted",
				Unless: map[string][]string{"content_type": notHTML, "mimetype": notHTML, "#1": notHTML}}},
		{ID: "py-jwt-no-verify", Family: "jwt", Languages: py, Severity: high,
			Title: "JWT accepted without verification", Why: whyJWT, References: refJWT,
			Match: Match{Kind: "pair", Names: []string{"verify_signature"}, Arg: none, When: "literal", Equals: []string{"False"}}},
		{ID: "py-jwt-no-verify-kw", Family: "jwt", Languages: py, Severity: high, Fix: "drop-kwarg:verify",
			Title: "JWT accepted without verification", Why: whyJWT, References: refJWT,
			Match: Match{Names: []string{"jwt.decode"}, Arg: none, Keyword: "verify", When: "literal", Equals: []string{"False"}}},
		{ID: "py-jwt-none-alg", Family: "jwt", Languages: py, Severity: high,
			Title: "JWT with the 'none' algorithm", Why: whyJWT, References: refJWT,
			Match: Match{Names: []string{"jwt.encode", "jwt.decode"}, Arg: none, Keyword: "algorithm", When: "literal", Equals: []string{"none"}}},
		{ID: "py-jwt-none-algs", Family: "jwt", Languages: py, Severity: high,
			Title: "JWT with the 'none' algorithm", Why: whyJWT, References: refJWT,
			Match: Match{Names: []string{"jwt.decode"}, Arg: none, Keyword: "algorithms", When: "contains", Equals: []string{"none"}}},
		{ID: "py-jwt-hardcoded-key", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"jwt.encode", "jwt.decode"}, Arg: 1, Keyword: "key", When: "matches", Pattern: `.`}},
		{ID: "py-hardcoded-cloud-key", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"boto3.*", "*.client", "*.resource", "*.Session"}, Arg: none, Keyword: "aws_secret_access_key", When: "matches", Pattern: `^[^\s]{8,}$`}},
		{ID: "py-hardcoded-cloud-token", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"boto3.*", "*.client", "*.resource", "*.Session"}, Arg: none, Keyword: "aws_session_token", When: "matches", Pattern: `^[^\s]{8,}$`}},
		{ID: "py-cors-any", Family: "cors", Languages: py, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.add_middleware", "flask_cors.CORS", "CORS", "*CORSMiddleware"}, Arg: none, Keyword: "allow_origins", When: "contains", Equals: []string{"*"}}},
		{ID: "py-cors-any-origins", Family: "cors", Languages: py, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"flask_cors.CORS", "flask_cors.cross_origin"}, Arg: none, Keyword: "origins", When: "contains", Equals: []string{"*"}}},
		{ID: "py-weak-random", Fix: "py-sysrandom", Family: "weak-random", Languages: py, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRand, References: refRand,
			Match: Match{Names: []string{"random.random", "random.randint", "random.randrange", "random.choice", "random.choices",
				"random.getrandbits", "random.sample", "random.uniform"}, Arg: none, When: "any", Target: tokenTargets}},
	}
}
