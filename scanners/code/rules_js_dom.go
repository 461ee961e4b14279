package code

import "strings"

// Messages of the DOM, code-injection, CORS, cookie and CSRF rules of
// jsDOMRules.
const (
	whyTemplateInput = "{call} compiles a template whose text comes from input: template syntax runs code (pug, ejs, lodash and Handlebars templates compile to JavaScript), so whoever writes the text runs code where it is rendered (template injection). Compile fixed templates and pass the input as data."
	whyAngularExpr   = "{call} evaluates an AngularJS expression (or compiles a template) built from input: expressions reach the scope's functions and, through them, run script (client-side template injection). Pass the input as data on the scope, never as the expression."
	whyScriptCode    = "{call} gives a script element code (or the address it loads code from) taken from input: it runs in the page with the page's privileges (code injection). Load scripts from fixed addresses, and pass input as data."
	whyCookieString  = "{call} sets a cookie without the Secure attribute (or a session cookie without HttpOnly): without Secure the browser also sends it over plain HTTP, where anyone on the network reads it, and without HttpOnly any script on the page (an XSS) reads it; a session cookie read is a session taken. Add `; Secure` (and `; HttpOnly` for cookies scripts need not read)."
	whyCSRFMissing   = "{call} makes the app read cookies (or a cookie session) while it serves state-changing routes (POST, PUT, DELETE), and the file adds no CSRF protection: any website a signed-in user visits can submit those requests, and the browser adds the cookies (cross-site request forgery). Add CSRF middleware (csurf, lusca.csrf, csrf-csrf's doubleCsrfProtection) or SameSite=strict cookies."
	whyCORSNull      = "{call} allows the `null` origin with credentials: sandboxed iframes and `data:` pages send Origin: null, so any website can make credentialed requests and read the responses. List the trusted origins."
	whyCORSOrigin    = "{call} lets the cors middleware reflect whichever origin asks (`origin: true`, `null` or an origin taken from the request): any website can make cross-origin requests and read the responses, with the user's cookies when credentials are on. List the trusted origins."
)

// whyHandlerAttribute explains script set as an event handler attribute.
const whyHandlerAttribute = "{call} sets an event handler attribute (onclick, onload...) from input: its value is script, which runs when the event fires, so whoever controls the input runs code in the page (code injection). Attach a function with addEventListener and pass the input as data."

// jsEventHandlerAttributes are the event handler attributes of HTML and
// SVG elements, in the cases they are written in.
func jsEventHandlerAttributes() []string {
	var out []string
	for _, e := range []string{"click", "dblclick", "load", "unload", "error", "abort", "mouseover", "mouseout", "mouseenter", "mouseleave",
		"mousedown", "mouseup", "mousemove", "focus", "blur", "focusin", "focusout", "change", "input", "submit", "reset", "select",
		"keydown", "keyup", "keypress", "contextmenu", "wheel", "scroll", "resize", "drag", "dragstart", "dragend", "dragover",
		"dragenter", "dragleave", "drop", "copy", "cut", "paste", "toggle", "animationstart", "animationend", "transitionend",
		"pointerdown", "pointerup", "pointerover", "pointerenter", "touchstart", "touchend", "touchmove", "play", "pause", "ended",
		"beforeunload", "hashchange", "message", "popstate", "pageshow", "begin", "end", "invalid", "search", "show"} {
		out = append(out, "on"+e, "ON"+strings.ToUpper(e), "on"+strings.ToUpper(e[:1])+e[1:])
	}
	return out
}

// jsCredentialsHeader is the CORS header that lets credentialed requests
// read the response: reflecting the origin matters only with it.
var jsCredentialsHeader = []string{
	"*.setHeader(Access-Control-Allow-Credentials|access-control-allow-credentials, true)",
	"*.header(Access-Control-Allow-Credentials|access-control-allow-credentials, true)",
	"*.set(Access-Control-Allow-Credentials|access-control-allow-credentials, true)",
	"*.append(Access-Control-Allow-Credentials|access-control-allow-credentials, true)",
}

