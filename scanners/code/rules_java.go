package code

func init() {
	// HTML escapers as they are spelled without a receiver or by the OWASP
	// Java Encoder.
	javaSanitizers = append(javaSanitizers, "encodeForHtml*", "*.encodeForHtml*", "escapeHtml*", "*Encode.forHtml*", "Encode.forJavaScript*",
		"*Encode.forUri*")
	// LDAP escapers, and UnboundID's filter factories that escape the
	// assertion value (Filter.createEqualityFilter("uid", name)).
	javaSanitizers = append(javaSanitizers, "*Filter.createEqualityFilter", "*Filter.createSubstringFilter", "*Filter.createSubInitialFilter",
		"*Filter.createSubAnyFilter", "*Filter.createSubFinalFilter", "*Filter.createGreaterOrEqualFilter", "*Filter.createLessOrEqualFilter",
		"*Filter.createApproximateMatchFilter", "*Filter.createPresenceFilter", "*Filter.encodeValue", "*LdapEncoder.filterEncode",
		"*LdapEncoder.nameEncode", "*.encodeForLDAP", "*.encodeForDN", "*Rdn.escapeValue", "*FilterEncoder.encodeFilterValue",
		// Spring LDAP's query builder escapes the values of its criteria:
		// query().where("uid").is(name).
		"*.where().is", "*.and().is", "*.or().is", "*.where().like", "*.and().like", "*.or().like",
		// and its filter classes, which encode the value they are given
		// (new EqualsFilter("uid", name).encode()).
		"EqualsFilter", "*.EqualsFilter", "GreaterThanOrEqualsFilter", "*.GreaterThanOrEqualsFilter", "LessThanOrEqualsFilter",
		"*.LessThanOrEqualsFilter", "PresentFilter", "*.PresentFilter", "NotPresentFilter", "*.NotPresentFilter")
}

// javaRedirectGuards are redirectGuards and the allow-lists a Java
// redirect target is looked up in (VALID_REDIRECTS.contains(target),
// allowedUrls.containsKey(target)).
var javaRedirectGuards = append(append([]string{}, redirectGuards...),
	"*ALLOWED*.contains", "*Allowed*.contains", "*allowed*.contains", "*VALID*.contains", "*Valid*.contains", "*valid*.contains",
	"*WHITELIST*.contains", "*Whitelist*.contains", "*whitelist*.contains", "*ALLOWLIST*.contains", "*Allowlist*.contains", "*allowlist*.contains",
	"*SAFE*.contains", "*Safe*.contains", "*safe*.contains", "*TRUSTED*.contains", "*Trusted*.contains", "*trusted*.contains",
	"*ALLOWED*.containsKey", "*Allowed*.containsKey", "*allowed*.containsKey", "*VALID*.containsKey", "*valid*.containsKey",
	"*WHITELIST*.containsKey", "*whitelist*.containsKey")

// javaTLSFlag matches the condition of an if that turns verification off on
// purpose, by a flag or setting.
const javaTLSFlag = `(?i)(disable|insecure|skip|trust_?all|allow_?all|no_?verif|verification|enabled|debug)`

