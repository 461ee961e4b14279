package code

import "strings"

// The injection classes beyond SQL and commands: NoSQL query documents,
// LDAP filters, XPath expressions, response headers, redirects and logs.

var (
	refNoSQL    = []string{"CWE-943", "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection"}
	refLDAP     = []string{"CWE-90", "https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html"}
	refXPath    = []string{"CWE-643"}
	refHeader   = []string{"CWE-113", "CWE-644"}
	refRedirect = []string{"CWE-601", "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html"}
	refLog      = []string{"CWE-117", "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html"}

	whyWhere       = "{call} gives MongoDB JavaScript ($where, mapReduce, Code) built from a value that is not a constant: a quote in it changes the script, which the server runs for every document (NoSQL injection). Express the condition with query operators and pass values as values."
	whyNoSQLObject = "{call} puts request input into a MongoDB query where an object is accepted: a JSON body or an extended query string turns `user=x` into `{\"$ne\": null}` or `{\"$regex\": \".*\"}` and the query matches every document (NoSQL operator injection, login bypass). Convert the value to a string (String(x), str(x)) or validate its type first."
	whyNoSQLParse  = "{call} parses a query document from text built from {source}: quotes and braces in the input add operators or conditions to the query (NoSQL injection). Build the query with the driver's filter builders and pass values as values."
	whyLDAP        = "{call} runs an LDAP search whose filter is built from a value that is not a constant: `*`, `(`, `)` or `\\` in it change the filter (LDAP injection, e.g. `*)(uid=*` matches every entry). Escape each value with the library's filter escaping (escape_filter_chars, LdapEncoder.filterEncode, ldap.EscapeFilter) or use a parameterized filter."
	whyXPath       = "{call} evaluates an XPath expression built from request input: a quote in it changes the expression (XPath injection), which can select any node of the document, credentials included. Bind the value as an XPath variable, or check it against a strict pattern."
	whyHeader      = "{call} sets a response header from request input. Where the server does not reject line breaks they split the response (a forged header or body), and even where it does, the input chooses the header's value (a Refresh or Link to another site, a Content-Disposition file name, a cookie). Check the value against what the header may hold."
	whyCookieInput = "{call} makes a cookie whose value (or name) is request input: a `;` or line break in it adds cookie attributes or headers, and whoever crafts a link sets the user's cookie. Encode the value or check it against what the cookie may hold."
	whyRedirect    = "{call} redirects to a URL taken from request input, so a link to this trusted site can send its users on to any other (open redirect, used for phishing and to steal OAuth codes). Redirect only to a relative path on this site (not starting with `//` or `/\\`), or check the target against an allow-list (Django's url_has_allowed_host_and_scheme)."
	whyLog         = "{call} writes request input to the log as it came: a line break in it forges log entries, and control sequences can mislead whoever reads the log (log injection). Strip or encode CR/LF (or log structured fields with an encoder that escapes them)."
)

// redirectSafe is the constant start of a redirect target that keeps it on
// this site or a fixed host: a path ("/a", not "/" alone nor "//", "/\"), a
// relative path or query ("page/", "?next="), or "scheme://host/".
const redirectSafe = `^(/[^/\\]|[^/\\:?#]+[/?#]|[?#]|([a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#\\]+[/?#])`

// goRedirectChecked is a condition around a Go redirect that checks its
// target: its host, a named validation.
const goRedirectChecked = `(?i)host|valid|allow|safe|trust|white`

// redirectGuards are calls that check a redirect target: a target passed
// to one first is taken as checked.
var redirectGuards = []string{
	"*url_has_allowed_host_and_scheme", "*is_safe_url*", "*is_safe_redirect*", "*is_valid_redirect*", "*is_local_url*",
	"*isSafeUrl*", "*isSafeURL*", "*IsSafeURL*", "*IsSafeUrl*", "*isSafeRedirect*", "*IsSafeRedirect*", "*isValidRedirect*",
	"*IsValidRedirect*", "*isLocalUrl*", "*isLocalURL*", "*IsLocalUrl*", "*IsLocalURL*", "*isSameOrigin*", "*IsSameOrigin*",
	"*is_same_origin*", "*isAllowedRedirect*", "*IsAllowedRedirect*", "*is_allowed_redirect*",
}

// Header names that other rules report (CORS) or that redirect.
var (
	corsHeaders     = []string{"Access-Control-Allow-Origin", "access-control-allow-origin", "Access-control-allow-origin"}
	locationHeaders = []string{"Location", "location", "LOCATION"}
)

// logMethods are the logging methods of the common loggers.
var logMethods = []string{"debug", "info", "warn", "warning", "error", "critical", "exception", "fatal", "log", "trace",
	"severe", "fine", "finer", "finest", "config"}

// logNames are the calls of logMethods on receivers named like loggers.
func logNames(receivers ...string) []string {
	var out []string
	for _, r := range receivers {
		for _, m := range logMethods {
			out = append(out, r+"."+m)
		}
	}
	return out
}

// safeOperatorKeys are query operators whose value is compared as data
// (an object under $eq matches an equal embedded document), and the
// JavaScript operators nosqli-where reports.
var safeOperatorKeys = []string{"$eq", "$ne", "$in", "$nin", "$where", "$function", "$accumulator"}

