package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// pyJSON is a Flask handler where b is the request's JSON body.
func pyJSON(imports, body string) string {
	return "from flask import request\n" + imports + "\ndef h():\n    b = request.get_json()\n" + indent("    ", body)
}

// javaLDAP, javaXPath and javaMongo are the imports of the Java samples.
const (
	javaLDAP  = "import javax.naming.directory.DirContext;\nimport javax.naming.directory.InitialDirContext;\n"
	javaXPath = "import javax.xml.xpath.XPath;\nimport javax.xml.xpath.XPathFactory;\n"
	javaMongo = "import org.bson.Document;\nimport com.mongodb.BasicDBObject;\n"
	goLDAP    = "\t\"github.com/go-ldap/ldap/v3\"\n"
	goBSON    = "\t\"go.mongodb.org/mongo-driver/bson\"\n"
	goXQ      = "\t\"github.com/antchfx/xmlquery\"\n"
	goXP      = "\t\"github.com/antchfx/xpath\"\n"
	goGin     = "package p\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc h(c *gin.Context) {\n"
)

// injectionSamples are the samples of injectionRules (rules_inject.go).
func injectionSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		// NoSQL injection.
		"code/nosqli-where": {
			pos("a.js", jsReq("const mongoose = require('mongoose');", "User.find({ $where: 'this.name == \"' + x + '\"' });\n")),
			neg("a.js", jsReq("const mongoose = require('mongoose');", "User.find({ $where: 'this.age > 18' });\n")),
			pos("a.py", pyFn("import pymongo", "db.users.find({'$where': \"this.name == '%s'\" % x})\n")),
			neg("a.py", pyFn("import pymongo", "db.users.find({'$where': 'this.age > 18'})\n")),
			pos("a.go", goReq(goBSON, "_ = bson.M{\"$where\": \"this.name == '\" + x + \"'\"}\n")),
			neg("a.go", goReq(goBSON, "_ = bson.M{\"name\": x}\n")),
		},
		"code/js-nosqli-mapreduce": {
			pos("a.js", jsReq("", "db.collection('c').mapReduce('function() { emit(this.' + x + ', 1); }', 'function(k, v) { return v.length; }', {});\n")),
			neg("a.js", jsReq("", "db.collection('c').mapReduce(function () { emit(this.k, 1); }, function (k, v) { return v.length; }, { query: { k: String(x) } });\n")),
		},
		"code/js-nosqli-query-object": {
			pos("a.js", jsReq("", "db.collection('users').find(req.body);\n")),
			pos("a.js", jsReq("", "User.findOne(req.query.filter);\n")),
			neg("a.js", jsReq("", "db.collection('users').find({ name: String(req.body.name) });\n")),
			neg("a.js", jsReq("", "items.find((i) => i.id === req.params.id);\n")),
		},
		"code/js-nosqli-query-object-import": {
			pos("a.js", jsReq("const { MongoClient } = require('mongodb');", "db.collection('users').update(req.body, { $set: { seen: true } });\n")),
			neg("a.js", jsReq("const crypto = require('crypto');", "crypto.createHash('sha256').update(req.body.data);\n")),
		},
		"code/js-nosqli-query-field": {
			pos("a.js", jsReq("const mongoose = require('mongoose');\nconst User = mongoose.model('User');", "User.findOne({ name: req.body.name, password: req.body.password });\n")),
			neg("a.js", jsReq("const mongoose = require('mongoose');\nconst User = mongoose.model('User');", "User.findOne({ name: String(req.body.name), password: `${req.body.password}` });\n")),
			neg("a.js", jsReq("const mongoose = require('mongoose');\nconst User = mongoose.model('User');", "User.findOne({ name: req.params.name });\n")),
			pos("a.js", jsReq("const mongoose = require('mongoose');\nconst User = mongoose.model('User');", "const { name, password } = req.body;\nUser.findOne({ name, password });\n")),
			neg("a.js", jsReq("const mongoose = require('mongoose');\nconst User = mongoose.model('User');", "const name = String(req.body.name);\nUser.findOne({ name });\n")),
		},
		"code/py-nosqli-query-object": {
			pos("a.py", pyJSON("from pymongo import MongoClient", "return db.users.find_one(b)\n")),
			neg("a.py", pyJSON("from pymongo import MongoClient", "return db.users.find_one({'name': str(b['name'])})\n")),
			neg("a.py", pyReq("from pymongo import MongoClient", "return db.users.find_one(x)\n")),
		},
		"code/py-nosqli-query-field": {
			pos("a.py", pyJSON("from pymongo import MongoClient", "return db.users.find_one({'name': b['name'], 'pw': b['pw']})\n")),
			neg("a.py", pyJSON("from pymongo import MongoClient", "return db.users.find_one({'name': str(b['name'])})\n")),
			neg("a.py", pyReq("from pymongo import MongoClient", "return db.users.find_one({'name': x})\n")),
			neg("a.py", pyJSON("from pymongo import MongoClient\nfrom bson import ObjectId", "return db.users.find_one({'_id': ObjectId(b['id'])})\n")),
		},
		"code/py-nosqli-code": {
			pos("a.py", pyFn("from bson.code import Code\nimport pymongo", "return Code('function() { emit(this.' + x + ', 1); }')\n")),
			neg("a.py", pyFn("from bson.code import Code\nimport pymongo", "return Code('function() { emit(this.k, 1); }')\n")),
		},
		"code/java-nosqli-parse": {
			pos("A.java", javaReq(javaMongo, "Document q = Document.parse(\"{name: '\" + x + \"'}\");\n")),
			neg("A.java", javaReq(javaMongo, "Document q = new Document(\"name\", x);\n")),
			pos("A.java", javaReq("import org.springframework.data.mongodb.core.query.BasicQuery;\n", "mongoTemplate.find(new BasicQuery(\"{ name: '\" + x + \"' }\"), User.class);\n")),
			neg("A.java", javaReq("import org.springframework.data.mongodb.core.query.BasicQuery;\n", "mongoTemplate.find(new BasicQuery(\"{ active: true }\"), User.class);\n")),
		},
		"code/java-nosqli-where": {
			pos("A.java", javaReq(javaMongo, "BasicDBObject q = new BasicDBObject(\"$where\", \"this.name == '\" + x + \"'\");\n")),
			neg("A.java", javaReq(javaMongo, "BasicDBObject q = new BasicDBObject(\"name\", x);\n")),
		},
		"code/java-nosqli-where-filter": {
			pos("A.java", javaReq("import com.mongodb.client.model.Filters;\n", "coll.find(Filters.where(\"this.name == '\" + x + \"'\"));\n")),
			neg("A.java", javaReq("import com.mongodb.client.model.Filters;\n", "coll.find(Filters.eq(\"name\", x));\n")),
		},

		// LDAP injection.
		"code/py-ldapi": {
			pos("a.py", pyReq("import ldap", "conn = ldap.initialize('ldap://dir')\nconn.search_s('dc=ex', ldap.SCOPE_SUBTREE, '(uid=' + x + ')')\n")),
			neg("a.py", pyReq("import ldap\nfrom ldap.filter import escape_filter_chars", "conn = ldap.initialize('ldap://dir')\nconn.search_s('dc=ex', ldap.SCOPE_SUBTREE, '(uid=' + escape_filter_chars(x) + ')')\n")),
			neg("a.py", pyReq("import ldap\nimport ldap.filter", "conn = ldap.initialize('ldap://dir')\nconn.search_s('dc=ex', ldap.SCOPE_SUBTREE, ldap.filter.filter_format('(uid=%s)', [x]))\n")),
		},
		"code/py-ldap3i": {
			pos("a.py", pyReq("from ldap3 import Connection", "c = Connection('ldap://dir')\nc.search('dc=ex', f'(uid={x})')\n")),
			neg("a.py", pyReq("from ldap3 import Connection\nfrom ldap3.utils.conv import escape_filter_chars", "c = Connection('ldap://dir')\nc.search('dc=ex', f'(uid={escape_filter_chars(x)})')\n")),
		},
		"code/java-ldapi": {
			pos("A.java", javaReq(javaLDAP, "DirContext ctx = new InitialDirContext();\nctx.search(\"dc=ex\", \"(uid=\" + x + \")\", null);\n")),
			neg("A.java", javaReq(javaLDAP, "DirContext ctx = new InitialDirContext();\nctx.search(\"dc=ex\", \"(uid={0})\", new Object[]{x}, null);\n")),
			pos("A.java", javaReq("import org.springframework.ldap.core.LdapTemplate;\n", "ldapTemplate.search(\"ou=people\", \"(uid=\" + x + \")\", mapper);\n")),
			neg("A.java", javaReq("import org.springframework.ldap.core.LdapTemplate;\nimport org.springframework.ldap.support.LdapEncoder;\n", "ldapTemplate.search(\"ou=people\", \"(uid=\" + LdapEncoder.filterEncode(x) + \")\", mapper);\n")),
		},
		"code/java-ldapi-spring-filter": {
			pos("A.java", javaReq("import org.springframework.ldap.query.LdapQueryBuilder;\n", "ldapTemplate.search(LdapQueryBuilder.query().filter(\"(uid=\" + x + \")\"), mapper);\n")),
			neg("A.java", javaReq("import org.springframework.ldap.query.LdapQueryBuilder;\n", "ldapTemplate.search(LdapQueryBuilder.query().filter(\"(uid={0})\", x), mapper);\n")),
		},
		"code/java-ldapi-unboundid": {
			pos("A.java", javaReq("import com.unboundid.ldap.sdk.LDAPConnection;\nimport com.unboundid.ldap.sdk.SearchScope;\n", "conn.search(\"dc=ex\", SearchScope.SUB, \"(uid=\" + x + \")\");\n")),
			neg("A.java", javaReq("import com.unboundid.ldap.sdk.LDAPConnection;\nimport com.unboundid.ldap.sdk.SearchScope;\nimport com.unboundid.ldap.sdk.Filter;\n", "conn.search(\"dc=ex\", SearchScope.SUB, \"(uid=\" + Filter.encodeValue(x) + \")\");\n")),
		},
		"code/java-ldapi-unboundid-filter": {
			pos("A.java", javaReq("import com.unboundid.ldap.sdk.Filter;\n", "Filter f = Filter.create(\"(uid=\" + x + \")\");\n")),
			neg("A.java", javaReq("import com.unboundid.ldap.sdk.Filter;\n", "Filter f = Filter.createEqualityFilter(\"uid\", x);\n")),
		},
		"code/go-ldapi": {
			pos("a.go", goReq(goLDAP, "_ = ldap.NewSearchRequest(\"dc=ex\", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, \"(uid=\"+x+\")\", nil, nil)\n")),
			neg("a.go", goReq(goLDAP, "_ = ldap.NewSearchRequest(\"dc=ex\", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, \"(uid=\"+ldap.EscapeFilter(x)+\")\", nil, nil)\n")),
		},
		"code/go-ldapi-compile": {
			pos("a.go", goFn(goLDAP+"\t\"fmt\"\n", "_, _ = ldap.CompileFilter(fmt.Sprintf(\"(cn=%s)\", x))\n")),
			neg("a.go", goFn(goLDAP+"\t\"fmt\"\n", "_, _ = ldap.CompileFilter(fmt.Sprintf(\"(cn=%s)\", ldap.EscapeFilter(x)))\n")),
		},
		"code/js-ldapi": {
			pos("a.js", jsReq("const ldap = require('ldapjs');", "client.search('dc=ex', { filter: '(uid=' + x + ')', scope: 'sub' }, cb);\n")),
			neg("a.js", jsReq("const ldap = require('ldapjs');", "client.search('dc=ex', { filter: new ldap.EqualityFilter({ attribute: 'uid', value: x }), scope: 'sub' }, cb);\n")),
		},
		"code/js-ldapi-parse": {
			pos("a.js", jsReq("const ldap = require('ldapjs');", "const f = ldap.parseFilter(`(uid=${x})`);\n")),
			neg("a.js", jsReq("const ldap = require('ldapjs');", "const f = ldap.parseFilter('(objectClass=person)');\n")),
		},

		// XPath injection.
		"code/py-xpathi": {
			pos("a.py", pyReq("from lxml import etree", "doc = etree.parse('users.xml')\nreturn doc.xpath(\"//user[@name='\" + x + \"']\")\n")),
			neg("a.py", pyReq("from lxml import etree", "doc = etree.parse('users.xml')\nreturn doc.xpath('//user[@name=$n]', n=x)\n")),
			neg("a.py", pyFn("from lxml import etree", "doc = etree.parse('page.html')\nreturn doc.xpath(f'//tr[{x}]')\n")),
		},
		"code/py-xpathi-etree": {
			pos("a.py", pyReq("import xml.etree.ElementTree as ET", "root = ET.parse('users.xml').getroot()\nreturn root.find(f\"./user[@name='{x}']\")\n")),
			neg("a.py", pyReq("import xml.etree.ElementTree as ET", "root = ET.parse('users.xml').getroot()\nreturn [u for u in root.findall('./user') if u.get('name') == x]\n")),
		},
		"code/java-xpathi": {
			pos("A.java", javaReq(javaXPath, "XPath xp = XPathFactory.newInstance().newXPath();\nxp.evaluate(\"//user[@name='\" + x + \"']\", doc);\n")),
			neg("A.java", javaReq(javaXPath, "XPath xp = XPathFactory.newInstance().newXPath();\nxp.setXPathVariableResolver(v -> x);\nxp.evaluate(\"//user[@name=$name]\", doc);\n")),
			neg("A.java", javaReq(javaXPath+"import java.util.regex.Pattern;\n", "Pattern p = Pattern.compile(\"^\" + x);\n")),
		},
		"code/java-xpathi-dom4j": {
			pos("A.java", javaReq("import org.dom4j.Document;\n", "doc.selectNodes(\"//user[@name='\" + x + \"']\");\n")),
			neg("A.java", javaReq("import org.dom4j.Document;\n", "doc.selectNodes(\"//user\");\n")),
		},
		"code/js-xpathi": {
			pos("a.js", jsReq("const xpath = require('xpath');", "const n = xpath.select(\"//user[@name='\" + x + \"']\", doc);\n")),
			neg("a.js", jsReq("const xpath = require('xpath');", "const n = xpath.select('//user', doc).filter((u) => u.getAttribute('name') === x);\n")),
		},
		"code/go-xpathi": {
			pos("a.go", goReq(goXQ, "_ = xmlquery.Find(doc, \"//user[@name='\"+x+\"']\")\n")),
			neg("a.go", goReq(goXQ, "_ = xmlquery.Find(doc, \"//user\")\n")),
		},
		"code/go-xpathi-compile": {
			pos("a.go", goFn(goXP+"\t\"fmt\"\n", "_, _ = xpath.Compile(fmt.Sprintf(\"//user[@name='%s']\", x))\n")),
			neg("a.go", goFn(goXP, "_, _ = xpath.Compile(\"//user\")\n")),
			pos("a.go", goReq("\t\"github.com/santhosh-tekuri/xpathparser\"\n", "_, _ = xpathparser.Parse(\"//user[@name='\" + x + \"']\")\n")),
		},
		"code/go-nosqli-query-object": {
			pos("a.go", goReq("\t\"encoding/json\"\n\t\"go.mongodb.org/mongo-driver/bson\"\n\t\"go.mongodb.org/mongo-driver/mongo\"\n",
				"var coll *mongo.Collection\nvar filter bson.M\njson.NewDecoder(r.Body).Decode(&filter)\ncoll.FindOne(r.Context(), filter)\n")),
			neg("a.go", goReq("\t\"go.mongodb.org/mongo-driver/bson\"\n\t\"go.mongodb.org/mongo-driver/mongo\"\n",
				"var coll *mongo.Collection\ncoll.FindOne(r.Context(), bson.M{\"name\": x})\n")),
		},
		"code/go-ldapi-attributes": {
			pos("a.go", goReq("\t\"github.com/go-ldap/ldap/v3\"\n", "_ = ldap.NewSearchRequest(\"dc=example,dc=com\", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, \"(uid=*)\", []string{\"cn\", x}, nil)\n")),
			neg("a.go", goReq("\t\"github.com/go-ldap/ldap/v3\"\n", "_ = ldap.NewSearchRequest(\"dc=example,dc=com\", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, \"(uid=*)\", []string{\"cn\", \"mail\"}, nil)\n")),
		},
		"code/go-ldapi-client": {
			pos("a.go", goReq("\tldapclient \"github.com/jtblin/go-ldap-client\"\n", "c := &ldapclient.LDAPClient{}\nc.Authenticate(x, r.FormValue(\"p\"))\n")),
			neg("a.go", goReq("\tldapclient \"github.com/jtblin/go-ldap-client\"\n", "c := &ldapclient.LDAPClient{}\nc.GetGroupsOfUser(\"admin\")\n")),
		},
		"code/go-xpathi-node": {
			pos("a.go", goReq("\t\"github.com/antchfx/xmlquery\"\n", "doc, _ := xmlquery.Parse(r.Body)\n_ = doc.SelectElement(\"//user[@name='\" + x + \"']\")\n")),
			neg("a.go", goReq("\t\"github.com/antchfx/xmlquery\"\n", "doc, _ := xmlquery.Parse(r.Body)\n_ = doc.SelectElement(\"//user\")\n")),
			neg("a.go", goReq("\t\"github.com/jbowtie/gokogiri/xml\"\n\t\"github.com/jbowtie/gokogiri/xpath\"\n",
				"var n xml.Node\nexpr := xpath.Compile(\"//user[@name='\" + x + \"']\")\n_, _ = n.Search(expr)\n")),
		},

		// Response headers.
		"code/js-header-injection": {
			pos("a.js", jsReq("", "res.setHeader('Content-Disposition', 'attachment; filename=' + x);\nres.end();\n")),
			neg("a.js", jsReq("", "res.setHeader('Content-Disposition', 'attachment; filename=' + encodeURIComponent(x));\nres.end();\n")),
			neg("a.js", jsReq("", "res.set('X-Frame-Options', 'DENY');\nres.end();\n")),
		},
		"code/js-header-injection-object": {
			pos("a.js", jsReq("", "res.writeHead(200, { 'X-User': x });\nres.end();\n")),
			neg("a.js", jsReq("", "res.writeHead(200, { 'Content-Type': 'text/plain' });\nres.end();\n")),
		},
		"code/py-header-injection": {
			pos("a.py", pyReq("from flask import make_response", "resp = make_response('ok')\nresp.headers['X-User'] = x\nreturn resp\n")),
			neg("a.py", pyReq("from flask import make_response", "resp = make_response('ok')\nresp.headers['X-User'] = 'anonymous'\nreturn resp\n")),
			neg("a.py", pyReq("", "response = {}\nresponse['user'] = x\nreturn response\n")),
		},
		"code/py-header-injection-call": {
			pos("a.py", pyReq("from flask import make_response", "response = make_response('ok')\nresponse.headers.set('X-User', x)\nreturn response\n")),
			neg("a.py", pyReq("from flask import make_response", "response = make_response('ok')\nresponse.headers.set('X-User', str(len(x)))\nreturn response\n")),
		},
		"code/py-header-injection-dict": {
			pos("a.py", pyReq("from django.http import HttpResponse", "return HttpResponse('ok', headers={'X-User': x})\n")),
			neg("a.py", pyReq("from django.http import HttpResponse", "return HttpResponse('ok', headers={'X-Frame-Options': 'DENY'})\n")),
		},
		"code/java-header-injection": {
			pos("A.java", javaReq("", "response.setHeader(\"X-User\", x);\n")),
			neg("A.java", javaReq("", "response.setHeader(\"X-User\", \"anonymous\");\n")),
			pos("A.java", "import org.springframework.http.ResponseEntity;\nimport org.springframework.web.bind.annotation.RequestParam;\n\nclass C {\n  ResponseEntity<String> get(@RequestParam String name) {\n    return ResponseEntity.ok().header(\"Content-Disposition\", \"attachment; filename=\" + name).body(\"x\");\n  }\n}\n"),
		},
		"code/java-cookie-injection": {
			pos("A.java", javaReq("import javax.servlet.http.Cookie;\n", "response.addCookie(new Cookie(\"lang\", x));\n")),
			neg("A.java", javaReq("import javax.servlet.http.Cookie;\n", "response.addCookie(new Cookie(\"lang\", \"en\"));\n")),
		},

		// Open redirect.
		"code/py-open-redirect": {
			// A Django manager's method returns records, whatever it is
			// given: redirect(obj) goes to the record's own URL.
			neg("a.py", "from django.shortcuts import redirect\nfrom .models import Release\n\ndef language(request, lang):\n    return redirect(Release.objects.current(lang))\n"),
			neg("a.py", "from django.shortcuts import redirect\nfrom .models import Page\n\ndef go(request):\n    return redirect(Page.objects.filter(slug=request.GET['p']).first())\n"),
			pos("a.py", "from django.shortcuts import redirect\n\ndef go(request):\n    return redirect(request.GET['next'])\n"),
			pos("a.py", pyReq("from flask import redirect", "return redirect(x)\n")),
			pos("a.py", pyReq("from flask import redirect", "return redirect('/' + x)\n")),
			neg("a.py", pyReq("from flask import redirect", "return redirect('/profile?tab=' + x)\n")),
			neg("a.py", pyReq("from flask import redirect, url_for", "return redirect(url_for('index'))\n")),
			neg("a.py", "from django.shortcuts import redirect\nfrom django.utils.http import url_has_allowed_host_and_scheme\n\ndef h(request):\n    nxt = request.GET.get('next')\n    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):\n        return redirect(nxt)\n    return redirect('/')\n"),
			pos("a.py", "from django.http import HttpResponseRedirect\n\ndef h(request):\n    return HttpResponseRedirect(request.GET['next'])\n"),
		},
		"code/py-open-redirect-header": {
			pos("a.py", pyReq("from django.http import HttpResponse", "response = HttpResponse(status=302)\nresponse['Location'] = x\nreturn response\n")),
			neg("a.py", pyReq("from django.http import HttpResponse", "response = HttpResponse(status=302)\nresponse['Location'] = '/home'\nreturn response\n")),
		},
		"code/js-open-redirect": {
			pos("a.js", jsReq("", "res.redirect(x);\n")),
			pos("a.js", jsReq("", "res.redirect(302, '/' + x);\n")),
			neg("a.js", jsReq("", "res.redirect('/search?q=' + encodeURIComponent(x));\n")),
			neg("a.js", jsReq("", "res.redirect(302, '/login?next=' + x);\n")),
			neg("a.js", jsReq("", "res.redirect('https://example.com/' + x);\n")),
			pos("a.js", "router.get('/out', (ctx) => {\n  ctx.redirect(ctx.query.to);\n});\n"),
		},
		"code/js-open-redirect-header": {
			pos("a.js", jsReq("", "res.setHeader('Location', x);\nres.statusCode = 302;\nres.end();\n")),
			neg("a.js", jsReq("", "res.setHeader('Location', '/home');\nres.statusCode = 302;\nres.end();\n")),
		},
		"code/js-open-redirect-object": {
			pos("a.js", jsReq("", "res.writeHead(302, { Location: x });\nres.end();\n")),
			neg("a.js", jsReq("", "res.writeHead(302, { Location: '/home' });\nres.end();\n")),
		},
		"code/java-open-redirect": {
			pos("A.java", javaReq("", "response.sendRedirect(x);\n")),
			neg("A.java", javaReq("", "response.sendRedirect(\"/account?tab=\" + x);\n")),
			neg("A.java", javaReq("", "response.sendRedirect(request.getContextPath() + \"/login\");\n")),
		},
		"code/java-open-redirect-header": {
			pos("A.java", javaReq("", "response.setStatus(302);\nresponse.setHeader(\"Location\", x);\n")),
			neg("A.java", javaReq("", "response.setStatus(302);\nresponse.setHeader(\"Location\", \"/home\");\n")),
		},
		"code/java-open-redirect-spring": {
			pos("A.java", "import org.springframework.web.bind.annotation.RequestParam;\nimport org.springframework.web.servlet.ModelAndView;\n\nclass C {\n  ModelAndView go(@RequestParam String url) {\n    return new ModelAndView(\"redirect:\" + url);\n  }\n}\n"),
			pos("A.java", "import org.springframework.web.bind.annotation.GetMapping;\nimport org.springframework.web.bind.annotation.RequestParam;\n\nclass C {\n  @GetMapping(\"/go\")\n  String go(@RequestParam(\"to\") String to) {\n    return \"redirect:\" + to;\n  }\n}\n"),
			neg("A.java", "import org.springframework.web.bind.annotation.GetMapping;\nimport org.springframework.web.bind.annotation.RequestParam;\n\nclass C {\n  @GetMapping(\"/go\")\n  String go(@RequestParam(\"id\") String id) {\n    return \"redirect:/items/\" + id;\n  }\n}\n"),
			neg("A.java", "import org.springframework.web.bind.annotation.RequestParam;\nimport org.springframework.web.servlet.ModelAndView;\n\nclass C {\n  ModelAndView go(@RequestParam String id) {\n    return new ModelAndView(\"redirect:/items/\" + id);\n  }\n}\n"),
		},
		"code/go-open-redirect": {
			pos("a.go", goReq("", "http.Redirect(w, r, x, http.StatusFound)\n")),
			neg("a.go", goReq("", "http.Redirect(w, r, \"/items/\"+x, http.StatusFound)\n")),
			neg("a.go", goReq("", "http.Redirect(w, r, r.URL.Path+\"/\", http.StatusMovedPermanently)\n")),
			neg("a.go", goReq("\t\"net/url\"\n", "u, _ := url.Parse(x)\nif u.Hostname() == \"example.com\" {\n\thttp.Redirect(w, r, u.String(), http.StatusFound)\n}\n")),
			neg("a.go", goReq("", "http.Redirect(w, r, \"//localhost/\"+x, http.StatusFound)\n")),
			pos("a.go", goReq("", "if x != \"\" {\n\thttp.Redirect(w, r, x, http.StatusFound)\n}\n")),
		},
		"code/go-open-redirect-framework": {
			pos("a.go", goGin+"\tc.Redirect(302, c.Query(\"next\"))\n}\n"),
			neg("a.go", goGin+"\tc.Redirect(302, \"/items/\"+c.Query(\"id\"))\n}\n"),
		},
		"code/go-open-redirect-header": {
			pos("a.go", goReq("", "w.Header().Set(\"Location\", x)\nw.WriteHeader(http.StatusFound)\n")),
			neg("a.go", goReq("", "w.Header().Set(\"Location\", \"/home\")\nw.WriteHeader(http.StatusFound)\n")),
		},

		// Log injection.
		"code/py-log-injection": {
			pos("a.py", pyReq("import logging\nlog = logging.getLogger(__name__)", "log.info('login failed for %s', x)\n")),
			neg("a.py", pyReq("import logging\nlog = logging.getLogger(__name__)", "log.info('login failed for %d', int(x))\n")),
			neg("a.py", pyFn("import logging", "logging.warning('retrying %s', x)\n")),
			// A local named request holding an HTTP client's response is not
			// the web framework's request.
			neg("a.py", pyFn("import logging\nimport urllib3", "request = urllib3.PoolManager().request('GET', 'https://api.example.com/')\nlogging.debug(f'Request ID: {request.headers.get(\"x-request-id\")}')\nlogging.error(f'body: {request.data.decode()}')\n")),
			// A view's request parameter stays the source.
			pos("views.py", "import logging\nfrom django.http import HttpResponse\n\ndef view(request):\n    logging.info('q=%s', request.GET.get('q'))\n    return HttpResponse('ok')\n"),
		},
		"code/js-log-injection": {
			pos("a.js", jsReq("", "console.log('login failed for ' + x);\n")),
			neg("a.js", jsReq("", "console.log('login failed for ' + encodeURIComponent(x));\n")),
			neg("a.js", "const h = location.hash;\nconsole.log('hash', h);\n"),
		},
		"code/java-log-injection": {
			pos("A.java", javaReq("", "logger.info(\"login failed for \" + x);\n")),
			neg("A.java", javaReq("", "logger.info(\"login failed for id \" + Integer.parseInt(x));\n")),
		},
		"code/go-log-injection": {
			pos("a.go", goReq("\t\"log\"\n", "log.Printf(\"login failed for %s\", x)\n")),
			neg("a.go", goReq("\t\"log\"\n", "log.Printf(\"%s %s\", r.Method, r.RemoteAddr)\n")),
		},
		"code/go-log-injection-lib": {
			pos("a.go", goReq("\t\"github.com/sirupsen/logrus\"\n", "logrus.Infof(\"login failed for %s\", x)\n")),
			pos("a.go", goReq("\t\"k8s.io/klog/v2\"\n", "klog.Error(\"bad user \", x)\n")),
			pos("a.go", goReq("\t\"github.com/astaxie/beego/logs\"\n", "logs.Warning(x)\n")),
			pos("a.go", goReq("\t\"fmt\"\n", "fmt.Println(\"user\", x)\n")),
			neg("a.go", goReq("\t\"github.com/sirupsen/logrus\"\n", "logrus.Infof(\"login failed for %s\", r.Method)\n")),
			neg("a.go", goReq("\t\"github.com/sirupsen/logrus\"\n", "logrus.Infof(\"login failed for %q (%d tries)\", x, len(x))\n")),
			pos("a.go", goReq("\t\"github.com/sirupsen/logrus\"\n", "logrus.Infof(\"login failed for %#q\", x)\n")),
			pos("a.go", goReq("\t\"github.com/sirupsen/logrus\"\n", "logrus.Infof(\"login %d failed for %s\", 3, x)\n")),
			neg("a.go", goFn("\t\"github.com/golang/glog\"\n", "glog.Info(\"starting \", x)\n")),
		},
		"code/go-log-injection-stdio": {
			pos("a.go", goReq("\t\"fmt\"\n\t\"os\"\n", "fmt.Fprintf(os.Stderr, \"user %s\\n\", x)\n")),
			neg("a.go", goReq("\t\"fmt\"\n\t\"os\"\n", "f, _ := os.Create(\"/tmp/out\")\nfmt.Fprintf(f, \"user %s\\n\", x)\n")),
		},
		"code/go-log-injection-logger": {
			pos("a.go", goReq("\t\"go.uber.org/zap\"\n", "logger, _ := zap.NewProduction()\nsugar := logger.Sugar()\nsugar.Warnf(\"no user %s\", x)\n")),
			pos("a.go", goReq("\t\"log\"\n\t\"os\"\n", "lg := log.New(os.Stderr, \"\", 0)\nlg.Println(\"user\", x)\n")),
			neg("a.go", goReq("\t\"go.uber.org/zap\"\n", "logger, _ := zap.NewProduction()\nlogger.Info(\"request\", zap.String(\"method\", r.Method))\n")),
			neg("a.go", goReq("\t\"strings\"\n", "var b strings.Builder\nb.Error(x)\n")),
		},
	}
}
