package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// pythonMoreSamples are the samples of pythonMoreRules (rules_python_more.go),
// and of the Python changes made with them (a module's other name for a
// callable; autoescape off by a falsy constant; jinja2.Template).
func pythonMoreSamples() map[string][]scannertest.Sample {
	const imDj = "from django.http import HttpResponse\n"
	return map[string][]scannertest.Sample{
		"code/py-ssti-input": {
			pos("a.py", pyReq("import airspeed", "return airspeed.Template(x).merge({})\n")),
			pos("a.py", pyReq("import chevron", "return chevron.render(x, {'k': 1})\n")),
			pos("a.py", pyReq("from tornado.template import Template", "return Template(x).generate()\n")),
			pos("v.py", imDj+"from trender import TRender\n\ndef view(request):\n    t = request.GET['t']\n    return HttpResponse(TRender(t).render({}))\n"),
			pos("a.py", pyReq("from genshi.template import MarkupTemplate", "return MarkupTemplate(x).generate().render('html')\n")),
			pos("a.py", pyReq("import bottle", "return bottle.template(x, name='a')\n")),
			neg("a.py", pyReq("import chevron", "return chevron.render('Hello {{ name }}', {'name': x})\n")),
			neg("a.py", pyReq("from tornado.template import Template", "return Template('<b>{{ n }}</b>').generate(n=x)\n")),
			neg("a.py", pyFn("import airspeed", "return airspeed.Template(x)\n")),
		},
		"code/py-ssti-input-keyword": {
			pos("a.py", pyReq("import chevron", "return chevron.render(template=x, data={})\n")),
			neg("a.py", pyReq("import chevron", "return chevron.render(template='{{ a }}', data={'a': x})\n")),
		},
		"code/py-ssti-input-text": {
			pos("a.py", pyReq("from mako.template import Template", "return Template(text=x).render()\n")),
			neg("a.py", pyReq("from mako.template import Template", "return Template(filename='page.html').render(name=x)\n")),
		},
		"code/py-ssh-host-key-unchecked": {
			pos("ssh.py", "import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n"),
			pos("ssh.py", "from paramiko.client import SSHClient, WarningPolicy\nc = SSHClient()\nc.set_missing_host_key_policy(WarningPolicy)\n"),
			neg("ssh.py", "import paramiko\nc = paramiko.SSHClient()\nc.load_system_host_keys()\nc.set_missing_host_key_policy(paramiko.RejectPolicy())\n"),
		},
		"code/py-asyncssh-known-hosts-off": {
			pos("ssh.py", "import asyncssh\n\nasync def run():\n    async with asyncssh.connect('h', known_hosts=None) as conn:\n        await conn.run('ls')\n"),
			neg("ssh.py", "import asyncssh\n\nasync def run():\n    async with asyncssh.connect('h', known_hosts='known_hosts') as conn:\n        await conn.run('ls')\n"),
		},
		"code/py-pysftp-hostkeys-off": {
			pos("sftp.py", "import pysftp\nopts = pysftp.CnOpts()\nopts.hostkeys = None\n"),
			neg("sftp.py", "import pysftp\nopts = pysftp.CnOpts(knownhosts='known_hosts')\n"),
		},
		"code/py-hardcoded-password": {
			pos("db.py", "import pymysql\nconn = pymysql.connect(host='db', user='app', password='s3cr3t-Pw')\n"),
			pos("ssh.py", "PASSWORD = 'hunter22'\n\ndef go(client):\n    client.connect(host='h', username='u',\n                   password=PASSWORD)\n"),
			pos("r.py", "import redis\nr = redis.Redis(host='cache', password='Redis-Pass-1')\n"),
			neg("db.py", "import os, pymysql\nconn = pymysql.connect(host='db', user='app', password=os.environ['DB_PASSWORD'])\n"),
			neg("db.py", "import pymysql\nconn = pymysql.connect(host='db', user='app', password='changeme')\n"),
			neg("db.py", "import pymysql\n\ndef c(pw):\n    return pymysql.connect(host='db', user='app', password=pw)\n"),
		},
		"code/py-hardcoded-passwd": {
			pos("db.py", "import MySQLdb\nconn = MySQLdb.connect(host='db', user='app', passwd='s3cr3t-Pw')\n"),
			neg("db.py", "import os, MySQLdb\nconn = MySQLdb.connect(host='db', user='app', passwd=os.environ['DB_PASSWORD'])\n"),
		},
		"code/py-hardcoded-login-arg": {
			pos("mail.py", "import smtplib\ns = smtplib.SMTP('mail')\ns.login('bot', 'Mail-Pass-9')\n"),
			pos("ftp.py", "from ftplib import FTP\n\ndef get():\n    with FTP('files') as ftp:\n        ftp.login('u', 'Ftp-Pass-3')\n"),
			neg("mail.py", "import os, smtplib\ns = smtplib.SMTP('mail')\ns.login('bot', os.environ['MAIL_PASSWORD'])\n"),
		},
		"code/py-hardcoded-password-arg": {
			pos("api.py", "import requests\nfrom requests.auth import HTTPBasicAuth\nrequests.get('https://api', auth=HTTPBasicAuth('u', 'Api-Pass-7'))\n"),
			neg("mail.py", "import os, smtplib\ns = smtplib.SMTP('mail')\ns.login('bot', os.environ['MAIL_PASSWORD'])\n"),
		},
		"code/py-xpathi-libxml2": {
			pos("a.py", pyReq("import libxml2", "doc = libxml2.parseFile('d.xml')\nreturn str(doc.xpathEval(x))\n")),
			pos("a.py", pyReq("import libxml2", "doc = libxml2.parseFile('d.xml')\nctx = doc.xpathNewContext()\nreturn str(ctx.xpathEval(\"//user[@name='\" + x + \"']\"))\n")),
			neg("a.py", pyReq("import libxml2", "doc = libxml2.parseFile('d.xml')\nreturn str(doc.xpathEval('//user'))\n")),
		},
		"code/py-xpathi-elementpath": {
			pos("a.py", pyReq("import elementpath\nfrom xml.etree import ElementTree", "root = ElementTree.parse('d.xml').getroot()\nreturn str(elementpath.select(root, '//u[@n=\"' + x + '\"]'))\n")),
			neg("a.py", pyReq("import elementpath\nfrom xml.etree import ElementTree", "root = ElementTree.parse('d.xml').getroot()\nreturn str(elementpath.select(root, '//u[@n=$n]', variables={'n': x}))\n")),
		},
		"code/py-ssrf-method": {
			pos("a.py", pyReq("import requests", "return requests.request('GET', x).text\n")),
			pos("a.py", pyReq("import urllib3", "return urllib3.PoolManager().request('GET', 'http://' + x + '/').data\n")),
			neg("a.py", pyReq("import requests", "return requests.request('GET', 'https://api.example.com/items/' + x).text\n")),
		},
		"code/py-open-redirect-url": {
			pos("a.py", "from fastapi import FastAPI\nfrom fastapi.responses import RedirectResponse\napp = FastAPI()\n\n@app.get('/go')\ndef go(next: str):\n    return RedirectResponse(url=next)\n"),
			neg("a.py", "from fastapi import FastAPI\nfrom fastapi.responses import RedirectResponse\napp = FastAPI()\n\n@app.get('/go')\ndef go(next: str):\n    return RedirectResponse(url='/items/' + next)\n"),
		},
		"code/py-open-redirect-location": {
			pos("a.py", "from pyramid.httpexceptions import HTTPFound\n\ndef view(request):\n    raise HTTPFound(location=request.GET['next'])\n"),
			pos("a.py", pyReq("import flask", "return flask.redirect(location=x)\n")),
			neg("a.py", "from pyramid.httpexceptions import HTTPFound\n\ndef view(request):\n    raise HTTPFound(location='/home')\n"),
		},
		"code/py-open-redirect-to": {
			pos("views.py", "from django.shortcuts import redirect\n\ndef v(request):\n    return redirect(to=request.GET['next'])\n"),
			neg("views.py", "from django.shortcuts import redirect\n\ndef v(request):\n    return redirect(to='/accounts/' + request.GET['next'])\n"),
		},
		"code/py-open-redirect-redirect-to": {
			pos("views.py", "from django.http import HttpResponseRedirect\n\ndef v(request):\n    return HttpResponseRedirect(redirect_to=request.POST['next'])\n"),
			neg("views.py", "from django.http import HttpResponseRedirect\n\ndef v(request):\n    return HttpResponseRedirect(redirect_to='/done')\n"),
		},
		"code/py-open-redirect-framework": {
			pos("h.py", "import tornado.web\n\nclass H(tornado.web.RequestHandler):\n    def get(self):\n        self.redirect(self.get_argument('next'))\n"),
			pos("h.py", "import falcon\n\nclass R:\n    def on_get(self, req, resp):\n        x = req.get_param('next')\n        raise falcon.HTTPFound(x)\n"),
			neg("h.py", "import tornado.web\n\nclass H(tornado.web.RequestHandler):\n    def get(self):\n        self.redirect('/login?next=' + self.get_argument('next'))\n"),
		},
		"code/py-app-debug-mode": {
			pos("main.py", "from fastapi import FastAPI\napp = FastAPI(debug=True)\n"),
			pos("main.py", "import tornado.web\napp = tornado.web.Application([], debug=True)\n"),
			neg("main.py", "import os\nfrom fastapi import FastAPI\napp = FastAPI(debug=os.environ.get('DEBUG') == '1')\n"),
		},
		"code/py-tornado-traceback": {
			pos("main.py", "import tornado.web\napp = tornado.web.Application([], serve_traceback=True)\n"),
			neg("main.py", "import tornado.web\napp = tornado.web.Application([], serve_traceback=False)\n"),
		},
		"code/py-bottle-debug": {
			pos("main.py", "import bottle\nbottle.debug(True)\n"),
			neg("main.py", "import bottle\nbottle.debug(False)\n"),
		},
		"code/py-hardcoded-api-token": {
			pos("bot.py", "from slack_sdk import WebClient\nclient = WebClient(token='not-a-real-token')\n"),
			neg("bot.py", "import os\nfrom slack_sdk import WebClient\nclient = WebClient(token=os.environ['SLACK_TOKEN'])\n"),
		},
		"code/py-hardcoded-api-key": {
			pos("ai.py", "from openai import OpenAI\nclient = OpenAI(api_key='sk-abcdef1234567890')\n"),
			neg("ai.py", "import os\nfrom openai import OpenAI\nclient = OpenAI(api_key=os.environ['OPENAI_API_KEY'])\n"),
		},
		"code/py-tls-aiohttp-ssl-off": {
			pos("c.py", "import aiohttp\n\nasync def f(session):\n    async with session.get('https://api', ssl=False) as r:\n        return await r.text()\n"),
			pos("c.py", "import aiohttp\nconn = aiohttp.TCPConnector(ssl=False)\n"),
			neg("c.py", "import aiohttp\n\nasync def f(session, ctx):\n    async with session.get('https://api', ssl=ctx) as r:\n        return await r.text()\n"),
		},
		"code/py-tls-aiohttp-verify-off": {
			pos("c.py", "import aiohttp\nconn = aiohttp.TCPConnector(verify_ssl=False)\n"),
			neg("c.py", "import aiohttp\nconn = aiohttp.TCPConnector(limit=10)\n"),
		},
		"code/py-tls-session-verify-off": {
			pos("c.py", "import requests\ns = requests.Session()\ns.verify = False\n"),
			pos("c.py", "import requests\n\nclass Api:\n    def __init__(self):\n        self.session = requests.Session()\n        self.session.verify = False\n"),
			neg("c.py", "import requests\ns = requests.Session()\ns.verify = '/etc/ssl/ca.pem'\n"),
		},
		"code/py-tls-mongo-invalid-certs": {
			pos("db.py", "from pymongo import MongoClient\nc = MongoClient('mongodb://db', tls=True, tlsAllowInvalidCertificates=True)\n"),
			neg("db.py", "from pymongo import MongoClient\nc = MongoClient('mongodb://db', tls=True, tlsCAFile='ca.pem')\n"),
		},
		"code/py-tls-ldap-never": {
			pos("l.py", "import ldap\nldap.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_NEVER)\n"),
			neg("l.py", "import ldap\nldap.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)\n"),
		},
		"code/py-xss-response": {
			pos("views.py", "from django.http import HttpResponseNotFound\n\ndef v(request):\n    return HttpResponseNotFound('No page ' + request.GET['p'])\n"),
			pos("a.py", "from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\napp = FastAPI()\n\n@app.get('/h')\ndef h(name: str):\n    return HTMLResponse(content=name)\n"),
			neg("views.py", "from django.http import HttpResponse\n\ndef v(request):\n    return HttpResponse(request.GET['q'], content_type='text/plain; charset=utf-8')\n"),
			neg("a.py", pyReq("from flask import Response", "return Response(x, mimetype='application/json')\n")),
			neg("a.py", "import html\nfrom fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\napp = FastAPI()\n\n@app.get('/h')\ndef h(name: str):\n    return HTMLResponse(content=html.escape(name))\n"),
		},
		"code/py-sqli": {
			pos("h.py", "import tornado.web\n\nclass H(tornado.web.RequestHandler):\n    def get(self, item_id):\n        self.db.execute('SELECT * FROM t WHERE id = ' + item_id)\n"),
			neg("h.py", "import tornado.web\n\nclass H(tornado.web.RequestHandler):\n    def get(self, item_id):\n        self.db.execute('SELECT * FROM t WHERE id = %s', (item_id,))\n"),
		},
		"code/py-django-db-password": {
			pos("mysite/settings.py", "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'app',\n        'PASSWORD': 'pg-Secret-42',\n    }\n}\n"),
			neg("mysite/settings.py", "import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'PASSWORD': os.environ['DB_PASSWORD'],\n    }\n}\n"),
			neg("mysite/settings_local.py", "DATABASES = {'default': {'PASSWORD': 'pg-Secret-42'}}\n"),
		},
		"code/py-django-settings-password": {
			pos("mysite/settings.py", "EMAIL_HOST_PASSWORD = 'smtp-Secret-42'\n"),
			neg("mysite/settings.py", "import os\nEMAIL_HOST_PASSWORD = os.environ.get('EMAIL_HOST_PASSWORD')\n"),
		},
		// Changes to existing rules.
		"code/py-jinja2-from-string-input": {
			pos("v.py", imDj+"from django.template import engines\n\ndef view(request):\n    t = engines['django'].from_string(request.POST['t'])\n    return HttpResponse(t.render({}))\n"),
			neg("v.py", imDj+"from django.template import engines\n\ndef view(request):\n    t = engines['django'].from_string('<p>{{ n }}</p>')\n    return HttpResponse(t.render({'n': request.POST['n']}))\n"),
		},
		"code/py-ssrf": {
			pos("views.py", "import requests\nfrom django.http import HttpResponse\n\ndef fetch(request, url):\n    return HttpResponse(requests.get(url).text)\n"),
			pos("views.py", "import requests\nfrom django.views import View\n\nclass Fetch(View):\n    def get(self, request, host):\n        return requests.get('https://' + host + '/').text\n"),
			neg("views.py", "import requests\nfrom django.http import HttpResponse\n\ndef fetch(request):\n    return HttpResponse(requests.get('https://api.example.com/').text)\n"),
			neg("util.py", "import requests\n\ndef fetch(request, url):\n    return requests.get(url).text\n"),
			neg("views.py", "import requests\nfrom django.views import View\n\nclass Fetch(View):\n    def helper(self, request, host):\n        return requests.get(host).text\n"),
		},
		"code/py-code-eval": {
			pos("a.py", pyReq("", "run = eval\nreturn str(run(x))\n")),
			neg("a.py", pyReq("import ast", "run = ast.literal_eval\nreturn str(run(x))\n")),
		},
		"code/py-jinja2-autoescape-default": {
			pos("render.py", "from jinja2 import Environment\nE = Environment\nenv = E(loader=None)\n"),
			pos("render.py", "from jinja2 import Template\nt = Template('Hello {{ name }}!')\n"),
			neg("render.py", "from jinja2 import Template\nt = Template('Hello {{ name }}!', autoescape=True)\n"),
		},
		"code/py-jinja2-autoescape-off": {
			pos("render.py", "from jinja2 import Environment\noff = 0\nenv = Environment(autoescape=off)\n"),
			neg("render.py", "from jinja2 import Environment\n\ndef make(on=False):\n    if on:\n        return Environment(autoescape=on)\n"),
		},
		"code/py-flask-debug-run": {
			pos("app.py", imFlask+"start = app.run\nstart(debug=True)\n"),
			neg("app.py", imFlask+"start = app.run\nstart(debug=False)\n"),
		},
		"code/py-tls-verify-off": {
			pos("c.py", "import requests\nput = requests.put\nput('https://api', verify=False)\n"),
			neg("c.py", "import requests\nput = requests.put\nput('https://api', verify='/etc/ca.pem')\n"),
		},
	}
}
