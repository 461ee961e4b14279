package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// javaMoreSamples are the samples of javaMoreRules (rules_java_more.go),
// with javaFlowSamples (rules_java_flow_samples_test.go).
func javaMoreSamples() map[string][]scannertest.Sample {
	all := javaMoreSamplesBase()
	for id, ss := range javaFlowSamples() {
		all[id] = append(all[id], ss...)
	}
	return all
}

func javaMoreSamplesBase() map[string][]scannertest.Sample {
	const (
		imSpel     = "import org.springframework.expression.*;\nimport org.springframework.expression.spel.standard.SpelExpressionParser;\nimport org.springframework.expression.spel.support.*;"
		imJexl     = "import org.apache.commons.jexl3.*;"
		imMvel     = "import org.mvel2.MVEL;\nimport org.mvel2.compiler.*;"
		imGroovy   = "import groovy.lang.GroovyShell;\nimport groovy.util.Eval;"
		imScript   = "import javax.script.*;"
		imVelocity = "import org.apache.velocity.app.Velocity;\nimport org.apache.velocity.VelocityContext;\nimport org.apache.velocity.runtime.RuntimeSingleton;"
		imSSL      = "import javax.net.ssl.*;"
		imSR       = "import java.security.SecureRandom;"
		imKS       = "import java.security.KeyStore;\nimport javax.net.ssl.KeyManagerFactory;"
	)
	return map[string][]scannertest.Sample{
		"code/java-spel-value-input": {
			pos("A.java", javaReq(imSpel, "Expression e = new SpelExpressionParser().parseExpression(x);\nObject v = e.getValue();\n")),
			neg("A.java", javaReq(imSpel, "Expression e = new SpelExpressionParser().parseExpression(\"name\");\nObject v = e.getValue(x);\n")),
			neg("A.java", javaReq(imSpel, "Expression e = new SpelExpressionParser().parseExpression(x);\nEvaluationContext c = SimpleEvaluationContext.forReadOnlyDataBinding().build();\nObject v = e.getValue(c);\n")),
		},
		"code/java-jexl-input": {
			pos("A.java", javaReq(imJexl, "JexlEngine j = new JexlBuilder().create();\nj.createExpression(x).evaluate(new MapContext());\n")),
			neg("A.java", javaReq(imJexl, "JexlEngine j = new JexlBuilder().create();\nj.createExpression(\"a + b\").evaluate(new MapContext());\n")),
			neg("A.java", javaReq(imJexl+"\nimport org.apache.commons.jexl3.introspection.JexlSandbox;", "JexlEngine j = new JexlBuilder().sandbox(new JexlSandbox(false)).create();\nj.createExpression(x).evaluate(new MapContext());\n")),
		},
		"code/java-jexl-evaluate-input": {
			pos("A.java", javaReq(imJexl, "JexlScript s = engine.createScript(x);\ns.execute(new MapContext());\n")),
			neg("A.java", javaReq(imJexl, "JexlScript s = engine.createScript(\"a.b()\");\ns.execute(new MapContext());\n")),
		},
		"code/java-jexl-property-input": {
			pos("A.java", javaReq(imJexl, "Object v = new JexlBuilder().create().getProperty(bean, x);\n")),
			neg("A.java", javaReq(imJexl, "Object v = new JexlBuilder().create().getProperty(bean, \"name\");\n")),
		},
		"code/java-mvel-execute-input": {
			pos("A.java", javaReq(imMvel, "java.io.Serializable c = MVEL.compileExpression(x);\nMVEL.executeExpression(c);\n")),
			neg("A.java", javaReq(imMvel, "java.io.Serializable c = MVEL.compileExpression(\"a + b\");\nMVEL.executeExpression(c, vars);\n")),
		},
		"code/java-mvel-compiled-input": {
			pos("A.java", javaReq(imMvel, "ExpressionCompiler comp = new ExpressionCompiler(x);\nCompiledExpression ce = comp.compile();\nce.getValue(null, null);\n")),
			neg("A.java", javaReq(imMvel, "ExpressionCompiler comp = new ExpressionCompiler(\"a + b\");\nCompiledExpression ce = comp.compile();\nce.getValue(null, null);\n")),
		},
		"code/java-mvel-script-engine-input": {
			pos("A.java", javaReq("import org.mvel2.jsr223.MvelScriptEngine;", "MvelScriptEngine e = new MvelScriptEngine();\ne.evaluate(x, ctx);\n")),
			neg("A.java", javaReq("import org.mvel2.jsr223.MvelScriptEngine;", "MvelScriptEngine e = new MvelScriptEngine();\ne.evaluate(\"a + b\", ctx);\n")),
		},
		"code/java-groovy-run-input": {
			pos("A.java", javaReq(imGroovy, "GroovyShell sh = new GroovyShell();\nsh.run(x, \"s.groovy\", new String[0]);\n")),
			neg("A.java", javaReq(imGroovy, "GroovyShell sh = new GroovyShell();\nsh.run(\"println 1\", \"s.groovy\", new String[]{x});\n")),
		},
		"code/java-groovy-eval-x": {
			pos("A.java", javaReq(imGroovy, "Object v = Eval.x(1, x);\n")),
			neg("A.java", javaReq(imGroovy, "Object v = Eval.x(x, \"x + 1\");\n")),
		},
		"code/java-groovy-eval-xy": {
			pos("A.java", javaReq(imGroovy, "Object v = Eval.xy(1, 2, x);\n")),
			neg("A.java", javaReq(imGroovy, "Object v = Eval.xy(x, 2, \"x + y\");\n")),
		},
		"code/java-groovy-eval-xyz": {
			pos("A.java", javaReq(imGroovy, "Object v = Eval.xyz(1, 2, 3, x);\n")),
			neg("A.java", javaReq(imGroovy, "Object v = Eval.xyz(x, 2, 3, \"x + y + z\");\n")),
		},
		"code/java-groovy-compile-input": {
			pos("A.java", javaReq("import org.codehaus.groovy.control.CompilationUnit;", "CompilationUnit cu = new CompilationUnit();\ncu.addSource(\"s\", x);\ncu.compile();\n")),
			neg("A.java", javaReq("import org.codehaus.groovy.control.CompilationUnit;", "CompilationUnit cu = new CompilationUnit();\ncu.addSource(\"s\", \"println 1\");\ncu.compile();\n")),
		},
		"code/java-script-compile-input": {
			pos("A.java", javaReq(imScript, "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\nCompiledScript s = ((Compilable) e).compile(x);\n")),
			neg("A.java", javaReq(imScript, "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\nCompiledScript s = ((Compilable) e).compile(\"1 + 2\");\n")),
			neg("A.java", javaReq(imScript+"\nimport java.util.regex.Pattern;", "Pattern p = Pattern.compile(x);\n")),
		},
		"code/java-rhino-eval-input": {
			pos("A.java", javaReq("import org.mozilla.javascript.Context;", "Context c = Context.enter();\nc.evaluateString(c.initStandardObjects(), x, \"s\", 1, null);\n")),
			neg("A.java", javaReq("import org.mozilla.javascript.Context;", "Context c = Context.enter();\nc.evaluateString(c.initStandardObjects(), \"1 + 2\", \"s\", 1, null);\n")),
		},
		"code/java-shell-eval-input": {
			pos("A.java", javaReq("import bsh.Interpreter;", "new Interpreter().eval(x);\n")),
			neg("A.java", javaReq("import bsh.Interpreter;", "Interpreter i = new Interpreter();\ni.set(\"v\", x);\ni.eval(\"v.length()\");\n")),
		},
		"code/java-ldapi-apache-request": {
			pos("A.java", javaReq("import org.apache.directory.ldap.client.api.*;\nimport org.apache.directory.api.ldap.model.message.*;", "SearchRequest r = new SearchRequestImpl();\nr.setFilter(\"(uid=\" + x + \")\");\nconn.search(r);\n")),
			neg("A.java", javaReq("import org.apache.directory.ldap.client.api.*;\nimport org.apache.directory.api.ldap.model.message.*;", "SearchRequest r = new SearchRequestImpl();\nr.setFilter(\"(uid=admin)\");\nconn.search(r);\n")),
		},
		"code/java-ldapi-apache-base": {
			pos("A.java", javaReq("import org.apache.directory.api.ldap.model.message.*;\nimport org.apache.directory.api.ldap.model.name.Dn;", "SearchRequest r = new SearchRequestImpl();\nr.setBase(new Dn(\"ou=\" + x));\n")),
			neg("A.java", javaReq("import org.apache.directory.api.ldap.model.message.*;\nimport org.apache.directory.api.ldap.model.name.Dn;", "SearchRequest r = new SearchRequestImpl();\nr.setBase(new Dn(\"ou=people\"));\n")),
		},
		"code/java-spring-view-from-input": {
			pos("A.java", "import org.springframework.stereotype.Controller;\nimport org.springframework.web.bind.annotation.*;\n@Controller\nclass C {\n  @GetMapping(\"/p\")\n  public String path(@RequestParam String lang) {\n    return \"user/\" + lang + \"/welcome\";\n  }\n}\n"),
			neg("A.java", "import org.springframework.stereotype.Controller;\nimport org.springframework.web.bind.annotation.*;\n@Controller\nclass C {\n  @GetMapping(\"/p\")\n  @ResponseBody\n  public String path(@RequestParam String lang) {\n    return \"user/\" + lang + \"/welcome\";\n  }\n}\n"),
			neg("A.java", "import org.springframework.web.bind.annotation.*;\n@RestController\nclass C {\n  @GetMapping(\"/p\")\n  public String path(@RequestParam String lang) {\n    return \"user/\" + lang + \"/welcome\";\n  }\n}\n"),
			neg("A.java", "import org.springframework.stereotype.Controller;\nimport org.springframework.web.bind.annotation.*;\n@Controller\nclass C {\n  @GetMapping(\"/p\")\n  public String path(@RequestParam String url) {\n    return \"redirect:/home?u=\" + url;\n  }\n}\n"),
		},
		"code/java-jython-exec-input": {
			pos("A.java", javaReq("import org.python.util.PythonInterpreter;", "PythonInterpreter p = new PythonInterpreter();\np.exec(x);\n")),
			neg("A.java", javaReq("import org.python.util.PythonInterpreter;", "PythonInterpreter p = new PythonInterpreter();\np.set(\"v\", x);\np.exec(\"print(v)\");\n")),
			pos("A.java", javaFn("import org.python.util.PythonInterpreter;", "PythonInterpreter p = new PythonInterpreter();\np.eval(x);\n")),
		},
		"code/java-mail-no-server-identity": {
			pos("A.java", javaFn("import java.util.Properties;\nimport javax.mail.Session;\n", "Properties props = new Properties();\nprops.put(\"mail.smtp.host\", x);\nprops.put(\"mail.smtp.ssl.enable\", \"true\");\nSession s = Session.getInstance(props);\n")),
			pos("A.java", javaFn("import java.util.Properties;\nimport jakarta.mail.Session;\n", "Properties props = System.getProperties();\nprops.setProperty(\"mail.imap.starttls.enable\", \"true\");\nSession s = Session.getDefaultInstance(props, null);\n")),
			neg("A.java", javaFn("import java.util.Properties;\nimport javax.mail.Session;\n", "Properties props = new Properties();\nprops.put(\"mail.smtp.ssl.enable\", \"true\");\nprops.put(\"mail.smtp.ssl.checkserveridentity\", \"true\");\nSession s = Session.getInstance(props);\n")),
			neg("A.java", javaFn("import java.util.Properties;\nimport javax.mail.Session;\n", "Properties props = new Properties();\nprops.put(\"mail.smtp.host\", x);\nSession s = Session.getInstance(props);\n")),
		},
		"code/java-commons-email-no-server-identity": {
			pos("A.java", javaFn("import org.apache.commons.mail.SimpleEmail;\n", "SimpleEmail email = new SimpleEmail();\nemail.setHostName(x);\nemail.setSSLOnConnect(true);\nemail.send();\n")),
			neg("A.java", javaFn("import org.apache.commons.mail.SimpleEmail;\n", "SimpleEmail email = new SimpleEmail();\nemail.setHostName(x);\nemail.setSSLOnConnect(true);\nemail.setSSLCheckServerIdentity(true);\nemail.send();\n")),
		},
		"code/java-hostname-verify-ignored": {
			pos("A.java", javaFn("import javax.net.ssl.*;\n", "SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault().createSocket(x, 443);\nHostnameVerifier hv = HttpsURLConnection.getDefaultHostnameVerifier();\nhv.verify(x, socket.getSession());\n")),
			neg("A.java", javaFn("import javax.net.ssl.*;\n", "SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault().createSocket(x, 443);\nHostnameVerifier hv = HttpsURLConnection.getDefaultHostnameVerifier();\nif (!hv.verify(x, socket.getSession())) {\n  socket.close();\n}\n")),
		},
		"code/java-el-eval-input": {
			pos("A.java", javaReq("import javax.el.ELProcessor;", "ELProcessor p = new ELProcessor();\np.eval(x);\n")),
			pos("A.java", javaReq("import jakarta.el.ELProcessor;", "ELProcessor p = new ELProcessor();\nObject v = p.getValue(x, Object.class);\n")),
			neg("A.java", javaReq("import javax.el.ELProcessor;", "ELProcessor p = new ELProcessor();\np.defineBean(\"v\", x);\np.eval(\"v.name\");\n")),
			neg("A.java", javaReq("import javax.el.ELProcessor;\nimport java.util.Map;", "Map<String, String> m = new java.util.HashMap<>();\nm.getValue(x);\nELProcessor p = null;\n")),
		},
		"code/java-el-expression-input": {
			pos("A.java", javaReq("import javax.el.*;", "ExpressionFactory f = ExpressionFactory.newInstance();\nELContext c = new StandardELContext(f);\nValueExpression e = f.createValueExpression(c, x, Object.class);\ne.getValue(c);\n")),
			neg("A.java", javaReq("import javax.el.*;", "ExpressionFactory f = ExpressionFactory.newInstance();\nELContext c = new StandardELContext(f);\nValueExpression e = f.createValueExpression(c, \"${user.name}\", Object.class);\n")),
		},
		"code/java-bean-validation-template": {
			pos("A.java", "import javax.validation.*;\nclass V implements ConstraintValidator<Ok, String> {\n  public boolean isValid(String v, ConstraintValidatorContext c) {\n    c.buildConstraintViolationWithTemplate(v + \" is invalid\").addConstraintViolation();\n    return false;\n  }\n}\n"),
			neg("A.java", "import javax.validation.*;\nclass V implements ConstraintValidator<Ok, String> {\n  public boolean isValid(String v, ConstraintValidatorContext c) {\n    c.buildConstraintViolationWithTemplate(\"{value} is invalid\").addConstraintViolation();\n    return false;\n  }\n}\n"),
		},
		"code/java-velocity-evaluate-input": {
			pos("A.java", javaReq(imVelocity, "Velocity.evaluate(new VelocityContext(), response.getWriter(), \"t\", x);\n")),
			neg("A.java", javaReq(imVelocity, "VelocityContext c = new VelocityContext();\nc.put(\"name\", x);\nVelocity.evaluate(c, response.getWriter(), \"t\", \"Hello $name\");\n")),
		},
		"code/java-velocity-parse-input": {
			pos("A.java", javaReq(imVelocity, "Object n = RuntimeSingleton.getRuntimeServices().parse(new java.io.StringReader(x), \"t\");\n")),
			neg("A.java", javaReq(imVelocity, "Object n = RuntimeSingleton.getRuntimeServices().parse(new java.io.StringReader(\"Hello $name\"), \"t\");\n")),
		},
		"code/java-velocity-string-resource-input": {
			pos("A.java", javaReq("import org.apache.velocity.runtime.resource.util.StringResourceRepository;", "repo.putStringResource(\"t\", x);\n")),
			neg("A.java", javaReq("import org.apache.velocity.runtime.resource.util.StringResourceRepository;", "repo.putStringResource(\"t\", \"Hello $name\");\n")),
		},
		"code/java-freemarker-template-input": {
			pos("A.java", javaReq("import freemarker.template.*;", "Template t = new Template(\"t\", new java.io.StringReader(x), cfg);\n")),
			neg("A.java", javaReq("import freemarker.template.*;", "Template t = cfg.getTemplate(\"page.ftl\");\nt.process(java.util.Map.of(\"name\", x), response.getWriter());\n")),
		},
		"code/java-freemarker-loader-input": {
			pos("A.java", javaReq("import freemarker.cache.StringTemplateLoader;", "StringTemplateLoader l = new StringTemplateLoader();\nl.putTemplate(\"t\", x);\n")),
			neg("A.java", javaReq("import freemarker.cache.StringTemplateLoader;", "StringTemplateLoader l = new StringTemplateLoader();\nl.putTemplate(\"t\", \"Hello ${name}\");\n")),
		},
		"code/java-pebble-template-input": {
			pos("A.java", javaReq("import com.mitchellbosecke.pebble.PebbleEngine;", "Object t = new PebbleEngine.Builder().build().getLiteralTemplate(x);\n")),
			neg("A.java", javaReq("import com.mitchellbosecke.pebble.PebbleEngine;", "Object t = new PebbleEngine.Builder().build().getTemplate(\"page.peb\");\n")),
		},
		"code/java-thymeleaf-process-input": {
			pos("A.java", javaReq("import org.thymeleaf.TemplateEngine;\nimport org.thymeleaf.context.Context;", "String s = new TemplateEngine().process(x, new Context());\n")),
			neg("A.java", javaReq("import org.thymeleaf.TemplateEngine;\nimport org.thymeleaf.context.Context;", "Context c = new Context();\nc.setVariable(\"name\", x);\nString s = new TemplateEngine().process(\"page\", c);\n")),
		},
		"code/java-jinjava-render-input": {
			pos("A.java", javaReq("import com.hubspot.jinjava.Jinjava;", "String s = new Jinjava().render(x, new java.util.HashMap<>());\n")),
			neg("A.java", javaReq("import com.hubspot.jinjava.Jinjava;", "String s = new Jinjava().render(\"Hello {{ name }}\", java.util.Map.of(\"name\", x));\n")),
		},
		"code/java-runtime-exec-var": {
			pos("A.java", javaReq("", "Runtime rt = Runtime.getRuntime();\nrt.exec(new String[]{\"sh\", \"-c\", x});\n")),
			neg("A.java", javaReq("", "Runtime rt = Runtime.getRuntime();\nrt.exec(new String[]{\"ls\", \"-l\", x});\n")),
		},
		"code/java-runtime-exec-var-string": {
			pos("A.java", javaFn("", "Runtime rt = Runtime.getRuntime();\nrt.exec(\"ls \" + x);\n")),
			neg("A.java", javaFn("", "Runtime rt = Runtime.getRuntime();\nrt.exec(\"ls /tmp\");\n")),
		},
		"code/java-runtime-exec-field": {
			pos("A.java", javaReq("", "this.runtime.exec(x);\n")),
			neg("A.java", javaReq("", "this.runtime.exec(\"uptime\");\n")),
		},
		"code/java-commons-exec-input": {
			pos("A.java", javaReq("import org.apache.commons.exec.*;", "new DefaultExecutor().execute(CommandLine.parse(\"convert \" + x));\n")),
			neg("A.java", javaReq("import org.apache.commons.exec.*;", "CommandLine c = new CommandLine(\"convert\");\nc.addArgument(x);\nnew DefaultExecutor().execute(c);\n")),
		},
		"code/java-ssl-socket-no-endpoint-id": {
			pos("A.java", javaFn(imSSL, "SSLSocketFactory f = SSLContext.getDefault().getSocketFactory();\nSSLSocket s = (SSLSocket) f.createSocket(x, 443);\ns.startHandshake();\n")),
			neg("A.java", javaFn(imSSL, "SSLSocketFactory f = SSLContext.getDefault().getSocketFactory();\nSSLSocket s = (SSLSocket) f.createSocket(x, 443);\nSSLParameters p = s.getSSLParameters();\np.setEndpointIdentificationAlgorithm(\"HTTPS\");\ns.setSSLParameters(p);\ns.startHandshake();\n")),
		},
		"code/java-ssl-engine-no-endpoint-id": {
			pos("A.java", javaFn(imSSL, "SSLEngine e = SSLContext.getDefault().createSSLEngine(x, 443);\ne.setUseClientMode(true);\n")),
			neg("A.java", javaFn(imSSL, "SSLEngine e = SSLContext.getDefault().createSSLEngine(x, 443);\nSSLParameters p = e.getSSLParameters();\np.setEndpointIdentificationAlgorithm(\"HTTPS\");\ne.setSSLParameters(p);\n")),
			neg("A.java", javaFn(imSSL, "SSLEngine e = SSLContext.getDefault().createSSLEngine();\ne.setUseClientMode(false);\n")),
			neg("A.java", javaFn(imSSL, "SSLEngine e = SSLContext.getDefault().createSSLEngine();\nString[] p = e.getSupportedProtocols();\n")),
		},
		"code/java-endpoint-id-disabled": {
			pos("A.java", javaFn(imSSL, "SSLParameters p = new SSLParameters();\np.setEndpointIdentificationAlgorithm(null);\n")),
			neg("A.java", javaFn(imSSL, "SSLParameters p = new SSLParameters();\np.setEndpointIdentificationAlgorithm(\"HTTPS\");\n")),
		},
		"code/java-ssl-socket-no-endpoint-id-named": {
			pos("A.java", javaFn(imSSL, "SSLSocket s = (SSLSocket) sslFactory.createSocket(x, 443);\ns.startHandshake();\n")),
			neg("A.java", javaFn(imSSL, "SSLSocket s = (SSLSocket) sslFactory.createSocket(x, 443);\nSSLParameters p = s.getSSLParameters();\np.setEndpointIdentificationAlgorithm(\"HTTPS\");\ns.setSSLParameters(p);\n")),
		},
		"code/java-rabbitmq-no-hostname-verification": {
			pos("A.java", javaFn("import com.rabbitmq.client.ConnectionFactory;", "ConnectionFactory f = new ConnectionFactory();\nf.useSslProtocol(ctx);\n")),
			neg("A.java", javaFn("import com.rabbitmq.client.ConnectionFactory;", "ConnectionFactory f = new ConnectionFactory();\nf.useSslProtocol(ctx);\nf.enableHostnameVerification();\n")),
		},
		"code/java-ssl-context-trust-all": {
			pos("A.java", javaFn(imSSL+"\nimport java.security.cert.X509Certificate;", "TrustManager[] tms = {new X509TrustManager() {\n  public void checkClientTrusted(X509Certificate[] c, String a) {}\n  public void checkServerTrusted(X509Certificate[] c, String a) {}\n  public X509Certificate[] getAcceptedIssuers() { return null; }\n}};\nSSLContext ctx = SSLContext.getInstance(\"TLS\");\nctx.init(null, tms, null);\n")),
			neg("A.java", javaFn(imSSL+"\nimport java.security.cert.X509Certificate;", "TrustManager[] tms = {new X509TrustManager() {\n  public void checkClientTrusted(X509Certificate[] c, String a) {}\n  public void checkServerTrusted(X509Certificate[] c, String a) throws java.security.cert.CertificateException { pinned.checkServerTrusted(c, a); }\n  public X509Certificate[] getAcceptedIssuers() { return null; }\n}};\nSSLContext ctx = SSLContext.getInstance(\"TLS\");\nctx.init(null, tms, null);\n")),
		},
		"code/java-hostname-verifier-set": {
			neg("A.java", javaFn(imSSL, "if (Boolean.parseBoolean(System.getProperty(\"insecure\"))) {\n  HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);\n}\n")),
			pos("A.java", javaFn(imSSL, "if (x != null) {\n  HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);\n}\n")),
		},
		"code/java-weak-cipher-key": {
			pos("A.java", javaFn("import javax.crypto.KeyGenerator;", "KeyGenerator g = KeyGenerator.getInstance(\"DES\");\n")),
			neg("A.java", javaFn("import javax.crypto.KeyGenerator;", "KeyGenerator g = KeyGenerator.getInstance(\"AES\");\n")),
		},
		"code/java-weak-cipher-key-spec": {
			pos("A.java", javaFn("import javax.crypto.spec.SecretKeySpec;", "SecretKeySpec k = new SecretKeySpec(key, \"DESede\");\n")),
			neg("A.java", javaFn("import javax.crypto.spec.SecretKeySpec;", "SecretKeySpec k = new SecretKeySpec(key, \"AES\");\n")),
		},
		"code/java-predictable-seed": {
			pos("A.java", javaFn(imSR, "SecureRandom r = SecureRandom.getInstance(\"SHA1PRNG\");\nr.setSeed(42L);\n")),
			pos("A.java", javaFn(imSR, "SecureRandom r = new SecureRandom(\"seed\".getBytes());\n")),
			pos("A.java", javaFn(imSR, "byte[] seed = {1, 2, 3};\nSecureRandom r = new SecureRandom(seed);\n")),
			neg("A.java", javaFn(imSR, "SecureRandom r = new SecureRandom();\nr.setSeed(r.generateSeed(32));\n")),
			neg("A.java", javaFn("import java.util.Random;", "Random r = new Random();\nr.setSeed(42L);\n")),
		},
		"code/java-predictable-seed-time": {
			pos("A.java", javaFn(imSR, "SecureRandom r = new SecureRandom();\nr.setSeed(System.currentTimeMillis());\n")),
			neg("A.java", javaFn(imSR, "SecureRandom r = new SecureRandom();\nr.setSeed(SecureRandom.getSeed(16));\n")),
		},
		"code/java-weak-random-generator": {
			pos("A.java", "import org.apache.commons.lang3.RandomStringUtils;\nclass RandomUtil {\n  static String generateResetKey() {\n    return RandomStringUtils.randomNumeric(20);\n  }\n}\n"),
			neg("A.java", "import org.apache.commons.lang3.RandomStringUtils;\nclass RandomUtil {\n  static String generateResetKey() {\n    return RandomStringUtils.random(20, 0, 0, true, true, null, SECURE);\n  }\n}\n"),
			pos("A.java", "import org.apache.commons.lang3.RandomStringUtils;\nclass RandomUtil {\n  static String generateSeriesData() {\n    return RandomStringUtils.randomAlphanumeric(20);\n  }\n}\n"),
			neg("A.java", "import org.apache.commons.lang3.RandomStringUtils;\nclass RandomUtil {\n  static String generateName() {\n    return RandomStringUtils.randomAlphabetic(8);\n  }\n}\n"),
		},
		"code/java-open-redirect-builder": {
			pos("A.java", javaReq("import org.springframework.http.*;\nimport java.net.URI;", "ResponseEntity<Void> r = ResponseEntity.status(HttpStatus.FOUND).location(URI.create(x)).build();\n")),
			neg("A.java", javaReq("import org.springframework.http.*;\nimport java.net.URI;", "ResponseEntity<Void> r = ResponseEntity.status(HttpStatus.FOUND).location(URI.create(request.getRequestURI())).build();\n")),
		},
		"code/java-open-redirect-header-builder": {
			pos("A.java", javaReq("import org.springframework.http.*;", "HttpHeaders h = new HttpHeaders();\nh.set(HttpHeaders.LOCATION, x);\n")),
			pos("A.java", javaReq("import org.springframework.http.*;", "ResponseEntity<Void> r = ResponseEntity.status(302).header(\"Location\", x).build();\n")),
			neg("A.java", javaReq("import org.springframework.http.*;", "HttpHeaders h = new HttpHeaders();\nh.set(\"X-Name\", x);\n")),
			pos("A.java", javaReq("import org.springframework.http.*;", "HttpHeaders h = new HttpHeaders();\nh.put(\"Location\", java.util.Collections.singletonList(x));\n")),
			neg("A.java", javaReq("import org.springframework.http.*;", "HttpHeaders h = new HttpHeaders();\nh.put(\"Location\", java.util.Collections.singletonList(\"/home\"));\n")),
		},
		"code/java-open-redirect-view-url": {
			pos("A.java", javaReq("import org.springframework.web.servlet.view.RedirectView;", "RedirectView v = new RedirectView();\nv.setUrl(x);\n")),
			neg("A.java", javaReq("import org.springframework.web.servlet.view.RedirectView;", "RedirectView v = new RedirectView();\nv.setUrl(\"/home\");\n")),
		},
		"code/java-hardcoded-password-field": {
			pos("A.java", "class Db {\n  private static final String DB_PASSWORD = \"Tr0ub4dor-9\";\n}\n"),
			pos("A.java", "class Db {\n  private String password = \"Tr0ub4dor-9\";\n}\n"),
			neg("A.java", "class Db {\n  private String password = System.getenv(\"DB_PASSWORD\");\n}\n"),
			neg("A.java", "class Db {\n  private String password = \"\";\n}\n"),
			neg("A.java", "class Socks {\n  static final String AUTH_PASSWORD = \"password\";\n}\n"),
			neg("A.java", "class Db {\n  void h() {\n    String label = \"Tr0ub4dor-9\";\n  }\n}\n"),
		},
		"code/java-hardcoded-password-getter": {
			pos("A.java", "class Cfg {\n  String getDbPassword() {\n    return \"Tr0ub4dor-9\";\n  }\n}\n"),
			neg("A.java", "class Cfg {\n  String getDbPassword() {\n    return System.getenv(\"DB_PASSWORD\");\n  }\n}\n"),
			neg("A.java", "class Cfg {\n  String getUser() {\n    return \"Tr0ub4dor-9\";\n  }\n}\n"),
		},
		"code/java-db-user": {
			pos("A.java", javaFn("import java.sql.DriverManager;", "String u = \"admin\";\nDriverManager.getConnection(x, u, pw);\n")),
			neg("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(x, System.getenv(\"DB_USER\"), pw);\n")),
		},
		"code/java-hardcoded-password-compare": {
			pos("A.java", javaFn("", "String password = x;\nif (password.equals(\"Tr0ub4dor-9\")) { ok(); }\n")),
			neg("A.java", javaFn("", "String password = x;\nif (password.equals(stored)) { ok(); }\n")),
			neg("A.java", javaFn("", "String name = x;\nif (name.equals(\"admin\")) { ok(); }\n")),
		},
		"code/java-hardcoded-keystore-password": {
			pos("A.java", javaFn(imKS, "KeyStore ks = KeyStore.getInstance(\"PKCS12\");\nks.load(in, \"Tr0ub4dor-9\".toCharArray());\n")),
			pos("A.java", javaFn(imKS, "KeyManagerFactory k = KeyManagerFactory.getInstance(\"SunX509\");\nk.init(ks, \"Tr0ub4dor-9\".toCharArray());\n")),
			neg("A.java", javaFn(imKS, "KeyStore ks = KeyStore.getInstance(\"PKCS12\");\nks.load(in, System.getenv(\"KS_PASSWORD\").toCharArray());\n")),
		},
		"code/java-hardcoded-password-protection": {
			pos("A.java", javaFn("import java.security.KeyStore;", "KeyStore.ProtectionParameter p = new KeyStore.PasswordProtection(\"Tr0ub4dor-9\".toCharArray());\n")),
			neg("A.java", javaFn("import java.security.KeyStore;", "KeyStore.ProtectionParameter p = new KeyStore.PasswordProtection(x.toCharArray());\n")),
		},
		"code/java-hardcoded-credential-arg1": {
			pos("A.java", javaFn("import ch.ethz.ssh2.Connection;", "Connection c = new Connection(x);\nc.authenticateWithPassword(\"deploy\", \"Tr0ub4dor-9\");\n")),
			pos("A.java", javaFn("import com.amazonaws.auth.BasicAWSCredentials;", "BasicAWSCredentials c = new BasicAWSCredentials(\"made-up-id\", \"made-up-secret\");\n")),
			neg("A.java", javaFn("import ch.ethz.ssh2.Connection;", "Connection c = new Connection(x);\nc.authenticateWithPassword(\"deploy\", System.getenv(\"SSH_PASSWORD\"));\n")),
		},
		"code/java-hardcoded-ftp-login": {
			pos("A.java", javaFn("import org.apache.commons.net.ftp.FTPClient;", "FTPClient f = new FTPClient();\nf.login(\"upload\", \"Tr0ub4dor-9\");\n")),
			neg("A.java", javaFn("import org.apache.commons.net.ftp.FTPClient;", "FTPClient f = new FTPClient();\nf.login(\"upload\", x);\n")),
		},
		"code/java-hardcoded-mongo-credential": {
			pos("A.java", javaFn("import com.mongodb.MongoCredential;", "MongoCredential c = MongoCredential.createCredential(\"app\", \"admin\", \"Tr0ub4dor-9\".toCharArray());\n")),
			neg("A.java", javaFn("import com.mongodb.MongoCredential;", "MongoCredential c = MongoCredential.createCredential(\"app\", \"admin\", x.toCharArray());\n")),
		},
		"code/java-hardcoded-mail-password": {
			pos("A.java", javaFn("import javax.mail.*;", "Transport t = session.getTransport(\"smtp\");\nt.connect(\"smtp.example.com\", \"bot\", \"Tr0ub4dor-9\");\n")),
			neg("A.java", javaFn("import javax.mail.*;", "Transport t = session.getTransport(\"smtp\");\nt.connect(\"smtp.example.com\", \"bot\", x);\n")),
		},
		"code/java-hardcoded-client-secret": {
			pos("A.java", javaFn("import com.azure.identity.ClientSecretCredentialBuilder;", "Object c = new ClientSecretCredentialBuilder().tenantId(\"t\").clientId(\"c\").clientSecret(\"Tr0ub4dor-9\").build();\n")),
			neg("A.java", javaFn("import com.azure.identity.ClientSecretCredentialBuilder;", "Object c = new ClientSecretCredentialBuilder().tenantId(\"t\").clientId(\"c\").clientSecret(System.getenv(\"AZURE_SECRET\")).build();\n")),
		},
		"code/java-shiro-hardcoded-cipher-key": {
			pos("A.java", javaFn("import org.apache.shiro.codec.Base64;", "CookieRememberMeManager m = new CookieRememberMeManager();\nm.setCipherKey(Base64.decode(\"bm90LWEta2V5LWF0LWFsbA==\"));\n")),
			neg("A.java", javaFn("import org.apache.shiro.codec.Base64;", "CookieRememberMeManager m = new CookieRememberMeManager();\nm.setCipherKey(Base64.decode(System.getenv(\"SHIRO_KEY\")));\n")),
		},
		"code/java-jsch-identity-passphrase": {
			pos("A.java", javaFn("import com.jcraft.jsch.JSch;", "JSch j = new JSch();\nj.addIdentity(\"/home/u/.ssh/id\", \"Tr0ub4dor-9\");\n")),
			neg("A.java", javaFn("import com.jcraft.jsch.JSch;", "JSch j = new JSch();\nj.addIdentity(\"/home/u/.ssh/id\", x);\n")),
		},
		"code/java-hardcoded-naming-credentials": {
			pos("A.java", javaFn("import javax.naming.Context;\nimport java.util.Hashtable;", "Hashtable<String, String> env = new Hashtable<>();\nenv.put(Context.SECURITY_CREDENTIALS, \"fake-pw\");\n")),
			pos("A.java", javaFn("import java.util.Properties;", "Properties p = new Properties();\np.setProperty(\"mail.smtp.password\", \"fake-pw\");\n")),
			neg("A.java", javaFn("import javax.naming.Context;\nimport java.util.Hashtable;", "Hashtable<String, String> env = new Hashtable<>();\nenv.put(Context.SECURITY_CREDENTIALS, x);\nenv.put(Context.SECURITY_PRINCIPAL, \"cn=admin\");\n")),
		},
		"code/java-hardcoded-key-bytes": {
			pos("A.java", javaFn("import javax.crypto.spec.SecretKeySpec;", "byte[] key = {1, 2, 3, 4, 5, 6, 7, 8};\nSecretKeySpec k = new SecretKeySpec(key, \"AES\");\n")),
			neg("A.java", javaFn("import javax.crypto.spec.SecretKeySpec;", "byte[] key = new byte[16];\nnew java.security.SecureRandom().nextBytes(key);\nSecretKeySpec k = new SecretKeySpec(key, \"AES\");\n")),
		},
		"code/java-hardcoded-key-spec-more": {
			pos("A.java", javaFn("import org.apache.sshd.client.session.ClientSession;", "ClientSession cs = connect();\ncs.addPasswordIdentity(\"fake-pw\");\n")),
			neg("A.java", javaFn("import org.apache.sshd.client.session.ClientSession;", "ClientSession cs = connect();\ncs.addPasswordIdentity(x);\n")),
		},
		"code/java-hardcoded-kerberos-key": {
			pos("A.java", javaFn("import javax.security.auth.kerberos.KerberosKey;", "KerberosKey k = new KerberosKey(principal, \"fake-pw\".toCharArray(), \"DES\");\n")),
			neg("A.java", javaFn("import javax.security.auth.kerberos.KerberosKey;", "KerberosKey k = new KerberosKey(principal, x.toCharArray(), \"DES\");\n")),
		},
		"code/java-jexl-evaluate-var": {
			pos("A.java", javaFn(imJexl, "JexlExpression e = new JexlBuilder().create().createExpression(x);\ne.evaluate(new MapContext());\n")),
			neg("A.java", javaFn(imJexl, "JexlExpression e = new JexlBuilder().create().createExpression(\"a + b\");\ne.evaluate(new MapContext());\n")),
			neg("A.java", javaFn(imJexl+"\nimport org.apache.commons.jexl3.introspection.JexlSandbox;", "JexlExpression e = new JexlBuilder().sandbox(new JexlSandbox(false)).create().createExpression(x);\ne.evaluate(new MapContext());\n")),
		},
		"code/java-jexl-create-var": {
			pos("A.java", javaFn(imJexl, "JexlEngine j = new JexlBuilder().create();\nj.createScript(x).execute(new MapContext());\n")),
			neg("A.java", javaFn(imJexl, "JexlEngine j = new JexlBuilder().create();\nj.createScript(\"a.b()\").execute(new MapContext());\n")),
		},
		"code/java-jexl-property-var": {
			pos("A.java", javaFn(imJexl, "JexlEngine j = new JexlBuilder().create();\nObject v = j.getProperty(bean, x);\n")),
			neg("A.java", javaFn(imJexl, "JexlEngine j = new JexlBuilder().create();\nObject v = j.getProperty(bean, \"name\");\n")),
		},
		"code/java-mvel-var": {
			pos("A.java", javaFn("import org.mvel2.compiler.*;\nimport org.mvel2.ParserContext;", "CompiledAccExpression e = new CompiledAccExpression(x.toCharArray(), Object.class, new ParserContext());\ne.getValue(null, null);\n")),
			neg("A.java", javaFn("import org.mvel2.compiler.*;\nimport org.mvel2.ParserContext;", "CompiledAccExpression e = new CompiledAccExpression(\"a.b\".toCharArray(), Object.class, new ParserContext());\ne.getValue(null, null);\n")),
		},
		"code/java-mvel-template-var": {
			pos("A.java", javaFn("import org.mvel2.templates.*;", "CompiledTemplate t = new TemplateCompiler(x).compile();\nTemplateRuntime.execute(t);\n")),
			neg("A.java", javaFn("import org.mvel2.templates.*;", "CompiledTemplate t = new TemplateCompiler(\"@{a}\").compile();\nTemplateRuntime.execute(t, x);\n")),
		},
		"code/java-mvel-script-engine-var": {
			pos("A.java", javaFn("import org.mvel2.jsr223.MvelScriptEngine;", "MvelScriptEngine e = new MvelScriptEngine();\njava.io.Serializable s = e.compiledScript(x);\ne.evaluate(s, ctx);\n")),
			neg("A.java", javaFn("import org.mvel2.jsr223.MvelScriptEngine;", "MvelScriptEngine e = new MvelScriptEngine();\njava.io.Serializable s = e.compiledScript(\"a + b\");\ne.evaluate(s, ctx);\n")),
		},
		"code/java-shell-eval-var": {
			pos("A.java", javaFn("import jdk.jshell.JShell;", "JShell js = JShell.create();\njs.eval(x);\n")),
			pos("A.java", javaFn("import jdk.jshell.JShell;", "JShell js = JShell.create();\njs.sourceCodeAnalysis().wrappers(x);\n")),
			neg("A.java", javaFn("import jdk.jshell.JShell;", "JShell js = JShell.create();\njs.eval(\"1 + 1\");\n")),
		},
		"code/java-spring-script-source-var": {
			pos("A.java", javaFn("import org.springframework.scripting.bsh.BshScriptEvaluator;\nimport org.springframework.scripting.support.StaticScriptSource;", "new BshScriptEvaluator().evaluate(new StaticScriptSource(x));\n")),
			neg("A.java", javaFn("import org.springframework.scripting.bsh.BshScriptEvaluator;\nimport org.springframework.scripting.support.StaticScriptSource;", "new BshScriptEvaluator().evaluate(new StaticScriptSource(\"return 1;\"), vars);\n")),
		},
		"code/java-script-compile-var": {
			pos("A.java", javaFn(imScript, "Compilable c = (Compilable) new ScriptEngineManager().getEngineByName(\"js\");\nc.compile(x).eval();\n")),
			neg("A.java", javaFn(imScript, "Compilable c = (Compilable) new ScriptEngineManager().getEngineByName(\"js\");\nc.compile(\"1 + 1\").eval();\n")),
		},
		"code/java-groovy-var": {
			pos("A.java", javaFn(imGroovy, "GroovyShell sh = new GroovyShell();\nsh.parse(x).run();\n")),
			neg("A.java", javaFn(imGroovy, "GroovyShell sh = new GroovyShell();\nsh.parse(\"println 1\").run();\n")),
		},
		"code/java-groovy-eval-me-var": {
			pos("A.java", javaFn(imGroovy, "Object v = Eval.me(\"v\", 1, x);\n")),
			neg("A.java", javaFn(imGroovy, "Object v = Eval.me(\"v\", x, \"v + 1\");\n")),
		},
		"code/java-ognl-parsed-var": {
			pos("A.java", javaFn("import ognl.Ognl;", "Object tree = Ognl.parseExpression(x);\nObject v = Ognl.getValue(tree, root);\n")),
			neg("A.java", javaFn("import ognl.Ognl;", "Object tree = Ognl.parseExpression(\"name\");\nObject v = Ognl.getValue(tree, root);\n")),
		},
		"code/java-freemarker-template-source-input": {
			pos("A.java", javaReq("import freemarker.template.*;", "Template t = new Template(\"n\", \"s\", new java.io.StringReader(x), cfg);\n")),
			neg("A.java", javaReq("import freemarker.template.*;", "Template t = new Template(\"n\", \"s\", new java.io.StringReader(\"Hi ${name}\"), cfg);\n")),
		},
		"code/java-jsch-exec-command": {
			pos("A.java", javaReq("import com.jcraft.jsch.*;", "ChannelExec ch = (ChannelExec) session.openChannel(\"exec\");\nch.setCommand(\"ls \" + x);\n")),
			neg("A.java", javaReq("import com.jcraft.jsch.*;", "ChannelExec ch = (ChannelExec) session.openChannel(\"exec\");\nch.setCommand(\"uptime\");\n")),
		},
		"code/java-ldapi-unboundid-base": {
			pos("A.java", javaReq("import com.unboundid.ldap.sdk.*;", "SearchRequest r = new SearchRequest(\"dc=example\", SearchScope.SUB, \"(uid=a)\");\nr.setBaseDN(\"ou=\" + x + \",dc=example\");\n")),
			neg("A.java", javaReq("import com.unboundid.ldap.sdk.*;", "SearchRequest r = new SearchRequest(\"dc=example\", SearchScope.SUB, \"(uid=a)\");\nr.setBaseDN(\"ou=people,dc=example\");\n")),
		},
		"code/java-hardcoded-password-compare-util": {
			pos("A.java", "class A {\n  boolean ok(String password) {\n    return java.util.Objects.equals(password, \"fake-pw\");\n  }\n}\n"),
			neg("A.java", "class A {\n  boolean ok(String password, String stored) {\n    return java.util.Objects.equals(password, stored);\n  }\n}\n"),
		},
		"code/java-hardcoded-password-compare-util-first": {
			pos("A.java", "class A {\n  boolean ok(String password) {\n    return org.apache.commons.lang3.StringUtils.equals(\"fake-pw\", password);\n  }\n}\n"),
			neg("A.java", "class A {\n  boolean ok(String user) {\n    return org.apache.commons.lang3.StringUtils.equals(\"admin\", user);\n  }\n}\n"),
		},
		"code/java-ssl-socket-connect-no-endpoint-id": {
			pos("A.java", javaFn(imSSL, "SSLSocketFactory f = SSLContext.getDefault().getSocketFactory();\nSSLSocket s = (SSLSocket) f.createSocket();\ns.connect(new java.net.InetSocketAddress(x, 443));\n")),
			neg("A.java", javaFn(imSSL, "SSLSocketFactory f = SSLContext.getDefault().getSocketFactory();\nSSLSocket s = (SSLSocket) f.createSocket();\nSSLParameters p = s.getSSLParameters();\np.setEndpointIdentificationAlgorithm(\"HTTPS\");\ns.setSSLParameters(p);\ns.connect(new java.net.InetSocketAddress(x, 443));\n")),
		},
		"code/java-ssl-engine-use-no-endpoint-id": {
			pos("A.java", javaFn(imSSL, "SSLEngine e = SSLContext.getDefault().createSSLEngine(x, 443);\nSSLParameters p = e.getSSLParameters();\np.setEndpointIdentificationAlgorithm(null);\ne.setSSLParameters(p);\ne.beginHandshake();\n")),
			neg("A.java", javaFn(imSSL, "SSLEngine e = SSLContext.getDefault().createSSLEngine(x, 443);\nSSLParameters p = e.getSSLParameters();\np.setEndpointIdentificationAlgorithm(\"HTTPS\");\ne.setSSLParameters(p);\ne.beginHandshake();\n")),
		},
		"code/java-ldapi-unboundid-any": {
			pos("A.java", javaReq("import com.unboundid.ldap.sdk.*;", "LDAPConnection c = new LDAPConnection();\nc.search(null, \"dc=example\", SearchScope.SUB, \"(uid=\" + x + \")\");\n")),
			neg("A.java", javaReq("import com.unboundid.ldap.sdk.*;", "LDAPConnection c = new LDAPConnection();\nc.search(null, \"dc=example\", SearchScope.SUB, Filter.createEqualityFilter(\"uid\", x));\n")),
		},
	}
}
