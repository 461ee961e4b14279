package code

// The rules on framework configuration: what a web framework is told to do
// (or not to do) about debugging, hosts, CSRF, escaping, cookies, session
// keys and binding request bodies to models. Each fires on an explicit
// setting or call; a framework's safe default never does.

var (
	refDebug    = []string{"CWE-489", "CWE-215"}
	refHosts    = []string{"CWE-20", "https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts"}
	refCSRF     = []string{"CWE-352", "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html"}
	refEscape   = []string{"CWE-79", "CWE-116"}
	refCookie   = []string{"CWE-614", "CWE-1004"}
	refMass     = []string{"CWE-915", "https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html"}
	whyDebug    = "{call} turns on the framework's debug mode: error pages show source, settings and stack frames to anyone, and Werkzeug's interactive debugger runs any Python code typed into the page. Keep debug off outside local development (read it from the environment)."
	whyCSRF     = "{call} turns off cross-site request forgery protection: any website a signed-in user visits can submit requests that act as that user. Keep the protection on (exempt only endpoints authenticated otherwise, such as signed webhooks)."
	whyEscape   = "{call} renders templates without HTML autoescaping, so every value put into a page is raw markup: input that reaches one runs script in the user's browser (XSS). Turn autoescaping on (Jinja2: `autoescape=select_autoescape()`)."
	whyCookie   = "{call} sets a cookie without the Secure or HttpOnly flag: without Secure it is also sent over plain HTTP, where anyone on the network reads it; without HttpOnly any script on the page (an XSS) can steal it. Session and token cookies need both."
	whySecret   = "{call} sets the key that signs sessions or cookies to a value written in the source: whoever reads the repository can forge sessions (sign in as anyone) or, with pickle-based sessions, run code. Load it from the environment or a secret store."
	whyMass     = "{call} copies a request body into a model whole: a client that adds fields the form never showed (is_admin, role, owner) sets them too (mass assignment). Copy only the fields the request may change, or bind through a schema that lists them."
	whyMassForm = "{call} binds every field of the model to the form or serializer, so a request can set fields it should not (is_admin, owner), including ones added to the model later. List the editable fields explicitly."

	// djangoSettings are Django's settings modules; devSettings those
	// meant for development or tests, where DEBUG and friends belong.
	djangoSettings = []string{"settings.py", "*/settings.py", "*settings/*.py"}
	devSettings    = []string{"*local*settings*.py", "*settings*local*.py", "*dev*settings*.py", "*settings*dev*.py",
		"*test*settings*.py", "*settings*test*.py", "*ci_settings*.py", "*settings*ci.py"}
	testPaths = []string{"*test*", "*/fixtures/*", "*example*"}

	// sessionCookie names the cookies that carry a session or credential.
	sessionCookie = `(?i)(sess|token|auth($|[^o])|jwt|(^|[^a-z])sid|login|remember|access_?tok|refresh|credential|api_?key)`
	// sessionCookieHTTP is sessionCookie without plain "token": a CSRF
	// token cookie is meant to be read by the page's script.
	sessionCookieHTTP = `(?i)(sess|auth($|[^o])|jwt|(^|[^a-z])sid|login|remember|access_?tok|refresh|credential|api_?key)`
	// handlesPost matches the source of a view that handles a state-changing
	// request: it reads a body or form, tests the method, or is limited to
	// POST by a decorator.
	handlesPost = `(?i)(\bPOST\b|\bPUT\b|\bPATCH\b|\bDELETE\b|\.body\b|\.data\b|\.FILES\b|\.method\b|def\s+(post|put|patch|delete)\b|\.save\(|\.create\(|\.delete\(|\.update\(|json\.loads)`
	// requestBody are the qualified names of a whole request body.
	requestBody = []string{"req.body", "ctx.request.body", "request.body", "req.fields", "ctx.req.body"}
	// classCallee matches the name of a class called to build an object.
	classCallee = `(^|\.)[A-Z][A-Za-z0-9_]*$`
	// notModels are classes a request body passes through that keep no
	// fields of their own.
	notModels = []string{"Object", "String", "Number", "Boolean", "Array", "Set", "Map", "Date", "Error", "*Error", "Promise", "Buffer",
		"URLSearchParams", "URL", "JSON", "Response", "Request", "Headers", "Blob", "FormData", "Proxy", "WeakMap",
		"*Exception", "*Response", "*Schema", "Joi*", "*Validator", "*Dto", "*DTO", "Markup", "*Encoder", "*Decoder", "Counter", "OrderedDict"}
)

