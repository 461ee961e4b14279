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
		"web.template.Template", "django.template.Engine().from_string", "django.template.engines[].from_string",
		"django.template.engine.Engine().from_string", "chevron.render", "chevron.renderer.render"}
	hostKeyPolicies := []string{"paramiko*.AutoAddPolicy", "paramiko*.AutoAddPolicy()", "paramiko*.WarningPolicy", "paramiko*.WarningPolicy()"}
	// Client libraries that take a password: database drivers, SSH/SFTP,
	// LDAP, Redis, MongoDB, mail and FTP logins, HTTP basic auth.
	credCalls := []string{"*.connect", "*.connect_async", "*.create_pool", "*.Connection", "*.SSHClient", "*.Transport", "*.MongoClient",
		"*.Redis", "*.StrictRedis", "*.Redis.from_url", "*.login", "*.auth", "*.bind", "*.simple_bind_s", "*.simple_bind", "*.bind_s",
		"*.create_engine", "*.URL.create", "*.Client", "*.BasicAuth", "*.HTTPBasicAuth", "*.HTTPDigestAuth", "*.HTTPProxyAuth",
		"*.FTP", "*.FTP_TLS", "*.SMTP", "*.SMTP_SSL", "*.IMAP4", "*.IMAP4_SSL", "*.POP3", "*.POP3_SSL"}
	secret := `^\S{4,}$`
	return []Rule{
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
