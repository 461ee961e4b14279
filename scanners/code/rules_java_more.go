package code

// javaPkgs lists a package and its classes as the import names a file may
// spell (import org.apache.commons.jexl3.*; or one class at a time).
func javaPkgs(pkgs []string, classes ...string) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p)
		for _, c := range classes {
			out = append(out, p+"."+c)
		}
	}
	return out
}

// notPasswordWord matches a literal of three or more non-space characters
// other than the word "password" itself (a key or auth-method name, as in
// AUTH_PASSWORD = "password").
const notPasswordWord = `^(?i)(\S{3,7}|\S{9,}|[^p]\S{7}|p[^a]\S{6}|pa[^s]\S{5}|pas[^s]\S{4}|pass[^w]\S{3}|passw[^o]\S{2}|passwo[^r]\S|passwor[^d])$`

// weakCipherAlg matches the names of broken ciphers as the JCE spells them
// for keys.
const weakCipherAlg = `(?i)^(des|desede|tripledes|rc4|rc2|arcfour|blowfish)(/|$)`

// javaMoreRules are Java rules on expression and template engines evaluated
// from request input (the evaluation as well as the parse), programs started
// through a Runtime held in a variable and Apache Commons Exec, TLS sockets
// and engines without endpoint identification, predictable seeds of
// SecureRandom, and credentials in fields, comparisons and key stores.
func javaMoreRules() []Rule {
	const (
		whyExprInput = "{call} evaluates an expression parsed from request input: the expression language calls methods and constructors, so whoever sends the request runs code in this process. Keep expressions constant and pass input as variables (or evaluate in a restricted context: SpEL's SimpleEvaluationContext, a JEXL sandbox)."
		whySSTI      = "{call} compiles a template from request input: template directives in it run in the server (server-side template injection), which in Velocity, FreeMarker, Pebble, Thymeleaf and Jinjava reaches Java methods. Render a fixed template and pass the input as a variable."
		whyEndpoint  = "{call} makes a TLS socket or engine without endpoint identification: SSLSocket and SSLEngine check the certificate chain but not that it names the host, so any valid certificate for another name is accepted (man in the middle). Set SSLParameters.setEndpointIdentificationAlgorithm(\"HTTPS\") before the handshake."
		whySeed      = "{call} seeds the secure random generator with a constant or the clock: seeded that way SecureRandom (SHA1PRNG) produces the same, or a guessable, sequence, and every key, token or nonce drawn from it is predictable. Let SecureRandom seed itself."
		whyCredField = "{call} holds a credential written into the source: everyone who can read the repository (and its history) has it. Load it from the environment or a secret store."
		whyRandGen   = "{call} returns a value from a predictable random generator (java.util.Random, which RandomStringUtils and Math.random use) as a token, key or password: an attacker who sees a few outputs can compute the generator's state and every value it makes next. Draw from SecureRandom (RandomStringUtils.secure(), or random(count, 0, 0, true, true, null, secureRandom))."
		whyCredCmp   = "{call} compares a password with a literal: the password is written into the source, and everyone who can read the repository (and its history) can log in. Check credentials against a salted hash kept outside the code."
	)
	refSSTI := []string{"CWE-1336", "CWE-94"}
	refSeed := []string{"CWE-335", "CWE-337"}
	refEndpoint := []string{"CWE-297", "CWE-295"}
	spel := javaPkgs([]string{"org.springframework.expression", "org.springframework.expression.spel.standard",
		"org.springframework.expression.spel.support", "org.springframework.expression.common"},
		"Expression", "ExpressionParser", "SpelExpressionParser", "SpelExpression", "StandardEvaluationContext", "EvaluationContext",
		"TemplateParserContext")
	jexl := javaPkgs([]string{"org.apache.commons.jexl3", "org.apache.commons.jexl2"}, "JexlEngine", "JexlBuilder", "JexlExpression",
		"JexlScript", "JxltEngine", "Expression", "Script", "UnifiedJEXL", "MapContext", "JexlContext")
	jexlSandbox := []string{"*.sandbox", "JexlSandbox", "org.apache.commons.jexl3.introspection.JexlSandbox", "Sandbox",
		"org.apache.commons.jexl2.introspection.Sandbox", "*.permissions"}
	mvel := javaPkgs([]string{"org.mvel2", "org.mvel2.compiler", "org.mvel2.templates", "org.mvel2.jsr223"}, "MVEL", "MVELRuntime",
		"ExpressionCompiler", "CompiledExpression", "CompiledAccExpression", "ExecutableStatement", "TemplateRuntime", "TemplateCompiler",
		"CompiledTemplate", "MvelScriptEngine", "MvelCompiledScript", "ParserContext")
	groovy := javaPkgs([]string{"groovy.lang", "groovy.util"}, "GroovyShell", "GroovyClassLoader", "Eval", "GroovyCodeSource", "Script")
	groovyControl := javaPkgs([]string{"org.codehaus.groovy.control"}, "CompilationUnit", "CompilerConfiguration")
	jsr223 := javaPkgs([]string{"javax.script", "jdk.nashorn.api.scripting", "org.openjdk.nashorn.api.scripting"}, "ScriptEngine",
		"ScriptEngineManager", "Compilable", "CompiledScript", "NashornScriptEngineFactory", "NashornScriptEngine", "ScriptEngineFactory")
	rhino := javaPkgs([]string{"org.mozilla.javascript"}, "Context", "Scriptable", "ScriptableObject", "ContextFactory")
	shells := javaPkgs([]string{"bsh", "jdk.jshell"}, "Interpreter", "JShell")
	velocity := javaPkgs([]string{"org.apache.velocity.app", "org.apache.velocity.runtime", "org.apache.velocity"}, "Velocity",
		"VelocityEngine", "RuntimeServices", "RuntimeSingleton", "RuntimeInstance", "VelocityContext", "Template")
	velocityRepo := javaPkgs([]string{"org.apache.velocity.runtime.resource.util"}, "StringResourceRepository", "StringResourceRepositoryImpl")
	freemarker := javaPkgs([]string{"freemarker.template"}, "Template", "Configuration")
	freemarkerLoader := javaPkgs([]string{"freemarker.cache"}, "StringTemplateLoader")
	pebble := javaPkgs([]string{"com.mitchellbosecke.pebble", "io.pebbletemplates.pebble"}, "PebbleEngine")
	thymeleaf := javaPkgs([]string{"org.thymeleaf", "org.thymeleaf.spring5", "org.thymeleaf.spring6", "org.thymeleaf.spring4"},
		"TemplateEngine", "ITemplateEngine", "SpringTemplateEngine")
	jinjava := javaPkgs([]string{"com.hubspot.jinjava"}, "Jinjava")
	commonsExec := javaPkgs([]string{"org.apache.commons.exec"}, "CommandLine", "DefaultExecutor", "Executor")
	ssl := javaPkgs([]string{"javax.net.ssl"}, "SSLContext", "SSLSocket", "SSLSocketFactory", "SSLEngine", "SSLParameters")
	secureRandom := []string{"java.security.SecureRandom", "java.security"}
	keyStores := javaPkgs([]string{"java.security", "javax.net.ssl"}, "KeyStore", "KeyManagerFactory", "TrustManagerFactory")
	springLDAP := javaPkgs([]string{"org.springframework.ldap.core", "org.springframework.ldap.query", "org.springframework.ldap.support",
		"org.springframework.ldap.filter"}, "LdapTemplate", "LdapOperations", "LdapQueryBuilder", "LdapQuery", "LdapNameBuilder", "LdapUtils",
		"DistinguishedName", "HardcodedFilter")
	apacheLDAP := javaPkgs([]string{"org.apache.directory.ldap.client.api", "org.apache.directory.api.ldap.model.message"}, "LdapConnection",
		"LdapNetworkConnection", "LdapAsyncConnection", "SearchRequest", "SearchRequestImpl")
	redirectImports := javaPkgs([]string{"org.springframework.http", "javax.ws.rs.core", "jakarta.ws.rs.core"}, "ResponseEntity",
		"HttpHeaders", "HttpStatus", "Response")
	redirectNot := []string{"*.getRequestURI*", "*.getRequestURL*", "*.getServletPath*"}
	endpointSet := "*.setEndpointIdentificationAlgorithm(HTTPS|https|LDAPS|ldaps|Https)"
	timeSeeds := []string{"System.currentTimeMillis()", "System.nanoTime()", "*Date().getTime()", "*.currentTimeMillis()",
		"*.nanoTime()", "*Instant.now().toEpochMilli()", "*Instant.now().getEpochSecond()", "*.getTimeInMillis()"}
	passwordNames := []string{"*password", "*Password", "*PASSWORD", "*passwd", "*Passwd", "*PASSWD", "pwd", "*Pwd", "*PWD", "*passcode", "*Passcode",
		"*PASSCODE", "*passphrase",
		"*Passphrase", "*PASSPHRASE", "*_PASS", "pass"}
	getterNames := []string{"get*Password", "get*Passwd", "get*Passphrase", "get*Secret", "get*SecretKey", "get*ApiKey", "*password",
		"*Password", "*passwd", "*Passwd"}
	credentialKeys := []string{"*Context.SECURITY_CREDENTIALS", "Context.SECURITY_CREDENTIALS", "java.naming.security.credentials",
		"password", "mail.password", "mail.smtp.password", "mail.smtps.password", "mail.imap.password", "javax.net.ssl.keyStorePassword",
		"javax.net.ssl.trustStorePassword", "hibernate.connection.password", "javax.persistence.jdbc.password", "jakarta.persistence.jdbc.password",
		"spring.datasource.password", "*AvailableSettings.PASS", "*AvailableSettings.JAKARTA_JDBC_PASSWORD", "*Environment.PASS"}
	keySpecs := []string{"SecretKeySpec", "javax.crypto.spec.SecretKeySpec", "DESKeySpec", "javax.crypto.spec.DESKeySpec", "DESedeKeySpec",
		"javax.crypto.spec.DESedeKeySpec"}
	pairCmp := []string{"*Objects.equals", "*StringUtils.equals", "*StringUtils.equalsIgnoreCase", "*Arrays.equals", "*MessageDigest.isEqual",
		"*Strings.CS.equals", "*Strings.CI.equals"}
	userNames := []string{"*username", "*Username", "*userName", "*UserName", "*USERNAME", "*userid", "*userId", "*UserId", "*USERID", "*user_name",
		"*USER_NAME", "*user_id", "*USER_ID"}
	var userCmp []string
	for _, n := range userNames {
		userCmp = append(userCmp, n+".equals", n+".equalsIgnoreCase")
	}
	var cmpNames []string
	for _, n := range passwordNames {
		cmpNames = append(cmpNames, n+".equals", n+".equalsIgnoreCase", n+".contentEquals", n+".compareTo")
	}
	return []Rule{
		// Expression languages: the evaluation of an expression parsed
		// here from input (the parse itself is java-spel-eval's).
		{ID: "java-spel-value-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.getValue", "*.setValue", "*.getValueType", "*.getValueTypeDescriptor"}, Imports: spel, Arg: none, When: "any",
				IfCalled: []string{"$recv=*.parseExpression($input)", "$recv=*.parseRaw($input)"},
				UnlessCalled: []string{"*SimpleEvaluationContext.forReadOnlyDataBinding", "*SimpleEvaluationContext.forReadWriteDataBinding",
					"*SimpleEvaluationContext.forPropertyAccessors"}}},
		{ID: "java-jexl-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.createExpression", "*.createScript", "*.createTemplate"}, Imports: jexl, Arg: none, AnyArg: true,
				When: "tainted", UnlessCalled: jexlSandbox}},
		{ID: "java-jexl-evaluate-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.evaluate", "*.execute", "*.callable", "*.prepare"}, Imports: jexl, Arg: none, When: "any",
				IfCalled: []string{"$recv=*.createExpression($input)", "$recv=*.createScript($input)", "$recv=*.createTemplate($input)",
					"$recv=*.parse($input)", "$recv=*.createScript(*,$input)", "$recv=*.createTemplate(*,$input)"},
				UnlessCalled: jexlSandbox}},
		{ID: "java-jexl-property-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			// JexlEngine.getProperty(bean, expr) evaluates expr.
			Match: Match{Names: []string{"*.getProperty", "*.setProperty"}, NotNames: []string{"System.*", "*roperties.*", "*props.*", "*Props.*"},
				Imports: jexl, Arg: 1, When: "tainted", UnlessCalled: jexlSandbox}},
		{ID: "java-mvel-execute-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*MVEL.executeExpression", "*MVEL.executeAllExpression", "*MVEL.executeSetExpression", "*MVEL.evalToString",
				"*MVELRuntime.execute", "*TemplateRuntime.execute", "*MVEL.executeDebugger"}, Imports: mvel, Arg: none, AnyArg: true, When: "tainted"}},
		{ID: "java-mvel-compiled-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			// ce = new ExpressionCompiler(input).compile(); ce.getValue(...).
			Match: Match{Names: []string{"*.getValue", "*.getDirectValue", "*.eval", "*.evaluate"}, Imports: mvel, Arg: none, When: "any",
				IfCalled: []string{"$recv=*.compile & ExpressionCompiler($input)", "$recv=*.compile & org.mvel2.compiler.ExpressionCompiler($input)", "$recv=*MVEL.compileExpression($input)",
					"$recv=*.compileExpression($input)", "$recv=*.compile($input)", "$recv=MvelCompiledScript(*,$input)",
					"$recv=org.mvel2.jsr223.MvelCompiledScript(*,$input)"}}},
		{ID: "java-mvel-script-engine-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Expression evaluated from request input", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.evaluate", "*.eval", "*.compile", "*.compiledScript"},
				Imports: javaPkgs([]string{"org.mvel2.jsr223"}, "MvelScriptEngine", "MvelCompiledScript"), Arg: none, AnyArg: true, When: "tainted"}},
		{ID: "java-groovy-run-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Code executed from request input", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.run", "*.evaluate"}, Imports: groovy, Arg: 0, When: "tainted",
				IfCalled: []string{"GroovyShell", "groovy.lang.GroovyShell"}}},
		{ID: "java-groovy-eval-x", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*Eval.x"}, Imports: groovy, Arg: 1, When: "nonconst"}},
		{ID: "java-groovy-eval-xy", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*Eval.xy"}, Imports: groovy, Arg: 2, When: "nonconst"}},
		{ID: "java-groovy-eval-xyz", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*Eval.xyz"}, Imports: groovy, Arg: 3, When: "nonconst"}},
		{ID: "java-groovy-compile-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Code executed from request input", Why: whyEval, References: refCode,
			// cu.addSource(name, input); cu.compile().
			Match: Match{Names: []string{"*.compile"}, Imports: groovyControl, Arg: none, When: "any",
				IfCalled: []string{"*.addSource(*,$input)"}}},
		{ID: "java-script-compile-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Code executed from request input", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.compile", "*.eval"}, NotNames: []string{"*Pattern.compile", "Pattern.compile"}, Imports: jsr223,
				Arg: 0, When: "tainted"}},
		{ID: "java-script-compiled-eval-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Code executed from request input", Why: whyEval, References: refCode,
			// cs = ((Compilable) engine).compile(input); cs.eval().
			Match: Match{Names: []string{"*.eval"}, Imports: jsr223, Arg: none, When: "any", IfCalled: []string{"$recv=*.compile($input)"}}},
		{ID: "java-rhino-eval-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Code executed from request input", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.evaluateString", "*.compileString", "*.evaluateReader", "*.compileReader", "*.compileFunction"},
				Imports: rhino, Arg: none, AnyArg: true, When: "tainted"}},
		{ID: "java-shell-eval-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Code executed from request input", Why: whyEval, References: refCode,
			// BeanShell's Interpreter.eval, JShell.eval.
			Match: Match{Names: []string{"*.eval", "*.source"}, Imports: shells, Arg: 0, When: "tainted"}},

		// The same evaluations of an expression that is a parameter or
		// other variable (audit; raised when it is request input).
		{ID: "java-jexl-evaluate-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.evaluate", "*.execute", "*.callable", "*.prepare"}, Imports: jexl, Arg: none, When: "any",
				IfCalled: []string{"$recv=*.createExpression($var)", "$recv=*.createScript($var)", "$recv=*.createTemplate($var)",
					"$recv=*.parse($var)", "$recv=*.createScript(*,$var)", "$recv=*.createTemplate(*,$var)"},
				UnlessCalled: jexlSandbox}},
		{ID: "java-jexl-create-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: whyExprInput, References: refCode,
			// jexl.createExpression(expr).evaluate(ctx) in one chain.
			Match: Match{Names: []string{"*.createExpression().evaluate", "*.createScript().execute", "*.createTemplate().evaluate",
				"*.createScript().callable", "*.createExpression().prepare", "*.parse().evaluate", "*.parse().prepare"}, Imports: jexl, Arg: none, When: "any",
				// (UnifiedJEXL's parse(expr).evaluate(ctx).)
				IfCalled: []string{"*.createExpression($var)", "*.createScript($var)", "*.createTemplate($var)", "*.parse($var)"}, UnlessCalled: jexlSandbox}},
		{ID: "java-jexl-property-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.getProperty", "*.setProperty"}, NotNames: []string{"System.*", "*roperties.*", "*props.*", "*Props.*"},
				Imports: jexl, Arg: 1, When: "nonconst", UnlessCalled: jexlSandbox, IfCalled: []string{"$recv=*.create", "$recv=JexlEngine",
					"$recv=*.createJexlEngine"}}},
		{ID: "java-mvel-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.getValue", "*.getDirectValue", "*.eval", "*.evaluate"}, Imports: mvel, Arg: none, When: "any",
				IfCalled: []string{"$recv=*.compile & ExpressionCompiler($var)", "$recv=*.compile & org.mvel2.compiler.ExpressionCompiler($var)",
					"$recv=*.compileExpression($var)", "$recv=*.compile($var)", "$recv=CompiledAccExpression($var)",
					"$recv=org.mvel2.compiler.CompiledAccExpression($var)", "$recv=MvelCompiledScript & *.compileExpression($var)",
					"$recv=*.compile & TemplateCompiler($var)"}}},
		{ID: "java-mvel-template-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*TemplateRuntime.execute", "*MVEL.executeExpression", "*MVELRuntime.execute"}, Imports: mvel, Arg: none,
				When: "any", IfCalled: []string{"TemplateCompiler($var)", "*.compileTemplate($var)", "*.compileExpression($var)", "ExpressionCompiler($var)",
					"org.mvel2.compiler.ExpressionCompiler($var)"}}},
		{ID: "java-mvel-script-engine-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", Why: whyExprInput, References: refCode,
			Match: Match{Names: []string{"*.evaluate", "*.eval"}, Imports: javaPkgs([]string{"org.mvel2.jsr223"}, "MvelScriptEngine", "MvelCompiledScript"),
				Arg: none, When: "any", IfCalled: []string{"*.compiledScript($var)", "$recv=*.compile($var)"}}},
		{ID: "java-shell-eval-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			// JShell's eval and source analysis (which compiles), BeanShell's eval.
			Match: Match{Names: []string{"*.eval", "*.wrappers", "*.analyzeCompletion", "*.sourceToSnippets"}, Imports: shells, Arg: 0, When: "nonconst"}},
		{ID: "java-spring-script-source-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			// new BshScriptEvaluator().evaluate(new StaticScriptSource(code)).
			Match: Match{Names: []string{"*.evaluate"}, Imports: javaPkgs([]string{"org.springframework.scripting.support", "org.springframework.scripting.bsh",
				"org.springframework.scripting.groovy", "org.springframework.scripting"}, "StaticScriptSource", "BshScriptEvaluator", "GroovyScriptEvaluator",
				"StandardScriptEvaluator", "ScriptEvaluator"), Arg: none, When: "any",
				IfCalled: []string{"StaticScriptSource($var)", "*.setScript($var)", "org.springframework.scripting.support.StaticScriptSource($var)"}}},
		{ID: "java-script-compile-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.compile"}, NotNames: []string{"*Pattern.compile", "Pattern.compile"}, Imports: jsr223, Arg: 0, When: "nonconst"}},
		{ID: "java-groovy-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			Match: Match{Names: []string{"*.run", "*.parse", "*.parse().run"}, Imports: groovy, Arg: 0, When: "nonconst",
				IfCalled: []string{"GroovyShell", "groovy.lang.GroovyShell"}}},
		{ID: "java-groovy-eval-me-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			// Eval.me(name, value, script).
			Match: Match{Names: []string{"*Eval.me"}, Imports: groovy, Arg: 2, When: "nonconst"}},
		{ID: "java-ognl-parsed-var", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression evaluated from a variable", References: refCode,
			Why: "{call} evaluates an OGNL expression parsed from a value that is not a constant: OGNL calls methods and constructors, so whoever controls the text runs code (the Struts2 class of RCE).",
			Match: Match{Names: []string{"*Ognl.getValue", "*Ognl.setValue", "*.getValue", "*.setValue"}, Imports: []string{"ognl", "ognl.Ognl", "ognl.Node"},
				Arg: none, When: "any", IfCalled: []string{"*Ognl.parseExpression($var)", "*.parseExpression($var)"}}},

		// LDAP: Apache Directory's SearchRequest, given its filter or base
		// from input, then searched.
		{ID: "java-ldapi-apache-request", Family: "ldapi", Languages: jv, Severity: high,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			Match: Match{Names: []string{"*.search", "*.searchAsync"}, Imports: apacheLDAP, Arg: 0, When: "any",
				IfCalled: []string{"*.setFilter($input)", "*.setBase($input)"}}},
		{ID: "java-ldapi-unboundid-base", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP name built from strings", References: refLDAP,
			Why: "{call} sets the search base to a DN built from a variable: input that carries `,` or `=` moves the search to another part of the directory. Escape DN values (DN.escape / RDN) or build the name from an allow-list.",
			Match: Match{Names: []string{"*.setBaseDN", "*SearchRequest", "*ReadOnlySearchRequest"}, Imports: javaPkgs([]string{"com.unboundid.ldap.sdk"},
				"SearchRequest", "LDAPConnection", "ReadOnlySearchRequest", "LDAPConnectionPool"), Arg: 0, When: "injection"}},
		{ID: "java-ldapi-unboundid-any", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			// The filter's place moves with the overload: search(listener, base,
			// scope, filter), search(base, scope, deref, size, time, typesOnly, filter).
			Match: Match{Names: []string{"*.search", "*.searchForEntry", "*.asyncSearch", "*SearchRequest", "*ReadOnlySearchRequest"},
				Imports: javaPkgs([]string{"com.unboundid.ldap.sdk"}, "SearchRequest", "LDAPConnection", "ReadOnlySearchRequest", "LDAPConnectionPool",
					"LDAPInterface"), Arg: none, AnyArg: true, When: "injection"}},
		{ID: "java-ldapi-apache-base", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP name built from strings", References: refLDAP,
			Why:   "{call} sets the search base to a DN built from a variable: input that carries `,` or `=` moves the search to another part of the directory. Escape DN values (Rdn.escapeValue) or build the name from an allow-list.",
			Match: Match{Names: []string{"*.setBase"}, Imports: apacheLDAP, Arg: 0, When: "injection"}},

		// Spring LDAP: a search base or a DN built from input
		// (query().base(dn), LdapNameBuilder.newInstance(dn).add(rdn),
		// LdapUtils.newLdapName(dn), new DistinguishedName(dn)), and a
		// template given a query or name that carries input.
		{ID: "java-ldapi-spring-name", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP name built from strings", References: refLDAP,
			Why: "{call} builds an LDAP name or search base from a variable: input that carries `,` or `=` moves the operation to another part of the directory. Escape DN values (LdapEncoder.nameEncode, Rdn.escapeValue) or build the name from an allow-list.",
			Match: Match{Names: []string{"*.base", "*LdapNameBuilder.newInstance", "*LdapUtils.newLdapName", "DistinguishedName", "*.DistinguishedName"},
				Imports: springLDAP, Arg: 0, When: "injection"}},
		{ID: "java-ldapi-spring-name-add", Family: "ldapi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "LDAP name built from strings", References: refLDAP,
			Why: "{call} adds a name component built from a variable: input that carries `,` or `=` moves the operation to another part of the directory. Add the attribute and value separately (add(\"uid\", value)), which escapes the value.",
			Match: Match{Names: []string{"*LdapNameBuilder.newInstance().add", "*LdapNameBuilder.newInstance(*).add", "*.add"}, Imports: springLDAP,
				Arg: 0, When: "injection", IfCalled: []string{"*LdapNameBuilder.newInstance"},
				// add(key, value) escapes the value.
				Unless: map[string][]string{"#1": {"*"}}}},
		{ID: "java-ldapi-spring-template", Family: "ldapi", Languages: jv, Severity: high,
			Title: "LDAP filter built from strings", Why: whyLDAP, References: refLDAP,
			// t.find(q, Person.class) where q = query().filter("(uid=" + x + ")").
			Match: Match{Names: []string{"*.find", "*.findOne", "*.search", "*.searchForContext", "*.searchForObject", "*.authenticate",
				"*.findByDn", "*.lookup", "*.lookupContext", "*.unbind", "*.rename"}, Imports: springLDAP, Arg: 0, When: "tainted"}},

		{ID: "java-spring-view-from-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Spring view name from request input", References: refSSTI,
			Why: "{call} returns a view name built from request input from a Spring MVC controller: the view resolver reads it as a template name, and Thymeleaf evaluates `__${...}__` expressions in it (and fragment selectors after `::`), so whoever sends the request runs SpEL in the server. Choose the view from a fixed set, or return void / @ResponseBody where no view is meant.",
			// Not "redirect:" or "forward:" (java-open-redirect-spring's).
			Match: Match{Kind: "pair", Names: []string{"view"}, In: []string{"spring-mvc"}, Arg: none, When: "tainted", RequestOnly: true,
				Shape: `^([^rf]|r[^e]|re[^d]|f[^o]|fo[^r])`}},

		{ID: "java-spring-model-and-view-from-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Spring view name from request input", References: refSSTI,
			Why: "{call} sets a view name built from request input: the view resolver reads it as a template name, and Thymeleaf evaluates `__${...}__` expressions in it (and fragment selectors after `::`), so whoever sends the request runs SpEL in the server. Choose the view from a fixed set.",
			// new ModelAndView("user/" + lang), mav.setViewName(...); not
			// "redirect:" or "forward:".
			Match: Match{Names: []string{"ModelAndView", "*.ModelAndView", "*.setViewName"},
				Imports: javaPkgs([]string{"org.springframework.web.servlet"}, "ModelAndView"), Arg: 0, When: "tainted", RequestOnly: true,
				Shape: `^([^rf]|r[^e]|re[^d]|f[^o]|fo[^r])`}},
		{ID: "java-jython-exec-input", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			// Jython's PythonInterpreter.exec/eval, InteractiveInterpreter.runsource
			// (audit for a parameter, raised for request input).
			Match: Match{Names: []string{"*.exec", "*.eval", "*.compile", "*.runsource", "*.runcode", "*.execfile"},
				NotNames: []string{"*Runtime*.exec", "*untime.exec"},
				Imports:  javaPkgs([]string{"org.python.util", "org.python.core"}, "PythonInterpreter", "InteractiveInterpreter", "Py"),
				Arg:      0, When: "nonconst"}},

		{ID: "java-mail-no-server-identity", Family: "tls", Languages: jv, Severity: medium,
			Title: "Mail over TLS without a server identity check",
			Why: "{call} makes a JavaMail session with SSL or STARTTLS turned on but without `mail.<protocol>.ssl.checkserveridentity` set to true: " +
				"JavaMail then accepts a certificate issued for any host, so anyone on the network path can pose as the mail server and read the " +
				"credentials and mail. Set `mail.<protocol>.ssl.checkserveridentity` to \"true\" (the default from Jakarta Mail 2.0.2 on).",
			References: []string{"CWE-297", "https://javaee.github.io/javamail/docs/api/com/sun/mail/smtp/package-summary.html"},
			Match: Match{Names: []string{"*Session.getInstance", "*Session.getDefaultInstance"},
				Imports: javaPkgs([]string{"javax.mail", "jakarta.mail"}, "Session"), Arg: 0, When: "unset",
				Pattern:    `(?m)^mail\.[a-z0-9]+\.(ssl\.enable|starttls\.enable|starttls\.required)=true$`,
				NotPattern: `(?m)^mail\.[a-z0-9]+\.ssl\.checkserveridentity=(true|\?)$`}},
		{ID: "java-commons-email-no-server-identity", Family: "tls", Languages: jv, Severity: medium,
			Title: "Mail over TLS without a server identity check",
			Why: "{call} sends mail over SSL or STARTTLS with Apache Commons Email without `setSSLCheckServerIdentity(true)`: the server's " +
				"certificate is accepted for any host name, so anyone on the network path can pose as the mail server. Call " +
				"`setSSLCheckServerIdentity(true)` on the email.",
			References: []string{"CWE-297", "https://commons.apache.org/proper/commons-email/apidocs/org/apache/commons/mail/Email.html#setSSLCheckServerIdentity(boolean)"},
			Match: Match{Names: []string{"*.setSSLOnConnect", "*.setStartTLSEnabled", "*.setStartTLSRequired", "*.setTLS", "*.setSSL"},
				Imports: javaPkgs([]string{"org.apache.commons.mail"}, "Email", "SimpleEmail", "HtmlEmail", "MultiPartEmail", "ImageHtmlEmail"),
				Arg:     0, When: "literal", Equals: []string{"true"}, UnlessCalled: []string{"*.setSSLCheckServerIdentity(true)"}}},
		{ID: "java-hostname-verify-ignored", Family: "tls", Languages: jv, Severity: medium,
			Title: "Host name verification result ignored",
			Why: "{call} checks the server's host name against its certificate and throws the answer away: the connection goes on to a " +
				"server that may not be the one named, so anyone on the network path can pose as it. Close the connection (or throw " +
				"SSLPeerUnverifiedException) when verify returns false.",
			References: []string{"CWE-297", "https://docs.oracle.com/en/java/javase/17/docs/api/java.base/javax/net/ssl/HostnameVerifier.html"},
			Match: Match{Names: []string{"hostname-verify-ignored"}, Imports: javaPkgs([]string{"javax.net.ssl"}, "HostnameVerifier", "HttpsURLConnection", "SSLSession", "SSLSocket"),
				Arg: none, When: "any"}},
		{ID: "java-el-eval-input", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression Language evaluated from a variable", Why: whyEval, References: refCode,
			// Jakarta/Java EE Expression Language: new ELProcessor().eval(expr),
			// getValue(expr, type), setValue(expr, v).
			Match: Match{Names: []string{"*.eval", "*.getValue", "*.setValue"},
				Imports: javaPkgs([]string{"javax.el", "jakarta.el"}, "ELProcessor"),
				Arg:     0, When: "nonconst", IfCalled: []string{"$recv=ELProcessor", "$recv=javax.el.ELProcessor", "$recv=jakarta.el.ELProcessor"}}},
		{ID: "java-el-expression-input", Family: "code-injection", Languages: jv, Severity: medium, TaintRaises: true,
			Title: "Expression Language evaluated from a variable", Why: whyEval, References: refCode,
			// factory.createValueExpression(context, expr, type) and
			// createMethodExpression (javax.el, jakarta.el, JUEL).
			Match: Match{Names: []string{"*.createValueExpression", "*.createMethodExpression"},
				Imports: javaPkgs([]string{"javax.el", "jakarta.el", "de.odysseus.el"}, "ExpressionFactory", "ExpressionFactoryImpl", "ELContext"),
				Arg:     1, When: "nonconst"}},
		{ID: "java-bean-validation-template", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Validation message template built from the validated value", References: refCode,
			Why:   "{call} builds a Bean Validation message template from a value that is not a constant: Hibernate Validator interpolates `${...}` in the template as Expression Language, so a validated value (request input, as a rule) that carries an expression runs code in the server. Pass the value as a message parameter (HibernateConstraintValidatorContext.addMessageParameter) and keep the template constant.",
			Match: Match{Names: []string{"*.buildConstraintViolationWithTemplate"}, Arg: 0, When: "nonconst"}},

		// Templates compiled from input.
		{ID: "java-velocity-evaluate-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.evaluate"}, Imports: velocity, Arg: 3, When: "tainted"}},
		{ID: "java-velocity-parse-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.parse"}, Imports: velocity, Arg: 0, When: "tainted"}},
		{ID: "java-velocity-string-resource-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.putStringResource"}, Imports: append(append([]string{}, velocityRepo...), velocity...), Arg: 1, When: "tainted"}},
		{ID: "java-freemarker-template-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"Template", "freemarker.template.Template"}, Imports: freemarker, Arg: 1, When: "tainted"}},
		{ID: "java-freemarker-template-source-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			// new Template(name, sourceName, reader, cfg[, encoding]).
			Match: Match{Names: []string{"Template", "freemarker.template.Template"}, Imports: freemarker, Arg: 2, When: "tainted"}},
		{ID: "java-freemarker-loader-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.putTemplate"}, Imports: freemarkerLoader, Arg: 1, When: "tainted"}},
		{ID: "java-pebble-template-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.getLiteralTemplate", "*.getTemplate"}, Imports: pebble, Arg: 0, When: "tainted"}},
		{ID: "java-thymeleaf-process-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.process", "*.processThrottled"}, Imports: thymeleaf, Arg: 0, When: "tainted"}},
		{ID: "java-jinjava-render-input", Family: "code-injection", Languages: jv, Severity: high,
			Title: "Template compiled from request input", Why: whySSTI, References: refSSTI,
			Match: Match{Names: []string{"*.render", "*.renderForResult"}, Imports: jinjava, Arg: 0, When: "tainted"}},

		// Commands.
		{ID: "java-jsch-exec-command", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Remote command built from strings", Why: whyExec, References: refCmdi,
			// ChannelExec.setCommand runs the string in the remote user's shell.
			Match: Match{Names: []string{"*.setCommand"}, Imports: javaPkgs([]string{"com.jcraft.jsch"}, "ChannelExec", "JSch", "Session", "Channel"),
				Arg: 0, When: "injection"}},
		{ID: "java-runtime-exec-var", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			// Runtime rt = Runtime.getRuntime(); rt.exec(...).
			Match: Match{Names: []string{"*.exec"}, Arg: 0, When: "command", IfCalled: []string{"$recv=*.getRuntime"}}},
		{ID: "java-exec-argument-input", Family: "cmdi", Languages: jv, Severity: medium,
			Title: "Request input passed as a program's argument", References: []string{"CWE-88", "CWE-78"},
			Why: "{call} starts a fixed program with an argument from request input: a value that starts with `-` is read as an option (argument injection: `--output=/etc/...`, `-oProxyCommand=...`), which many programs turn into file writes or command execution. Validate the value against an allow-list and put `--` before it.",
			// new ProcessBuilder("ping", "-c", "1", host), exec(new String[]{"ping", host}).
			Match: Match{Names: []string{"*getRuntime().exec", "ProcessBuilder", "java.lang.ProcessBuilder", "*.command"}, Arg: 0, Rest: true,
				When: "tainted", RequestOnly: true}},
		{ID: "java-exec-argument-input-var", Family: "cmdi", Languages: jv, Severity: medium,
			Title: "Request input passed as a program's argument", References: []string{"CWE-88", "CWE-78"},
			Why:   "{call} starts a fixed program with an argument from request input: a value that starts with `-` is read as an option (argument injection), which many programs turn into file writes or command execution. Validate the value against an allow-list and put `--` before it.",
			Match: Match{Names: []string{"*.exec"}, Arg: 0, When: "tainted", RequestOnly: true, IfCalled: []string{"$recv=*.getRuntime"}}},
		{ID: "java-runtime-exec-var-string", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"*.exec"}, Arg: 0, When: "strbuilt", IfCalled: []string{"$recv=*.getRuntime"}}},
		{ID: "java-runtime-exec-field", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			// A Runtime kept in a field or parameter named for it.
			Match: Match{Names: []string{"*untime.exec", "*UNTIME.exec"}, Arg: 0, When: "command"}},
		{ID: "java-commons-exec-input", Family: "cmdi", Languages: jv, Severity: high,
			Title: "Command line built from request input", Why: whyExec, References: refCmdi,
			// CommandLine.parse and addArguments split a string into
			// arguments; new CommandLine(x) names the program.
			Match: Match{Names: []string{"*CommandLine.parse", "CommandLine", "org.apache.commons.exec.CommandLine", "*.addArguments"},
				Imports: commonsExec, Arg: 0, When: "tainted"}},

		// TLS without endpoint identification.
		{ID: "java-ssl-socket-no-endpoint-id", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			Match: Match{Names: []string{"*.createSocket"}, Imports: ssl, Arg: none, When: "any",
				IfCalled:     []string{"*.getSocketFactory", "*SSLSocketFactory.getDefault"},
				UnlessCalled: []string{endpointSet, "*.verify", "*.setHostnameVerifier"}}},
		{ID: "java-ssl-engine-no-endpoint-id", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			// A server's engine (setUseClientMode(false)) needs none, nor
			// one made only to list the protocols or ciphers it supports.
			Match: Match{Names: []string{"*.createSSLEngine"}, Arg: none, When: "any",
				UnlessCalled: []string{endpointSet, "*.setUseClientMode(false)", "*.setNeedClientAuth", "*.setWantClientAuth", "*.verify",
					"*.getSupportedProtocols", "*.getSupportedCipherSuites", "*.getEnabledProtocols", "*.getEnabledCipherSuites"}}},
		{ID: "java-ssl-socket-connect-no-endpoint-id", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			// socket = (SSLSocket) factory.createSocket(); socket.connect(addr).
			Match: Match{Names: []string{"*.connect", "*.startHandshake"}, Imports: ssl, Arg: none, When: "any",
				IfCalled:     []string{"$recv=*.createSocket"},
				UnlessCalled: []string{endpointSet, "*.verify", "*.setHostnameVerifier"}}},
		{ID: "java-ssl-engine-use-no-endpoint-id", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			// The handshake of an engine made here without endpoint identification.
			Match: Match{Names: []string{"*.beginHandshake", "*.wrap", "*.unwrap"}, Imports: ssl, Arg: none, When: "any",
				IfCalled:     []string{"$recv=*.createSSLEngine"},
				UnlessCalled: []string{endpointSet, "*.setUseClientMode(false)", "*.setNeedClientAuth", "*.setWantClientAuth", "*.verify"}}},
		{ID: "java-endpoint-id-disabled", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			Match: Match{Names: []string{"*.setEndpointIdentificationAlgorithm"}, Arg: 0, When: "literal", Equals: []string{"null", ""}}},

		{ID: "java-ssl-socket-no-endpoint-id-named", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			// A socket factory kept in a variable named for TLS.
			Match: Match{Names: []string{"*ssl*.createSocket", "*Ssl*.createSocket", "*SSL*.createSocket", "*tls*.createSocket", "*Tls*.createSocket"},
				Imports: ssl, Arg: none, When: "any", UnlessCalled: []string{endpointSet, "*.verify", "*.setHostnameVerifier"}}},
		{ID: "java-rabbitmq-no-hostname-verification", Family: "tls", Languages: jv, Severity: medium,
			Title: "TLS socket without hostname verification", Why: whyEndpoint, References: refEndpoint,
			Match: Match{Names: []string{"*.useSslProtocol"}, Imports: javaPkgs([]string{"com.rabbitmq.client"}, "ConnectionFactory"), Arg: none,
				When: "any", UnlessCalled: []string{"*.enableHostnameVerification"}}},
		{ID: "java-ssl-context-trust-all", Family: "tls", Languages: jv, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			// ctx.init(null, new TrustManager[]{ new X509TrustManager() { empty checkServerTrusted } }, null).
			Match: Match{Names: []string{"*.init"}, Arg: 1, When: "elem", Equals: []string{trustAllManager}, Checked: javaTLSFlag}},

		// Keys for broken ciphers.
		{ID: "java-weak-cipher-key", Family: "weak-crypto", Languages: jv, Severity: high,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			Match: Match{Names: []string{"javax.crypto.KeyGenerator.getInstance", "KeyGenerator.getInstance", "javax.crypto.SecretKeyFactory.getInstance",
				"SecretKeyFactory.getInstance"}, Arg: 0, When: "matches", Pattern: weakCipherAlg}},
		{ID: "java-weak-cipher-key-spec", Family: "weak-crypto", Languages: jv, Severity: high,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			Match: Match{Names: []string{"SecretKeySpec", "javax.crypto.spec.SecretKeySpec"}, Arg: 1, When: "matches", Pattern: weakCipherAlg}},

		// Predictable seeds.
		{ID: "java-predictable-seed", Family: "weak-random", Languages: jv, Severity: medium,
			Title: "Secure random generator with a predictable seed", Why: whySeed, References: refSeed,
			Match: Match{Names: []string{"*.setSeed", "SecureRandom", "java.security.SecureRandom"}, Imports: secureRandom, Arg: 0, When: "const"}},
		{ID: "java-predictable-seed-time", Family: "weak-random", Languages: jv, Severity: medium,
			Title: "Secure random generator with a predictable seed", Why: whySeed, References: refSeed,
			Match: Match{Names: []string{"*.setSeed", "SecureRandom", "java.security.SecureRandom"}, Imports: secureRandom, Arg: 0, When: "qual",
				Equals: timeSeeds}},

		{ID: "java-weak-random-generator", Family: "weak-random", Languages: jv, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRandGen, References: refRand,
			// generateActivationKey() { return RandomStringUtils.randomAlphanumeric(20); }
			// (JHipster's RandomUtil, CVE-2019-16303).
			Match: Match{Kind: "pair", Names: []string{"*"}, In: []string{"returns"}, Arg: none, When: "matches", Target: tokenTargets + `|(?i:series)`,
				Pattern: `^(\w+\.)*(RandomStringUtils\.random\w+|Math\.random|(java\.util\.)?Random\(\)\.next\w+|ThreadLocalRandom\.current\(\)\.next\w+)$`}},

		{ID: "java-cookie-no-secure", Family: "cookie", Languages: jv, Severity: low,
			Title: "Cookie sent without the Secure flag", References: refCookie,
			Why: "{call} sends a cookie made here without setSecure(true): the browser also sends it over plain HTTP, where anyone on the network path reads it (a session or token cookie is then theirs). Call setSecure(true) (or set it from request.isSecure() behind a TLS proxy).",
			// c = new Cookie(...); response.addCookie(c), with no
			// setSecure(true) (nor setSecure(x)) and not a deletion
			// (setMaxAge(0)).
			Match: Match{Names: []string{"*.addCookie"}, Imports: javaPkgs([]string{"javax.servlet.http", "jakarta.servlet.http"}, "Cookie",
				"HttpServletResponse"), Arg: none, When: "any",
				IfCalled:     []string{"Cookie", "javax.servlet.http.Cookie", "jakarta.servlet.http.Cookie"},
				UnlessCalled: []string{"*.setSecure(true)", "*.setSecure($var)", "*.setMaxAge(0)"}}},

		// Redirects through Spring's and JAX-RS's response builders.
		{ID: "java-open-redirect-builder", Family: "open-redirect", Languages: jv, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			// ResponseEntity.status(FOUND).location(uri), Response.status(302).location(uri).
			Match: Match{Names: []string{"*.location"}, Imports: redirectImports, Arg: 0, When: "tainted", RequestOnly: true,
				SafePrefix: redirectSafe, Guards: javaRedirectGuards, NotSources: redirectNot}},
		{ID: "java-open-redirect-header-builder", Family: "open-redirect", Languages: jv, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			// .header("Location", u), headers.add/set(HttpHeaders.LOCATION, u).
			Match: Match{Names: []string{"*.header", "*.add", "*.set", "*.put", "*.putIfAbsent"}, Imports: redirectImports,
				Require: map[string][]string{"#0": append([]string{"*HttpHeaders.LOCATION", "*.LOCATION"}, locationHeaders...)}, Arg: 1,
				When: "tainted", RequestOnly: true, SafePrefix: redirectSafe, Guards: javaRedirectGuards, NotSources: redirectNot}},
		{ID: "java-open-redirect-view-url", Family: "open-redirect", Languages: jv, Severity: medium,
			Title: "Redirect to a URL from request input", Why: whyRedirect, References: refRedirect,
			Match: Match{Names: []string{"*.setUrl"}, Arg: 0, When: "tainted", RequestOnly: true, SafePrefix: redirectSafe, Guards: javaRedirectGuards,
				NotSources: redirectNot, IfCalled: []string{"$recv=RedirectView", "$recv=org.springframework.web.servlet.view.RedirectView"}}},

		// Credentials.
		{ID: "java-hardcoded-password-field", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCredField, References: refCred,
			Match: Match{Kind: "assign", Names: passwordNames, Arg: none, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-hardcoded-password-getter", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCredField, References: refCred,
			// String getPassword() { return "..."; }
			Match: Match{Kind: "pair", Names: getterNames, In: []string{"returns-literal"}, Arg: none, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-db-user", Family: "hardcoded-credential", Languages: jv, Severity: low,
			Title: "Hard-coded database account", References: refCred,
			Why:   "{call} logs in with a user name written into the source: the account is fixed in every deployment and known to whoever reads the repository, and usually comes with a password kept the same way. Load the account from configuration.",
			Match: Match{Names: []string{"*DriverManager.getConnection"}, Arg: 1, When: "matches", Pattern: `^\S{2,}$`}},
		{ID: "java-hardcoded-password-compare", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Password compared with a literal", Why: whyCredCmp, References: refCred,
			Match: Match{Names: cmpNames, Arg: 0, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-hardcoded-password-compare-util", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Password compared with a literal", Why: whyCredCmp, References: refCred,
			// Objects.equals(password, "..."), StringUtils.equals, Arrays.equals(pw, "...".toCharArray()).
			Match: Match{Names: pairCmp, Require: map[string][]string{"#0": passwordNames}, Arg: 1, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-hardcoded-password-compare-util-first", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Password compared with a literal", Why: whyCredCmp, References: refCred,
			Match: Match{Names: pairCmp, Require: map[string][]string{"#1": passwordNames}, Arg: 0, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-hardcoded-keystore-password", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// ks = KeyStore.getInstance(...); ks.load(in, "...".toCharArray()).
			Match: Match{Names: []string{"*.load", "*.init", "*.getKey", "*.setKeyEntry", "*.getEntry"}, Imports: keyStores, Arg: 1, When: "matches",
				Pattern: `.`, IfCalled: []string{"$recv=*KeyStore.getInstance", "$recv=*KeyManagerFactory.getInstance"}}},
		{ID: "java-hardcoded-password-protection", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*KeyStore.PasswordProtection", "PasswordProtection"},
				Arg: 0, When: "matches", Pattern: `.`}},
		{ID: "java-hardcoded-credential-arg1", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// The password (or secret key) second: SSH logins (Trilead,
			// Ganymed, sshj), AWS keys, Spring Security tokens.
			Match: Match{Names: []string{"*.authenticateWithPassword", "*.authPassword", "BasicAWSCredentials", "*.BasicAWSCredentials",
				"*AwsBasicCredentials.create", "BasicSessionCredentials", "*.BasicSessionCredentials", "UsernamePasswordAuthenticationToken",
				"*.UsernamePasswordAuthenticationToken", "*.withBasicAuth", "*.basicAuthentication", "*.basicAuth", "*HttpHeaders.encodeBasicAuth",
				"*.setBasicAuth", "BasicAuthenticationInterceptor", "*.BasicAuthenticationInterceptor"},
				Arg: 1, When: "matches", Pattern: `^\S{3,}$`}},
		{ID: "java-hardcoded-ftp-login", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.login"}, Imports: javaPkgs([]string{"org.apache.commons.net.ftp"}, "FTPClient", "FTPSClient", "FTP"),
				Arg: 1, When: "matches", Pattern: `^\S{3,}$`}},
		{ID: "java-hardcoded-mongo-credential", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// MongoCredential.createCredential(user, database, password).
			Match: Match{Names: []string{"*MongoCredential.create*Credential"}, Arg: 2, When: "matches", Pattern: `^\S{3,}$`}},
		{ID: "java-hardcoded-mail-password", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// transport.connect(host, user, password) / store.connect(host, user, password).
			Match: Match{Names: []string{"*.connect"}, Imports: javaPkgs([]string{"javax.mail", "jakarta.mail"}, "Transport", "Store", "Session"),
				Arg: 2, When: "matches", Pattern: `^\S{3,}$`}},
		{ID: "java-hardcoded-client-secret", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// Azure identity builders, Spring's DataSourceBuilder.
			Match: Match{Names: []string{"*.clientSecret", "*.password"}, Imports: []string{"com.azure.identity", "com.azure.identity.ClientSecretCredentialBuilder",
				"com.azure.identity.UsernamePasswordCredentialBuilder", "org.springframework.boot.jdbc.DataSourceBuilder", "org.springframework.boot.jdbc"},
				Arg: 0, When: "matches", Pattern: `^\S{3,}$`}},
		{ID: "java-shiro-hardcoded-cipher-key", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", References: refCred,
			Why: "{call} sets Shiro's remember-me cipher key from a constant: whoever knows the key (and published keys are tried first) forges remember-me cookies that Shiro deserializes, which runs code (Shiro-550). Generate a random key per deployment and load it from configuration.",
			Match: Match{Names: []string{"*.setCipherKey", "*.setEncryptionCipherKey", "*.setDecryptionCipherKey"}, Arg: 0, When: "constcall",
				Equals: []string{"*Base64.decode()", "*.decode()", "*.getBytes()", "*.decodeBase64()", "*.decodeHex()"}}},
		{ID: "java-hardcoded-naming-credentials", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// env.put(Context.SECURITY_CREDENTIALS, "..."), props.setProperty("mail.smtp.password", "...").
			Match: Match{Names: []string{"*.put", "*.setProperty", "*.putIfAbsent"}, Require: map[string][]string{"#0": credentialKeys}, Arg: 1,
				When: "matches", Pattern: `^\S{3,}$`}},
		{ID: "java-hardcoded-key-bytes", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// new SecretKeySpec(new byte[]{1, 2, ...}, "AES"), a key spelled out as bytes.
			Match: Match{Names: keySpecs, Arg: 0, When: "const"}},
		{ID: "java-hardcoded-key-spec-more", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// DES key specs and Kerberos keys from a literal, Apache MINA SSHD and
			// j2ssh password identities.
			Match: Match{Names: []string{"DESKeySpec", "javax.crypto.spec.DESKeySpec", "DESedeKeySpec", "javax.crypto.spec.DESedeKeySpec",
				"*.addPasswordIdentity"}, Arg: 0, When: "matches", Pattern: `.`}},
		{ID: "java-hardcoded-kerberos-key", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"KerberosKey", "javax.security.auth.kerberos.KerberosKey", "KerberosPrincipal.*", "*.authenticateWithKeyboardInteractive"},
				Arg: 1, When: "matches", Pattern: `.`}},
		{ID: "java-jsch-identity-passphrase", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.addIdentity"}, Imports: javaPkgs([]string{"com.jcraft.jsch"}, "JSch", "Session"), Arg: 1, When: "matches",
				Pattern: `.`}},

		// Credentials in the file's own calls, compared first, spelled out
		// as characters, or in a JDBC URL (after the rules above, which
		// name the same sites more precisely).
		{ID: "java-hardcoded-password-param", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// new User("alice", "s3cret") where the file's User(String name,
			// String password): a literal passed to a parameter named for a
			// credential.
			Match: Match{Kind: "pair", Names: []string{"*"}, In: []string{"param-literal"}, Arg: none, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-hardcoded-user-compare", Family: "hardcoded-credential", Languages: jv, Severity: low,
			Title: "Account name compared with a literal", References: refCred,
			Why:   "{call} compares an account name with a literal: the code singles out an account fixed in the source (a built-in administrator, a back door). Keep roles and accounts in configuration or the user store.",
			Match: Match{Names: userCmp, Arg: 0, When: "matches", Pattern: `^\S{2,}$`}},
		{ID: "java-hardcoded-user-compare-literal-first", Family: "hardcoded-credential", Languages: jv, Severity: low,
			Title: "Account name compared with a literal", References: refCred,
			Why:   "{call} compares an account name with a literal: the code singles out an account fixed in the source (a built-in administrator, a back door). Keep roles and accounts in configuration or the user store.",
			Match: Match{Kind: "pair", Names: userNames, In: []string{"compared-literal"}, Arg: none, When: "matches", Pattern: `^\S{2,}$`}},
		{ID: "java-hardcoded-password-compare-literal-first", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Password compared with a literal", Why: whyCredCmp, References: refCred,
			// "s3cret".equals(password).
			Match: Match{Kind: "pair", Names: passwordNames, In: []string{"compared-literal"}, Arg: none, When: "matches", Pattern: notPasswordWord}},
		{ID: "java-hardcoded-password-chars", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// new PasswordAuthentication(user, new char[]{'s', 'e', ...}): a
			// password spelled out as characters or bytes.
			Match: Match{Names: []string{"PasswordAuthentication", "java.net.PasswordAuthentication", "javax.mail.PasswordAuthentication",
				"jakarta.mail.PasswordAuthentication", "KerberosKey", "javax.security.auth.kerberos.KerberosKey"}, Arg: 1, When: "const"}},
		{ID: "java-hardcoded-password-chars-first", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"PBEKeySpec", "javax.crypto.spec.PBEKeySpec", "*KeyStore.PasswordProtection", "PasswordProtection"},
				Arg: 0, When: "const"}},
		{ID: "java-db-url-password", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// getConnection("jdbc:mysql://db/app?user=app&password=s3cret").
			Match: Match{Names: []string{"*DriverManager.getConnection", "*.setUrl", "*.setJdbcUrl", "*.setURL"}, Arg: 0, When: "matches",
				Pattern: `(?i)(password|pwd)=[^&;\s$]{3,}|//[^/:@\s]+:[^/@\s$]{3,}@`}},
	}
}