func init() {
	// The fixes of the families only these rules have (see explain.go).
	for fam, fix := range map[string]string{
		"debug":           "Turn debug mode off in anything deployed: read the setting from the environment (default off) and never ship Werkzeug's debugger.",
		"allowed-hosts":   "List the host names the site is served under in ALLOWED_HOSTS instead of '*'.",
		"csrf":            "Keep CSRF protection on; exempt only endpoints that authenticate each request some other way (a signed webhook, a bearer token never sent automatically by the browser).",
		"autoescape":      "Turn HTML autoescaping on (Jinja2 `autoescape=select_autoescape()`, Handlebars and Nunjucks defaults) and mark only trusted, constant markup as safe.",
		"cookie":          "Set Secure and HttpOnly (and SameSite) on session and token cookies; leave the framework's secure defaults in place.",
		"mass-assignment": "Copy only the fields a request may change (or bind through a schema or form listing them); never pass a request body whole to a model.",
	} {
		if _, ok := familyFixes[fam]; !ok {
			familyFixes[fam] = fix
		}
	}
}

// frameworkRules are the rules on framework configuration: debug modes, allowed hosts, CSRF, template autoescaping, cookies, session secrets, mass assignment.
func frameworkRules() []Rule {
	var rs []Rule
	rs = append(rs, debugRules()...)
	rs = append(rs, csrfRules()...)
	rs = append(rs, escapeRules()...)
	rs = append(rs, cookieRules()...)
	rs = append(rs, sessionSecretRules()...)
	rs = append(rs, massAssignmentRules()...)
	return rs
}

func debugRules() []Rule {
	truth := []string{"True", "1"}
	return []Rule{
		{ID: "py-flask-debug-run", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"*.run", "*.run_server"}, NotNames: []string{"subprocess.*", "asyncio.*", "trio.*", "anyio.*", "*.loop.run"},
				Arg: none, Keyword: "debug", When: "literal", Equals: truth}},
		{ID: "py-werkzeug-debugger", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"werkzeug.serving.run_simple", "werkzeug.run_simple", "*.run_simple", "run_simple"},
				Arg: 4, Keyword: "use_debugger", When: "literal", Equals: truth}},
		{ID: "py-werkzeug-debugged-app", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"},
				Arg: 1, Keyword: "evalex", When: "literal", Equals: truth}},
		{ID: "py-flask-debug-attr", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Kind: "assign", Names: []string{"debug"}, In: []string{"*app", "*application"}, Imports: []string{"flask"},
				Arg: none, When: "literal", Equals: truth}},
		{ID: "py-flask-debug-config", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Kind: "assign", Names: []string{"DEBUG"}, In: []string{"*config"}, Arg: none, When: "literal", Equals: truth,
				NotPaths: testPaths}},
		{ID: "py-flask-debug-config-update", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"*.config.update", "*.config.from_mapping"}, Arg: none, Keyword: "DEBUG", When: "literal", Equals: truth,
				NotPaths: testPaths}},
		{ID: "py-django-debug", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Kind: "assign", Names: []string{"DEBUG"}, In: []string{""}, Arg: none, When: "literal", Equals: truth,
				Paths: djangoSettings, NotPaths: devSettings}},
		{ID: "go-gin-debug-mode", Family: "debug", Languages: gol, Severity: low,
			Title:      "Debug mode enabled",
			Why:        "{call} puts Gin in debug mode, which logs every route and request detail and warns it is not for production. Use gin.ReleaseMode (or the GIN_MODE environment variable) in anything deployed.",
			References: refDebug,
			Match: Match{Names: []string{"github.com/gin-gonic/gin.SetMode"}, Arg: 0, When: "literal",
				Equals: []string{"github.com/gin-gonic/gin.DebugMode", "debug"}}},
		{ID: "go-echo-debug", Family: "debug", Languages: gol, Severity: low,
			Title:      "Debug mode enabled",
			Why:        "{call} puts Echo in debug mode, whose error responses carry internal error messages to the client. Leave it off in anything deployed.",
			References: refDebug,
			Match: Match{Kind: "assign", Names: []string{"Debug"}, Imports: []string{"github.com/labstack/echo/v4", "github.com/labstack/echo"},
				Arg: none, When: "literal", Equals: []string{"true"}}},
		{ID: "go-pprof-exposed", Family: "debug", Languages: gol, Severity: low,
			Title:      "Profiling endpoints registered",
			Why:        "{call} registers the /debug/pprof/ handlers on http.DefaultServeMux as a side effect: a server on that mux then gives anyone heap dumps, goroutine stacks and command lines, and lets them run CPU-heavy profiles. Serve pprof on a separate, internal-only listener.",
			References: refDebug,
			Match:      Match{Kind: "import", Names: []string{"net/http/pprof"}, Arg: none, When: "any"}},
		{ID: "py-django-allowed-hosts-any", Family: "allowed-hosts", Languages: py, Severity: medium,
			Title:      "Any Host header accepted",
			Why:        "{call} lets Django answer requests for any Host header: links it builds (password reset mails, absolute URLs) can be made to point at an attacker's host, and cache poisoning gets easier. List the site's host names.",
			References: refHosts,
			Match: Match{Kind: "assign", Names: []string{"ALLOWED_HOSTS"}, In: []string{""}, Arg: none, When: "contains", Equals: []string{"*"},
				Paths: djangoSettings, NotPaths: devSettings}},
	}
}

