package code

// pythonMoreRules are Python rules on template engines compiled from input
// (server-side template injection beyond Jinja2), SSH host keys accepted
// unchecked, credentials written into the calls of well-known client
// libraries, and XPath engines besides lxml.
func pythonMoreRules() []Rule {
	const (
		whySSTI = "{call} compiles a template from request input: template syntax in it runs in the server (server-side template injection), " +
			"which in most engines reaches arbitrary Python. Render a fixed template and pass the input as a variable."
		whyHostKey = "{call} accepts any SSH host key (or only warns about an unknown one), so anyone on the network path can impersonate the server " +
			"and read or change the session, credentials included. Load the known hosts (load_system_host_keys) and keep RejectPolicy."
	)
	ssti := []string{"CWE-1336", "CWE-94"}
	// Engines whose template source is the first positional argument.
	engines := []string{"airspeed.Template", "airspeed.api.Template", "trender.TRender", "tornado.template.Template",
		"pystache.render", "chameleon.PageTemplate", "chameleon.PageTextTemplate",
		"chameleon.zpt.template.PageTemplate", "chameleon.zpt.template.PageTextTemplate", "genshi.template.MarkupTemplate",
		"genshi.template.TextTemplate", "genshi.template.NewTextTemplate", "genshi.template.markup.MarkupTemplate",
		"genshi.template.text.NewTextTemplate", "Cheetah.Template.Template", "bottle.template", "bottle.SimpleTemplate",
		"web.template.Template", "chevron.render", "chevron.renderer.render"}
	hostKeyPolicies := []string{"paramiko*.AutoAddPolicy", "paramiko*.AutoAddPolicy()", "paramiko*.WarningPolicy", "paramiko*.WarningPolicy()"}
	// Client libraries that take a password: database drivers, SSH/SFTP,
	// LDAP, Redis, MongoDB, mail and FTP logins, HTTP basic auth.
	credCalls := []string{"*.connect", "*.connect_async", "*.create_pool", "*.Connection", "*.SSHClient", "*.Transport", "*.MongoClient",
		"*.Redis", "*.StrictRedis", "*.Redis.from_url", "*.login", "*.auth", "*.bind", "*.simple_bind_s", "*.simple_bind", "*.bind_s",
		"*.create_engine", "*.URL.create", "*.Client", "*.BasicAuth", "*.HTTPBasicAuth", "*.HTTPDigestAuth", "*.HTTPProxyAuth",
		"*.FTP", "*.FTP_TLS", "*.SMTP", "*.SMTP_SSL", "*.IMAP4", "*.IMAP4_SSL", "*.POP3", "*.POP3_SSL"}
	secret := `^\S{4,}$`
	redirectNot := []string{"*request.path*", "*request.url*", "*request.full_path*", "*request.base_url*", "*request.get_full_path*",
		"*request.build_absolute_uri*", "*request.script_root*", "*request.referrer*", "self.request.uri*", "self.request.path*"}
	redirect := func(id, kw string, names []string) Rule {
		return Rule{ID: id, Family: "open-redirect", Languages: py, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: names, Arg: none, Keyword: kw, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe, Guards: redirectGuards,
				NotSources: redirectNot}}
	}
	trueish := []string{"True", "1"}
	return []Rule{
		// Redirects whose target is passed by keyword, and Tornado's.
		redirect("py-open-redirect-url", "url", []string{"starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse",
			"fastapi.RedirectResponse", "litestar.response.Redirect", "sanic.response.redirect"}),
		redirect("py-open-redirect-location", "location", []string{"flask.redirect", "quart.redirect", "werkzeug.utils.redirect", "werkzeug.redirect",
			"pyramid.httpexceptions.HTTPFound", "pyramid.httpexceptions.HTTPSeeOther", "pyramid.httpexceptions.HTTPMovedPermanently",
			"pyramid.httpexceptions.HTTPTemporaryRedirect", "aiohttp.web.HTTPFound", "aiohttp.web.HTTPSeeOther", "aiohttp.web.HTTPMovedPermanently",
			"falcon.HTTPFound", "falcon.HTTPSeeOther", "falcon.HTTPMovedPermanently", "falcon.HTTPTemporaryRedirect", "webob.exc.HTTPFound"}),
		redirect("py-open-redirect-to", "to", []string{"django.shortcuts.redirect"}),
		redirect("py-open-redirect-redirect-to", "redirect_to", []string{"django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
			"django.http.response.HttpResponseRedirect", "django.http.response.HttpResponsePermanentRedirect"}),
		{ID: "py-open-redirect-framework", Family: "open-redirect", Languages: py, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"self.redirect", "falcon.HTTPFound", "falcon.HTTPSeeOther", "falcon.HTTPMovedPermanently",
				"falcon.HTTPTemporaryRedirect", "falcon.HTTPPermanentRedirect", "aiohttp.web.HTTPMovedPermanently", "aiohttp.web.HTTPTemporaryRedirect",
				"pyramid.httpexceptions.HTTPMovedPermanently", "pyramid.httpexceptions.HTTPTemporaryRedirect", "webob.exc.HTTPFound"},
				Arg: 0, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe, Guards: redirectGuards, NotSources: redirectNot}},
		// Debug modes of other frameworks.
		{ID: "py-app-debug-mode", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"tornado.web.Application", "fastapi.FastAPI", "starlette.applications.Starlette", "starlette.Starlette",
				"sanic.Sanic", "litestar.Litestar", "quart.Quart"}, Arg: none, Keyword: "debug", When: "literal", Equals: trueish, NotPaths: testPaths}},
		{ID: "py-tornado-traceback", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"tornado.web.Application"}, Arg: none, Keyword: "serve_traceback", When: "literal", Equals: trueish, NotPaths: testPaths}},
		{ID: "py-bottle-debug", Family: "debug", Languages: py, Severity: medium,
			Title: "Debug mode enabled", Why: whyDebug, References: refDebug,
			Match: Match{Names: []string{"bottle.debug"}, Arg: 0, Keyword: "mode", When: "literal", Equals: trueish, NotPaths: testPaths}},
		{ID: "py-ssti-input", Family: "code-injection", Languages: py, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: ssti,
			Match: Match{Names: engines, Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "py-ssti-input-keyword", Family: "code-injection", Languages: py, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: ssti,
			Match: Match{Names: []string{"chevron.render", "chevron.renderer.render"}, Arg: none, Keyword: "template", When: "tainted", RequestOnly: true}},
		{ID: "py-ssti-input-text", Family: "code-injection", Languages: py, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: ssti,
			Match: Match{Names: []string{"mako.template.Template", "mako.Template", "web.template.Template"}, Arg: none, Keyword: "text",
				When: "tainted", RequestOnly: true}},
		{ID: "py-ssh-host-key-unchecked", Family: "tls", Languages: py, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: []string{"CWE-295", "https://docs.paramiko.org/en/stable/api/client.html"},
			Match: Match{Names: []string{"*.set_missing_host_key_policy"}, Arg: 0, Keyword: "policy", When: "qual", Equals: hostKeyPolicies}},
		{ID: "py-asyncssh-known-hosts-off", Family: "tls", Languages: py, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: []string{"CWE-295", "https://asyncssh.readthedocs.io/en/latest/api.html#specifying-known-hosts"},
			Match: Match{Names: []string{"asyncssh.*"}, Arg: none, Keyword: "known_hosts", When: "literal", Equals: []string{"None"}}},
		{ID: "py-pysftp-hostkeys-off", Family: "tls", Languages: py, Severity: high,
			Title: "SSH host key not verified", Why: whyHostKey, References: []string{"CWE-295"},
			Match: Match{Kind: "assign", Names: []string{"hostkeys"}, Imports: []string{"pysftp"}, Arg: none, When: "literal", Equals: []string{"None"}}},
		{ID: "py-hardcoded-api-token", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"hvac.Client", "slack_sdk.WebClient", "slack_sdk.web.WebClient", "slack.WebClient", "slack_sdk.web.async_client.AsyncWebClient",
				"telegram.Bot", "github.Github", "github.Auth.Token", "gitlab.Gitlab", "openai.OpenAI", "anthropic.Anthropic", "stripe.StripeClient"},
				Arg: none, Keyword: "token", When: "matches", Pattern: `^\S{8,}$`}},
		{ID: "py-hardcoded-api-key", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"openai.OpenAI", "openai.AsyncOpenAI", "anthropic.Anthropic", "anthropic.AsyncAnthropic", "stripe.StripeClient",
				"sendgrid.SendGridAPIClient", "twilio.rest.Client", "googlemaps.Client", "mailchimp3.MailChimp"},
				Arg: none, Keyword: "api_key", When: "matches", Pattern: `^\S{8,}$`}},
		{ID: "py-django-db-password", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "pair", Names: []string{"PASSWORD"}, Arg: none, When: "matches", Pattern: secret, Paths: djangoSettings, NotPaths: devSettings}},
		{ID: "py-django-settings-password", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Kind: "assign", Names: []string{"EMAIL_HOST_PASSWORD", "AWS_SECRET_ACCESS_KEY", "DATABASE_PASSWORD", "DB_PASSWORD"}, In: []string{""},
				Arg: none, When: "matches", Pattern: secret, Paths: djangoSettings, NotPaths: devSettings}},
		{ID: "py-hardcoded-password", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: credCalls, Arg: none, Keyword: "password", When: "matches", Pattern: secret}},
		{ID: "py-hardcoded-passwd", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: credCalls, Arg: none, Keyword: "passwd", When: "matches", Pattern: secret}},
		{ID: "py-hardcoded-password-arg", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.HTTPBasicAuth", "*.HTTPDigestAuth", "*.HTTPProxyAuth", "aiohttp.BasicAuth",
				"*.simple_bind_s", "*.simple_bind", "*.bind_s"}, Arg: 1, When: "matches", Pattern: secret}},
		{ID: "py-hardcoded-login-arg", Family: "hardcoded-credential", Languages: py, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.login"}, Imports: []string{"smtplib", "ftplib", "imaplib"}, Arg: 1, When: "matches", Pattern: secret}},
		{ID: "py-ssrf-method", LocalSeverity: low, Family: "ssrf", Languages: py, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"requests.request", "requests.api.request", "requests.Session().request", "requests.session().request",
				"httpx.request", "httpx.stream", "httpx.Client().request", "aiohttp.request", "urllib3.request", "urllib3.PoolManager().request",
				"urllib3.PoolManager().urlopen"}, Arg: 1, Keyword: "url", When: "tainted", FixedHost: true}},
		{ID: "py-tls-aiohttp-ssl-off", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"*.get", "*.post", "*.put", "*.patch", "*.delete", "*.head", "*.options", "*.request", "*.ws_connect",
				"aiohttp.*"}, Imports: []string{"aiohttp"}, Arg: none, Keyword: "ssl", When: "literal", Equals: []string{"False"}}},
		{ID: "py-tls-aiohttp-verify-off", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"*.get", "*.post", "*.put", "*.patch", "*.delete", "*.head", "*.options", "*.request", "*.ws_connect",
				"aiohttp.*"}, Imports: []string{"aiohttp"}, Arg: none, Keyword: "verify_ssl", When: "literal", Equals: []string{"False"}}},
		{ID: "py-tls-session-verify-off", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Kind: "assign", Names: []string{"verify"}, Imports: []string{"requests", "httpx"}, Arg: none, When: "literal", Equals: []string{"False", "0"}}},
		{ID: "py-tls-mongo-invalid-certs", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"pymongo.MongoClient", "motor.motor_asyncio.AsyncIOMotorClient", "mongoengine.connect", "*.MongoClient"},
				Arg: none, Keyword: "tlsAllowInvalidCertificates", When: "literal", Equals: trueish}},
		{ID: "py-tls-ldap-never", Family: "tls", Languages: py, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"ldap.set_option", "*.set_option"}, Imports: []string{"ldap"}, Require: map[string][]string{"#0": {"ldap.OPT_X_TLS_REQUIRE_CERT"}},
				Arg: 1, When: "qual", Equals: []string{"ldap.OPT_X_TLS_NEVER", "ldap.OPT_X_TLS_ALLOW"}}},
		{ID: "py-xpathi-libxml2", Family: "xpathi", Languages: py, Severity: high,
			Title: "XPath built from request input", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"*.xpathEval", "*.xpathEvalExpression", "libxml2.xpathEval*", "xpath.find", "xpath.findnode", "xpath.findvalue",
				"xpath.findvalues", "xpath.XPath", "elementpath.Selector", "elementpath.XPath1Parser().parse", "elementpath.XPath2Parser().parse"},
				Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "py-xpathi-elementpath", Family: "xpathi", Languages: py, Severity: high,
			Title: "XPath built from request input", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"elementpath.select", "elementpath.iter_select"}, Arg: 1, Keyword: "path", When: "tainted", RequestOnly: true}},
	}
}
