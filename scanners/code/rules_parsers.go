package code

func init() {
	// How to resolve a finding of the families these rules add.
	familyFixes["xxe"] = "Turn document type declarations off (disallow-doctype-decl), or at least external entities and external DTDs, on the parser before it reads XML from outside (Java: the factory's setFeature/setProperty/setAttribute calls; Python: defusedxml, or lxml with resolve_entities=False and no_network=True; libxmljs: leave noent off)."
	familyFixes["redos"] = "Rewrite the expression so that no repeated part can match the same text in two ways ((a+)+ becomes a+), bound the input's length, or use a linear-time engine (RE2); escape input before it becomes part of a pattern (re.escape, Pattern.quote, lodash escapeRegExp)."
	familyFixes["zip-slip"] = "Resolve each entry's destination and check that it stays under the target directory (normalize it, then a prefix check), or reject names that are absolute or contain `..`; with Python's tarfile pass filter='data'."
	familyFixes["reflection"] = "Map the input to a fixed set of classes, modules, methods or attributes (an allow-list) instead of looking them up by the name it gives."
	// Escaping a value for a regular expression makes it a literal there.
	jsSanitizers = append(jsSanitizers, "_.escapeRegExp", "lodash.escapeRegExp", "lodash.escaperegexp", "escape-string-regexp",
		"*.escapeRegExp", "escapeRegExp")
	javaSanitizers = append(javaSanitizers, "Pattern.quote", "java.util.regex.Pattern.quote")
}

var (
	refXXE        = []string{"CWE-611", "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html"}
	refReDoS      = []string{"CWE-1333", "https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS"}
	refRegexInput = []string{"CWE-1333", "CWE-625"}
	refZipSlip    = []string{"CWE-22", "https://security.snyk.io/research/zip-slip-vulnerability"}
	refReflection = []string{"CWE-470"}
	whyXXEConfig  = "{call} configures an XML parser to resolve external entities or load external DTDs: a document with a crafted DOCTYPE makes it read local files or fetch URLs (XXE), and nested entities exhaust memory."
	whyXXEInput   = "{call} parses XML from {source} with a parser made in this function that reads the document's DTD and resolves external entities, and nothing here turns that off: a document with a crafted DOCTYPE makes it read local files or fetch URLs (XXE), and nested entities exhaust memory."
	whyReDoS      = "{call} compiles a regular expression that repeats a part which can itself match the same text in more than one way ((a+)+, (a|a)*): on a long near-miss input the backtracking engine takes exponential time, so one request can hold a CPU for minutes (ReDoS)."
	whyRegexInput = "{call} compiles a regular expression taken from request input: the sender chooses a pattern that backtracks for minutes (ReDoS) or matches more than intended. Escape the input (re.escape, Pattern.quote, escapeRegExp) to match it literally."
	whyZipSlip    = "{call} joins an archive entry's name to a destination directory without checking the result: an entry named `../../x` (or an absolute path) writes outside the directory, over any file the process can write (zip-slip)."
)

// Calls that harden a Java XML parser (the factory or what it made)
// against external entities, as UnlessCalled entries.
const (
	xmlSecure         = "*.setFeature(*FEATURE_SECURE_PROCESSING|*/feature/secure-processing,true)"
	xmlEntitiesOff    = "*.setFeature(*external-general-entities,false) & *.setFeature(*external-parameter-entities,false)"
	xmlExternalDTDOff = "*.setFeature(*load-external-dtd,false)"
)

var xmlHardened = []string{"*.setFeature(*disallow-doctype-decl,true)", xmlSecure, "*.setEntityResolver",
	`*.setAttribute(*ACCESS_EXTERNAL_DTD|*accessExternalDTD,"")`, `*.setProperty(*ACCESS_EXTERNAL_DTD|*accessExternalDTD,"")`}