func csrfRules() []Rule {
	return []Rule{
		{ID: "py-django-csrf-exempt", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"@django.views.decorators.csrf.csrf_exempt", "@csrf_exempt", "@*csrf*.exempt"}, Arg: none, When: "any", Body: handlesPost}},
		{ID: "py-django-csrf-exempt-call", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"django.views.decorators.csrf.csrf_exempt", "csrf_exempt"}, Arg: 0, When: "any"}},
		{ID: "py-django-csrf-exempt-method", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"django.utils.decorators.method_decorator", "*method_decorator"}, Arg: 0, When: "qual",
				Equals: []string{"*csrf_exempt"}}},
		{ID: "py-django-csrf-cookie-insecure", Family: "csrf", Languages: py, Severity: low,
			Title:      "CSRF cookie sent without Secure",
			Why:        "{call} lets the CSRF cookie travel over plain HTTP, where anyone on the network can read it and use it to forge requests. Set it to True in production.",
			References: []string{"CWE-614", "https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure"},
			Match: Match{Kind: "assign", Names: []string{"CSRF_COOKIE_SECURE"}, In: []string{""}, Arg: none, When: "literal", Equals: []string{"False"},
				Paths: djangoSettings, NotPaths: devSettings}},
		{ID: "py-flask-wtf-csrf-disabled", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Kind: "assign", Names: []string{"WTF_CSRF_ENABLED"}, In: []string{"", "*config"}, Arg: none, When: "literal",
				Equals: []string{"False", "0"}, NotPaths: testPaths}},
		{ID: "py-flask-wtf-csrf-disabled-update", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"*.config.update", "*.config.from_mapping"}, Arg: none, Keyword: "WTF_CSRF_ENABLED", When: "literal",
				Equals: []string{"False", "0"}, NotPaths: testPaths}},
		{ID: "py-flask-wtf-form-csrf-off", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Kind: "assign", Names: []string{"csrf"}, In: []string{"*Form*.Meta*"}, Arg: none, When: "literal", Equals: []string{"False"},
				NotPaths: testPaths}},
		{ID: "py-flask-wtf-form-csrf-off-meta", Family: "csrf", Languages: py, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Kind: "pair", Names: []string{"csrf"}, In: []string{"*Form"}, Arg: none, When: "literal", Equals: []string{"False"},
				NotPaths: testPaths}},
		{ID: "java-spring-csrf-disabled", Family: "csrf", Languages: jv, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"*.csrf().disable"}, Arg: none, When: "any"}},
		{ID: "java-spring-csrf-disabled-lambda", Family: "csrf", Languages: jv, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"*.disable"}, In: []string{"*.csrf", "csrf"}, Arg: none, When: "any"}},
		{ID: "java-spring-csrf-disabled-ref", Family: "csrf", Languages: jv, Severity: medium,
			Title: "CSRF protection disabled", Why: whyCSRF, References: refCSRF,
			Match: Match{Names: []string{"*.csrf", "csrf"}, Arg: 0, When: "qual", Equals: []string{"*::disable"}}},
	}
}

