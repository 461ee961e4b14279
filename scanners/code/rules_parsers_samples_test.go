package code

import (
	"context"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// parserSamples are the samples of parserRules (rules_parsers.go).
func parserSamples() map[string][]scannertest.Sample {
	const (
		imDBF  = "import javax.xml.parsers.DocumentBuilderFactory;\nimport javax.xml.parsers.DocumentBuilder;\n"
		imZip  = "import java.util.zip.ZipEntry;\nimport java.util.zip.ZipInputStream;\nimport java.io.File;\n"
		imTar  = "import org.apache.commons.compress.archivers.tar.TarArchiveEntry;\nimport java.nio.file.*;\n"
		imGoZ  = "\t\"archive/zip\"\n\t\"path/filepath\"\n\t\"strings\"\n\t\"os\"\n"
		imGoT  = "\t\"archive/tar\"\n\t\"path/filepath\"\n\t\"os\"\n"
		imLxml = "from lxml import etree"
	)
	return map[string][]scannertest.Sample{
		// XXE.
		"code/java-xxe-parser-factory": {
			pos("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\nDocumentBuilder db = dbf.newDocumentBuilder();\ndb.parse(request.getInputStream());\n")),
			pos("A.java", javaFn(imDBF, "Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(x);\n")),
			pos("A.java", javaFn("import javax.xml.stream.XMLInputFactory;\n", "XMLInputFactory f = XMLInputFactory.newInstance();\nf.createXMLStreamReader(new StringReader(x));\n")),
			pos("A.java", javaFn("import javax.xml.parsers.SAXParserFactory;\n", "SAXParserFactory spf = SAXParserFactory.newInstance();\nspf.newSAXParser().parse(x, handler);\n")),
			pos("A.java", javaFn("import org.dom4j.io.SAXReader;\n", "SAXReader reader = new SAXReader();\nreader.read(x);\n")),
			pos("A.java", javaFn("import org.jdom2.input.SAXBuilder;\n", "SAXBuilder b = new SAXBuilder();\nb.build(x);\n")),
			neg("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\nDocumentBuilder db = dbf.newDocumentBuilder();\ndb.parse(request.getInputStream());\n")),
			neg("A.java", javaFn(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\ndbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, \"\");\ndbf.newDocumentBuilder().parse(x);\n")),
			neg("A.java", javaFn("import javax.xml.stream.XMLInputFactory;\n", "XMLInputFactory f = XMLInputFactory.newInstance();\nf.setProperty(XMLInputFactory.SUPPORT_DTD, false);\nf.createXMLStreamReader(new StringReader(x));\n")),
			neg("A.java", javaFn("import javax.xml.parsers.SAXParserFactory;\n", "SAXParser p = SAXParserFactory.newInstance().newSAXParser();\np.getXMLReader().setFeature(\"http://xml.org/sax/features/external-general-entities\", false);\np.parse(x, handler);\n")),
			neg("A.java", javaFn(imDBF, "DocumentBuilder db = DocumentBuilderFactory.newInstance().newDocumentBuilder();\ndb.setEntityResolver(new NoEntities());\ndb.parse(x);\n")),
			pos("A.java", imDBF+"class P {\n  private final DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\n  Document read(InputStream in) throws Exception {\n    return dbf.newDocumentBuilder().parse(in);\n  }\n}\n"),
			neg("A.java", imDBF+"class P {\n  private final DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\n  P() throws Exception {\n    dbf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\n  }\n  Document read(InputStream in) throws Exception {\n    return dbf.newDocumentBuilder().parse(in);\n  }\n}\n"),
			neg("A.java", javaFn("import org.dom4j.io.SAXReader;\n", "SAXReader reader = new SAXReader();\nreader.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\nreader.read(x);\n")),
			// Building a document, not parsing one.
			neg("A.java", javaFn(imDBF, "DocumentBuilder db = DocumentBuilderFactory.newInstance().newDocumentBuilder();\nDocument d = db.newDocument();\nd.appendChild(d.createElement(x));\n")),
			// Go's encoding/xml never resolves external entities.
			neg("a.go", goReq("\t\"encoding/xml\"\n", "var v struct{}\n_ = xml.Unmarshal([]byte(x), &v)\n")),
		},
		"code/java-xxe-parse-input": {
			pos("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\nDocumentBuilder db = dbf.newDocumentBuilder();\ndb.parse(request.getInputStream());\n")),
			pos("A.java", javaReq(imDBF, "Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(x)));\n")),
			// Configured the other way, or only half hardened.
			pos("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", false);\ndbf.newDocumentBuilder().parse(request.getInputStream());\n")),
			pos("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://xml.org/sax/features/external-general-entities\", false);\ndbf.newDocumentBuilder().parse(request.getInputStream());\n")),
			neg("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\ndbf.newDocumentBuilder().parse(request.getInputStream());\n")),
			neg("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);\ndbf.newDocumentBuilder().parse(request.getInputStream());\n")),
			neg("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://xml.org/sax/features/external-general-entities\", false);\ndbf.setFeature(\"http://xml.org/sax/features/external-parameter-entities\", false);\ndbf.newDocumentBuilder().parse(request.getInputStream());\n")),
			neg("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\ndbf.newDocumentBuilder().parse(request.getInputStream());\n")),
			// A constant document, or no parser made here.
			neg("A.java", javaReq(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.newDocumentBuilder().parse(\"config.xml\");\n")),
			neg("A.java", javaReq("", "LocalDate d = LocalDate.parse(x);\n")),
		},
		"code/java-xxe-sax-parse-input": {
			pos("A.java", javaReq("import javax.xml.parsers.SAXParserFactory;\n", "SAXParserFactory spf = SAXParserFactory.newInstance();\nspf.newSAXParser().parse(request.getInputStream(), handler);\n")),
			pos("A.java", javaReq("import org.xml.sax.helpers.XMLReaderFactory;\n", "XMLReader r = XMLReaderFactory.createXMLReader();\nr.setFeature(\"http://xml.org/sax/features/external-general-entities\", false);\nr.setFeature(\"http://xml.org/sax/features/external-parameter-entities\", false);\nr.parse(new InputSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import org.xml.sax.helpers.XMLReaderFactory;\n", "XMLReader r = XMLReaderFactory.createXMLReader();\nr.setFeature(\"http://xml.org/sax/features/external-general-entities\", false);\nr.setFeature(\"http://xml.org/sax/features/external-parameter-entities\", false);\nr.setFeature(\"http://apache.org/xml/features/nonvalidating/load-external-dtd\", false);\nr.parse(new InputSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import javax.xml.parsers.SAXParserFactory;\n", "SAXParserFactory spf = SAXParserFactory.newInstance();\nspf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\nspf.newSAXParser().parse(request.getInputStream(), handler);\n")),
		},
		"code/java-xxe-reader-input": {
			pos("A.java", javaReq("import org.dom4j.io.SAXReader;\n", "SAXReader reader = new SAXReader();\nreader.read(request.getInputStream());\n")),
			pos("A.java", javaReq("import org.jdom2.input.SAXBuilder;\n", "SAXBuilder b = new SAXBuilder();\nb.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", false);\nb.build(request.getInputStream());\n")),
			neg("A.java", javaReq("import org.dom4j.io.SAXReader;\n", "SAXReader reader = new SAXReader();\nreader.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\nreader.read(request.getInputStream());\n")),
			neg("A.java", javaReq("import org.dom4j.io.SAXReader;\n", "SAXReader reader = new SAXReader();\nreader.read(new File(\"conf.xml\"));\n")),
		},
		"code/java-xxe-stax-input": {
			pos("A.java", javaReq("import javax.xml.stream.XMLInputFactory;\n", "XMLInputFactory f = XMLInputFactory.newFactory();\nf.createXMLStreamReader(request.getInputStream());\n")),
			pos("A.java", javaReq("import javax.xml.stream.XMLInputFactory;\n", "XMLInputFactory f = XMLInputFactory.newInstance();\nf.setProperty(XMLInputFactory.SUPPORT_DTD, true);\nf.createXMLEventReader(\"id\", request.getInputStream());\n")),
			neg("A.java", javaReq("import javax.xml.stream.XMLInputFactory;\n", "XMLInputFactory f = XMLInputFactory.newInstance();\nf.setProperty(XMLInputFactory.SUPPORT_DTD, false);\nf.createXMLStreamReader(request.getInputStream());\n")),
		},
		"code/java-xxe-schema-input": {
			pos("A.java", javaReq("import javax.xml.validation.SchemaFactory;\n", "SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);\nf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\nSchema s = f.newSchema(new StreamSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import javax.xml.validation.SchemaFactory;\n", "SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);\nf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\nf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, \"\");\nSchema s = f.newSchema(new StreamSource(request.getInputStream()));\n")),
		},
		"code/java-xxe-transform-input": {
			pos("A.java", javaReq("import javax.xml.transform.TransformerFactory;\n", "TransformerFactory tf = TransformerFactory.newInstance();\nTransformer t = tf.newTransformer();\nt.transform(new StreamSource(request.getInputStream()), out);\n")),
			pos("A.java", javaReq("import javax.xml.transform.TransformerFactory;\n", "TransformerFactory tf = TransformerFactory.newInstance();\ntf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\ntf.newTransformer(new StreamSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import javax.xml.transform.TransformerFactory;\n", "TransformerFactory tf = TransformerFactory.newInstance();\ntf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\ntf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, \"\");\ntf.newTransformer(new StreamSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import javax.xml.transform.TransformerFactory;\n", "TransformerFactory tf = TransformerFactory.newInstance();\nTransformer t = tf.newTransformer();\nt.transform(new DOMSource(doc), out);\n")),
		},
		"code/java-xxe-xpath-input": {
			pos("A.java", javaReq("import javax.xml.xpath.XPathFactory;\n", "XPathExpression e = XPathFactory.newInstance().newXPath().compile(\"/a\");\ne.evaluate(new InputSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import javax.xml.xpath.XPathFactory;\n", "XPathExpression e = XPathFactory.newInstance().newXPath().compile(\"/a\");\ne.evaluate(doc);\n")),
		},
		"code/java-xxe-xpath-input-source": {
			pos("A.java", javaReq("import javax.xml.xpath.XPathFactory;\n", "XPath p = XPathFactory.newInstance().newXPath();\np.evaluate(\"/a\", new InputSource(request.getInputStream()));\n")),
			neg("A.java", javaReq("import javax.xml.xpath.XPathFactory;\n", "XPath p = XPathFactory.newInstance().newXPath();\np.evaluate(\"/a\", new InputSource(new FileReader(\"a.xml\")));\n")),
		},
		"code/java-xxe-simplexml-input": {
			pos("A.java", javaReq("import org.simpleframework.xml.core.Persister;\n", "Persister p = new Persister();\nItem i = p.read(Item.class, request.getInputStream());\n")),
			pos("A.java", javaReq("import org.simpleframework.xml.stream.NodeBuilder;\n", "NodeBuilder.read(request.getReader());\n")),
			neg("A.java", javaReq("import org.simpleframework.xml.core.Persister;\n", "Persister p = new Persister();\nItem i = p.read(Item.class, new File(\"items.xml\"));\n")),
		},
		"code/java-weak-key-size": {
			pos("A.java", javaFn("import java.security.KeyPairGenerator;\n", "KeyPairGenerator g = KeyPairGenerator.getInstance(\"RSA\");\ng.initialize(1024);\n")),
			pos("A.java", javaFn("import java.security.KeyPairGenerator;\n", "KeyPairGenerator g = KeyPairGenerator.getInstance(\"DH\");\ng.initialize(512);\n")),
			neg("A.java", javaFn("import java.security.KeyPairGenerator;\n", "KeyPairGenerator g = KeyPairGenerator.getInstance(\"RSA\");\ng.initialize(2048);\n")),
			// 256 bits is a strong EC key.
			neg("A.java", javaFn("import java.security.KeyPairGenerator;\n", "KeyPairGenerator r = KeyPairGenerator.getInstance(\"RSA\");\nr.initialize(4096);\nKeyPairGenerator g = KeyPairGenerator.getInstance(\"EC\");\ng.initialize(256);\n")),
		},
		"code/java-weak-key-size-symmetric": {
			pos("A.java", javaFn("import javax.crypto.KeyGenerator;\n", "KeyGenerator g = KeyGenerator.getInstance(\"AES\");\ng.init(64);\n")),
			neg("A.java", javaFn("import javax.crypto.KeyGenerator;\n", "KeyGenerator g = KeyGenerator.getInstance(\"AES\");\ng.init(256);\n")),
			neg("A.java", javaFn("import javax.crypto.Cipher;\n", "Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\");\nc.init(1, key);\n")),
		},
		"code/java-weak-curve": {
			pos("A.java", javaFn("import java.security.spec.ECGenParameterSpec;\n", "g.initialize(new ECGenParameterSpec(\"secp112r1\"));\n")),
			pos("A.java", javaFn("import java.security.spec.ECGenParameterSpec;\n", "g.initialize(new ECGenParameterSpec(\"prime192v1\"));\n")),
			neg("A.java", javaFn("import java.security.spec.ECGenParameterSpec;\n", "g.initialize(new ECGenParameterSpec(\"secp256r1\"));\n")),
			neg("A.java", javaFn("import java.security.spec.ECGenParameterSpec;\n", "g.initialize(new ECGenParameterSpec(\"sect283k1\"));\n")),
		},
		"code/java-tls-old-protocol": {
			pos("A.java", javaFn("import javax.net.ssl.SSLContext;\n", "SSLContext c = SSLContext.getInstance(\"TLSv1.1\");\n")),
			pos("A.java", javaFn("import javax.net.ssl.SSLContext;\n", "SSLContext c = SSLContext.getInstance(\"SSLv3\");\n")),
			neg("A.java", javaFn("import javax.net.ssl.SSLContext;\n", "SSLContext c = SSLContext.getInstance(\"TLS\");\n")),
			neg("A.java", javaFn("import javax.net.ssl.SSLContext;\n", "SSLContext c = SSLContext.getInstance(\"TLSv1.3\");\n")),
		},
		"code/java-tls-old-protocol-enabled": {
			pos("A.java", javaFn("import javax.net.ssl.SSLSocket;\n", "socket.setEnabledProtocols(new String[] {\"TLSv1\", \"TLSv1.2\"});\n")),
			pos("A.java", javaFn("import javax.net.ssl.SSLParameters;\n", "SSLParameters p = new SSLParameters(suites, new String[] {\"SSLv3\"});\n")),
			neg("A.java", javaFn("import javax.net.ssl.SSLSocket;\n", "socket.setEnabledProtocols(new String[] {\"TLSv1.2\", \"TLSv1.3\"});\n")),
		},
		"code/java-hostname-verifier-set": {
			pos("A.java", javaFn("import javax.net.ssl.HttpsURLConnection;\n", "HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);\n")),
			pos("A.java", javaFn("import javax.net.ssl.HostnameVerifier;\n", "HostnameVerifier v = new HostnameVerifier() {\n  public boolean verify(String h, SSLSession s) {\n    return true;\n  }\n};\nconn.setHostnameVerifier(v);\n")),
			neg("A.java", javaFn("import javax.net.ssl.HttpsURLConnection;\n", "HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> h.equals(\"api.example.com\"));\n")),
			neg("A.java", javaFn("import javax.net.ssl.HostnameVerifier;\n", "HostnameVerifier v = new HostnameVerifier() {\n  public boolean verify(String h, SSLSession s) {\n    return allowed.contains(h);\n  }\n};\nconn.setHostnameVerifier(v);\n")),
		},
		"code/java-ssrf-client": {
			pos("A.java", javaReq("import org.springframework.web.client.RestTemplate;\n", "restTemplate.put(x, body);\n")),
			pos("A.java", javaReq("import javax.ws.rs.client.*;\n", "Client c = ClientBuilder.newClient();\nc.target(x).request().get();\n")),
			neg("A.java", javaReq("import org.springframework.web.client.RestTemplate;\n", "params.put(x, body);\nrestTemplate.put(\"https://api.example.com/items\", params);\n")),
			neg("A.java", javaReq("import javax.ws.rs.client.*;\n", "Client c = ClientBuilder.newClient();\nc.target(\"https://api.example.com\").path(x).request().get();\n")),
		},
		"code/java-ssrf-open": {
			pos("A.java", javaReq("import java.net.URL;\n", "URL u = new URL(x);\nInputStream in = u.openStream();\n")),
			neg("A.java", javaReq("import java.net.URL;\n", "URL u = new URL(\"https://api.example.com/status\");\nInputStream in = u.openStream();\n")),
		},
		"code/java-deserialization-read": {
			pos("A.java", javaReq("import java.io.ObjectInputStream;\n", "ObjectInputStream in = new ObjectInputStream(request.getInputStream());\nObject o = in.readObject();\n")),
			neg("A.java", javaReq("import java.io.ObjectInputStream;\n", "ObjectInputStream in = new ObjectInputStream(request.getInputStream());\nin.setObjectInputFilter(filter);\nObject o = in.readObject();\n")),
			neg("A.java", javaReq("import java.io.ObjectInputStream;\n", "ObjectInputStream in = new ObjectInputStream(new FileInputStream(\"cache.bin\"));\nObject o = in.readObject();\n")),
		},
		"code/java-kryo": {
			pos("A.java", javaReq("import com.esotericsoftware.kryo.Kryo;\n", "Kryo kryo = new Kryo();\nObject o = kryo.readClassAndObject(new Input(request.getInputStream()));\n")),
			neg("A.java", javaReq("import com.esotericsoftware.kryo.Kryo;\n", "Kryo kryo = new Kryo();\nkryo.setRegistrationRequired(true);\nObject o = kryo.readClassAndObject(new Input(request.getInputStream()));\n")),
		},
		"code/java-fastjson": {
			pos("A.java", javaReq("import com.alibaba.fastjson.JSON;\n", "Object o = JSON.parseObject(x);\n")),
			// The buffer read() fills holds the input.
			pos("A.java", javaReq("import com.alibaba.fastjson.JSON;\n", "byte[] b = new byte[100];\nrequest.getInputStream().read(b);\nObject o = JSON.parse(new String(b));\n")),
			neg("A.java", javaReq("import com.alibaba.fastjson.JSON;\n", "Object o = JSON.parseObject(\"{}\");\n")),
		},
		"code/java-response-writer-xss": {
			pos("A.java", javaReq("", "PrintWriter out = response.getWriter();\nout.println(\"<p>\" + x + \"</p>\");\n")),
			pos("A.java", javaReq("", "ServletOutputStream os = response.getOutputStream();\nos.write(x.getBytes());\n")),
			neg("A.java", javaReq("", "PrintWriter out = response.getWriter();\nout.println(\"<p>\" + Encode.forHtml(x) + \"</p>\");\n")),
			neg("A.java", javaReq("", "PrintWriter out = new PrintWriter(new FileWriter(\"log.txt\"));\nout.println(x);\n")),
		},
		"code/java-send-error-xss": {
			pos("A.java", javaReq("import javax.servlet.http.HttpServletResponse;\n", "response.sendError(404, \"No page \" + x);\n")),
			neg("A.java", javaReq("import javax.servlet.http.HttpServletResponse;\n", "response.sendError(404, \"No page \" + encodeForHtml(x));\n")),
		},
		"code/java-open-redirect": {
			pos("A.java", javaReq("import org.springframework.http.HttpHeaders;\n", "HttpHeaders h = new HttpHeaders();\nh.setLocation(URI.create(x));\n")),
			neg("A.java", javaReq("import org.springframework.http.HttpHeaders;\n", "HttpHeaders h = new HttpHeaders();\nh.setLocation(URI.create(\"/home\"));\n")),
		},
		"code/java-ldapi-dn": {
			pos("A.java", javaReq("import javax.naming.directory.*;\n", "ctx.search(\"ou=\" + x + \",dc=example,dc=com\", \"(objectClass=person)\", controls);\n")),
			neg("A.java", javaReq("import javax.naming.directory.*;\n", "ctx.search(\"ou=people,dc=example,dc=com\", \"(uid={0})\", new Object[] {x}, controls);\n")),
		},
		"code/java-ldapi-apache-filter": {
			pos("A.java", javaReq("import org.apache.directory.api.ldap.model.message.SearchRequestImpl;\n", "SearchRequest r = new SearchRequestImpl();\nr.setFilter(\"(uid=\" + x + \")\");\n")),
			neg("A.java", javaReq("import org.apache.directory.api.ldap.model.message.SearchRequestImpl;\n", "SearchRequest r = new SearchRequestImpl();\nr.setFilter(\"(objectClass=person)\");\n")),
		},
		"code/java-hardcoded-password": {
			pos("A.java", javaFn("import java.net.PasswordAuthentication;\n", "PasswordAuthentication a = new PasswordAuthentication(\"admin\", \"s3cr3t-pw\".toCharArray());\n")),
			neg("A.java", javaFn("import java.net.PasswordAuthentication;\n", "PasswordAuthentication a = new PasswordAuthentication(\"admin\", System.getenv(\"PW\").toCharArray());\n")),
		},
		"code/java-hardcoded-password-set": {
			pos("A.java", javaFn("", "dataSource.setPassword(\"s3cr3t-pw\");\n")),
			neg("A.java", javaFn("", "dataSource.setPassword(System.getenv(\"DB_PASSWORD\"));\n")),
			// A mask shown in place of the password, a property placeholder.
			neg("A.java", javaFn("", "copy.setPassword(\"[PROTECTED]\");\n")),
			neg("A.java", javaFn("", "dataSource.setPassword(\"${db.password}\");\n")),
		},
		"code/java-hardcoded-key-spec": {
			pos("A.java", javaFn("import javax.crypto.spec.SecretKeySpec;\n", "SecretKeySpec k = new SecretKeySpec(\"my-hmac-secret\".getBytes(), \"HmacSHA256\");\n")),
			neg("A.java", javaFn("import javax.crypto.spec.SecretKeySpec;\n", "SecretKeySpec k = new SecretKeySpec(loadKey(), \"HmacSHA256\");\n")),
		},
		"code/java-sqli": {
			// A StringBuilder built up statement by statement; a JDBC call.
			pos("A.java", javaReq("", "StringBuilder sb = new StringBuilder();\nsb.append(\"SELECT * FROM t WHERE a='\");\nsb.append(x);\nsb.append(\"'\");\nstmt.executeQuery(sb.toString());\n")),
			pos("A.java", javaReq("", "CallableStatement c = conn.prepareCall(\"{ call get_item('\" + x + \"') }\");\n")),
			pos("A.java", javaReq("", "stmt.executeQuery(String.format(\"SELECT * FROM t WHERE a = '%s'\", x));\n")),
			neg("A.java", javaReq("", "stmt.executeQuery(String.format(\"SELECT * FROM t WHERE a = %d\", x));\n")),
			neg("A.java", javaReq("", "StringBuilder sb = new StringBuilder();\nsb.append(\"SELECT * FROM t WHERE a = ?\");\nPreparedStatement p = conn.prepareStatement(sb.toString());\np.setString(1, x);\n")),
		},
		"code/java-xxe-transformer": {
			pos("A.java", javaFn("import javax.xml.transform.TransformerFactory;\n", "TransformerFactory tf = TransformerFactory.newInstance();\nTransformer t = tf.newTransformer(new StreamSource(x));\n")),
			neg("A.java", javaFn("import javax.xml.transform.TransformerFactory;\n", "TransformerFactory tf = TransformerFactory.newInstance();\ntf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, \"\");\ntf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, \"\");\nTransformer t = tf.newTransformer(new StreamSource(x));\n")),
			// The identity transform writes a document out; it parses nothing.
			neg("A.java", javaFn("import javax.xml.transform.TransformerFactory;\n", "Transformer t = TransformerFactory.newInstance().newTransformer();\nt.transform(new DOMSource(doc), new StreamResult(x));\n")),
		},
		"code/java-xxe-dom4j-parse-text": {
			pos("A.java", javaReq("import org.dom4j.DocumentHelper;\n", "Document d = DocumentHelper.parseText(x);\n")),
			neg("A.java", javaReq("import org.dom4j.DocumentHelper;\n", "Document d = DocumentHelper.parseText(\"<a/>\");\n")),
		},
		"code/xxe-external-entities-on": {
			pos("a.py", pyReq("import xml.sax\nfrom xml.sax.handler import feature_external_ges", "p = xml.sax.make_parser()\np.setFeature(feature_external_ges, True)\np.parse(x)\n")),
			pos("a.py", pyFn("import xml.dom.pulldom\nfrom xml.sax import handler, make_parser", "p = make_parser()\np.setFeature(handler.feature_external_pes, True)\nxml.dom.pulldom.parse(x, parser=p)\n")),
			pos("A.java", javaFn(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://xml.org/sax/features/external-general-entities\", true);\ndbf.newDocumentBuilder().parse(x);\n")),
			pos("A.java", javaFn("import javax.xml.stream.XMLInputFactory;\n", "XMLInputFactory f = XMLInputFactory.newInstance();\nf.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, true);\n")),
			neg("a.py", pyReq("import xml.sax\nfrom xml.sax.handler import feature_external_ges", "p = xml.sax.make_parser()\np.setFeature(feature_external_ges, False)\np.parse(x)\n")),
			// The standard library's parsers leave external entities off.
			neg("a.py", pyReq("import xml.sax\nimport xml.etree.ElementTree as ET\nfrom xml.dom import minidom", "ET.fromstring(x)\nminidom.parseString(x)\nxml.sax.parseString(x, h)\n")),
			neg("A.java", javaFn(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://xml.org/sax/features/external-general-entities\", false);\n")),
		},
		"code/java-xxe-doctype-allowed": {
			pos("A.java", javaFn(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", false);\n")),
			neg("A.java", javaFn(imDBF, "DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();\ndbf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\n")),
		},
		"code/py-lxml-resolve-entities": {
			pos("a.py", pyReq(imLxml, "p = etree.XMLParser(resolve_entities=True)\nreturn etree.fromstring(x, p)\n")),
			neg("a.py", pyReq(imLxml, "p = etree.XMLParser(resolve_entities=False, no_network=True)\nreturn etree.fromstring(x, p)\n")),
			neg("a.py", pyReq(imLxml, "return etree.fromstring(x)\n")),
		},
		"code/py-lxml-network": {
			pos("a.py", pyFn(imLxml, "return etree.parse(x, etree.XMLParser(no_network=False))\n")),
			neg("a.py", pyFn(imLxml, "return etree.parse(x, etree.XMLParser(no_network=True))\n")),
		},
		"code/py-lxml-load-dtd": {
			pos("a.py", pyFn("import lxml.etree", "p = lxml.etree.XMLParser(load_dtd=True)\nreturn lxml.etree.parse(x, p)\n")),
			neg("a.py", pyFn("import lxml.etree", "p = lxml.etree.XMLParser(load_dtd=False)\nreturn lxml.etree.parse(x, p)\n")),
		},
		"code/js-libxml-noent": {
			pos("a.js", jsReq("const libxmljs = require('libxmljs');", "const doc = libxmljs.parseXml(x, { noent: true });\nres.send(doc.root().text());\n")),
			neg("a.js", jsReq("const libxmljs = require('libxmljs');", "const doc = libxmljs.parseXml(x, { noent: false });\nres.send(doc.root().text());\n")),
		},
		"code/js-libxml-sax-input": {
			pos("a.js", jsReq("const libxmljs = require('libxmljs');", "const parser = new libxmljs.SaxParser();\nparser.parseString(x);\n")),
			pos("a.js", jsReq("const libxmljs = require('libxmljs');", "const parser = new libxmljs.SaxPushParser();\nparser.push(req.body);\n")),
			neg("a.js", jsReq("const libxmljs = require('libxmljs');", "const parser = new libxmljs.SaxParser();\nparser.parseString(fs.readFileSync('/etc/app/config.xml', 'utf8'));\n")),
			neg("a.js", jsReq("const libxmljs = require('libxmljs');", "const items = [];\nitems.push(x);\nconst doc = libxmljs.parseXml('<a/>');\n")),
			// xml2js never expands external entities.
			neg("a.js", jsReq("const xml2js = require('xml2js');", "xml2js.parseString(x, (err, r) => res.json(r));\n")),
		},

		// Evaluation.
		"code/py-imagemath-eval": {
			pos("a.py", pyReq("from PIL import ImageMath, Image", "return ImageMath.eval(x, a=Image.open('a.png'))\n")),
			pos("a.py", pyFn("from PIL import ImageMath", "return ImageMath.unsafe_eval('a + ' + x, a=1)\n")),
			neg("a.py", pyFn("from PIL import ImageMath", "return ImageMath.eval('convert(a, \"L\")', a=x)\n")),
		},
		"code/js-function-body": {
			pos("a.js", jsReq("", "const f = new Function('a', x);\nres.json(f(1));\n")),
			neg("a.js", jsReq("", "const f = new Function('a', 'return a + 1');\nres.json(f(x));\n")),
		},
		"code/js-code-timer-input": {
			pos("a.js", jsReq("", "setTimeout(x, 100);\n")),
			neg("a.js", jsReq("", "setTimeout(() => res.json(x), 100);\n")),
		},
		"code/java-ognl-eval": {
			pos("A.java", javaReq("import ognl.Ognl;\n", "Object v = Ognl.getValue(x, context, root);\n")),
			neg("A.java", javaReq("import ognl.Ognl;\n", "Object v = Ognl.getValue(\"user.name\", context, root);\n")),
			neg("A.java", javaFn("import ognl.Ognl;\n", "Object tree = Ognl.parseExpression(\"user.name\");\nObject v = Ognl.getValue(tree, context, x);\n")),
		},
		"code/java-mvel-eval": {
			pos("A.java", javaReq("import org.mvel2.MVEL;\n", "Object v = MVEL.eval(x, vars);\n")),
			neg("A.java", javaReq("import org.mvel2.MVEL;\n", "Object v = MVEL.eval(\"a + b\", vars);\n")),
		},
		"code/java-groovy-eval": {
			pos("A.java", javaReq("import groovy.lang.GroovyShell;\n", "GroovyShell shell = new GroovyShell();\nObject v = shell.evaluate(x);\n")),
			pos("A.java", javaFn("import groovy.lang.GroovyShell;\n", "Object v = new GroovyShell().parse(x).run();\n")),
			neg("A.java", javaReq("import groovy.lang.GroovyShell;\n", "GroovyShell shell = new GroovyShell();\nObject v = shell.evaluate(\"1 + 1\");\n")),
			// evaluate() of something else in a file without Groovy.
			neg("A.java", javaFn("import com.example.Rules;\n", "Object v = rules.evaluate(x);\n")),
		},

		// ReDoS.
		"code/redos-nested-quantifier": {
			pos("a.py", pyFn("import re", "return re.match(r'^(a+)+$', x)\n")),
			pos("a.py", pyFn("import re", "P = re.compile(r'^(\\w+\\s?)*$')\nreturn P.match(x)\n")),
			pos("a.js", jsFn("", "return /^(a|a)*$/.test(x);\n")),
			pos("a.js", jsFn("", "return new RegExp('^(.*)*$').test(x);\n")),
			pos("A.java", javaFn("import java.util.regex.Pattern;\n", "Pattern p = Pattern.compile(\"^([a-z0-9]+)*@\");\np.matcher(x).find();\n")),
			neg("a.py", pyFn("import re", "return re.match(r'^[a-z]+(,[a-z]+)*$', x)\n")),
			neg("a.js", jsFn("", "return /^(a|b)*$/.test(x) && /^(\\d+-)+$/.test(x);\n")),
			neg("A.java", javaFn("import java.util.regex.Pattern;\n", "Pattern p = Pattern.compile(\"^(?>a+)+$|(a++)+\");\np.matcher(x).find();\n")),
			// Go's regexp (RE2) runs in linear time.
			neg("a.go", goFn("\t\"regexp\"\n", "_ = regexp.MustCompile(`^(a+)+$`).MatchString(x)\n")),
		},
		"code/java-redos-string": {
			pos("A.java", javaFn("", "boolean ok = x.matches(\"(\\\\d+)+x\");\n")),
			pos("A.java", javaFn("", "String y = x.replaceAll(\"^(\\\\w+\\\\s*)+$\", \"\");\n")),
			neg("A.java", javaFn("", "boolean ok = x.matches(\"\\\\d+(,\\\\d+)*\");\n")),
			// JavaScript's and Python's string methods take plain text.
			neg("a.js", jsFn("", "return x.replaceAll('(a+)+', '').split('(.*)*');\n")),
		},
		"code/py-regex-from-input": {
			pos("a.py", pyReq("import re", "return re.search(x, 'text')\n")),
			pos("a.py", pyReq("import re", "return re.compile('^' + x + '$')\n")),
			neg("a.py", pyReq("import re", "return re.search(re.escape(x), 'text')\n")),
			neg("a.py", pyReq("import re", "return re.search('^[a-z]+$', x)\n")),
		},
		"code/js-regex-from-input": {
			pos("a.js", jsReq("", "const r = new RegExp(x);\nres.json(r.test('a'));\n")),
			neg("a.js", jsReq("const _ = require('lodash');", "const r = new RegExp(_.escapeRegExp(x));\nres.json(r.test('a'));\n")),
			neg("a.js", jsReq("", "const r = new RegExp('^[a-z]+$');\nres.json(r.test(x));\n")),
			// Metacharacters escaped by hand (MDN's escapeRegExp): the pattern
			// matches the text literally.
			neg("a.js", jsReq("", "const r = new RegExp(x.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&'), 'i');\nres.json(r.test('a'));\n")),
			neg("a.js", jsReq("", "const safe = x.replace(/[-\\/\\\\^$*+?.()|[\\]{}]/g, '\\\\$&');\nres.json(new RegExp('^' + safe).test('a'));\n")),
			// Removing only some of them is no escaping.
			pos("a.js", jsReq("", "const r = new RegExp(x.replace(/[.*]/g, '\\\\$&'));\nres.json(r.test('a'));\n")),
		},
		"code/java-regex-from-input": {
			pos("A.java", javaReq("import java.util.regex.Pattern;\n", "Pattern p = Pattern.compile(x);\n")),
			neg("A.java", javaReq("import java.util.regex.Pattern;\n", "Pattern p = Pattern.compile(Pattern.quote(x));\n")),
		},

		// Zip-slip.
		"code/java-zip-slip": {
			pos("A.java", javaReq(imZip, "ZipInputStream zis = new ZipInputStream(request.getInputStream());\nZipEntry e = zis.getNextEntry();\nFile f = new File(\"/data\", e.getName());\nFiles.copy(zis, f.toPath());\n")),
			pos("A.java", javaFn(imTar, "TarArchiveEntry e = in.getNextTarEntry();\nString name = e.getName();\nPath p = Paths.get(x).resolve(name);\nFiles.copy(in, p);\n")),
			neg("A.java", javaReq(imZip, "ZipInputStream zis = new ZipInputStream(request.getInputStream());\nZipEntry e = zis.getNextEntry();\nFile f = new File(\"/data\", e.getName());\nif (!f.getCanonicalPath().startsWith(\"/data/\")) throw new IOException(\"bad entry\");\nFiles.copy(zis, f.toPath());\n")),
			// File.getName() outside an archive is a last path segment.
			neg("A.java", javaFn("import java.io.File;\n", "File src = new File(x);\nFile f = new File(\"/data\", src.getName());\n")),
		},
		"code/go-zip-slip": {
			pos("a.go", goFn(imGoZ, "r, _ := zip.OpenReader(x)\nfor _, f := range r.File {\n\tp := filepath.Join(\"/data\", f.Name)\n\tos.WriteFile(p, nil, 0o600)\n}\n_ = strings.ToLower\n")),
			pos("a.go", goFn(imGoT, "tr := tar.NewReader(os.Stdin)\nhdr, _ := tr.Next()\nout, _ := os.Create(filepath.Join(x, hdr.Name))\n_ = out\n")),
			neg("a.go", goFn(imGoZ, "r, _ := zip.OpenReader(x)\nfor _, f := range r.File {\n\tp := filepath.Join(\"/data\", f.Name)\n\tif !strings.HasPrefix(p, filepath.Clean(\"/data\")+string(os.PathSeparator)) {\n\t\tcontinue\n\t}\n\tos.WriteFile(p, nil, 0o600)\n}\n")),
			neg("a.go", goFn(imGoT, "tr := tar.NewReader(os.Stdin)\nhdr, _ := tr.Next()\nif !filepath.IsLocal(hdr.Name) {\n\treturn\n}\nout, _ := os.Create(filepath.Join(x, hdr.Name))\n_ = out\n")),
		},
		"code/py-zip-slip": {
			pos("a.py", pyFn("import os, zipfile", "with zipfile.ZipFile(x) as z:\n    for info in z.infolist():\n        with open(os.path.join('/data', info.filename), 'wb') as f:\n            f.write(z.read(info))\n")),
			pos("a.py", pyFn("import os, tarfile", "t = tarfile.open(x)\nfor m in t.getmembers():\n    dest = os.path.join('/data', m.name)\n    open(dest, 'wb').write(t.extractfile(m).read())\n")),
			neg("a.py", pyFn("import os, zipfile", "base = os.path.realpath('/data')\nwith zipfile.ZipFile(x) as z:\n    for info in z.infolist():\n        dest = os.path.realpath(os.path.join(base, info.filename))\n        if os.path.commonpath([base, dest]) != base:\n            raise ValueError(info.filename)\n        open(dest, 'wb').write(z.read(info))\n")),
		},
		"code/py-tar-extractall": {
			pos("a.py", pyFn("import tarfile", "with tarfile.open(x) as tar:\n    tar.extractall('/data')\n")),
			pos("a.py", pyFn("import tarfile", "tarfile.open(x).extractall(path='/data')\n")),
			neg("a.py", pyFn("import tarfile", "with tarfile.open(x) as tar:\n    tar.extractall('/data', filter='data')\n")),
			neg("a.py", pyFn("import tarfile", "with tarfile.open(x) as tar:\n    tar.extractall('/data', members=safe_members(tar))\n")),
			// zipfile sanitizes member names itself.
			neg("a.py", pyFn("import zipfile", "with zipfile.ZipFile(x) as zf:\n    zf.extractall('/data')\n")),
			pos("a.py", pyFn("import tarfile", "tar = tarfile.open(x)\nfor entry in tar:\n    tar.extract(entry, '/data')\n")),
		},
		"code/js-zip-slip": {
			pos("a.js", jsFn("const AdmZip = require('adm-zip');\nconst path = require('path');\nconst fs = require('fs');",
				"new AdmZip(x).getEntries().forEach((e) => {\n  fs.writeFileSync(path.join('/data', e.entryName), e.getData());\n});\n")),
			pos("a.js", jsFn("const unzipper = require('unzipper');\nconst path = require('path');\nconst fs = require('fs');",
				"fs.createReadStream(x).pipe(unzipper.Parse()).on('entry', (entry) => {\n  entry.pipe(fs.createWriteStream(path.join('/data', entry.path)));\n});\n")),
			neg("a.js", jsFn("const AdmZip = require('adm-zip');\nconst path = require('path');\nconst fs = require('fs');",
				"new AdmZip(x).getEntries().forEach((e) => {\n  const p = path.resolve('/data', e.entryName);\n  if (!p.startsWith('/data/')) return;\n  fs.writeFileSync(p, e.getData());\n});\n")),
			neg("a.js", jsFn("const path = require('path');", "return path.join('/data', x.name);\n")),
		},

		// Reflection.
		"code/java-reflection-class": {
			pos("A.java", javaReq("", "Class<?> c = Class.forName(x);\nObject o = c.getDeclaredConstructor().newInstance();\n")),
			neg("A.java", javaReq("", "Class<?> c = Class.forName(\"com.example.Plugin\");\n")),
			neg("A.java", javaFn("", "Class<?> c = Class.forName(x);\n")),
		},
		"code/java-reflection-method": {
			pos("A.java", javaReq("", "Method m = target.getClass().getMethod(x);\nm.invoke(target);\n")),
			pos("A.java", javaReq("", "Field f = Config.class.getDeclaredField(x);\n")),
			neg("A.java", javaReq("", "Method m = target.getClass().getMethod(\"run\");\nm.invoke(target);\n")),
			neg("A.java", javaReq("", "PDField f = acroForm.getField(x);\n")),
		},
		"code/py-reflection-import": {
			pos("a.py", pyReq("import importlib", "mod = importlib.import_module(x)\n")),
			pos("a.py", pyReq("", "mod = __import__(x)\n")),
			neg("a.py", pyReq("import importlib", "mod = importlib.import_module('app.plugins.' + 'default')\n")),
			neg("a.py", pyFn("import importlib", "mod = importlib.import_module(x)\n")),
		},
		"code/js-reflection-call": {
			pos("a.js", jsReq("", "const out = handlers[x](req.body);\nres.json(out);\n")),
			pos("a.js", jsReq("", "res.json(api[req.params.op]());\n")),
			neg("a.js", jsReq("", "const out = handlers['list'](req.body);\nres.json(out);\n")),
			neg("a.js", jsFn("", "return handlers[x]();\n")),
		},
		"code/py-getattr-input": {
			// A pytest test whose first fixture is called request is no view.
			neg("test_models.py", "import django\nfrom app import models\n\ndef test_fields(request, field_name):\n    return getattr(models.Page, field_name)\n"),
			pos("a.py", pyReq("", "return getattr(handlers, x)()\n")),
			neg("a.py", pyReq("", "return getattr(handlers, 'default')()\n")),
		},
	}
}

// TestRedos checks the nested-quantifier test on patterns by hand: those
// that backtrack exponentially, and near misses that do not.
func TestRedos(t *testing.T) {
	for _, c := range []struct {
		pat string
		bad bool
	}{
		{`(a+)+`, true}, {`^(a+)+$`, true}, {`(a*)*`, true}, {`(.*)*`, true}, {`(a|a)*`, true}, {`(ab|ab)+`, true}, {`(.|\s)*`, true},
		{`^(\w+\s?)*$`, true}, {`([a-z]+)*`, true}, {`(?:x+y?)+`, true}, {`((ab)*)+`, true}, {`(\w|\d)+`, true},
		{`(?P<n>a+){2,}`, true}, {`(x+x+)+y`, true}, {`((a+))+`, true}, {`^(\\d+)+$`, true},
		{`a+`, false}, {`(a|ab)+`, false}, {`(ab|ac)*`, false}, {`(a+b)+`, false}, {`(a|b)*`, false}, {`^[a-z]+(,[a-z]+)*$`, false}, {`(a+){2,5}`, false},
		{`(?>a+)+`, false}, {`(a++)+`, false}, {`(\d+-)+`, false}, {`[(a+)+]`, false}, {`\(a+\)+`, false},
		{`(a+)?`, false}, {`(?=a+)+`, false}, {``, false}, {`(((`, false}, {`)))`, false}, {`a{`, false}, {`(a{2})+`, false},
	} {
		if got := redos(c.pat); got != c.bad {
			t.Errorf("redos(%q) = %v, want %v", c.pat, got, c.bad)
		}
	}
	// Deep nesting and long patterns are bounded, not a crash.
	deep := ""
	for range 10_000 {
		deep += "("
	}
	_ = redos(deep + "a+" + deep)
}

// TestUnlessCalled checks the Match field UnlessCalled: a call on the
// variable the site's result goes to ($target), or any call of a name, in
// the same function makes the site safe; the same call elsewhere does not.
func TestUnlessCalled(t *testing.T) {
	r := Rule{ID: "t-factory", Family: "custom", Languages: jv, Severity: medium, Title: "t", Why: "{call}",
		Match: Match{Names: []string{"Factory.make"}, Arg: none, When: "any", UnlessCalled: []string{"$target.harden", "*.check"}}}
	s, err := New(WithoutBuiltins(), WithRules(r))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		src string
		hit bool
	}{
		{"class A {\n  void a() {\n    Object f = Factory.make();\n  }\n  void b() {\n    f.harden();\n    other.check();\n  }\n}\n", true},
		{"class A {\n  void a() {\n    Object f = Factory.make();\n    g.harden();\n  }\n}\n", true},
		{"class A {\n  void a() {\n    use(Factory.make());\n    f.harden();\n  }\n}\n", true},
		{"class A {\n  void a() {\n    Object f = Factory.make();\n    f.harden();\n  }\n}\n", false},
		{"class A {\n  void a() {\n    Object f = Factory.make();\n    if (!p.check()) return;\n  }\n}\n", false},
	} {
		fs, _, err := s.scan(context.Background(), "A.java", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(fs) > 0; got != c.hit {
			t.Errorf("sample %d: found %v, want %v: %+v", i, got, c.hit, fs)
		}
	}
	for _, bad := range [][]string{{"$target.*"}, {"*"}} {
		r.Match.UnlessCalled = bad
		if _, err := New(WithoutBuiltins(), WithRules(r)); err == nil {
			t.Errorf("UnlessCalled %q accepted", bad)
		}
	}
}