func javaRules() []Rule {
	sqlShape := `(?i)\b(select|insert|update|delete|where|from|into|values|order\s+by|group\s+by|union|drop|create|alter|join|limit)\b|\{\s*(\?\s*=\s*)?call\b|^\s*exec\s`
	return []Rule{
		{ID: "java-sqli", Family: "sqli", Languages: jv, Severity: medium, TaintSeverity: critical,
			Title: "SQL built from strings", Why: whySQL, References: refSQLi,
			Match: Match{Names: []string{"*.executeQuery", "*.execute", "*.executeUpdate", "*.executeLargeUpdate", "*.prepareStatement",
				"*.prepareCall", "*.addBatch", "*.createQuery", "*.createNativeQuery", "*.createSQLQuery", "*.queryForObject",
				"*.queryForList", "*.queryForMap", "*.queryForRowSet", "*.query", "*.update", "*.batchUpdate"},
				// An executor's execute runs a task, a template runtime's a
				// compiled template: not SQL; nor a call of the application's
				// service, MyBatis mapper or Spring Data repository layers
				// (orderService.update(id, order)), which take values.
				NotNames: []string{"*xecutor.execute", "*xecutor().execute", "*TemplateRuntime.execute", "*MVELRuntime.execute",
					"*Service.*", "*service.*", "*ServiceImpl.*", "*Mapper.*", "*mapper.*", "*Repository.*", "*repository.*"},
				Arg: 0, When: "injection", Shape: sqlShape}},
		{ID: "java-runtime-exec", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"*getRuntime().exec"}, Arg: 0, When: "command"}},
		{ID: "java-runtime-exec-string", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"*getRuntime().exec"}, Arg: 0, When: "strbuilt"}},
		{ID: "java-process-builder", Family: "cmdi", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Program started with a variable command", Why: whyExec, References: refCmdi,
			Match: Match{Names: []string{"ProcessBuilder", "java.lang.ProcessBuilder", "*.command"}, Arg: 0, Rest: true, When: "command"}},
		{ID: "java-deserialization", Family: "deserialization", Languages: jv, Severity: high,
			Title:      "Unsafe deserialization",
			Why:        "{call} deserializes Java objects from a stream: any class on the classpath can be instantiated, and gadget chains turn a crafted stream into code execution. Use a data format (JSON) or an ObjectInputFilter allow-list.",
			References: refDeser,
			Match:      Match{Names: []string{"java.io.ObjectInputStream", "ObjectInputStream", "java.beans.XMLDecoder", "XMLDecoder"}, Arg: none, When: "any"}},
		{ID: "java-xstream", Family: "deserialization", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Unsafe deserialization", Why: whyDeser, References: refDeser,
			Match: Match{Names: []string{"*.fromXML"}, Imports: []string{"com.thoughtworks.xstream.XStream"}, Arg: 0, When: "nonconst"}},
		{ID: "java-snakeyaml", Family: "deserialization", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Unsafe YAML load", Why: whyDeser, References: refDeser,
			Match: Match{Names: []string{"*.load", "*.loadAll", "*.loadAs"}, Imports: []string{"org.yaml.snakeyaml.Yaml"}, Arg: 0, When: "nonconst",
				UnlessCalled: []string{"SafeConstructor", "org.yaml.snakeyaml.constructor.SafeConstructor"}}},
		{ID: "java-deserialization-read", Family: "deserialization", Languages: jv, Severity: high,
			Title: "Unsafe deserialization", Why: whyDeser, References: refDeser,
			// in.readObject() on a stream made here from input.
			Match: Match{Names: []string{"*.readObject", "*.readUnshared"}, Arg: none, When: "any",
				IfCalled: []string{"$recv=ObjectInputStream($input)", "$recv=java.io.ObjectInputStream($input)", "$recv=XMLDecoder($input)",
					"$recv=java.beans.XMLDecoder($input)"},
				UnlessCalled: []string{"*.setObjectInputFilter"}}},
		{ID: "java-kryo", Family: "deserialization", Languages: jv, Severity: high,
			Title: "Unsafe deserialization", Why: whyDeser, References: refDeser,
			// A Kryo made here without class registration required.
			Match: Match{Names: []string{"*.readObject", "*.readObjectOrNull", "*.readClassAndObject"}, Arg: none, AnyArg: true, When: "tainted",
				IfCalled:     []string{"$recv=Kryo", "$recv=com.esotericsoftware.kryo.Kryo"},
				UnlessCalled: []string{"*.setRegistrationRequired(true)"}}},
		{ID: "java-fastjson", Family: "deserialization", Languages: jv, Severity: high,
			Title: "Unsafe deserialization", Why: whyDeser, References: refDeser,
			// fastjson's autoType has let @type name gadget classes again
			// and again.
			Match: Match{Names: []string{"JSON.parse", "JSON.parseObject", "com.alibaba.fastjson.JSON.parse", "com.alibaba.fastjson.JSON.parseObject",
				"JSONObject.parseObject", "com.alibaba.fastjson.JSONObject.parseObject"}, Arg: 0, When: "tainted",
				Imports: []string{"com.alibaba.fastjson.JSON", "com.alibaba.fastjson", "com.alibaba.fastjson.JSONObject"}}},
		{ID: "java-weak-hash", Family: "weak-crypto", Languages: jv, Severity: medium, Fix: "set-string:SHA-256",
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"java.security.MessageDigest.getInstance", "MessageDigest.getInstance"}, Arg: 0, When: "matches",
				Pattern: `(?i)^(md5|md4|md2|sha-?1|sha)$`}},
		{ID: "java-weak-hash-util", Family: "weak-crypto", Languages: jv, Severity: medium,
			Title: "Weak hash function", Why: whyHash, References: refHash,
			Match: Match{Names: []string{"*DigestUtils.md5*", "*DigestUtils.sha1*", "*DigestUtils.getMd5Digest", "*DigestUtils.getSha1Digest",
				"*Hashing.md5", "*Hashing.sha1"}, Arg: none, When: "any"}},
		{ID: "java-weak-cipher", Family: "weak-crypto", Languages: jv, Severity: high,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			Match: Match{Names: []string{"javax.crypto.Cipher.getInstance", "Cipher.getInstance"}, Arg: 0, When: "matches",
				Pattern: `(?i)(^(des|desede|tripledes|rc4|rc2|arcfour|blowfish)(/|$)|/ecb/|^aes$)`}},
		{ID: "java-weak-key-size", Family: "weak-crypto", Languages: jv, Severity: medium,
			Title: "Key too short", References: []string{"CWE-326", "https://www.keylength.com/"},
			Why: "{call} makes RSA, DSA or Diffie-Hellman keys shorter than 2048 bits: such keys are within reach of factoring or discrete-log computation. Use 2048 bits or more (3072 for keys that must last).",
			Match: Match{Names: []string{"*.initialize"}, Arg: 0, When: "literal",
				Equals:   []string{"256", "384", "512", "768", "1000", "1024", "1280", "1536", "1792", "2000"},
				IfCalled: []string{"$recv=*KeyPairGenerator.getInstance(RSA|rsa|Rsa|DSA|dsa|Dsa|DH|dh|Dh|DiffieHellman|diffiehellman|RSASSA-PSS)"}}},
		{ID: "java-weak-key-size-symmetric", Family: "weak-crypto", Languages: jv, Severity: medium,
			Title: "Key too short", References: []string{"CWE-326", "https://www.keylength.com/"},
			Why: "{call} makes symmetric keys shorter than 128 bits: a key that short falls to exhaustive search. Use 128 bits or more (AES-256 where it matters).",
			Match: Match{Names: []string{"*.init"}, Arg: 0, When: "literal",
				Equals:   []string{"40", "56", "64", "80", "96", "112"},
				IfCalled: []string{"$recv=*KeyGenerator.getInstance"}}},
		{ID: "java-weak-curve", Family: "weak-crypto", Languages: jv, Severity: medium,
			Title: "Key too short", References: []string{"CWE-326", "https://www.keylength.com/"},
			Why: "{call} names an elliptic curve under 224 bits: keys on it are within reach of discrete-log computation. Use P-256 (secp256r1) or a larger curve, or X25519/Ed25519.",
			Match: Match{Names: []string{"ECGenParameterSpec", "java.security.spec.ECGenParameterSpec"}, Arg: 0, When: "matches",
				Pattern: `(?i)^(x9\.62 )?(sec[pt]1[0-9]{2}[a-z][0-9]|prime192v[0-9]|c2[pto]nb1[0-9]{2}[a-z][0-9]|c2tnb2[0-1][0-9][a-z][0-9]|brainpoolP1[0-9]{2}[rt]1|P-192|B-163|K-163)$`}},
		{ID: "java-tls-old-protocol", Family: "tls", Languages: jv, Severity: medium,
			Title: "Obsolete TLS/SSL protocol version", References: []string{"CWE-327", "https://datatracker.ietf.org/doc/html/rfc8996"},
			Why: "{call} asks for SSL or TLS 1.0/1.1, protocol versions with known attacks (POODLE, BEAST) that RFC 8996 deprecates. Use TLSv1.2 or TLSv1.3 (\"TLS\" negotiates the best both sides support).",
			Match: Match{Names: []string{"javax.net.ssl.SSLContext.getInstance", "SSLContext.getInstance"}, Arg: 0, When: "matches",
				Pattern: `^(SSL|SSLv2|SSLv3|TLSv1|TLSv1\.1)$`}},
		{ID: "java-tls-old-protocol-enabled", Family: "tls", Languages: jv, Severity: medium,
			Title: "Obsolete TLS/SSL protocol version", References: []string{"CWE-327", "https://datatracker.ietf.org/doc/html/rfc8996"},
			Why: "{call} enables SSL or TLS 1.0/1.1, protocol versions with known attacks (POODLE, BEAST) that RFC 8996 deprecates: a peer can negotiate down to them. Enable only TLSv1.2 and TLSv1.3.",
			Match: Match{Names: []string{"*.setProtocols", "*.setEnabledProtocols", "SSLParameters", "javax.net.ssl.SSLParameters"}, Arg: 0, AnyArg: true, When: "contains",
				Equals: []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "SSLv2Hello"}}},
		{ID: "java-hostname-verifier-set", Family: "tls", Languages: jv, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			// Not under an if on a flag that opts into it (if
			// (DISABLE_VERIFICATION), if (Boolean.parseBoolean(insecure))).
			Match: Match{Names: []string{"*.setDefaultHostnameVerifier", "*.setHostnameVerifier", "*.setSSLHostnameVerifier",
				"*.loadTrustMaterial"}, Arg: 0, AnyArg: true, When: "literal", Equals: []string{"->true"}, Checked: javaTLSFlag}},
		{ID: "java-trust-all", Family: "tls", Languages: jv, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Kind: "pair", Names: []string{"checkServerTrusted"}, In: []string{"method"}, Arg: none, When: "literal", Equals: []string{"empty"}}},
		{ID: "java-hostname-verifier-all", Family: "tls", Languages: jv, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Kind: "pair", Names: []string{"verify"}, In: []string{"method"}, Arg: none, When: "literal", Equals: []string{"true"}}},
		{ID: "java-noop-verifier", Family: "tls", Languages: jv, Severity: high,
			Title: "TLS certificate verification disabled", Why: whyTLS, References: refTLS,
			Match: Match{Names: []string{"*NoopHostnameVerifier", "*TrustAllStrategy", "*AllowAllHostnameVerifier", "*InsecureTrustManagerFactory*"},
				Arg: none, When: "any"}},
		{ID: "java-weak-random", Fix: "java-securerandom", Family: "weak-random", Languages: jv, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyRand, References: refRand,
			Match: Match{Names: []string{"java.util.Random", "Random", "Math.random", "*RandomStringUtils.random*", "*.nextInt", "*.nextLong", "*.nextBytes"},
				NotNames: []string{"*secureRandom*", "*SecureRandom*"}, Arg: none, When: "any", Target: tokenTargets,
				// RandomStringUtils.random(n, 0, 0, true, true, null, secureRandom).
				Unless: map[string][]string{"#6": {"*SecureRandom*", "*ecure*", "*SECURE*"}}}},
		{ID: "java-path-traversal", LocalSeverity: low, Family: "path-traversal", Languages: jv, Severity: high,
			Title: "File path from user input", Why: whyPath, References: refPath,
			Match: Match{Names: []string{"java.io.File", "File", "java.io.FileInputStream", "FileInputStream", "java.io.FileOutputStream",
				"FileOutputStream", "java.io.FileReader", "FileReader", "java.io.FileWriter", "FileWriter", "*Paths.get", "*Path.of",
				"*Files.*", "java.io.RandomAccessFile", "RandomAccessFile", "*FileSystems.getDefault().getPath"}, Arg: none, AnyArg: true, When: "tainted", UnlessCalled: pathCheckedJava}},
		{ID: "java-ssrf", LocalSeverity: low, Family: "ssrf", Languages: jv, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			Match: Match{Names: []string{"java.net.URL", "URL", "*URI.create", "java.net.URI", "URI", "*.getForObject", "*.getForEntity",
				"*.postForObject", "*.postForEntity", "*.exchange", "*.uri", "HttpGet", "HttpPost", "*HttpRequest.newBuilder", "*.setURI",
				"*.http.client.methods.Http*", "HttpPut", "HttpDelete", "HttpHead", "HttpPatch", "HttpOptions", "*Jsoup.connect",
				"*.patchForObject", "*.postForLocation", "*.headForHeaders", "*.optionsForAllow", "*RequestEntity.get", "*RequestEntity.post",
				"*RequestEntity.put", "*RequestEntity.patch", "*RequestEntity.delete", "*RequestEntity.method"}, Arg: 0, When: "tainted", FixedHost: true}},
		{ID: "java-ssrf-client", LocalSeverity: low, Family: "ssrf", Languages: jv, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			// RestTemplate's execute/put/delete, a JAX-RS client's target,
			// OkHttp's Request.Builder url.
			// (on a receiver named for its template: put and execute are
			// common names).
			Match: Match{Names: []string{"*emplate.execute", "*emplate.put", "*emplate.delete", "*emplate().execute", "*emplate().put",
				"*emplate().delete", "*.target", "*.url"}, Arg: 0, When: "tainted", FixedHost: true,
				Imports: []string{"org.springframework.web.client.RestTemplate", "org.springframework.web.client.RestOperations",
					"org.springframework.web.client", "javax.ws.rs.client", "javax.ws.rs.client.Client", "javax.ws.rs.client.ClientBuilder",
					"jakarta.ws.rs.client", "jakarta.ws.rs.client.Client", "jakarta.ws.rs.client.ClientBuilder", "okhttp3", "okhttp3.Request"}}},
		{ID: "java-ssrf-open", LocalSeverity: low, Family: "ssrf", Languages: jv, Severity: high,
			Title: "Request URL from user input", Why: whySSRF, References: refSSRF,
			// url.openConnection() on a URL made here from input.
			Match: Match{Names: []string{"*.openConnection", "*.openStream", "*.getContent"}, Arg: none, When: "any",
				IfCalled: []string{"$recv=URL($input)", "$recv=java.net.URL($input)"}}},
		{ID: "java-response-xss", Family: "xss", Languages: jv, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			Match: Match{RequestOnly: true, Names: []string{"*.getWriter().print", "*.getWriter().println", "*.getWriter().write", "*.getWriter().printf",
				"*.getWriter().append", "*.getWriter().format", "*.getOutputStream().print", "*.getOutputStream().println",
				"*.getOutputStream().write"}, Arg: none, AnyArg: true, When: "tainted"}},
		{ID: "java-response-writer-xss", Family: "xss", Languages: jv, Severity: high,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			// PrintWriter out = response.getWriter(); out.println(...).
			Match: Match{RequestOnly: true, Names: []string{"*.print", "*.println", "*.write", "*.printf", "*.append", "*.format"},
				Arg: none, AnyArg: true, When: "tainted", IfCalled: []string{"$recv=*.getWriter", "$recv=*.getOutputStream"}}},
		{ID: "java-send-error-xss", Family: "xss", Languages: jv, Severity: medium,
			Title: "Request input written to the response", Why: whyXSS, References: refXSS,
			// The container renders sendError's message into an HTML page,
			// unescaped in several (Tomcat before 9, Jetty's older
			// versions).
			Match: Match{RequestOnly: true, Names: []string{"*.sendError"}, Arg: 1, When: "tainted",
				Imports: []string{"javax.servlet.http.HttpServletResponse", "jakarta.servlet.http.HttpServletResponse", "javax.servlet.http",
					"jakarta.servlet.http", "javax.servlet.http.HttpServlet", "jakarta.servlet.http.HttpServlet"}}},
		{ID: "java-script-eval", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			// (javax.script.* imported as a package too, and Nashorn's own
			// engine classes.)
			Match: Match{Names: []string{"*.eval"}, Imports: javaPkgs([]string{"javax.script", "jdk.nashorn.api.scripting", "org.openjdk.nashorn.api.scripting"},
				"ScriptEngine", "ScriptEngineManager", "NashornScriptEngine", "NashornScriptEngineFactory"),
				Arg: 0, When: "nonconst"}},
		{ID: "java-spel-eval", Family: "code-injection", Languages: jv, Severity: high, TaintRaises: true,
			Title: "Code executed from a variable", Why: whyEval, References: refCode,
			// Evaluated in a SimpleEvaluationContext, an expression cannot
			// reach types, constructors or beans.
			Match: Match{Names: []string{"*.parseExpression", "*.parseRaw"}, Arg: 0, When: "nonconst",
				UnlessCalled: []string{"*SimpleEvaluationContext.forReadOnlyDataBinding", "*SimpleEvaluationContext.forReadWriteDataBinding",
					"*SimpleEvaluationContext.forPropertyAccessors"}}},
		{ID: "java-jwt-unverified", Family: "jwt", Languages: jv, Severity: high,
			Title: "JWT accepted without verification", Why: whyJWT, References: refJWT,
			Match: Match{Names: []string{"com.auth0.jwt.JWT.decode", "*.parseClaimsJwt", "*.parsePlaintextJwt", "*.parseUnsecuredClaims",
				"*.parseUnsecuredContent"}, Arg: none, When: "any"}},
		{ID: "java-jwt-hardcoded-key", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*Algorithm.HMAC256", "*Algorithm.HMAC384", "*Algorithm.HMAC512", "*.signWith", "*.setSigningKey"},
				Arg: none, AnyArg: true, When: "matches", Pattern: `.`}},
		{ID: "java-db-password", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*DriverManager.getConnection"}, Arg: 2, When: "matches", Pattern: `.`}},
		{ID: "java-hardcoded-password", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// The password argument of authenticators, credentials and
			// key stores.
			Match: Match{Names: []string{"PasswordAuthentication", "java.net.PasswordAuthentication", "UsernamePasswordCredentials",
				"org.apache.http.auth.UsernamePasswordCredentials", "org.apache.hc.client5.http.auth.UsernamePasswordCredentials",
				"*KeyStore.getInstance().load", "*.getKey", "*KeyManagerFactory.getInstance().init", "*.setKeyEntry"}, Arg: 1, When: "matches", Pattern: `.`,
				NotNames: []string{"*map.getKey", "*Map.getKey", "*entry.getKey", "*Entry.getKey", "*e.getKey"}}},
		{ID: "java-hardcoded-password-set", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			Match: Match{Names: []string{"*.setPassword", "*.setKeyStorePassword", "*.setTrustStorePassword", "*.setKeyPassword"}, Arg: 0, When: "matches", Pattern: `.`}},
		{ID: "java-hardcoded-key-spec", Family: "hardcoded-credential", Languages: jv, Severity: high,
			Title: "Hard-coded credential", Why: whyCred, References: refCred,
			// new SecretKeySpec("secret".getBytes(), "HmacSHA256").
			Match: Match{Names: []string{"SecretKeySpec", "javax.crypto.spec.SecretKeySpec", "PBEKeySpec", "javax.crypto.spec.PBEKeySpec"}, Arg: 0,
				When: "matches", Pattern: `.`}},
		{ID: "java-cors-any", Family: "cors", Languages: jv, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.setHeader", "*.addHeader"}, Require: map[string][]string{"#0": {"Access-Control-Allow-Origin"}},
				Arg: 1, When: "literal", Equals: []string{"*"}}},
		{ID: "java-cors-allowed-origins", Family: "cors", Languages: jv, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"*.allowedOrigins", "*.addAllowedOrigin", "*.setAllowedOrigins", "*.allowedOriginPatterns"},
				Arg: none, AnyArg: true, When: "contains", Equals: []string{"*"}}},
		{ID: "java-cors-annotation", Family: "cors", Languages: jv, Severity: medium,
			Title: "CORS allows any origin", Why: whyCORS, References: refCORS,
			Match: Match{Names: []string{"@*CrossOrigin"}, Arg: 0, Keyword: "origins", When: "contains", Equals: []string{"*"}}},
	}
}