func escapeRules() []Rule {
	jinjaEnv := []string{"jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment",
		"jinja2.nativetypes.NativeEnvironment"}
	return []Rule{
		{ID: "py-jinja2-autoescape-default", Family: "autoescape", Languages: py, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape + " Jinja2's Environment does not autoescape unless told to.", References: refEscape,
			Match: Match{Names: append([]string{"jinja2.Template", "jinja2.environment.Template"}, jinjaEnv...), Arg: none, Keyword: "autoescape",
				When: "absent", Unless: map[string][]string{"**": {"*"}}}},
		{ID: "py-jinja2-autoescape-off", Family: "autoescape", Languages: py, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape, References: refEscape,
			Match: Match{Names: append([]string{"jinja2.Template", "jinja2.environment.Template"}, jinjaEnv...), Arg: none, Keyword: "autoescape",
				When: "literal", Equals: []string{"False", "0", "None"}}},
		{ID: "py-autoescape-off-setting", Family: "autoescape", Languages: py, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape, References: refEscape,
			Match: Match{Kind: "pair", Names: []string{"autoescape"}, Arg: none, When: "literal", Equals: []string{"False"}}},
		{ID: "py-autoescape-off-attr", Family: "autoescape", Languages: py, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape, References: refEscape,
			Match: Match{Kind: "assign", Names: []string{"autoescape"}, In: []string{"*jinja_env", "*env", "*environment"}, Arg: none,
				When: "literal", Equals: []string{"False"}}},
		{ID: "py-jinja2-template-input", Family: "code-injection", Languages: py, Severity: high,
			Title:      "Template compiled from request input",
			Why:        "{call} compiles a template from request input: template syntax in it ({{ ... }}) runs in the server (server-side template injection), and without autoescaping its markup reaches the page. Render a fixed template and pass the input as a variable.",
			References: []string{"CWE-1336", "CWE-94"},
			Match: Match{Names: []string{"jinja2.Template", "jinja2.environment.Template", "flask.render_template_string", "flask.templating.render_template_string",
				"django.template.Template", "django.template.base.Template", "mako.template.Template"}, Arg: 0, Keyword: "source", When: "tainted", RequestOnly: true}},
		{ID: "py-jinja2-from-string-input", Family: "code-injection", Languages: py, Severity: high,
			Title:      "Template compiled from request input",
			Why:        "{call} compiles a template from request input: template syntax in it ({{ ... }}) runs in the server (server-side template injection). Render a fixed template and pass the input as a variable.",
			References: []string{"CWE-1336", "CWE-94"},
			Match: Match{Names: []string{"*.from_string"}, Imports: []string{"jinja2", "flask", "django.template", "django.template.engine"}, Arg: 0,
				Keyword: "source", When: "tainted", RequestOnly: true}},
		{ID: "py-django-safestring", Family: "xss", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"django.utils.safestring.SafeString", "django.utils.safestring.SafeText", "django.utils.safestring.SafeData",
				"SafeString", "SafeText"}, Arg: 0, When: "nonconst"}},
		{ID: "js-handlebars-noescape", Family: "autoescape", Languages: js, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape, References: refEscape,
			Match: Match{Kind: "pair", Names: []string{"noEscape"}, In: []string{"handlebars*", "*.compile", "*.precompile", "express-handlebars*", "*.engine"},
				Arg: none, When: "literal", Equals: []string{"true"}}},
		{ID: "js-nunjucks-autoescape-off", Family: "autoescape", Languages: js, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape, References: refEscape,
			Match: Match{Kind: "pair", Names: []string{"autoescape"}, In: []string{"nunjucks*", "*.configure", "*Environment"},
				Arg: none, When: "literal", Equals: []string{"false"}}},
		{ID: "js-mustache-escape-off", Family: "autoescape", Languages: js, Severity: medium,
			Title: "Template autoescaping off", Why: whyEscape, References: refEscape,
			Match: Match{Kind: "assign", Names: []string{"escape"}, In: []string{"mustache", "*.Mustache", "Mustache", "hogan*"}, Arg: none, When: "any"}},
		{ID: "js-handlebars-safestring", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title:      "Unescaped HTML from a variable",
			Why:        "{call} marks a value that is not a constant as safe markup, so the template prints it unescaped: input that reaches it runs script in the page.",
			References: refXSS,
			Match:      Match{Names: []string{"handlebars.SafeString", "*.SafeString", "hbs.handlebars.SafeString"}, Arg: 0, When: "nonconst"}},
	}
}