// mongoMethods are collection and model methods whose first argument is a
// query filter: names distinctive enough to need no import.
var mongoMethods = []string{"*.find", "*.findOne", "*.findOneAndUpdate", "*.findOneAndDelete", "*.findOneAndReplace",
	"*.findOneAndRemove", "*.updateOne", "*.updateMany", "*.deleteOne", "*.deleteMany", "*.replaceOne", "*.countDocuments",
	"*.estimatedDocumentCount", "*.findAndModify"}

// pyMongoMethods are pymongo's (and motor's) methods taking a filter first.
var pyMongoMethods = []string{"*.find", "*.find_one", "*.find_one_and_update", "*.find_one_and_delete", "*.find_one_and_replace",
	"*.update_one", "*.update_many", "*.delete_one", "*.delete_many", "*.replace_one", "*.count_documents", "*.find_raw_batches"}

var (
	jsMongo = []string{"mongodb", "mongoose", "monk", "mongojs"}
	pyMongo = []string{"pymongo", "motor", "motor.motor_asyncio", "flask_pymongo", "mongoengine", "bson", "pymongo.collection"}
	// pyJSONInput are the Python request sources that can hold objects.
	pyJSONInput = []string{"*request.json*", "*request.get_json*", "*request.data*", "*request.body*", "*request.media*",
		"*request.get_data*", "*request.stream*"}
	// jsObjectInput are the JavaScript request sources that can hold
	// objects (a JSON body, an extended query string).
	jsObjectInput = []string{"req.query*", "req.body*", "request.query*", "request.body*", "request.payload*", "ctx.request.body*",
		"ctx.request.query*", "ctx.query*", "event.body*"}
	javaLDAPImports = []string{"javax.naming.directory", "javax.naming.directory.DirContext", "javax.naming.directory.InitialDirContext",
		"javax.naming.directory.SearchControls", "javax.naming.ldap", "javax.naming.ldap.LdapContext", "javax.naming.ldap.InitialLdapContext",
		"org.springframework.ldap.core.LdapTemplate", "org.springframework.ldap.core.LdapOperations", "org.springframework.ldap.core",
		"org.apache.directory.ldap.client.api", "org.apache.directory.ldap.client.api.LdapConnection",
		"org.apache.directory.ldap.client.api.LdapNetworkConnection"}
	// javaLDAPNameImports are the LDAP APIs whose search takes the base DN
	// as a string first (not Spring's LdapQuery).
	javaLDAPNameImports = []string{"javax.naming.directory", "javax.naming.directory.DirContext", "javax.naming.directory.InitialDirContext",
		"javax.naming.ldap", "javax.naming.ldap.LdapContext", "javax.naming.ldap.InitialLdapContext", "com.unboundid.ldap.sdk",
		"com.unboundid.ldap.sdk.LDAPConnection", "org.apache.directory.ldap.client.api", "org.apache.directory.ldap.client.api.LdapConnection",
		"org.apache.directory.ldap.client.api.LdapNetworkConnection"}
	javaXPathImports = []string{"javax.xml.xpath", "javax.xml.xpath.XPath", "javax.xml.xpath.XPathFactory", "javax.xml.xpath.XPathExpression",
		"javax.xml.xpath.XPathConstants"}
	pyETImports = []string{"xml.etree.ElementTree", "xml.etree.cElementTree", "xml.etree", "lxml", "lxml.etree", "lxml.html",
		"defusedxml.ElementTree", "defusedxml.lxml"}
	// Browser-side sources: logging them is no attack on a server's log.
	browserSources = []string{"location.*", "window.*", "document.*"}
)

func init() {
	// The filter and DN escaping functions of the LDAP libraries return
	// values that cannot change a filter.
	pySanitizers = append(pySanitizers, "ldap.filter.escape_filter_chars", "ldap.filter.filter_format", "ldap.dn.escape_dn_chars",
		"ldap3.utils.conv.escape_filter_chars", "ldap3.utils.dn.escape_rdn", "escape_filter_chars", "filter_format")
	javaSanitizers = append(javaSanitizers, "*LdapEncoder.filterEncode", "*LdapEncoder.nameEncode", "*.encodeForLDAP", "*.encodeForDN",
		"*.encodeForXPath", "com.unboundid.ldap.sdk.Filter.encodeValue", "*Filter.encodeValue")
	goSanitizers = append(goSanitizers, "github.com/go-ldap/ldap*.EscapeFilter", "gopkg.in/ldap.v*.EscapeFilter",
		"github.com/go-ldap/ldap*.EscapeDN", "gopkg.in/ldap.v*.EscapeDN")
	jsSanitizers = append(jsSanitizers, "ldap-escape.filter", "ldap-escape.dn", "ldap-escape",
		// ldapjs's filter objects escape the values they are given.
		"ldapjs.*Filter", "ldapts.*Filter")
	for fam, fix := range map[string]string{
		"nosqli":           "Keep query documents constant in shape: pass input only as values, converted to strings (or checked to be scalars) so they cannot carry operators, and never build $where or mapReduce JavaScript from input.",
		"ldapi":            "Escape every value put into an LDAP filter or DN with the library's escaping function, or use a parameterized filter ({0} arguments, LdapQueryBuilder's where().is()).",
		"xpathi":           "Keep XPath expressions constant and bind values as XPath variables (XPathVariableResolver, lxml's keyword variables), or check the value against a strict pattern.",
		"header-injection": "Set response headers and cookies only from checked values: reject CR/LF, and check the value against what the header may hold.",
		"open-redirect":    "Redirect only to relative paths on this site (rejecting `//` and `/\\` starts) or to targets checked against an allow-list of hosts.",
		"log-injection":    "Strip or encode CR/LF and control characters in request input before logging it, or log it as a structured field with an encoder that escapes it.",
	} {
		if familyFixes[fam] == "" {
			familyFixes[fam] = fix
		}
	}
}

