package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// javaFlowSamples are the samples of the fourth session's Java rules and
// flow changes: Spring LDAP names and templates, compiled JSR-223 scripts,
// UnifiedJEXL, MVEL's compiled scripts, ModelAndView view names.
func javaFlowSamples() map[string][]scannertest.Sample {
	const (
		imSpringLDAP = "import org.springframework.ldap.core.*;\nimport org.springframework.ldap.query.LdapQueryBuilder;\nimport org.springframework.ldap.support.*;\nimport org.springframework.ldap.filter.*;"
		imMAV        = "import org.springframework.web.servlet.ModelAndView;"
	)
	return map[string][]scannertest.Sample{
		"code/java-ldapi-spring-name": {
			pos("A.java", javaReq(imSpringLDAP, "t.findOne(LdapQueryBuilder.query().base(x).where(\"uid\").is(\"a\"), Person.class);\n")),
			pos("A.java", javaReq(imSpringLDAP, "t.lookup(LdapUtils.newLdapName(\"uid=\" + x));\n")),
			pos("A.java", javaReq(imSpringLDAP, "t.lookup(new DistinguishedName(x));\n")),
			neg("A.java", javaReq(imSpringLDAP, "t.findOne(LdapQueryBuilder.query().base(\"ou=people\").where(\"uid\").is(x), Person.class);\n")),
			neg("A.java", javaReq(imSpringLDAP, "t.lookup(LdapUtils.newLdapName(\"ou=people\"));\n")),
		},
		"code/java-ldapi-spring-name-add": {
			pos("A.java", javaReq(imSpringLDAP, "t.lookup(LdapNameBuilder.newInstance().add(\"uid=\" + x).build());\n")),
			neg("A.java", javaReq(imSpringLDAP, "t.lookup(LdapNameBuilder.newInstance().add(\"uid\", x).build());\n")),
		},
		"code/java-ldapi-spring-template": {
			pos("A.java", javaReq(imSpringLDAP, "LdapQuery q = LdapQueryBuilder.query().filter(\"(uid=\" + x + \")\");\nt.find(q, Person.class);\n")),
			neg("A.java", javaReq(imSpringLDAP, "LdapQuery q = LdapQueryBuilder.query().filter(\"(uid={0})\", x);\nt.find(q, Person.class);\n")),
			neg("A.java", javaReq(imSpringLDAP, "LdapQuery q = LdapQueryBuilder.query().where(\"uid\").is(x);\nt.find(q, Person.class);\n")),
			neg("A.java", javaReq(imSpringLDAP, "t.lookup(LdapNameBuilder.newInstance(\"ou=people\").add(\"uid\", x).build());\n")),
		},
		"code/java-script-compiled-eval-input": {
			pos("A.java", javaReq("import javax.script.*;", "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\nCompiledScript cs = ((Compilable) e).compile(x);\ncs.eval();\n")),
			neg("A.java", javaReq("import javax.script.*;", "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\nCompiledScript cs = ((Compilable) e).compile(\"1 + 2\");\ncs.eval();\n")),
		},
		"code/java-script-eval": {
			// javax.script imported as a package.
			pos("A.java", javaFn("import javax.script.*;", "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\ne.eval(x);\n")),
			neg("A.java", javaFn("import javax.script.*;", "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\ne.eval(\"1 + 2\");\n")),
		},
		"code/java-jexl-create-var": {
			pos("A.java", javaFn("import org.apache.commons.jexl2.*;", "UnifiedJEXL u = new UnifiedJEXL(new JexlEngine());\nu.parse(x).evaluate(new MapContext());\n")),
			neg("A.java", javaFn("import org.apache.commons.jexl2.*;", "UnifiedJEXL u = new UnifiedJEXL(new JexlEngine());\nu.parse(\"${a}\").evaluate(new MapContext());\n")),
		},
		"code/java-mvel-compiled-input": {
			pos("A.java", javaReq("import org.mvel2.compiler.*;\nimport org.mvel2.jsr223.*;", "ExecutableStatement st = new ExpressionCompiler(x).compile();\nMvelCompiledScript s = new MvelCompiledScript(engine, st);\ns.eval(ctx);\n")),
			neg("A.java", javaReq("import org.mvel2.compiler.*;\nimport org.mvel2.jsr223.*;", "ExecutableStatement st = new ExpressionCompiler(\"a + b\").compile();\nMvelCompiledScript s = new MvelCompiledScript(engine, st);\ns.eval(ctx);\n")),
		},
		"code/java-hardcoded-password-param": {
			pos("A.java", "class A {\n  static class User {\n    User(String name, String password) {}\n  }\n  void f() {\n    new User(\"alice\", \"Tr0ub4dor\");\n  }\n}\n"),
			pos("A.java", "class A {\n  void login(String user, String passwd) {}\n  void f() {\n    login(\"bob\", \"qwerty123\");\n  }\n}\n"),
			neg("A.java", "class A {\n  static class User {\n    User(String name, String password) {}\n  }\n  void f(String pw) {\n    new User(\"alice\", pw);\n  }\n}\n"),
			neg("A.java", "class A {\n  void login(String user, String passwd) {}\n  void f() {\n    login(\"bob\", \"\");\n    other.login(\"bob\", \"qwerty123\");\n  }\n}\n"),
		},
		"code/java-hardcoded-user-compare": {
			pos("A.java", javaFn("", "String username = x;\nboolean admin = username.equals(\"admin\");\n")),
			neg("A.java", javaFn("", "String mode = x;\nboolean admin = mode.equals(\"admin\");\n")),
		},
		"code/java-hardcoded-user-compare-literal-first": {
			pos("A.java", javaFn("", "String userName = x;\nboolean root = \"root\".equals(userName);\n")),
			neg("A.java", javaFn("", "String userName = x;\nboolean root = \"\".equals(userName);\n")),
		},
		"code/java-hardcoded-password-compare": {
			pos("A.java", javaFn("", "String passcode = x;\nboolean ok = passcode.equals(\"1234abcd\");\n")),
		},
		"code/java-hardcoded-password-compare-literal-first": {
			pos("A.java", javaFn("", "String password = x;\nboolean ok = \"P@ssw0rd1\".equals(password);\n")),
			neg("A.java", javaFn("", "String password = x;\nboolean ok = \"\".equals(password);\n")),
			neg("A.java", javaFn("", "String mode = x;\nboolean ok = \"P@ssw0rd1\".equals(mode);\n")),
		},
		"code/java-hardcoded-password-chars": {
			pos("A.java", javaFn("import java.net.PasswordAuthentication;", "char[] c = new char[] {'s', '3', 'c', 'r'};\nnew PasswordAuthentication(\"user\", c);\n")),
			neg("A.java", javaFn("import java.net.PasswordAuthentication;", "new PasswordAuthentication(\"user\", x.toCharArray());\n")),
		},
		"code/java-hardcoded-password-chars-first": {
			pos("A.java", javaFn("import javax.crypto.spec.PBEKeySpec;", "char[] c = {'s', '3', 'c', 'r'};\nnew PBEKeySpec(c);\n")),
			neg("A.java", javaFn("import javax.crypto.spec.PBEKeySpec;", "new PBEKeySpec(x.toCharArray(), salt, 10000, 256);\n")),
		},
		"code/java-db-url-password": {
			pos("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(\"jdbc:mysql://db/app?user=app&password=s3cret99\");\n")),
			pos("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(\"jdbc:postgresql://app:s3cret99@db/app\");\n")),
			neg("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(\"jdbc:mysql://db/app?user=app\", props);\n")),
			neg("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(\"jdbc:mysql://db/app?user=app&password=\" + x);\n")),
		},
		"code/java-db-password": {
			// A constant field read through its class or this.
			pos("A.java", "import java.sql.DriverManager;\nclass A {\n  private static final String PW = \"dbsecret1\";\n  void f() throws Exception {\n    DriverManager.getConnection(\"jdbc:h2:mem:\", \"sa\", A.PW);\n  }\n}\n"),
			// Constants every call passes to a static or private helper.
			pos("A.java", "import java.sql.DriverManager;\nclass A {\n  public static void main(String[] a) throws Exception {\n    String pass = \"123456\";\n    connect(\"admin\", pass);\n  }\n  static void connect(String u, String p) throws Exception {\n    DriverManager.getConnection(\"jdbc:h2:mem:\", u, p);\n  }\n}\n"),
			neg("A.java", "import java.sql.DriverManager;\nclass A {\n  public static void main(String[] a) throws Exception {\n    connect(\"admin\", \"123456\");\n    connect(\"admin\", System.getenv(\"PW\"));\n  }\n  static void connect(String u, String p) throws Exception {\n    DriverManager.getConnection(\"jdbc:h2:mem:\", u, p);\n  }\n}\n"),
			neg("A.java", "import java.sql.DriverManager;\nclass A {\n  void run() throws Exception {\n    connect(\"admin\", \"123456\");\n  }\n  public void connect(String u, String p) throws Exception {\n    DriverManager.getConnection(\"jdbc:h2:mem:\", u, p);\n  }\n}\n"),
			neg("A.java", "import java.sql.DriverManager;\nclass A {\n  private String pw;\n  void f() throws Exception {\n    DriverManager.getConnection(\"jdbc:h2:mem:\", \"sa\", this.pw);\n  }\n}\n"),
		},
		"code/java-predictable-seed": {
			// A constant seed converted to bytes.
			pos("A.java", javaFn("import java.security.SecureRandom;", "SecureRandom r = new SecureRandom();\nr.setSeed(Long.toString(42L).getBytes());\n")),
			pos("A.java", javaFn("import java.security.SecureRandom;\nimport java.nio.ByteBuffer;", "SecureRandom r = new SecureRandom();\nr.setSeed(ByteBuffer.allocate(8).putLong(42L).array());\n")),
			neg("A.java", javaFn("import java.security.SecureRandom;\nimport java.nio.ByteBuffer;", "SecureRandom r = new SecureRandom();\nr.setSeed(ByteBuffer.allocate(8).putLong(x.length()).array());\n")),
			neg("A.java", javaFn("import java.security.SecureRandom;", "SecureRandom r = new SecureRandom();\nr.setSeed(Long.toString(x.hashCode()).getBytes());\n")),
			// A method of the file that returns a constant.
			pos("A.java", "import java.security.SecureRandom;\nclass A {\n  void f() {\n    SecureRandom r = new SecureRandom();\n    r.setSeed(seed());\n  }\n  static byte[] seed() {\n    byte[] s = {1, 2, 3, 4};\n    return s;\n  }\n}\n"),
			neg("A.java", "import java.security.SecureRandom;\nclass A {\n  void f() {\n    SecureRandom r = new SecureRandom();\n    r.setSeed(seed());\n  }\n  static byte[] seed() {\n    return SecureRandom.getSeed(16);\n  }\n}\n"),
		},
		"code/java-exec-argument-input": {
			pos("A.java", javaReq("", "String[] cmd = {\"ping\", \"-c\", \"1\", x};\nRuntime.getRuntime().exec(cmd);\n")),
			pos("A.java", javaReq("", "new ProcessBuilder(\"git\", \"clone\", x).start();\n")),
			neg("A.java", javaReq("", "new ProcessBuilder(\"git\", \"status\").start();\n")),
			neg("A.java", "class M {\n  public static void main(String[] args) throws Exception {\n    new ProcessBuilder(\"ls\", args[0]).start();\n  }\n}\n"),
		},
		"code/java-exec-argument-input-var": {
			pos("A.java", javaReq("", "Runtime rt = Runtime.getRuntime();\nrt.exec(new String[]{\"ping\", x});\n")),
			neg("A.java", javaReq("", "Runtime rt = Runtime.getRuntime();\nrt.exec(new String[]{\"ping\", \"localhost\"});\n")),
		},
		"code/java-open-redirect": {
			// A target looked up in an allow-list first.
			neg("A.java", javaReq("import java.util.Set;", "if (ALLOWED_TARGETS.contains(x)) {\n  response.sendRedirect(x);\n}\n")),
			pos("A.java", javaReq("import java.util.Set;", "if (x.contains(\"example.com\")) {\n  response.sendRedirect(x);\n}\n")),
		},
		"code/java-ldapi-dn": {
			// A name that took input through addAll.
			pos("A.java", javaReq("import javax.naming.directory.*;\nimport javax.naming.ldap.LdapName;", "LdapName n = new LdapName(\"dc=ex\");\nn.addAll(new LdapName(\"ou=\" + x));\nctx.search(n, \"(uid=a)\", null);\n")),
			neg("A.java", javaReq("import javax.naming.directory.*;\nimport javax.naming.ldap.LdapName;", "LdapName n = new LdapName(\"dc=ex\");\nn.addAll(new LdapName(\"ou=people\"));\nctx.search(n, \"(uid=a)\", null);\n")),
		},
		"code/java-ldapi": {
			// Spring's filter classes encode their value.
			neg("A.java", javaReq(imSpringLDAP, "t.search(\"\", new EqualsFilter(\"uid\", x).encode(), mapper);\n")),
			// A builder appended to in one chain.
			pos("A.java", javaReq(javaLDAP, "StringBuffer sb = new StringBuffer();\nsb.append(\"(uid=\").append(x).append(\")\");\nctx.search(\"dc=ex\", sb.toString(), null);\n")),
			neg("A.java", javaReq(javaLDAP, "StringBuffer sb = new StringBuffer();\nsb.append(\"(uid=\").append(\"admin\").append(\")\");\nctx.search(\"dc=ex\", sb.toString(), null);\n")),
			// A filter kept in a field by one method, searched by another.
			pos("A.java", "import javax.naming.directory.*;\nimport javax.servlet.http.*;\nclass A {\n  private String filter;\n  void h(HttpServletRequest request) {\n    this.filter = \"(uid=\" + request.getParameter(\"u\") + \")\";\n  }\n  void s(DirContext ctx) throws Exception {\n    ctx.search(\"dc=ex\", filter, null);\n  }\n}\n"),
			neg("A.java", "import javax.naming.directory.*;\nimport javax.servlet.http.*;\nclass A {\n  private String filter;\n  void h(HttpServletRequest request) {\n    this.filter = \"(uid=\" + request.getParameter(\"u\") + \")\";\n    this.filter = \"(uid=admin)\";\n  }\n  void s(DirContext ctx, String filter) throws Exception {\n    ctx.search(\"dc=ex\", \"(uid=admin)\", null);\n  }\n}\n"),
		},
		"code/java-predictable-seed-time": {
			// The clock with a constant mixed in.
			pos("A.java", javaFn("import java.security.SecureRandom;", "SecureRandom r = new SecureRandom();\nlong t = System.nanoTime() + 17;\nr.setSeed(t);\n")),
			neg("A.java", javaFn("import java.security.SecureRandom;", "SecureRandom r = new SecureRandom();\nlong elapsed = System.nanoTime() - start;\nr.setSeed(r.generateSeed(16));\n")),
		},
		"code/java-cookie-no-secure": {
			pos("A.java", javaReq("import javax.servlet.http.*;", "Cookie c = new Cookie(\"session\", token);\nresponse.addCookie(c);\n")),
			neg("A.java", javaReq("import javax.servlet.http.*;", "Cookie c = new Cookie(\"session\", token);\nc.setSecure(true);\nresponse.addCookie(c);\n")),
			neg("A.java", javaReq("import javax.servlet.http.*;", "Cookie c = new Cookie(\"session\", token);\nc.setSecure(request.isSecure());\nresponse.addCookie(c);\n")),
			neg("A.java", javaReq("import javax.servlet.http.*;", "Cookie c = new Cookie(\"session\", \"\");\nc.setMaxAge(0);\nresponse.addCookie(c);\n")),
		},
		"code/java-spring-model-and-view-from-input": {
			pos("A.java", javaReq(imMAV, "ModelAndView m = new ModelAndView(\"user/\" + x);\n")),
			pos("A.java", javaReq(imMAV, "ModelAndView m = new ModelAndView();\nm.setViewName(\"user/\" + x + \"/home\");\n")),
			neg("A.java", javaReq(imMAV, "ModelAndView m = new ModelAndView(\"redirect:/home?u=\" + x);\n")),
			neg("A.java", javaReq(imMAV, "ModelAndView m = new ModelAndView(\"user/home\");\nm.addObject(\"name\", x);\n")),
		},
	}
}