func cookieRules() []Rule {
	setCookie := []string{"*.set_cookie", "*.set_signed_cookie"}
	cookieOpts := []string{"*.cookie", "*.cookies.set", "express-session", "cookie-session", "koa-session", "*.setCookie"}
	javaCookie := []string{"javax.servlet.http.Cookie", "jakarta.servlet.http.Cookie", "javax.servlet.http", "jakarta.servlet.http"}
	return []Rule{
		{ID: "py-cookie-secure-off", Family: "cookie", Languages: py, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: setCookie, Arg: none, Keyword: "secure", When: "literal", Equals: []string{"False"}}},
		{ID: "py-cookie-httponly-off", Family: "cookie", Languages: py, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: setCookie, Arg: none, Keyword: "httponly", When: "literal", Equals: []string{"False"}}},
		{ID: "py-session-cookie-no-secure", Family: "cookie", Languages: py, Severity: low,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: setCookie, Arg: 0, Keyword: "key", When: "matches", Pattern: sessionCookie,
				Unless: map[string][]string{"secure": {"*"}, "#6": {"*"}, "**": {"*"}}}},
		{ID: "py-session-cookie-no-httponly", Family: "cookie", Languages: py, Severity: low,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: setCookie, Arg: 0, Keyword: "key", When: "matches", Pattern: sessionCookieHTTP,
				Unless: map[string][]string{"httponly": {"*"}, "#7": {"*"}, "**": {"*"}}}},
		{ID: "py-django-session-cookie-insecure", Family: "cookie", Languages: py, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "assign", Names: []string{"SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY"}, In: []string{""}, Arg: none,
				When: "literal", Equals: []string{"False"}, Paths: djangoSettings, NotPaths: devSettings}},
		{ID: "py-flask-session-cookie-insecure", Family: "cookie", Languages: py, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "assign", Names: []string{"SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY"},
				In: []string{"*config"}, Arg: none, When: "literal", Equals: []string{"False"}, NotPaths: testPaths}},
		{ID: "js-cookie-secure-off", Family: "cookie", Languages: js, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "pair", Names: []string{"secure"}, In: cookieOpts, Arg: none, When: "literal", Equals: []string{"false"}}},
		{ID: "js-session-cookie-secure-off-options", Family: "cookie", Languages: js, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "pair", Names: []string{"secure", "httpOnly"}, In: []string{""}, Target: `(?i)(sess|cookie)`, Arg: none,
				When: "literal", Equals: []string{"false"}}},
		{ID: "js-cookie-httponly-off", Family: "cookie", Languages: js, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "pair", Names: []string{"httpOnly", "httponly"}, In: cookieOpts, Arg: none, When: "literal", Equals: []string{"false"}}},
		{ID: "java-cookie-insecure", Family: "cookie", Languages: jv, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: []string{"*.setSecure", "*.setHttpOnly"}, Imports: javaCookie, Arg: 0, When: "literal", Equals: []string{"false"}}},
		{ID: "java-response-cookie-insecure", Family: "cookie", Languages: jv, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: []string{"*ResponseCookie.from*.secure", "*ResponseCookie.from*.httpOnly"}, Arg: 0, When: "literal", Equals: []string{"false"}}},
		{ID: "go-cookie-secure-off", Family: "cookie", Languages: gol, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "pair", Names: []string{"Secure"}, In: []string{"net/http.Cookie", "*sessions.Options"}, Arg: none,
				When: "literal", Equals: []string{"false"}}},
		{ID: "go-cookie-secure-off-set", Family: "cookie", Languages: gol, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "assign", Names: []string{"Secure"}, In: []string{"*ookie*", "*Options", "*options"}, Arg: none,
				When: "literal", Equals: []string{"false"}}},
		{ID: "go-cookie-httponly-off", Family: "cookie", Languages: gol, Severity: low,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "pair", Names: []string{"HttpOnly"}, In: []string{"net/http.Cookie", "*sessions.Options"}, Arg: none,
				When: "literal", Equals: []string{"false"}}},
	}
}