// injectionRules are the rules on injection classes beyond SQL and commands: NoSQL, LDAP, XPath, response headers, redirects, logs.
func injectionRules() []Rule {
	notRedirectHeaders := append(append([]string(nil), corsHeaders...), locationHeaders...)
	pyLogs := append([]string{"logging.*"}, logNames("*log*", "*LOG*", "*Log*")...)
	javaLogs := logNames("*log*", "*LOG*", "*Log*")
	jsHeaderSetters := []string{"res.setHeader", "res.set", "res.header", "res.append", "response.setHeader", "response.set",
		"response.header", "response.append", "ctx.set", "ctx.append", "ctx.response.set", "ctx.response.append", "reply.header",
		"*.res.setHeader", "*.res.set", "*.res.header"}
	pyRespContainers := []string{"response", "resp", "res", "rv", "*.response", "*_response", "*_resp", "*response.headers",
		"*resp.headers", "*res.headers", "*rv.headers", "*Response().headers", "*make_response().headers"}
	return []Rule{
		// NoSQL injection.
		{ID: "nosqli-where", Family: "nosqli", Languages: []string{"python", "javascript", "typescript", "go"}, Severity: high, TaintRaises: true,
			Title: "MongoDB JavaScript built from strings", Why: whyWhere, References: refNoSQL,
			Match: Match{Kind: "pair", Names: []string{"$where", "$function", "$accumulator"}, Arg: none, When: "injection"}},
		{ID: "go-nosqli-query-object", Family: "nosqli", Languages: gol, Severity: high,
			Title:      "NoSQL query from request input",
			Why:        "{call} takes a query document decoded from the request as it came: the client can send operators ({\"$ne\": null}, {\"$where\": ...}) instead of values and match, change or delete documents it should not. Build the filter from typed values (bson.M{\"name\": name} with name a string).",
			References: []string{"CWE-943", "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection"},
			Match: Match{Method: true, Names: []string{"*.Find", "*.FindOne", "*.FindOneAndDelete", "*.FindOneAndReplace", "*.FindOneAndUpdate",
				"*.CountDocuments", "*.DeleteOne", "*.DeleteMany", "*.UpdateOne", "*.UpdateMany", "*.UpdateByID", "*.ReplaceOne", "*.Aggregate", "*.Watch"},
				Imports: []string{"go.mongodb.org/mongo-driver/mongo", "go.mongodb.org/mongo-driver/v2/mongo"}, Arg: 1, When: "operator", RequestOnly: true}},
		{ID: "js-nosqli-mapreduce", Family: "nosqli", Languages: js, Severity: high, TaintRaises: true,
			Title: "MongoDB JavaScript built from strings", Why: whyWhere, References: refNoSQL,
			Match: Match{Names: []string{"*.mapReduce", "*.$where"}, Arg: 0, When: "injection"}},
		{ID: "js-nosqli-query-object", Family: "nosqli", Languages: js, Severity: high,
			Title: "Request input used as a MongoDB query", Why: whyNoSQLObject, References: refNoSQL,
			Match: Match{Names: mongoMethods, NotNames: []string{"$*", "jQuery*", "_.*", "lodash.*", "underscore.*", "cheerio*"},
				Arg: 0, When: "operator", Sources: jsObjectInput}},
		{ID: "js-nosqli-query-object-import", Family: "nosqli", Languages: js, Severity: high,
			Title: "Request input used as a MongoDB query", Why: whyNoSQLObject, References: refNoSQL,
			Match: Match{Names: []string{"*.update", "*.remove", "*.count", "*.delete", "*.exists", "*.where", "*.aggregate"},
				NotNames: []string{"$*", "jQuery*", "_.*", "lodash.*", "crypto.*"}, Imports: jsMongo,
				Arg: 0, When: "operator", Sources: jsObjectInput}},
		{ID: "js-nosqli-query-field", Family: "nosqli", Languages: js, Severity: high,
			Title: "Request input used as a MongoDB query value", Why: whyNoSQLObject, References: refNoSQL,
			Match: Match{Kind: "pair", Names: []string{"*"}, NotNames: safeOperatorKeys,
				In:      append(append([]string(nil), mongoMethods...), "*.update", "*.remove", "*.count", "*.deleteMany", "*.exists", "*.where"),
				Imports: jsMongo, Arg: none, When: "operator", Sources: jsObjectInput}},
		{ID: "py-nosqli-query-object", Family: "nosqli", Languages: py, Severity: high,
			Title: "Request input used as a MongoDB query", Why: whyNoSQLObject, References: refNoSQL,
			Match: Match{Names: append(append([]string(nil), pyMongoMethods...), "*.aggregate", "*.distinct"), Imports: pyMongo,
				Arg: 0, Keyword: "filter", When: "operator", Sources: pyJSONInput}},
		{ID: "py-nosqli-query-field", Family: "nosqli", Languages: py, Severity: high,
			Title: "Request input used as a MongoDB query value", Why: whyNoSQLObject, References: refNoSQL,
			Match: Match{Kind: "pair", Names: []string{"*"}, NotNames: safeOperatorKeys,
				In: pyMongoMethods, Imports: pyMongo, Arg: none, When: "operator", Sources: pyJSONInput}},
		{ID: "py-nosqli-code", Family: "nosqli", Languages: py, Severity: high, TaintRaises: true,
			Title: "MongoDB JavaScript built from strings", Why: whyWhere, References: refNoSQL,
			Match: Match{Names: []string{"bson.code.Code", "bson.Code", "*.map_reduce", "*.inline_map_reduce"}, Imports: pyMongo,
				Arg: 0, When: "injection"}},
		{ID: "java-nosqli-parse", Family: "nosqli", Languages: jv, Severity: high, TaintRaises: true,
			Title: "MongoDB query parsed from strings", Why: whyNoSQLParse, References: refNoSQL,
			Match: Match{Names: []string{"*Document.parse", "*BasicDBObject.parse", "*BsonDocument.parse", "com.mongodb.util.JSON.parse",
				"*BasicQuery", "*BasicUpdate"}, Arg: 0, When: "injection"}},
		{ID: "java-nosqli-where", Family: "nosqli", Languages: jv, Severity: high, TaintRaises: true,
			Title: "MongoDB JavaScript built from strings", Why: whyWhere, References: refNoSQL,
			Match: Match{Names: []string{"*BasicDBObject", "*Document", "*.append", "*.put"}, Require: map[string][]string{"#0": {"$where", "$function"}},
				Arg: 1, When: "injection"}},
		{ID: "java-nosqli-where-filter", Family: "nosqli", Languages: jv, Severity: high, TaintRaises: true,
			Title: "MongoDB JavaScript built from strings", Why: whyWhere, References: refNoSQL,
			Match: Match{Names: []string{"*Filters.where", "*.mapReduce"}, Imports: []string{"com.mongodb.client.model.Filters",
				"com.mongodb.client.model", "com.mongodb.client.MongoCollection", "com.mongodb.client", "com.mongodb"}, Arg: none, AnyArg: true, When: "injection"}},

		// LDAP injection.
		{ID: "py-ldapi", Family: "ldapi", Languages: py, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.search", "*.search_s", "*.search_st", "*.search_ext", "*.search_ext_s", "*.search_subtree_s"},
				NotNames: []string{"re.*", "regex.*"}, Imports: []string{"ldap", "ldap.filter", "ldap.ldapobject"},
				Arg: 2, Keyword: "filterstr", When: "injection"}},
		{ID: "py-ldap3i", Family: "ldapi", Languages: py, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.search", "*.extend.standard.paged_search"}, NotNames: []string{"re.*", "regex.*"},
				Imports: []string{"ldap3", "ldap3.core.connection"}, Arg: 1, Keyword: "search_filter", When: "injection"}},
		{ID: "java-ldapi", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.search", "*.searchForObject", "*.searchForContext", "*.authenticate"}, Imports: javaLDAPImports,
				Arg: 1, When: "injection"}},
		{ID: "java-ldapi-dn", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP name built from strings", References: refLDAP,
			Why:   "{call} searches under a base DN built from a variable: input that carries `,` or `=` moves the search to another part of the directory. Escape DN values (Rdn.escapeValue, LdapNameBuilder) or build the name from an allow-list.",
			Match: Match{Names: []string{"*.search", "*.searchForEntry", "*.asyncSearch"}, Imports: javaLDAPNameImports, Arg: 0, When: "injection"}},
		{ID: "java-ldapi-apache-filter", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.setFilter"}, Imports: []string{"org.apache.directory.api.ldap.model.message",
				"org.apache.directory.api.ldap.model.message.SearchRequest", "org.apache.directory.api.ldap.model.message.SearchRequestImpl",
				"com.unboundid.ldap.sdk", "com.unboundid.ldap.sdk.SearchRequest"}, Arg: 0, When: "injection"}},
		{ID: "java-ldapi-spring-filter", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.filter", "*HardcodedFilter"}, Imports: []string{"org.springframework.ldap.query.LdapQueryBuilder",
				"org.springframework.ldap.query", "org.springframework.ldap.filter.HardcodedFilter", "org.springframework.ldap.filter"},
				Arg: 0, When: "injection"}},
		{ID: "java-ldapi-unboundid", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.search", "*SearchRequest", "*.searchForEntry", "*.asyncSearch"}, Imports: []string{"com.unboundid.ldap.sdk", "com.unboundid.ldap.sdk.LDAPConnection",
				"com.unboundid.ldap.sdk.SearchRequest"}, Arg: 2, When: "injection"}},
		{ID: "java-ldapi-unboundid-filter", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*Filter.create"}, Imports: []string{"com.unboundid.ldap.sdk", "com.unboundid.ldap.sdk.Filter"},
				Arg: 0, When: "injection"}},
		{ID: "go-ldapi", Family: "ldapi", Languages: gol, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"github.com/go-ldap/ldap*.NewSearchRequest", "gopkg.in/ldap.v*.NewSearchRequest"}, Arg: 6, When: "injection"}},
		{ID: "go-ldapi-attributes", Family: "ldapi", Languages: gol, Severity: medium,
			Title:      "LDAP search attributes from request input",
			Why:        "{call} lets request input choose the attributes an LDAP search returns: a caller can ask for attributes they should not see (userPassword, private data). Pick attributes from an allow-list.",
			References: refLDAP,
			Match:      Match{Names: []string{"github.com/go-ldap/ldap*.NewSearchRequest", "gopkg.in/ldap.v*.NewSearchRequest"}, Arg: 7, When: "tainted", RequestOnly: true}},
		{ID: "go-ldapi-client", Family: "ldapi", Languages: gol, Severity: high,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Method: true, Names: []string{"*.Authenticate", "*.GetGroupsOfUser"}, Imports: []string{"github.com/jtblin/go-ldap-client"},
				Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "go-ldapi-compile", Family: "ldapi", Languages: gol, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"github.com/go-ldap/ldap*.CompileFilter", "gopkg.in/ldap.v*.CompileFilter"}, Arg: 0, When: "injection"}},
		{ID: "js-ldapi", Family: "ldapi", Languages: js, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Kind: "pair", Names: []string{"filter"}, In: []string{"*.search"}, Imports: []string{"ldapjs", "ldapts"}, Arg: none, When: "injection"}},
		{ID: "js-ldapi-parse", Family: "ldapi", Languages: js, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"ldapjs.parseFilter", "ldapjs.filters.parseString", "ldapts.parseFilter", "@ldapjs/filter.parseString"}, Arg: 0, When: "injection"}},

		// XPath injection.
		{ID: "py-xpathi", Family: "xpathi", Languages: py, Severity: high,
			Title: "XPath built from request input", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"*.xpath", "lxml.etree.XPath", "lxml.etree.ETXPath", "*.XPath"}, Arg: 0, Keyword: "_path", When: "tainted", RequestOnly: true}},
		{ID: "py-xpathi-etree", Family: "xpathi", Languages: py, Severity: high,
			Title: "XPath built from request input", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"*.find", "*.findall", "*.findtext", "*.iterfind"}, Imports: pyETImports,
				Arg: 0, Keyword: "path", When: "tainted", RequestOnly: true}},
		{ID: "java-xpathi", Family: "xpathi", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "XPath built from strings", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"*.evaluate", "*.compile", "*.evaluateExpression"}, NotNames: []string{"*Pattern.compile", "java.util.regex.*"},
				Imports: javaXPathImports, Arg: 0, When: "injection"}},
		{ID: "java-xpathi-dom4j", Family: "xpathi", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "XPath built from strings", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"*.selectNodes", "*.selectSingleNode", "*.createXPath", "*.selectObject"},
				Imports: []string{"org.dom4j", "org.dom4j.Document", "org.dom4j.Node", "org.dom4j.DocumentHelper", "org.dom4j.io.SAXReader"},
				Arg:     0, When: "injection"}},
		{ID: "js-xpathi", Family: "xpathi", Languages: js, Severity: medium, TaintRaises: true,
			Title: "XPath built from strings", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"xpath.select", "xpath.select1", "xpath.evaluate", "xpath.parse", "document.evaluate",
				"fontoxpath.evaluateXPath*", "xpath.useNamespaces()", "document.createExpression"}, Arg: 0, When: "injection"}},
		{ID: "go-xpathi", Family: "xpathi", Languages: gol, Severity: medium, TaintRaises: true,
			Title: "XPath built from strings", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"github.com/antchfx/xmlquery.Find", "github.com/antchfx/xmlquery.FindOne", "github.com/antchfx/xmlquery.Query",
				"github.com/antchfx/xmlquery.QueryAll", "github.com/antchfx/htmlquery.Find", "github.com/antchfx/htmlquery.FindOne",
				"github.com/antchfx/htmlquery.Query", "github.com/antchfx/htmlquery.QueryAll", "github.com/antchfx/jsonquery.Find",
				"github.com/antchfx/jsonquery.FindOne", "github.com/antchfx/jsonquery.Query", "github.com/antchfx/jsonquery.QueryAll",
				"github.com/antchfx/xpath.Select", "github.com/antchfx/*query.FindEach*"}, Arg: 1, When: "injection"}},
		{ID: "go-xpathi-compile", Family: "xpathi", Languages: gol, Severity: medium, TaintRaises: true,
			Title: "XPath built from strings", Why: whyXPath, References: refXPath,
			Match: Match{Names: []string{"github.com/antchfx/xpath.Compile", "github.com/antchfx/xpath.MustCompile", "github.com/antchfx/xpath.CompileWithNS",
				"gopkg.in/xmlpath.v*.Compile", "gopkg.in/xmlpath.v*.MustCompile", "github.com/ChrisTrenkamp/goxpath.Parse",
				"github.com/ChrisTrenkamp/goxpath.MustParse", "github.com/ChrisTrenkamp/goxpath.ParseExec", "github.com/go-xmlpath/xmlpath.Compile",
				"github.com/go-xmlpath/xmlpath.MustCompile", "launchpad.net/xmlpath.Compile", "launchpad.net/xmlpath.MustCompile",
				"github.com/santhosh-tekuri/xpathparser.Parse", "github.com/santhosh-tekuri/xpathparser.MustParse",
				"github.com/jbowtie/gokogiri/xpath.Compile", "github.com/moovweb/gokogiri/xpath.Compile",
				"github.com/lestrrat-go/libxml2/xpath.NewExpression"}, Arg: 0, When: "injection"}},
		{ID: "go-xpathi-node", Family: "xpathi", Languages: gol, Severity: medium, TaintRaises: true,
			Title: "XPath built from strings", Why: whyXPath, References: refXPath,
			Match: Match{Method: true, Names: []string{"*.SelectElement", "*.SelectElements", "*.Search", "*.SearchWithVariables", "*.EvalXPath",
				"*.EvalXPathAsBoolean", "*.EvalXPathAsString"}, Imports: []string{"github.com/antchfx/xmlquery", "github.com/antchfx/htmlquery",
				"github.com/antchfx/jsonquery", "github.com/jbowtie/gokogiri/xml", "github.com/moovweb/gokogiri/xml", "github.com/jbowtie/gokogiri",
				"github.com/moovweb/gokogiri"}, Unless: map[string][]string{"#0": {"*.Compile()", "*.MustCompile()"}}, Arg: 0, When: "injection"}},

		// Response headers.
		{ID: "js-header-injection", Family: "header-injection", Languages: js, Severity: medium,
			Title: "Response header from request input", Why: whyHeader, References: refHeader,
			Match: Match{Names: jsHeaderSetters, Arg: none, AnyArg: true, When: "tainted", RequestOnly: true,
				Unless: map[string][]string{"#0": notRedirectHeaders}}},
		{ID: "js-header-injection-object", Family: "header-injection", Languages: js, Severity: medium,
			Title: "Response header from request input", Why: whyHeader, References: refHeader,
			Match: Match{Kind: "pair", Names: []string{"*"}, NotNames: notRedirectHeaders, In: []string{"*.writeHead", "res.set", "res.header", "ctx.set", "reply.headers"},
				Arg: none, When: "tainted", RequestOnly: true}},
		{ID: "py-header-injection", Family: "header-injection", Languages: py, Severity: medium,
			Title: "Response header from request input", Why: whyHeader, References: refHeader,
			Match: Match{Kind: "assign", Names: []string{"*-*", "Link", "Refresh", "Server", "Vary", "Allow"}, NotNames: corsHeaders,
				In: pyRespContainers, Arg: none, When: "tainted", RequestOnly: true}},
		{ID: "py-header-injection-call", Family: "header-injection", Languages: py, Severity: medium,
			Title: "Response header from request input", Why: whyHeader, References: refHeader,
			Match: Match{Names: []string{"*response.headers.set", "*response.headers.add", "*response.headers.add_header", "*response.headers.setdefault",
				"*resp.headers.set", "*resp.headers.add", "*resp.headers.add_header", "*resp.headers.setdefault", "self.set_header", "self.add_header"},
				Arg: none, AnyArg: true, When: "tainted", RequestOnly: true, Unless: map[string][]string{"#0": notRedirectHeaders}}},
		{ID: "py-header-injection-dict", Family: "header-injection", Languages: py, Severity: medium,
			Title: "Response header from request input", Why: whyHeader, References: refHeader,
			Match: Match{Kind: "pair", Names: []string{"*-*", "Link", "Refresh"}, NotNames: notRedirectHeaders,
				In: []string{"django.http.HttpResponse", "django.http.response.HttpResponse", "flask.Response", "werkzeug.wrappers.Response",
					"werkzeug.Response", "starlette.responses.Response", "fastapi.Response", "fastapi.responses.Response"},
				Arg: none, When: "tainted", RequestOnly: true}},
		{ID: "java-header-injection", Family: "header-injection", Languages: jv, Severity: medium,
			Title: "Response header from request input", Why: whyHeader, References: refHeader,
			Match: Match{Names: []string{"*.setHeader", "*.addHeader", "*ResponseEntity*.header"}, Arg: none, AnyArg: true, When: "tainted",
				RequestOnly: true, Unless: map[string][]string{"#0": notRedirectHeaders}}},
		{ID: "java-cookie-injection", Family: "header-injection", Languages: jv, Severity: medium,
			Title: "Cookie from request input", Why: whyCookieInput, References: refHeader,
			Match: Match{Names: []string{"Cookie", "javax.servlet.http.Cookie", "jakarta.servlet.http.Cookie", "*ResponseCookie.from"},
				Arg: none, AnyArg: true, When: "tainted", RequestOnly: true}},
		// No Go rule: net/http writes a header value with its CR and LF
		// turned into spaces (Header.Write), and echo and gin write
		// through it; their c.Set stores a value in the request context.

		// Open redirect.
		{ID: "py-open-redirect", Family: "open-redirect", Languages: py, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"flask.redirect", "quart.redirect", "werkzeug.utils.redirect", "werkzeug.redirect", "django.shortcuts.redirect",
				"django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect", "django.http.response.HttpResponseRedirect",
				"django.http.response.HttpResponsePermanentRedirect", "starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse",
				"fastapi.RedirectResponse", "bottle.redirect", "pyramid.httpexceptions.HTTPFound", "pyramid.httpexceptions.HTTPSeeOther",
				"sanic.response.redirect", "aiohttp.web.HTTPFound", "aiohttp.web.HTTPSeeOther"},
				Arg: 0, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe, Guards: redirectGuards,
				NotSources: []string{"*request.path*", "*request.url*", "*request.full_path*", "*request.base_url*", "*request.get_full_path*",
					"*request.build_absolute_uri*", "*request.script_root*", "*request.referrer*"}}},
		{ID: "py-open-redirect-header", Family: "open-redirect", Languages: py, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Kind: "assign", Names: locationHeaders, In: pyRespContainers, Arg: none, When: "tainted", RequestOnly: true,
				SafePrefix: redirectSafe, Guards: redirectGuards, NotSources: []string{"*request.path*", "*request.url*", "*request.full_path*"}}},
		{ID: "js-open-redirect", Family: "open-redirect", Languages: js, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"res.redirect", "response.redirect", "ctx.redirect", "ctx.response.redirect", "reply.redirect", "h.redirect",
				"res.location", "*.res.redirect", "NextResponse.redirect", "next/server.NextResponse.redirect"}, Arg: none, AnyArg: true, When: "tainted",
				RequestOnly: true, SafePrefix: redirectSafe, Guards: redirectGuards, NotSources: []string{"req.url", "req.originalUrl", "req.path", "request.url"}}},
		{ID: "js-open-redirect-header", Family: "open-redirect", Languages: js, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: jsHeaderSetters, Require: map[string][]string{"#0": locationHeaders}, Arg: 1, When: "tainted", RequestOnly: true,
				SafePrefix: redirectSafe, Guards: redirectGuards, NotSources: []string{"req.url", "req.originalUrl", "req.path", "request.url"}}},
		{ID: "js-open-redirect-object", Family: "open-redirect", Languages: js, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Kind: "pair", Names: locationHeaders, In: []string{"*.writeHead", "res.set", "res.header", "ctx.set"}, Arg: none, When: "tainted",
				RequestOnly: true, SafePrefix: redirectSafe, Guards: redirectGuards, NotSources: []string{"req.url", "req.originalUrl", "req.path", "request.url"}}},
		{ID: "java-open-redirect", Family: "open-redirect", Languages: jv, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"*.sendRedirect", "*RedirectView", "*.setLocation", "*Response.seeOther", "*Response.temporaryRedirect",
				"*.setRedirect"}, Arg: 0, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe,
				Guards: javaRedirectGuards, NotSources: []string{"*.getRequestURI*", "*.getRequestURL*", "*.getServletPath*"}}},
		{ID: "java-open-redirect-header", Family: "open-redirect", Languages: jv, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"*.setHeader", "*.addHeader"}, Require: map[string][]string{"#0": locationHeaders}, Arg: 1, When: "tainted",
				RequestOnly: true, SafePrefix: redirectSafe, Guards: javaRedirectGuards, NotSources: []string{"*.getRequestURI*", "*.getRequestURL*"}}},
		{ID: "java-open-redirect-spring", Family: "open-redirect", Languages: jv, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Kind: "string", Names: []string{"*"}, Arg: none, When: "tainted", RequestOnly: true, Shape: `^redirect:`,
				SafePrefix: "^redirect:" + strings.TrimPrefix(redirectSafe, "^"), Guards: javaRedirectGuards}},
		{ID: "go-open-redirect", Family: "open-redirect", Languages: gol, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"net/http.Redirect"}, Arg: 2, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe,
				Guards: redirectGuards, NotSources: []string{"r.URL.Path*", "r.URL.String()*", "r.RequestURI*", "r.URL.RequestURI()*", "r.Referer()*"}, Checked: goRedirectChecked}},
		{ID: "go-open-redirect-framework", Family: "open-redirect", Languages: gol, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"$req.Redirect"}, Arg: none, AnyArg: true, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe,
				Guards: redirectGuards, NotSources: []string{"r.URL.Path*", "r.Request.URL.Path*", "r.Path()*", "r.OriginalURL()*", "r.Request.Referer()*"}, Checked: goRedirectChecked}},
		{ID: "go-open-redirect-header", Family: "open-redirect", Languages: gol, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"*.Header().Set", "*.Header().Add", "$req.Header"}, Require: map[string][]string{"#0": locationHeaders},
				Arg: 1, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe, Guards: redirectGuards, Checked: goRedirectChecked}},

		// Log injection.
		{ID: "py-log-injection", Family: "log-injection", Languages: py, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: pyLogs, NotNames: []string{"logging.getLogger", "logging.basicConfig", "logging.*Handler*", "logging.Formatter",
				"logging.config*", "logging.disable", "logging.shutdown", "logging.captureWarnings", "logging.setLoggerClass"},
				Arg: none, AnyArg: true, When: "tainted", RequestOnly: true,
				NotSources: []string{"*request.method*", "*request.remote_addr*", "*request.scheme*", "*request.is_*"}}},
		{ID: "js-log-injection", Family: "log-injection", Languages: js, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: []string{"console.log", "console.info", "console.warn", "console.error", "console.debug", "console.trace"},
				Arg: none, AnyArg: true, When: "tainted", RequestOnly: true, NotSources: append(append(append([]string{}, browserSources...), logSafe...), domSources...)}},
		{ID: "java-log-injection", Family: "log-injection", Languages: jv, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: javaLogs, Arg: none, AnyArg: true, When: "tainted", RequestOnly: true}},
		{ID: "go-log-injection", Family: "log-injection", Languages: gol, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: []string{"log.Print", "log.Printf", "log.Println", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf",
				"log.Panicln", "*logger.Print*", "*Logger.Print*", "*logger.Fatal*", "*Logger.Fatal*"}, Arg: none, AnyArg: true, When: "tainted",
				RequestOnly: true, NotSources: goLogNotSources, Escaped: true}},
		{ID: "go-log-injection-lib", Family: "log-injection", Languages: gol, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: goLogFuncs, Arg: none, AnyArg: true, When: "tainted", RequestOnly: true, NotSources: goLogNotSources, Escaped: true}},
		{ID: "go-log-injection-stdio", Family: "log-injection", Languages: gol, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Names: []string{"fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "github.com/davecgh/go-spew/spew.F*"},
				Require: map[string][]string{"#0": {"os.Stderr", "os.Stdout"}}, Arg: none, AnyArg: true, When: "tainted", RequestOnly: true,
				NotSources: goLogNotSources, Escaped: true}},
		{ID: "go-log-injection-logger", Family: "log-injection", Languages: gol, Severity: low,
			Title: "Request input written to the log", Why: whyLog, References: refLog,
			Match: Match{Method: true, Names: goLogMethods, NotNames: []string{"$req*", "$w*", "t.*", "b.*", "tb.*", "f.*", "*.Header().*", "*.Query().*"},
				Imports: goLogImports, Arg: none, AnyArg: true, When: "tainted", RequestOnly: true, NotSources: goLogNotSources, Escaped: true}},
	}
}