// jsDOMRules are rules on the browser's DOM (Angular's services, script
// elements, cookies written by script), code run by template engines and
// AngularJS, CORS configured to reflect origins, and Express apps with
// cookies but no CSRF protection.
func jsDOMRules() []Rule {
	scriptIn := []string{"*script*", "*Script*", "*SCRIPT*"}
	return []Rule{
		// Angular's Renderer2 writes properties and attributes of elements.
		{ID: "js-angular-renderer-html", Family: "xss", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Names: []string{"Renderer2.setProperty", "*.setProperty"}, Require: map[string][]string{"#1": {"innerHTML", "outerHTML"}},
				Arg: 2, When: "nonconst"}},
		{ID: "js-angular-renderer-attribute", Family: "xss", Languages: js, Severity: medium,
			Title:      "Script URL from the page's address",
			Why:        "{call} sets a link, frame, form or script address from input: a `javascript:` URL in it runs when followed or loaded (DOM XSS).",
			References: refXSS,
			Match: Match{Names: []string{"Renderer2.setAttribute", "*.setAttribute", "Renderer2.setProperty", "*.setProperty"},
				Require: map[string][]string{"#1": {"href", "src", "action", "formaction", "srcdoc", "xlink:href", "data"}}, Arg: 2, When: "tainted", SafePrefix: redirectSafe, NotSources: pageOwnURL}},

		{ID: "js-jquery-url-attribute", Family: "xss", Languages: js, Severity: medium,
			Title:      "Script URL from the page's address",
			Why:        "{call} sets a link, frame, form or script address from input: a `javascript:` URL in it runs when followed or loaded (DOM XSS).",
			References: refXSS,
			Match: Match{Names: []string{"$(*.attr", "jQuery(*.attr", "$(*.prop", "jQuery(*.prop"}, Require: map[string][]string{"#0": {"href", "src", "action",
				"formaction", "srcdoc", "xlink:href", "data"}},
				Arg: 1, When: "tainted", SafePrefix: redirectSafe, NotSources: pageOwnURL}},
		{ID: "js-html-property-object", Family: "xss", Languages: js, Severity: medium,
			Title: "Unescaped HTML from a variable", Why: whyXSS, References: refXSS,
			Match: Match{Kind: "pair", Names: []string{"innerHTML", "outerHTML"}, Arg: none, When: "tainted", NotSources: []string{"req.cookies*", "request.cookies*"}}},

		// Code run by jQuery, script elements, template engines, AngularJS
		// and web views.
		{ID: "js-jquery-global-eval", Family: "code-injection", Languages: js, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"$.globalEval", "jQuery.globalEval", "jquery.globalEval", "webix.exec"}, Arg: 0, When: "nonconst"}},
		// An event handler attribute's value is script, compiled when the
		// element is made or the event fires.
		{ID: "js-event-handler-attribute", Family: "code-injection", Languages: js, Severity: high,
			Title: "Script code from input", Why: whyHandlerAttribute, References: refCode,
			Match: Match{Names: []string{"*.setAttribute", "$(*.attr", "jQuery(*.attr", "$(*.prop", "jQuery(*.prop", "Renderer2.setAttribute"},
				Require: map[string][]string{"#0": jsEventHandlerAttributes()}, Arg: 1, When: "tainted", NotSources: domSources}},
		{ID: "js-event-handler-attribute-ns", Family: "code-injection", Languages: js, Severity: high,
			Title: "Script code from input", Why: whyHandlerAttribute, References: refCode,
			Match: Match{Names: []string{"*.setAttributeNS"}, Require: map[string][]string{"#1": jsEventHandlerAttributes()}, Arg: 2, When: "tainted",
				NotSources: domSources}},
		// WebAssembly modules compiled from bytes, and node's module
		// compiler: code from whoever wrote the input.
		{ID: "js-code-compile-input", Family: "code-injection", Languages: js, Severity: high,
			Title: "Code executed from input", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"WebAssembly.compile", "WebAssembly.compileStreaming", "WebAssembly.instantiate",
				"WebAssembly.instantiateStreaming", "WebAssembly.Module", "*._compile", "execScript", "window.execScript", "executeJavaScript",
				"execCommand"}, Arg: 0, When: "tainted", NotSources: domSources}},
		{ID: "js-script-element-code", Family: "code-injection", Languages: js, Severity: high,
			Title: "Script code from input", Why: whyScriptCode, References: refCode,
			Match: Match{Kind: "assign", Names: []string{"text", "textContent", "innerText", "innerHTML", "src"}, In: scriptIn, Arg: none, When: "tainted",
				SafePrefix: redirectSafe, NotSources: domSources}},
		{ID: "js-script-element-attribute", Family: "code-injection", Languages: js, Severity: high,
			Title: "Script code from input", Why: whyScriptCode, References: refCode,
			Match: Match{Names: []string{"*.setAttribute"}, Require: map[string][]string{"#0": {"src"}},
				Callee: `(?i)script[^.]*\.setAttribute$`, Arg: 1, When: "tainted", SafePrefix: redirectSafe, NotSources: domSources}},
		{ID: "js-worker-script-input", Family: "code-injection", Languages: js, Severity: high,
			Title: "Script code from input", Why: whyScriptCode, References: refCode,
			Match: Match{Names: []string{"Worker", "SharedWorker", "window.Worker", "importScripts", "self.importScripts", "*.serviceWorker.register"},
				Arg: 0, When: "tainted", SafePrefix: redirectSafe, NotSources: domSources}},
		{ID: "js-extension-execute-script", Family: "code-injection", Languages: js, Severity: high,
			Title: "Code executed from input", Why: whyEval, References: refCode,
			Match: Match{Kind: "pair", Names: []string{"code"}, In: []string{"chrome.tabs.executeScript", "browser.tabs.executeScript", "*.tabs.executeScript"},
				Arg: none, When: "tainted"}},
		{ID: "js-nosql-where-code", Family: "code-injection", Languages: js, Severity: high,
			Title:      "Code executed from input",
			Why:        "{call} gives MongoDB a `$where` JavaScript expression built from input: the database runs it as code, so the input can change what the query does or exhaust the server (NoSQL code injection). Query with operators on fields instead.",
			References: refCode,
			Match:      Match{Kind: "pair", Names: []string{"$where"}, Arg: none, When: "tainted"}},
		{ID: "js-template-from-input", Family: "code-injection", Languages: js, Severity: high,
			Title: "Template compiled from input", Why: whyTemplateInput, References: []string{"CWE-1336", "CWE-94"},
			Match: Match{Names: []string{"pug.compile", "pug.render", "pug.compileClient", "pug.compileClientWithDependenciesTracked", "jade.compile",
				"jade.render", "ejs.render", "ejs.compile", "handlebars.compile", "handlebars.precompile", "hbs.compile", "express-handlebars.compile",
				"lodash.template", "lodash/template", "underscore.template", "_.template", "dot.template", "dot.compile", "nunjucks.renderString",
				"nunjucks.compile", "hogan.js.compile", "eta.render", "eta.renderString", "squirrelly.render", "velocityjs.render", "velocityjs.compile",
				"art-template.render", "art-template.compile", "twig.twig", "mustache.render", "Mustache.render", "swig.render", "swig.compile",
				"liquidjs.Liquid().parseAndRender", "*.parseAndRender", "vue.compile", "Vue.compile"},
				Arg: 0, When: "tainted", NotSources: domSources}},
		{ID: "js-angularjs-expression", Family: "code-injection", Languages: js, Severity: high,
			Title: "AngularJS expression from input", Why: whyAngularExpr, References: []string{"CWE-1336", "CWE-94"},
			Match: Match{Names: []string{"*.$eval", "*.$evalAsync", "*.$apply", "*.$applyAsync", "*.$watch", "*.$watchCollection", "*.$watchGroup",
				"$parse", "$interpolate", "$compile", "*.$parse", "*.$interpolate", "*.$compile"}, Arg: 0, When: "tainted", NotSources: domSources}},
		{ID: "js-webview-inject", Family: "code-injection", Languages: js, Severity: high,
			Title: "Code executed from input", Why: "{call} runs script built from input in a web view: whoever controls the input runs code in the page the view shows, with the bridge to the app it exposes.",
			References: refCode,
			Match:      Match{Names: []string{"*.injectJavaScript", "*.executeJavaScript", "*.evaluateJavaScript"}, Arg: 0, When: "tainted"}},
		{ID: "js-webview-injected-prop", Family: "code-injection", Languages: js, Severity: high,
			Title: "Code executed from input", Why: "{call} runs script built from input in a web view: whoever controls the input runs code in the page the view shows, with the bridge to the app it exposes.",
			References: refCode,
			Match: Match{Kind: "pair", Names: []string{"injectedJavaScript", "injectedJavaScriptBeforeContentLoaded"}, In: []string{"jsx"}, Arg: none,
				When: "tainted"}},

		// CORS that reflects an origin, or allows null, with credentials.
		{ID: "js-cors-reflect-no-credentials", Family: "cors", Languages: js, Severity: medium,
			Title:      "CORS reflects the request's origin",
			Why:        "{call} allows whichever origin the request names: any website can read the responses (without the user's cookies, as the handler does not allow credentials, but with whatever the network position gives: an intranet's pages). List the trusted origins.",
			References: refCORS,
			Match: Match{Names: []string{"*.setHeader", "*.header", "*.set", "*.append"},
				Require: map[string][]string{"#0": {"Access-Control-Allow-Origin", "access-control-allow-origin"}},
				Arg:     1, When: "tainted", UnlessCalled: jsCredentialsHeader}},
		{ID: "js-cors-null-credentials", Family: "cors", Languages: js, Severity: high,
			Title: "CORS allows the null origin", Why: whyCORSNull, References: refCORS,
			Match: Match{Names: []string{"*.setHeader", "*.header", "*.set", "*.append"},
				Require: map[string][]string{"#0": {"Access-Control-Allow-Origin", "access-control-allow-origin"}},
				Arg:     1, When: "literal", Equals: []string{"null"}, IfCalled: jsCredentialsHeader}},
		{ID: "js-cors-origin-option", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORSOrigin, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"origin"}, In: []string{"cors", "@fastify/cors", "fastify-cors", "@koa/cors", "koa-cors",
				"*.enableCors", "*NestFactory.create", "*ApolloServer", "apollo-server*", "*.applyMiddleware"}, Arg: none,
				When: "literal", Equals: []string{"true", "null"}}},
		{ID: "js-cors-origin-input", Family: "cors", Languages: js, Severity: high,
			Title: "CORS allows any origin", Why: whyCORSOrigin, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"origin"}, In: []string{"cors", "@fastify/cors", "fastify-cors", "@koa/cors", "koa-cors",
				"*.enableCors", "*NestFactory.create", "*ApolloServer", "apollo-server*", "*.applyMiddleware"}, Arg: none, When: "tainted", RequestOnly: true}},
		{ID: "js-cors-apollo-any", Family: "cors", Languages: js, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORSOrigin, References: refCORS,
			Match: Match{Kind: "pair", Names: []string{"cors"}, In: []string{"*ApolloServer", "apollo-server*.ApolloServer"}, Arg: none,
				When: "literal", Equals: []string{"true"}}},

		// Cookies without Secure written as strings, and cookie libraries'
		// options.
		{ID: "js-cookie-string-no-secure", Family: "cookie", Languages: js, Severity: low,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookieString, References: refCookie,
			Match: Match{Names: []string{"cookie-without-secure"}, Arg: none, When: "any"}},
		{ID: "js-cookie-library-insecure", Family: "cookie", Languages: js, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Kind: "pair", Names: []string{"secure", "httpOnly", "httponly"}, In: []string{"cookie.serialize", "js-cookie.set", "js-cookie.*.set",
				"universal-cookie*.set", "react-cookie*", "nookies.setCookie", "cookies-next.setCookie", "*Cookies().set", "cookies.*.set", "*.cookies().set",
				"tough-cookie.Cookie", "@fastify/cookie*"},
				Arg: none, When: "literal", Equals: []string{"false"}}},

		{ID: "js-cookie-options-insecure", Family: "cookie", Languages: js, Severity: medium,
			Title: "Cookie without Secure or HttpOnly", Why: whyCookie, References: refCookie,
			Match: Match{Names: []string{"insecure-cookie-options"}, Arg: none, When: "any"}},

		// Express apps with cookies and no CSRF protection.
		{ID: "js-csrf-middleware-missing", Family: "csrf", Languages: js, Severity: medium,
			Title: "Cookie-based app without CSRF protection", Why: whyCSRFMissing, References: refCSRF,
			Match: Match{Names: []string{"cookie-parser", "express-session", "cookie-session", "express-session.session", "passport.session", "koa-session"},
				Arg: none, When: "any",
				// A POST, PUT, DELETE or PATCH route registered without CSRF
				// middleware among its handlers (javascript.go), and none
				// app-wide.
				IfCalled:     []string{"state-changing-route-without-csrf"},
				UnlessCalled: []string{"*.use(*csurf*|*csrf*|*Csrf*|*CSRF*|lusca())", "*.use(*, *csurf*|*csrf*|*Csrf*|*CSRF*|lusca())"}}},

		// TLS verification turned off by assignment.
		{ID: "js-tls-reject-unauthorized-assign", Family: "tls", Languages: js, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Kind: "assign", Names: []string{"rejectUnauthorized", "strictSSL"}, Arg: none, When: "literal", Equals: jsFalsy}},
		{ID: "js-tls-check-server-identity", Family: "tls", Languages: js, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"no-server-identity-check"}, Arg: none, When: "any"}},

		// Log lines written with the common logging libraries.
		{ID: "js-log-injection-lib", Family: "log-injection", Languages: js, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: []string{"*.log", "*.info", "*.warn", "*.warning", "*.error", "*.debug", "*.trace", "*.fatal", "*.verbose", "*.silly", "*.notice",
				"*.crit", "*.critical", "*.alert", "*.emerg"},
				NotNames: []string{"console.*", "res.*", "response.*", "req.*", "request.*", "reply.*", "ctx.*"},
				Imports:  []string{"winston", "pino", "bunyan", "log4js", "loglevel", "signale", "npmlog", "roarr", "consola", "tracer", "morgan", "@nestjs/common"},
				Arg:      none, AnyArg: true, When: "tainted", RequestOnly: true, NotSources: append(append([]string{}, browserSources...), logSafe...)}},
		{ID: "js-log-injection-logger", Family: "log-injection", Languages: js, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: []string{"*.log", "*.info", "*.warn", "*.warning", "*.error", "*.debug", "*.trace", "*.fatal", "*.verbose", "*.silly", "*.notice"},
				Callee: `(?i)(^|[./])(logger|log|_logger|_log|applogger|requestlogger)\.(log|info|warn|warning|error|debug|trace|fatal|verbose|silly|notice)$`,
				Arg:    none, AnyArg: true, When: "tainted", RequestOnly: true, NotSources: append(append([]string{}, browserSources...), logSafe...)}},
	}
}

// logSafe are the sources of values whose line breaks were removed or
// encoded (javascript.go): no log entry can be forged with them.
var logSafe = []string{"* (line breaks removed)*", "* (JSON-encoded)*"}