// sessionSecretRules extend the hard-coded credential family (rules.go and
// the language files cover JWT and cloud keys) to the keys frameworks sign
// sessions and cookies with. The finding names the setting, never the
// literal (see Scanner.finding's redaction).
func sessionSecretRules() []Rule {
	key := `^.{6,}$`
	return []Rule{
		{ID: "py-flask-hardcoded-secret-key", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Kind: "assign", Names: []string{"secret_key"}, In: []string{"*app", "*application"}, Arg: none, When: "matches", Pattern: key,
				NotPaths: testPaths}},
		{ID: "py-flask-hardcoded-secret-config", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Kind: "assign", Names: []string{"SECRET_KEY", "JWT_SECRET_KEY"}, In: []string{"*config"}, Arg: none, When: "matches", Pattern: key,
				NotPaths: testPaths}},
		{ID: "py-flask-hardcoded-secret-update", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Names: []string{"*.config.update", "*.config.from_mapping"}, Arg: none, Keyword: "SECRET_KEY", When: "matches", Pattern: key,
				NotPaths: testPaths}},
		{ID: "py-hardcoded-secret-key-setting", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Kind: "assign", Names: []string{"SECRET_KEY"}, In: []string{"", "*Config*", "*Settings*"}, Arg: none, When: "matches", Pattern: key,
				NotPaths: append([]string{"*local*settings*.py", "*settings*local*.py"}, testPaths...)}},
		{ID: "py-secret-key-env-fallback", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title:      "Hard-coded session secret",
			Why:        whySecret + " A default given to the environment lookup is the key wherever the variable is not set.",
			References: refCred,
			Match: Match{Names: []string{"os.environ.get", "os.getenv", "environ.get", "*.env.str", "*.config"},
				Require: map[string][]string{"#0": {"SECRET_KEY", "DJANGO_SECRET_KEY", "FLASK_SECRET_KEY", "APP_SECRET_KEY", "SESSION_SECRET", "SESSION_SECRET_KEY"}},
				Arg:     1, Keyword: "default", When: "matches", Pattern: key, NotPaths: testPaths}},
		{ID: "js-session-hardcoded-secret", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"secret"}, In: []string{"express-session", "cookie-session", "koa-session", "*.session", "@fastify/session", "@fastify/secure-session"},
				Arg: none, When: "matches", Pattern: key}},
		{ID: "js-session-hardcoded-secret-options", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"secret"}, In: []string{""}, Target: `(?i)sess`, Arg: none, When: "matches", Pattern: key}},
		{ID: "js-cookie-parser-secret", Family: "hardcoded-credential", Languages: js, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Names: []string{"cookie-parser"}, Arg: 0, When: "matches", Pattern: key}},
		{ID: "go-session-hardcoded-key", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Names: []string{"github.com/gorilla/sessions.NewCookieStore", "github.com/gorilla/securecookie.New",
				"github.com/gin-contrib/sessions/cookie.NewStore", "github.com/gofiber/fiber/v2/middleware/encryptcookie.New"},
				Arg: 0, When: "matches", Pattern: key}},
		{ID: "go-session-hardcoded-key-fs", Family: "hardcoded-credential", Languages: gol, Severity: high,
			Title: "Hard-coded session secret", Why: whySecret, References: refCred,
			Match: Match{Names: []string{"github.com/gorilla/sessions.NewFilesystemStore"}, Arg: 1, When: "matches", Pattern: key}},
	}
}