// goLogNotSources are parts of a request that cannot hold a line break.
var goLogNotSources = []string{"r.Method*", "r.RemoteAddr*", "r.Proto*", "r.ContentLength*", "r.Host*"}

// goLogFuncs are the package-level logging functions of Go's common
// logging libraries (and printing to standard output, a server's log).
var goLogFuncs = []string{
	"fmt.Print", "fmt.Printf", "fmt.Println",
	"k8s.io/klog*.Info*", "k8s.io/klog*.Warning*", "k8s.io/klog*.Error*", "k8s.io/klog*.Fatal*", "k8s.io/klog*.Exit*", "k8s.io/klog*.V().Info*",
	"github.com/golang/glog.Info*", "github.com/golang/glog.Warning*", "github.com/golang/glog.Error*", "github.com/golang/glog.Fatal*",
	"github.com/golang/glog.Exit*", "github.com/golang/glog.V().Info*",
	"github.com/sirupsen/logrus.Trace*", "github.com/sirupsen/logrus.Debug*", "github.com/sirupsen/logrus.Info*", "github.com/sirupsen/logrus.Print*",
	"github.com/sirupsen/logrus.Warn*", "github.com/sirupsen/logrus.Error*", "github.com/sirupsen/logrus.Fatal*", "github.com/sirupsen/logrus.Panic*",
	"github.com/sirupsen/logrus.Log*", "github.com/sirupsen/logrus.WithField*", "github.com/sirupsen/logrus.With*().*",
	"github.com/astaxie/beego.Alert", "github.com/astaxie/beego.Critical", "github.com/astaxie/beego.Debug", "github.com/astaxie/beego.Emergency",
	"github.com/astaxie/beego.Error", "github.com/astaxie/beego.Info", "github.com/astaxie/beego.Informational", "github.com/astaxie/beego.Notice",
	"github.com/astaxie/beego.Trace", "github.com/astaxie/beego.Warn", "github.com/astaxie/beego.Warning", "github.com/astaxie/beego/utils.Display",
	"github.com/astaxie/beego/logs.*", "github.com/beego/beego/v2/core/logs.*", "github.com/beego/beego/v2/adapter/logs.*",
	"github.com/davecgh/go-spew/spew.Dump", "github.com/davecgh/go-spew/spew.Print*", "github.com/davecgh/go-spew/spew.Errorf",
	"go.uber.org/zap.L().*", "go.uber.org/zap.S().*",
	"github.com/rs/zerolog/log.*().Msg", "github.com/rs/zerolog/log.*().Msgf", "github.com/rs/zerolog/log.Print*",
	"github.com/apex/log.Info*", "github.com/apex/log.Warn*", "github.com/apex/log.Error*", "github.com/apex/log.Debug*", "github.com/apex/log.Fatal*",
	"github.com/labstack/gommon/log.*",
}