// parserRules are the rules on parsers and evaluators: XXE, expression and script engines, ReDoS, archive entries (zip-slip), reflection.
func parserRules() []Rule {
	pyJava := []string{"python", "java"}
	pyJSJava := []string{"python", "javascript", "typescript", "java"}
	lxmlParsers := []string{"lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.etree.ETCompatXMLParser", "lxml.etree.iterparse",
		"lxml.objectify.makeparser"}
	// Calls on the factory (or what it made) that harden it: Java XML
	// parsers resolve external entities unless told not to.
	hardening := []string{"$target.setFeature", "$target.setAttribute", "$target.setProperty", "$target.setEntityResolver",
		"$target.setXMLResolver", "$target.setExpandEntities", "$target.*.setFeature", "$target.*.setProperty",
		"$target.*.setEntityResolver", "*.setEntityResolver", "*.setXMLResolver"}
	pyRegex := []string{"re.*", "regex.*"}
	notPyRegex := []string{"re.escape", "re.purge", "re.error", "regex.escape", "regex.purge", "regex.error"}
	javaRegex := []string{"*Pattern.compile", "*Pattern.matches"}
	javaArchive := []string{"java.util.zip", "java.util.zip.ZipEntry", "java.util.zip.ZipInputStream", "java.util.zip.ZipFile",
		"java.util.jar", "java.util.jar.JarEntry", "java.util.jar.JarFile", "java.util.jar.JarInputStream",
		"org.apache.commons.compress.archivers", "org.apache.commons.compress.archivers.ArchiveEntry",
		"org.apache.commons.compress.archivers.ArchiveInputStream", "org.apache.commons.compress.archivers.tar",
		"org.apache.commons.compress.archivers.tar.TarArchiveEntry", "org.apache.commons.compress.archivers.tar.TarArchiveInputStream",
		"org.apache.commons.compress.archivers.zip", "org.apache.commons.compress.archivers.zip.ZipArchiveEntry",
		"org.apache.commons.compress.archivers.zip.ZipArchiveInputStream", "org.apache.commons.compress.archivers.zip.ZipFile"}
	return []Rule{
		// XXE.
		{ID: "java-xxe-parser-factory", Family: "xxe", Languages: jv, Severity: medium,
			Title:      "XML parser without protection from external entities",
			Why:        "{call} makes an XML parser that, by default, reads the document's DTD and resolves external entities, and nothing in this function turns that off: a document with a crafted DOCTYPE makes it read local files or fetch URLs (XXE), and nested entities exhaust memory.",
			References: refXXE,
			Match: Match{Names: []string{"*DocumentBuilderFactory.newInstance", "*DocumentBuilderFactory.newDefaultInstance",
				"*DocumentBuilderFactory.newNSInstance", "*DocumentBuilderFactory.newDefaultNSInstance",
				"*SAXParserFactory.newInstance", "*SAXParserFactory.newDefaultInstance", "*SAXParserFactory.newNSInstance",
				"*SAXParserFactory.newDefaultNSInstance", "*XMLInputFactory.newInstance", "*XMLInputFactory.newFactory",
				"*XMLInputFactory.newDefaultFactory", "*SchemaFactory.newInstance", "*SchemaFactory.newDefaultInstance", "*XMLReaderFactory.createXMLReader",
				"SAXReader", "org.dom4j.io.SAXReader", "SAXBuilder", "org.jdom2.input.SAXBuilder", "org.jdom.input.SAXBuilder"},
				// A function that makes a new document builds XML rather
				// than parses it.
				Arg: none, When: "any", UnlessCalled: append(hardening, "*.newDocument")}},
		{ID: "java-xxe-transformer", Family: "xxe", Languages: jv, Severity: medium,
			Title:      "XML parser without protection from external entities",
			Why:        "{call} reads a stylesheet with a TransformerFactory that resolves external entities and DTDs, and nothing in this function turns that off: a stylesheet with a crafted DOCTYPE makes it read local files or fetch URLs (XXE).",
			References: refXXE,
			Match: Match{Names: []string{"*TransformerFactory.newInstance().newTransformer", "*TransformerFactory.newInstance().newTemplates",
				"*TransformerFactory.newDefaultInstance().newTransformer", "*.newTransformer", "*.newTemplates", "*.newTransformerHandler"},
				Arg: 0, When: "any", UnlessCalled: []string{"*.setAttribute", "*.setFeature", "*.setURIResolver"}}},
		// The parse of input by a parser made in the same function and
		// not hardened there (a factory made elsewhere is
		// java-xxe-parser-factory's).
		{ID: "java-xxe-parse-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			Match: Match{Names: []string{"*.parse"}, AnyArg: true, When: "tainted", Arg: none,
				IfCalled: []string{"*DocumentBuilderFactory.newInstance", "*DocumentBuilderFactory.newDefaultInstance",
					"*DocumentBuilderFactory.newNSInstance", "*DocumentBuilderFactory.newDefaultNSInstance"},
				UnlessCalled: append(append([]string{}, xmlHardened...), xmlEntitiesOff)}},
		{ID: "java-xxe-sax-parse-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			Match: Match{Names: []string{"*.parse"}, AnyArg: true, When: "tainted", Arg: none,
				IfCalled: []string{"*SAXParserFactory.newInstance", "*SAXParserFactory.newDefaultInstance", "*SAXParserFactory.newNSInstance",
					"*SAXParserFactory.newDefaultNSInstance", "*XMLReaderFactory.createXMLReader", "*.getXMLReader", "Digester",
					"org.apache.commons.digester.Digester", "org.apache.commons.digester3.Digester"},
				UnlessCalled: append(append([]string{}, xmlHardened...), xmlEntitiesOff+" & "+xmlExternalDTDOff)}},
		{ID: "java-xxe-reader-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			// dom4j's SAXReader.read, JDOM's SAXBuilder.build.
			Match: Match{Names: []string{"*.read", "*.build"}, AnyArg: true, When: "tainted", Arg: none,
				IfCalled: []string{"SAXReader", "org.dom4j.io.SAXReader", "SAXBuilder", "org.jdom.input.SAXBuilder",
					"org.jdom2.input.SAXBuilder"},
				UnlessCalled: append(append([]string{}, xmlHardened...), xmlEntitiesOff)}},
		{ID: "java-xxe-stax-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			Match: Match{Names: []string{"*.createXMLStreamReader", "*.createXMLEventReader"}, AnyArg: true, When: "tainted", Arg: none,
				IfCalled:     []string{"*XMLInputFactory.newInstance", "*XMLInputFactory.newFactory", "*XMLInputFactory.newDefaultFactory"},
				UnlessCalled: []string{"*.setProperty(*SUPPORT_DTD|javax.xml.stream.supportDTD,false)", "*.setXMLResolver"}}},
		{ID: "java-xxe-schema-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			Match: Match{Names: []string{"*.newSchema", "*.validate"}, AnyArg: true, When: "tainted", Arg: none,
				IfCalled: []string{"*SchemaFactory.newInstance", "*SchemaFactory.newDefaultInstance"},
				UnlessCalled: []string{xmlSecure, "*.setResourceResolver",
					`*.setProperty(*ACCESS_EXTERNAL_DTD|*accessExternalDTD,"") & *.setProperty(*ACCESS_EXTERNAL_SCHEMA|*accessExternalSchema,"")`}}},
		{ID: "java-xxe-transform-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			Match: Match{Names: []string{"*.transform", "*.newTransformer", "*.newTemplates", "*.newXMLFilter", "*.newTransformerHandler"},
				Arg: 0, When: "tainted",
				IfCalled: []string{"*TransformerFactory.newInstance", "*TransformerFactory.newDefaultInstance"},
				// A source read by a hardened XMLReader is safe too; closing
				// DTDs alone leaves external stylesheets (xsl:import).
				UnlessCalled: append(append([]string{}, xmlHardened[:3]...), xmlEntitiesOff+" & "+xmlExternalDTDOff, "*.setURIResolver",
					`*.setAttribute(*ACCESS_EXTERNAL_DTD|*accessExternalDTD,"") & *.setAttribute(*ACCESS_EXTERNAL_STYLESHEET|*accessExternalStylesheet,"")`)}},
		{ID: "java-xxe-xpath-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			// XPathExpression.evaluate(InputSource) parses the document.
			Match: Match{Names: []string{"*.evaluate", "*.evaluateExpression"}, Arg: 0, When: "tainted", Require: map[string][]string{"#0": {"*InputSource()"}},
				IfCalled: []string{"*XPathFactory.newInstance", "*XPathFactory.newDefaultInstance"}, UnlessCalled: []string{xmlSecure}}},
		{ID: "java-xxe-xpath-input-source", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			// XPath.evaluate(expression, InputSource).
			Match: Match{Names: []string{"*.evaluate", "*.evaluateExpression"}, Arg: 1, When: "tainted", Require: map[string][]string{"#1": {"*InputSource()"}},
				IfCalled: []string{"*XPathFactory.newInstance", "*XPathFactory.newDefaultInstance"}, UnlessCalled: []string{xmlSecure}}},
		{ID: "java-xxe-simplexml-input", Family: "xxe", Languages: jv, Severity: high, LocalSeverity: medium,
			Title: "Input parsed as XML by a parser that resolves external entities", Why: whyXXEInput, References: refXXE,
			// Simple XML's Persister and providers parse with a default
			// StAX or DOM parser.
			Match: Match{Names: []string{"*.read", "*.validate", "*.provide", "*NodeBuilder.read"}, AnyArg: true, When: "tainted", Arg: none,
				Imports: []string{"org.simpleframework.xml.core", "org.simpleframework.xml.core.Persister", "org.simpleframework.xml.stream",
					"org.simpleframework.xml.stream.NodeBuilder", "org.simpleframework.xml.stream.DocumentProvider",
					"org.simpleframework.xml.stream.StreamProvider"},
				IfCalled: []string{"Persister", "org.simpleframework.xml.core.Persister", "*NodeBuilder.read", "DocumentProvider",
					"org.simpleframework.xml.stream.DocumentProvider", "StreamProvider", "org.simpleframework.xml.stream.StreamProvider"}}},
		{ID: "java-xxe-dom4j-parse-text", Family: "xxe", Languages: jv, Severity: medium, TaintRaises: true,
			Title:      "XML parsed without protection from external entities",
			Why:        "{call} parses the text with a default dom4j SAXReader, which resolves external entities: a document with a crafted DOCTYPE makes it read local files or fetch URLs (XXE).",
			References: refXXE,
			Match:      Match{Names: []string{"org.dom4j.DocumentHelper.parseText", "DocumentHelper.parseText"}, Arg: 0, When: "nonconst"}},
		{ID: "xxe-external-entities-on", Family: "xxe", Languages: pyJava, Severity: medium,
			Title: "XML external entities turned on", Why: whyXXEConfig, References: refXXE,
			Match: Match{Names: []string{"*.setFeature", "*.setProperty"},
				Require: map[string][]string{"#0": {"*feature_external_ges", "*feature_external_pes",
					"http://xml.org/sax/features/external-general-entities", "http://xml.org/sax/features/external-parameter-entities",
					"http://apache.org/xml/features/nonvalidating/load-external-dtd", "*IS_SUPPORTING_EXTERNAL_ENTITIES",
					"javax.xml.stream.isSupportingExternalEntities"}},
				Arg: 1, When: "literal", Equals: []string{"True", "true", "1"}}},
		{ID: "java-xxe-doctype-allowed", Family: "xxe", Languages: jv, Severity: medium,
			Title: "XML external entities turned on", Why: whyXXEConfig, References: refXXE,
			Match: Match{Names: []string{"*.setFeature"}, Require: map[string][]string{"#0": {"http://apache.org/xml/features/disallow-doctype-decl"}},
				Arg: 1, When: "literal", Equals: []string{"false"}}},
		{ID: "py-lxml-resolve-entities", Family: "xxe", Languages: py, Severity: medium,
			Title: "XML external entities turned on", Why: whyXXEConfig, References: refXXE,
			Match: Match{Names: lxmlParsers, Arg: none, Keyword: "resolve_entities", When: "literal", Equals: []string{"True", "1"}}},
		{ID: "py-lxml-network", Family: "xxe", Languages: py, Severity: medium,
			Title: "XML external entities turned on", Why: whyXXEConfig, References: refXXE,
			Match: Match{Names: lxmlParsers, Arg: none, Keyword: "no_network", When: "literal", Equals: []string{"False", "0"}}},
		{ID: "py-lxml-load-dtd", Family: "xxe", Languages: py, Severity: medium,
			Title: "XML external entities turned on", Why: whyXXEConfig, References: refXXE,
			Match: Match{Names: lxmlParsers, Arg: none, Keyword: "load_dtd", When: "literal", Equals: []string{"True", "1"}}},
		{ID: "js-libxml-noent", Family: "xxe", Languages: js, Severity: medium,
			Title: "XML external entities turned on", Why: whyXXEConfig, References: refXXE,
			Match: Match{Kind: "pair", Names: []string{"noent"}, In: []string{"libxmljs.*", "libxmljs2.*", "*.parseXml", "*.parseXmlString", "*.parseXmlAsync"},
				Arg: none, When: "literal", Equals: []string{"true"}}},
		// libxmljs's SAX parsers take no options: libxml2's SAX interface
		// substitutes external entities as it reads.
		{ID: "js-libxml-sax-input", Family: "xxe", Languages: js, Severity: medium, TaintRaises: true,
			Title:      "XML from input read by a SAX parser that loads external entities",
			Why:        "{call} reads XML from input with libxmljs's SAX parser, which resolves external entities: a document that declares one reads files from the server or makes requests from it (XXE). Parse with `libxmljs.parseXml` (noent off) instead.",
			References: refXXE,
			Match: Match{Names: []string{"*.parseString", "*.push", "libxmljs.SaxParser().parseString", "libxmljs.SaxPushParser().push",
				"libxmljs2.SaxParser().parseString", "libxmljs2.SaxPushParser().push"},
				IfCalled: []string{"$recv=libxmljs.SaxParser", "$recv=libxmljs.SaxPushParser", "$recv=libxmljs2.SaxParser", "$recv=libxmljs2.SaxPushParser",
					"libxmljs.SaxParser().parseString", "libxmljs.SaxPushParser().push", "libxmljs2.SaxParser().parseString", "libxmljs2.SaxPushParser().push"},
				Arg: 0, When: "tainted"}},

		// Evaluation beyond eval (py-code-eval, js-code-eval, js-code-timer,
		// java-script-eval and java-spel-eval cover the rest).
		{ID: "py-imagemath-eval", Family: "code-injection", Languages: py, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: "{call} evaluates its expression with Python's eval: an expression that is not a constant runs code in this process.",
			References: refCode,
			Match:      Match{Names: []string{"PIL.ImageMath.eval", "PIL.ImageMath.unsafe_eval"}, Arg: 0, Keyword: "expression", When: "nonconst"}},
		{ID: "js-function-body", Family: "code-injection", Languages: js, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"Function", "window.Function", "globalThis.Function", "global.Function"}, Arg: none, AnyArg: true, When: "nonconst"}},
		{ID: "js-code-timer-input", Family: "code-injection", Languages: js, Severity: high,
			Title: "Code executed from request input", Why: "{call} is given a string from request input, which it runs as code: whoever sends the request runs script here.",
			References: refCode,
			Match:      Match{Names: []string{"setTimeout", "setInterval", "window.setTimeout", "window.setInterval", "setImmediate"}, Arg: 0, When: "tainted"}},
		{ID: "java-ognl-eval", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: "{call} evaluates an OGNL expression that is not a constant: OGNL calls methods and constructors, so whoever controls the text runs code (the Struts2 class of RCE).",
			References: refCode,
			Match: Match{Names: []string{"ognl.Ognl.getValue", "ognl.Ognl.setValue", "Ognl.getValue", "Ognl.setValue", "*OgnlUtil.getValue",
				"*OgnlUtil.setValue", "*OgnlUtil.compile", "*OgnlUtil.callMethod"}, Unless: map[string][]string{"#0": {"*parseExpression()", "*compile()"}},
				Arg: 0, When: "nonconst"}},
		{ID: "java-mvel-eval", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: "{call} evaluates an MVEL expression that is not a constant: MVEL calls any method, so whoever controls the text runs code.",
			References: refCode,
			Match: Match{Names: []string{"org.mvel2.MVEL.eval", "MVEL.eval", "*MVEL.evalToString", "*MVEL.evalToBoolean", "*MVEL.compileExpression",
				"*MVEL.compileSetExpression", "*TemplateRuntime.eval", "*TemplateCompiler.compileTemplate"}, Arg: 0, When: "nonconst"}},
		{ID: "java-groovy-eval", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.evaluate", "*GroovyShell().parse", "*.parseClass", "groovy.util.Eval.me", "Eval.me"},
				Imports: []string{"groovy.lang.GroovyShell", "groovy.lang.GroovyClassLoader", "groovy.lang", "groovy.util.Eval", "groovy.util"},
				Arg:     0, When: "nonconst"}},

		// ReDoS.
		{ID: "redos-nested-quantifier", Family: "redos", Languages: pyJSJava, Severity: medium,
			Title: "Regular expression with exponential backtracking", Why: whyReDoS, References: refReDoS,
			Match: Match{Names: append(append([]string{"RegExp", "window.RegExp", "globalThis.RegExp", "regex-literal"}, pyRegex...), javaRegex...),
				NotNames: notPyRegex, Arg: 0, Keyword: "pattern", When: "redos"}},
		{ID: "java-redos-string", Family: "redos", Languages: jv, Severity: medium,
			Title: "Regular expression with exponential backtracking", Why: whyReDoS, References: refReDoS,
			Match: Match{Names: []string{"*.matches", "*.replaceAll", "*.replaceFirst", "*.split"}, Arg: 0, When: "redos"}},
		{ID: "py-regex-from-input", Family: "redos", Languages: py, Severity: medium,
			Title: "Regular expression from request input", Why: whyRegexInput, References: refRegexInput,
			Match: Match{Names: pyRegex, NotNames: notPyRegex, Arg: 0, Keyword: "pattern", When: "tainted", RequestOnly: true}},
		{ID: "js-regex-from-input", Family: "redos", Languages: js, Severity: medium,
			Title: "Regular expression from request input", Why: whyRegexInput, References: refRegexInput,
			Match: Match{Names: []string{"RegExp", "window.RegExp", "globalThis.RegExp"}, Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "java-regex-from-input", Family: "redos", Languages: jv, Severity: medium,
			Title: "Regular expression from request input", Why: whyRegexInput, References: refRegexInput,
			Match: Match{Names: javaRegex, Arg: 0, When: "tainted", RequestOnly: true}},

		// Zip-slip.
		{ID: "java-zip-slip", Family: "zip-slip", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Archive entry name used as a path", Why: whyZipSlip, References: refZipSlip,
			Match: Match{Names: []string{"File", "java.io.File", "FileOutputStream", "java.io.FileOutputStream", "*Paths.get", "*Path.of", "*.resolve"},
				Imports: javaArchive, Arg: none, AnyArg: true, When: "qual", Equals: []string{"*.getName()"},
				UnlessCalled: []string{"*.startsWith"}}},
		{ID: "go-zip-slip", Family: "zip-slip", Languages: gol, Severity: medium, TaintRaises: true,
			Title: "Archive entry name used as a path", Why: whyZipSlip, References: refZipSlip,
			Match: Match{Names: []string{"path/filepath.Join", "path.Join"}, Imports: []string{"archive/zip", "archive/tar"},
				Arg: none, AnyArg: true, When: "qual", Equals: []string{"*.Name"},
				UnlessCalled: []string{"strings.HasPrefix", "path/filepath.IsLocal", "path/filepath.Rel", "strings.Contains"}}},
		{ID: "py-zip-slip", Family: "zip-slip", Languages: py, Severity: medium, TaintRaises: true,
			Title: "Archive entry name used as a path", Why: whyZipSlip, References: refZipSlip,
			Match: Match{Names: []string{"os.path.join", "posixpath.join", "*.joinpath"}, Imports: []string{"zipfile", "tarfile"},
				Arg: none, AnyArg: true, When: "qual", Equals: []string{"*.filename", "*.name"},
				UnlessCalled: []string{"os.path.commonpath", "os.path.commonprefix", "*.startswith", "*.is_relative_to", "*.relative_to"}}},
		{ID: "py-tar-extractall", Family: "zip-slip", Languages: py, Severity: medium,
			Title:      "Tar archive extracted without a filter",
			Why:        "{call} extracts a tar archive without a `filter`: before Python 3.14 members with absolute names, `..` or links pointing outside are written where they say, outside the destination directory (zip-slip).",
			References: refZipSlip,
			Match: Match{Names: []string{"*.extractall", "*.extract"}, NotNames: []string{"*zip*", "*Zip*", "*ZIP*", "zf.*", "z.*"},
				Imports: []string{"tarfile"}, Arg: none, Keyword: "filter", When: "absent",
				Unless: map[string][]string{"members": {"*"}}}},
		{ID: "js-zip-slip", Family: "zip-slip", Languages: js, Severity: medium, TaintRaises: true,
			Title: "Archive entry name used as a path", Why: whyZipSlip, References: refZipSlip,
			Match: Match{Names: []string{"path.join", "path.resolve", "node:path.join", "node:path.resolve", "path.posix.join"},
				Imports: []string{"adm-zip", "unzipper", "yauzl", "tar-stream", "jszip", "node-stream-zip", "unzip-stream", "yauzl-promise"},
				Arg:     none, AnyArg: true, When: "qual", Equals: []string{"*.entryName", "*.fileName", "*.path", "*.name"},
				UnlessCalled: []string{"*.startsWith", "path.relative", "node:path.relative"}}},

		// Reflection.
		{ID: "java-reflection-class", Family: "reflection", Languages: jv, Severity: high,
			Title:      "Class loaded by a name from request input",
			Why:        "{call} loads a class named by request input: the sender picks any class on the classpath, whose static initializer or constructor then runs (unsafe reflection).",
			References: refReflection,
			Match:      Match{Names: []string{"Class.forName", "java.lang.Class.forName", "*.loadClass"}, Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "java-reflection-method", Family: "reflection", Languages: jv, Severity: medium,
			Title:      "Method or field looked up by a name from request input",
			Why:        "{call} looks up a method or field named by request input: the sender chooses which member is then invoked or read, including ones never meant to be reachable (unsafe reflection).",
			References: refReflection,
			Match: Match{Names: []string{"*.getMethod", "*.getDeclaredMethod", "*.getDeclaredField", "*.getClass().getField", "*.class.getField",
				"*Class.getField", "*lass.getField", "*lazz.getField"},
				Arg: 0, When: "tainted", RequestOnly: true}},
		{ID: "py-reflection-import", Family: "reflection", Languages: py, Severity: high,
			Title:      "Module imported by a name from request input",
			Why:        "{call} imports a module named by request input: the sender picks any importable module, whose top-level code then runs (unsafe reflection).",
			References: refReflection,
			Match: Match{Names: []string{"importlib.import_module", "__import__", "importlib.__import__", "builtins.__import__"},
				Arg: 0, Keyword: "name", When: "tainted", RequestOnly: true}},
		{ID: "js-reflection-call", Family: "reflection", Languages: js, Severity: medium,
			Title:      "Method called by a name from request input",
			Why:        "{call} calls the member named by request input: the sender picks any method of the object, inherited ones included (constructor, __proto__ and the like), rather than one of those meant to be called (unsafe reflection).",
			References: refReflection,
			Match:      Match{Names: []string{"computed-call"}, Arg: 0, When: "tainted", RequestOnly: true, SafePrefix: `.`}},
		{ID: "py-getattr-input", Family: "reflection", Languages: py, Severity: medium,
			Title:      "Attribute looked up by a name from request input",
			Why:        "{call} reads an attribute named by request input: the sender reaches any attribute or method of the object, private ones and dunders included (unsafe reflection).",
			References: refReflection,
			Match:      Match{Names: []string{"getattr", "builtins.getattr"}, Arg: 1, When: "tainted", RequestOnly: true}},
	}
}