func massAssignmentRules() []Rule {
	jsWrites := []string{"*.create", "*.build", "*.insertMany", "*.insertOne", "*.bulkCreate", "*.update", "*.updateOne", "*.updateMany",
		"*.findByIdAndUpdate", "*.findOneAndUpdate", "*.replaceOne", "*.findOrCreate", "*.upsert", "*.insert", "*.save", "*.merge", "*.patch",
		"*.patchAndFetch", "*.updateAndFetch", "*.insertAndFetch"}
	notJSWrites := []string{"*ash*", "*mac*", "*Hash*", "*Hmac*", "*ipher*", "*crypto*", "*sign*", "*Sign*", "*erify*", "*digest*",
		"Object.create", "*.cache.*", "*ache.*", "res.*", "*.res.*", "console.*", "JSON.*", "axios*", "got*", "superagent*", "request.*",
		"requests.*", "http.*", "https.*", "*.http.*", "*Client.*", "*client.*", "*.emit", "*.publish", "*.send*"}
	return []Rule{
		{ID: "py-django-modelform-all-fields", Family: "mass-assignment", Languages: py, Severity: medium,
			Title: "Every model field bound from the request", Why: whyMassForm, References: refMass,
			Match: Match{Kind: "assign", Names: []string{"fields"}, In: []string{"*Form*.Meta*", "*Serializer*.Meta*"}, Arg: none,
				When: "literal", Equals: []string{"__all__"}}},
		{ID: "py-django-modelform-exclude", Family: "mass-assignment", Languages: py, Severity: low,
			Title:      "Model fields bound by a deny-list",
			Why:        "{call} binds every model field but those excluded, so a field added to the model later (is_admin, owner) becomes settable from the request without anyone noticing. List the editable fields with `fields` instead.",
			References: refMass,
			Match:      Match{Kind: "assign", Names: []string{"exclude"}, In: []string{"*ModelForm*.Meta*", "*ModelSerializer*.Meta*"}, Arg: none, When: "any"}},
		{ID: "py-mass-assignment", Family: "mass-assignment", Languages: py, Severity: medium,
			Title: "Request body bound to a model", Why: whyMass, References: refMass,
			Match: Match{Names: []string{"*"}, NotNames: notModels, Callee: `((^|\.)[A-Z][A-Za-z0-9_]*|\.(create|get_or_create|update|update_or_create|create_user|create_superuser|insert|add_record))$`,
				Arg: none, Keyword: "**", When: "tainted", RequestOnly: true}},
		{ID: "py-mass-assignment-dict", Family: "mass-assignment", Languages: py, Severity: medium,
			Title: "Request body bound to a model", Why: whyMass, References: refMass,
			Match: Match{Names: []string{"*.__dict__.update"}, Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "py-mass-assignment-setattr", Family: "mass-assignment", Languages: py, Severity: medium,
			Title:      "Request body bound to a model",
			Why:        "{call} sets an attribute named by request input: a client that sends fields the form never showed (is_admin, role, owner) sets them too (mass assignment). Set only attributes from a fixed list.",
			References: refMass,
			Match:      Match{Names: []string{"setattr", "builtins.setattr"}, Arg: 1, When: "tainted", RequestOnly: true}},
		{ID: "js-mass-assignment", Family: "mass-assignment", Languages: js, Severity: medium,
			Title: "Request body bound to a model", Why: whyMass, References: refMass,
			Match: Match{Names: jsWrites, NotNames: notJSWrites, Arg: none, AnyArg: true, When: "source", Equals: requestBody}},
		{ID: "js-mass-assignment-new", Family: "mass-assignment", Languages: js, Severity: medium,
			Title: "Request body bound to a model", Why: whyMass, References: refMass,
			Match: Match{Names: []string{"*"}, NotNames: notModels, Callee: classCallee, Arg: 0, When: "source", Equals: requestBody}},
		{ID: "js-mass-assignment-merge", Family: "mass-assignment", Languages: js, Severity: medium,
			Title: "Request body bound to a model", Why: whyMass, References: refMass,
			Match: Match{Names: []string{"Object.assign", "lodash.assign", "lodash.merge", "lodash.extend", "lodash.assignIn", "_.assign", "_.merge", "_.extend"},
				Require: map[string][]string{"#0": {"*"}}, Arg: 1, When: "source", Equals: requestBody}},
	}
}