// goLogMethods are the methods of logger values (a *log.Logger, a logrus
// Entry, a zap (Sugared)Logger, klog/glog Verbose, a beego BeeLogger, a
// goproxy ProxyCtx...), taken in files importing a logging library.
var goLogMethods = []string{
	"*.Print", "*.Printf", "*.Println", "*.Fatal", "*.Fatalf", "*.Fatalln", "*.Fatalw", "*.Panic", "*.Panicf", "*.Panicln", "*.Panicw",
	"*.DPanic", "*.DPanicf", "*.DPanicw", "*.Trace", "*.Tracef", "*.Traceln", "*.Debug", "*.Debugf", "*.Debugln", "*.Debugw",
	"*.Info", "*.Infof", "*.Infoln", "*.Infow", "*.Warn", "*.Warnf", "*.Warnln", "*.Warnw", "*.Warning", "*.Warningf", "*.Warningln",
	"*.Error", "*.Errorf", "*.Errorln", "*.Errorw", "*.Log", "*.Logf", "*.Logln", "*.Alert", "*.Critical", "*.Emergency",
	"*.Informational", "*.Notice", "*.Msg", "*.Msgf", "*.WithField", "*.WithFields", "*.Named", "*.With",
}

// goLogImports are the logging libraries whose loggers goLogMethods are
// methods of.
var goLogImports = []string{"log", "github.com/sirupsen/logrus", "go.uber.org/zap", "k8s.io/klog", "k8s.io/klog/v2", "github.com/golang/glog",
	"github.com/astaxie/beego/logs", "github.com/beego/beego/v2/core/logs", "github.com/elazarl/goproxy", "github.com/rs/zerolog",
	"github.com/rs/zerolog/log", "github.com/apex/log", "github.com/op/go-logging", "github.com/inconshreveable/log15",
	"github.com/hashicorp/go-hclog", "github.com/labstack/gommon/log", "github.com/go-kit/log", "github.com/go-kit/kit/log"}
