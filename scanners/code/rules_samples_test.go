package code

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestRuleSamples runs every built-in rule on its samples (ruleSamples):
// at least one on which it must fire and one on which it must not.
func TestRuleSamples(t *testing.T) {
	scannertest.CheckRules(t, newTestScanner(t), ruleSamples())
}

// The samples are written here for this scanner, small and by hand: each
// positive is the least code that makes the rule fire, each negative the
// nearest code that must not (a constant, a safe variant, a sanitizer).

func pos(path, src string) scannertest.Sample {
	return scannertest.Sample{Path: path, Content: src, Hit: true}
}
func neg(path, src string) scannertest.Sample { return scannertest.Sample{Path: path, Content: src} }

// pyReq is a Flask handler where x is request input.
func pyReq(imports, body string) string {
	return "from flask import request\n" + imports + "\ndef h():\n    x = request.args.get('x')\n" + indent("    ", body)
}

// py is a function of a parameter x (not constant, not known input).
func pyFn(imports, body string) string {
	return imports + "\ndef h(x):\n" + indent("    ", body)
}

// goReq is a net/http handler where x is request input.
func goReq(imports, body string) string {
	return "package p\n\nimport (\n\t\"net/http\"\n" + imports + ")\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tx := r.FormValue(\"x\")\n" + indent("\t", body) + "}\n"
}

// goFn is a function of a parameter x string.
func goFn(imports, body string) string {
	return "package p\n\nimport (\n" + imports + ")\n\nfunc h(x string) {\n" + indent("\t", body) + "}\n"
}

// jsReq is an Express handler where x is request input.
func jsReq(head, body string) string {
	return head + "\napp.get('/', (req, res) => {\n  const x = req.query.x;\n" + indent("  ", body) + "});\n"
}

// jsFn is a function of a parameter x.
func jsFn(head, body string) string {
	return head + "\nfunction h(x) {\n" + indent("  ", body) + "}\n"
}

// javaReq is a servlet method where x is request input.
func javaReq(imports, body string) string {
	return imports + "\nclass H {\n  void h(HttpServletRequest request, HttpServletResponse response) throws Exception {\n    String x = request.getParameter(\"x\");\n" + indent("    ", body) + "  }\n}\n"
}

// javaFn is a method of a parameter x.
func javaFn(imports, body string) string {
	return imports + "\nclass H {\n  void h(String x) throws Exception {\n" + indent("    ", body) + "  }\n}\n"
}

func indent(pre, body string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		b.WriteString(pre + l + "\n")
	}
	return b.String()
}

const (
	imHTTP = "\t\"net/http\"\n"
	imSQL  = "\t\"database/sql\"\n"
	imExec = "\t\"os/exec\"\n"
	imOS   = "\t\"os\"\n"
)

func ruleSamples() map[string][]scannertest.Sample {
	all := baseSamples()
	for _, more := range []map[string][]scannertest.Sample{injectionSamples(), parserSamples(), frameworkSamples(), pythonMoreSamples(), pythonCryptoSamples(),
		weakRandomSamples(), javaQualifiedSamples(), jsMoreSamples(), goMoreSamples(), javaMoreSamples(), jsDOMSamples()} {
		for id, ss := range more {
			all[id] = append(all[id], ss...)
		}
	}
	return all
}

// baseSamples are the samples of the rules of rules.go and rules_<language>.go.
func baseSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		// Every language: strings built from input.
		"code/html-from-input": {
			pos("a.py", pyReq("", "page = '<h1>' + x + '</h1>'\nreturn page\n")),
			neg("a.py", pyReq("", "page = 'Hello ' + x\nreturn page\n")),
		},
		"code/url-host-from-input": {
			pos("a.js", jsReq("", "const u = 'https://' + x + '/api';\nres.json(u);\n")),
			neg("a.js", jsReq("", "const u = 'https://api.example.com/' + x;\nres.json(u);\n")),
			// A request's path starts with '/': it cannot reach the host.
			neg("a.go", goReq("\t\"fmt\"\n", "u := fmt.Sprintf(\"http://%s%s\", \"127.0.0.1:2003\", r.URL.Path)\n_ = u\n")),
			// util.format is printf, not String's format method.
			pos("a.js", jsReq("const util = require('util');", "const u = util.format('https://%s/api', x);\nres.json(u);\n")),
			neg("a.js", jsReq("const util = require('util');", "const u = util.format('https://api.example.com/%s', x);\nres.json(u);\n")),
		},
		"code/html-response-body": {
			pos("a.js", "exports.handler = async (event) => {\n  const n = event.queryStringParameters.name;\n  return { statusCode: 200, body: '<p>' + n + '</p>' };\n};\n"),
			neg("a.js", "exports.handler = async (event) => {\n  const n = event.queryStringParameters.name;\n  return { statusCode: 200, body: JSON.stringify({ n }) };\n};\n"),
		},

		// Python.
		"code/py-airflow-bash": {
			pos("a.py", pyFn("from airflow.operators.bash import BashOperator", "return BashOperator(task_id='t', bash_command='echo ' + x)\n")),
			neg("a.py", pyFn("from airflow.operators.bash import BashOperator", "return BashOperator(task_id='t', bash_command='echo hello')\n")),
		},
		"code/py-paramiko-exec": {
			pos("a.py", pyFn("import paramiko", "c = paramiko.SSHClient()\nc.exec_command('ls ' + x)\n")),
			neg("a.py", pyFn("import paramiko", "c = paramiko.SSHClient()\nc.exec_command('uptime')\n")),
		},
		"code/py-sqli": {
			// A management command run with the argument list: no query text.
			neg("manage.py", "import sys\nfrom django.core.management import ManagementUtility\n\ndef main():\n    command = ManagementUtility(sys.argv)\n    command.execute(sys.argv)\n"),
			neg("a.py", pyReq("", "rows = [x, 'b']\ncursor.execute(\"INSERT INTO t VALUES (%s, %s)\", rows)\nrunner.execute(rows)\nreturn 'ok'\n")),
			pos("a.py", pyFn("import sqlite3", "cur = sqlite3.connect('d').cursor()\ncur.execute('SELECT * FROM t WHERE id = ' + x)\n")),
			neg("a.py", pyFn("import sqlite3", "cur = sqlite3.connect('d').cursor()\ncur.execute('SELECT * FROM t WHERE id = ?', (x,))\n")),
			// Numeric placeholders take numbers only: str raises.
			neg("a.py", pyFn("import sqlite3", "cur = sqlite3.connect('d').cursor()\ncur.execute('SELECT * FROM t WHERE id = %d' % x)\n")),
			neg("a.py", pyFn("import sqlite3", "cur = sqlite3.connect('d').cursor()\ncur.execute('SELECT * FROM t WHERE id = {:d}'.format(x))\n")),
			pos("a.py", pyFn("import sqlite3", "cur = sqlite3.connect('d').cursor()\ncur.execute('SELECT * FROM t WHERE id = %d AND n = \\'%s\\'' % (1, x))\n")),
		},
		"code/py-sqli-orm": {
			pos("a.py", pyFn("from app.models import User", "return User.objects.filter('name = ' + x)\n")),
			neg("a.py", pyFn("from app.models import User", "return User.objects.filter(name=x)\n")),
			// Q objects combined with |= are a query, not a string.
			neg("a.py", pyFn("from django.db.models import Q\nfrom app.models import User", "lookup = Q()\nfor n in x:\n    lookup |= Q(name=n)\nreturn User.objects.filter(lookup)\n")),
			pos("a.py", pyFn("from app.models import User", "where = 'name = '\nwhere += x\nreturn User.objects.filter(where)\n")),
		},
		"code/py-sqli-extra": {
			pos("a.py", pyFn("from app.models import User", "return User.objects.extra(where=['name = ' + x])\n")),
			neg("a.py", pyFn("from app.models import User", "return User.objects.extra(where=['name = %s'], params=[x])\n")),
		},
		"code/py-shell-injection": {
			pos("a.py", pyFn("import os", "os.system('ls ' + x)\n")),
			neg("a.py", pyFn("import os", "os.system('ls /tmp')\n")),
		},
		"code/py-subprocess-shell": {
			pos("a.py", pyFn("import subprocess", "subprocess.run('ls ' + x, shell=True)\n")),
			neg("a.py", pyFn("import subprocess", "subprocess.run(['ls', x])\n")),
		},
		"code/py-subprocess-exec": {
			pos("a.py", pyFn("import subprocess", "subprocess.run([x, '-l'])\n")),
			neg("a.py", pyFn("import subprocess", "subprocess.run(['ls', x])\n")),
			// A list built by appends keeps its fixed program.
			neg("a.py", pyFn("import subprocess", "cmd = ['ls']\ncmd.append(x)\nsubprocess.run(cmd)\n")),
			pos("a.py", pyFn("import subprocess", "cmd = []\ncmd.append(x)\ncmd.append('-l')\nsubprocess.run(cmd)\n")),
		},
		"code/py-loop-subprocess-shell": {
			pos("a.py", pyFn("import asyncio", "loop = asyncio.get_event_loop()\nloop.subprocess_shell(asyncio.SubprocessProtocol, 'ls ' + x)\n")),
			neg("a.py", pyFn("import asyncio", "loop = asyncio.get_event_loop()\nloop.subprocess_shell(asyncio.SubprocessProtocol, 'ls')\n")),
		},
		"code/py-loop-subprocess-exec": {
			pos("a.py", pyFn("import asyncio", "loop = asyncio.get_event_loop()\nloop.subprocess_exec(asyncio.SubprocessProtocol, x, '-l')\n")),
			neg("a.py", pyFn("import asyncio", "loop = asyncio.get_event_loop()\nloop.subprocess_exec(asyncio.SubprocessProtocol, 'ls', x)\n")),
		},
		"code/py-os-exec": {
			pos("a.py", pyFn("import os", "os.execvp(x, [x])\n")),
			neg("a.py", pyFn("import os", "os.execvp('ls', ['ls'])\n")),
			pos("a.py", pyFn("import os", "os.execv('/bin/sh', ['sh', '-c', 'ls ' + x])\n")),
			// A fixed program given input as an argument.
			neg("a.py", pyFn("import os", "os.execvp('ls', ['ls', x])\n")),
		},
		"code/py-os-spawn": {
			pos("a.py", pyFn("import os", "os.spawnlp(os.P_WAIT, x, x)\n")),
			neg("a.py", pyFn("import os", "os.spawnlp(os.P_WAIT, 'ls', 'ls', x)\n")),
		},
		"code/py-code-eval": {
			pos("a.py", pyFn("", "return eval(x)\n")),
			neg("a.py", pyFn("", "return eval('1 + 2')\n")),
		},
		"code/py-pickle": {
			pos("a.py", pyFn("import pickle", "return pickle.loads(x)\n")),
			neg("a.py", pyFn("import json", "return json.loads(x)\n")),
		},
		"code/py-yaml-load": {
			pos("a.py", pyFn("import yaml", "return yaml.load(x)\n")),
			neg("a.py", pyFn("import yaml", "return yaml.load(x, Loader=yaml.SafeLoader)\n")),
		},
		"code/py-yaml-unsafe-loader": {
			pos("a.py", pyFn("import yaml", "return yaml.load('a: 1', Loader=yaml.Loader)\n")),
			neg("a.py", pyFn("import yaml", "return yaml.load('a: 1', Loader=yaml.SafeLoader)\n")),
		},
		"code/py-yaml-unsafe-load": {
			pos("a.py", pyFn("import yaml", "return yaml.unsafe_load(x)\n")),
			neg("a.py", pyFn("import yaml", "return yaml.safe_load(x)\n")),
		},
		"code/py-ruamel-unsafe": {
			pos("a.py", pyFn("from ruamel.yaml import YAML", "return YAML(typ='unsafe').load(x)\n")),
			neg("a.py", pyFn("from ruamel.yaml import YAML", "return YAML(typ='safe').load(x)\n")),
		},
		"code/py-weak-hash": {
			pos("a.py", pyFn("import hashlib", "return hashlib.md5(x).hexdigest()\n")),
			neg("a.py", pyFn("import hashlib", "return hashlib.md5(x, usedforsecurity=False).hexdigest()\n")),
			neg("a.py", pyFn("import hashlib", "return hashlib.sha256(x).hexdigest()\n")),
		},
		"code/py-weak-hash-new": {
			pos("a.py", pyFn("import hashlib", "return hashlib.new('md5', x)\n")),
			neg("a.py", pyFn("import hashlib", "return hashlib.new('sha256', x)\n")),
		},
		"code/py-weak-hash-lib": {
			pos("a.py", pyFn("from Crypto.Hash import MD5", "return MD5.new(x)\n")),
			neg("a.py", pyFn("from Crypto.Hash import SHA256", "return SHA256.new(x)\n")),
		},
		"code/py-weak-cipher": {
			pos("a.py", pyFn("from Crypto.Cipher import DES", "return DES.new(x, DES.MODE_CBC)\n")),
			neg("a.py", pyFn("from Crypto.Cipher import AES", "return AES.new(x, AES.MODE_GCM)\n")),
		},
		"code/py-tls-verify-off": {
			pos("a.py", pyFn("import requests", "return requests.get(x, verify=False)\n")),
			neg("a.py", pyFn("import requests", "return requests.get(x, verify=True)\n")),
		},
		"code/py-tls-cert-reqs": {
			pos("a.py", pyFn("import ssl", "return ssl.wrap_socket(x, cert_reqs=ssl.CERT_NONE)\n")),
			neg("a.py", pyFn("import ssl", "return ssl.wrap_socket(x, cert_reqs=ssl.CERT_REQUIRED)\n")),
		},
		"code/py-tls-unverified-context": {
			pos("a.py", pyFn("import ssl", "return ssl._create_unverified_context()\n")),
			neg("a.py", pyFn("import ssl", "return ssl.create_default_context()\n")),
		},
		"code/py-tls-cert-none": {
			pos("a.py", pyFn("import ssl", "ctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_NONE\n")),
			neg("a.py", pyFn("import ssl", "ctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_REQUIRED\n")),
		},
		"code/py-ssrf": {
			pos("a.py", pyReq("import requests", "return requests.get(x).text\n")),
			neg("a.py", pyReq("import requests", "return requests.get('https://api.example.com/', params={'q': x}).text\n")),
		},
		"code/py-path-traversal": {
			pos("a.py", pyReq("", "return open(x).read()\n")),
			neg("a.py", pyReq("", "return open('/etc/app.conf').read()\n")),
			// Resolved and checked to stay under its base.
			neg("a.py", pyReq("import os", "p = os.path.realpath(os.path.join('/srv/files', x))\nif not p.startswith('/srv/files/'):\n    return 'no'\nreturn open(p).read()\n")),
			neg("a.py", pyReq("import os", "p = os.path.abspath(os.path.join('/srv', x))\nif os.path.commonpath(['/srv', p]) != '/srv':\n    raise ValueError(p)\nreturn open(p).read()\n")),
			// A prefix test alone, on a path never resolved, checks nothing.
			pos("a.py", pyReq("", "if x.startswith('/srv/'):\n    return open(x).read()\n")),
		},
		"code/py-xss-markup": {
			// A translation of the program's own text is constant text.
			neg("a.py", "from django.urls import reverse\nfrom django.utils.html import format_html\nfrom django.utils.translation import gettext as _\n\ndef help_text():\n    return format_html(_('<a href=\"{}\">Upload</a>'), reverse('upload'))\n"),
			neg("a.py", "from django.utils.safestring import mark_safe\nfrom django.utils.translation import pgettext_lazy\n\nLABEL = mark_safe(pgettext_lazy('menu', '<b>Home</b>'))\n"),
			pos("a.py", "from django.utils.html import format_html\nfrom django.utils.translation import gettext as _\n\ndef help_text(msg):\n    return format_html(_(msg), 'x')\n"),
			pos("a.py", "from django.utils.safestring import mark_safe\nfrom .util import translate as _\n\ndef label():\n    return mark_safe(_('<b>Home</b>'))\n"),
			pos("a.py", pyFn("from markupsafe import Markup", "return Markup('<b>' + x + '</b>')\n")),
			neg("a.py", pyFn("from markupsafe import Markup", "return Markup('<b>hello</b>')\n")),
		},
		"code/py-xss-response": {
			pos("a.py", pyReq("from flask import make_response", "return make_response(x)\n")),
			neg("a.py", pyReq("from flask import make_response", "return make_response('ok')\n")),
			// Django's templates escape what they are given.
			neg("a.py", pyReq("from django.http import HttpResponse\nfrom django.template.loader import render_to_string",
				"return HttpResponse(render_to_string('t.html', {'n': x}))\n")),
			neg("a.py", pyReq("from flask import make_response, render_template", "return make_response(render_template('t.html', n=x))\n")),
		},
		"code/py-jwt-no-verify": {
			pos("a.py", pyFn("import jwt", "return jwt.decode(x, options={'verify_signature': False})\n")),
			neg("a.py", pyFn("import jwt", "return jwt.decode(x, options={'verify_signature': True})\n")),
		},
		"code/py-jwt-no-verify-kw": {
			pos("a.py", pyFn("import jwt", "return jwt.decode(x, verify=False)\n")),
			neg("a.py", pyFn("import jwt", "return jwt.decode(x, verify=True)\n")),
		},
		"code/py-jwt-none-alg": {
			pos("a.py", pyFn("import jwt", "return jwt.encode({'a': 1}, None, algorithm='none')\n")),
			neg("a.py", pyFn("import jwt", "return jwt.encode({'a': 1}, x, algorithm='HS256')\n")),
		},
		"code/py-jwt-none-algs": {
			pos("a.py", pyFn("import jwt", "return jwt.decode(x, k, algorithms=['HS256', 'none'])\n")),
			neg("a.py", pyFn("import jwt", "return jwt.decode(x, k, algorithms=['HS256'])\n")),
		},
		"code/py-jwt-hardcoded-key": {
			pos("a.py", pyFn("import jwt", "return jwt.encode({'a': x}, 'Qm7Ttr0Vz1', algorithm='HS256')\n")),
			neg("a.py", pyFn("import jwt, os", "return jwt.encode({'a': x}, os.environ['JWT_KEY'], algorithm='HS256')\n")),
		},
		"code/py-hardcoded-cloud-key": {
			pos("a.py", pyFn("import boto3", "return boto3.client('s3', aws_access_key_id=x, aws_secret_access_key='Qm7Ttr0Vz1Lp')\n")),
			neg("a.py", pyFn("import boto3", "return boto3.client('s3', aws_access_key_id=x, aws_secret_access_key=x)\n")),
		},
		"code/py-hardcoded-cloud-token": {
			pos("a.py", pyFn("import boto3", "return boto3.client('s3', aws_session_token='Qm7Ttr0Vz1Lp')\n")),
			neg("a.py", pyFn("import boto3", "return boto3.client('s3', aws_session_token=x)\n")),
		},
		"code/py-cors-any": {
			pos("a.py", "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n"),
			neg("a.py", "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'])\n"),
		},
		"code/py-cors-any-origins": {
			pos("a.py", "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app, origins='*')\n"),
			neg("a.py", "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app, origins=['https://app.example.com'])\n"),
		},
		"code/py-weak-random": {
			pos("a.py", pyFn("import random", "token = random.choice(x)\nreturn token\n")),
			neg("a.py", pyFn("import random", "colour = random.choice(x)\nreturn colour\n")),
		},

		// Go.
		"code/go-sqli-pgx": {
			pos("a.go", goFn("\t\"context\"\n\t\"github.com/jackc/pgx/v5\"\n", "var c *pgx.Conn\nc.Query(context.Background(), \"SELECT * FROM t WHERE id = \"+x)\n")),
			neg("a.go", goFn("\t\"context\"\n\t\"github.com/jackc/pgx/v5\"\n", "var c *pgx.Conn\nc.Query(context.Background(), \"SELECT * FROM t WHERE id = $1\", x)\n")),
		},
		"code/go-sqli": {
			pos("a.go", goFn(imSQL, "var db *sql.DB\ndb.Query(\"SELECT * FROM t WHERE id = \" + x)\n")),
			neg("a.go", goFn(imSQL, "var db *sql.DB\ndb.Query(\"SELECT * FROM t WHERE id = ?\", x)\n")),
		},
		"code/go-sqli-context": {
			pos("a.go", goFn(imSQL+"\t\"context\"\n", "var db *sql.DB\ndb.QueryContext(context.Background(), \"SELECT * FROM t WHERE id = \"+x)\n")),
			neg("a.go", goFn(imSQL+"\t\"context\"\n", "var db *sql.DB\ndb.QueryContext(context.Background(), \"SELECT * FROM t WHERE id = ?\", x)\n")),
		},
		"code/go-sqli-orm": {
			pos("a.go", goFn("\t\"gorm.io/gorm\"\n", "var db *gorm.DB\ndb.Where(\"id IN (SELECT id FROM t WHERE name = '\" + x + \"')\")\n")),
			neg("a.go", goFn("\t\"gorm.io/gorm\"\n", "var db *gorm.DB\ndb.Where(\"name = ?\", x)\n")),
		},
		"code/go-sqli-orm-dest": {
			pos("a.go", goFn("\t\"github.com/jmoiron/sqlx\"\n", "var db *sqlx.DB\nvar out []string\ndb.Select(&out, \"SELECT name FROM t WHERE id = \"+x)\n")),
			neg("a.go", goFn("\t\"github.com/jmoiron/sqlx\"\n", "var db *sqlx.DB\nvar out []string\ndb.Select(&out, \"SELECT name FROM t WHERE id = ?\", x)\n")),
		},
		"code/go-command": {
			pos("a.go", goFn(imExec, "exec.Command(\"sh\", \"-c\", \"ls \"+x).Run()\n")),
			neg("a.go", goFn(imExec, "exec.Command(\"ls\", x).Run()\n")),
		},
		"code/go-command-argument": {
			pos("a.go", goReq(imExec, "exec.Command(\"git\", \"log\", x).Run()\n")),
			neg("a.go", goReq(imExec, "exec.Command(\"git\", \"log\").Run()\n")),
		},
		"code/go-command-context": {
			pos("a.go", goFn(imExec+"\t\"context\"\n", "exec.CommandContext(context.Background(), x).Run()\n")),
			neg("a.go", goFn(imExec+"\t\"context\"\n", "exec.CommandContext(context.Background(), \"ls\", x).Run()\n")),
		},
		"code/go-syscall-exec": {
			pos("a.go", goFn("\t\"syscall\"\n", "syscall.Exec(x, nil, nil)\n")),
			neg("a.go", goFn("\t\"syscall\"\n", "syscall.Exec(\"/bin/ls\", []string{\"ls\", x}, nil)\n")),
		},
		"code/go-syscall-exec-args": {
			pos("a.go", goFn("\t\"syscall\"\n", "syscall.Exec(\"/bin/sh\", []string{\"sh\", \"-c\", x}, nil)\n")),
			neg("a.go", goFn("\t\"syscall\"\n", "syscall.Exec(\"/bin/ls\", []string{\"ls\", x}, nil)\n")),
		},
		"code/go-path-traversal": {
			pos("a.go", goReq(imOS, "os.ReadFile(x)\n")),
			// Handlers registered in main are functions of their own: one
			// that checks its path does not vouch for the other.
			pos("a.go", "package p\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"path/filepath\"\n\t\"strings\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/a\", func(w http.ResponseWriter, r *http.Request) {\n\t\tp := filepath.Join(\"/srv\", r.URL.Query().Get(\"f\"))\n\t\tif !strings.HasPrefix(p, \"/srv/\") {\n\t\t\treturn\n\t\t}\n\t\tos.ReadFile(p)\n\t})\n\thttp.HandleFunc(\"/b\", func(w http.ResponseWriter, r *http.Request) {\n\t\tos.ReadFile(filepath.Join(\"/srv\", r.URL.Query().Get(\"f\")))\n\t})\n}\n"),
			neg("a.go", goReq(imOS, "os.ReadFile(\"/etc/app.conf\")\n")),
			neg("a.go", goReq(imOS+"\t\"path/filepath\"\n\t\"strings\"\n", "p := filepath.Join(\"/srv\", filepath.Clean(\"/\"+x))\nif !strings.HasPrefix(p, \"/srv/\") {\n\treturn\n}\nos.ReadFile(p)\n")),
			neg("a.go", goReq(imOS+"\t\"path/filepath\"\n", "if !filepath.IsLocal(x) {\n\treturn\n}\nos.ReadFile(filepath.Join(\"/srv\", x))\n")),
		},
		"code/go-serve-file": {
			pos("a.go", goReq("", "http.ServeFile(w, r, x)\n")),
			neg("a.go", goReq("", "http.ServeFile(w, r, \"static/index.html\")\n")),
		},
		"code/go-ssrf": {
			pos("a.go", goReq("", "http.Get(x)\n")),
			neg("a.go", goReq("", "http.Get(\"https://api.example.com/status\")\n")),
			pos("a.go", goReq("\t\"encoding/json\"\n", "var in struct{ URL string }\njson.NewDecoder(r.Body).Decode(&in)\nhttp.Get(in.URL)\n")),
			// A check holds in its if's body, not in the else arm, and a
			// comparison of something else with a constant checks no URL.
			neg("a.go", goReq("\t\"strings\"\n", "if strings.HasPrefix(x, \"https://api.example.com/\") {\n\thttp.Get(x)\n}\n")),
			pos("a.go", goReq("\t\"strings\"\n", "if strings.HasPrefix(x, \"https://api.example.com/\") {\n\treturn\n} else {\n\thttp.Get(x)\n}\n")),
			pos("a.go", goReq("", "if r.Method == \"POST\" {\n\thttp.Get(x)\n}\n")),
		},
		"code/go-ssrf-client": {
			pos("a.go", goReq("", "client := &http.Client{}\nclient.Get(x)\n")),
			neg("a.go", goReq("", "client := &http.Client{}\nclient.Get(\"https://api.example.com/status\")\n")),
		},
		"code/go-ssrf-url-host": {
			pos("a.go", goReq("", "var c interface{ Get(string) (*http.Response, error) }\nc.Get(\"https://\" + x + \"/status\")\n")),
			neg("a.go", goReq("", "var c interface{ Get(string) (*http.Response, error) }\nc.Get(\"https://api.example.com/\" + x)\n")),
		},
		"code/go-ssrf-request": {
			pos("a.go", goReq("", "http.NewRequest(\"GET\", x, nil)\n")),
			neg("a.go", goReq("", "http.NewRequest(\"GET\", \"https://api.example.com/\", nil)\n")),
		},
		"code/go-ssrf-request-context": {
			pos("a.go", goReq("", "http.NewRequestWithContext(r.Context(), \"GET\", x, nil)\n")),
			neg("a.go", goReq("", "http.NewRequestWithContext(r.Context(), \"GET\", \"https://api.example.com/\", nil)\n")),
		},
		"code/go-template-unescaped": {
			pos("a.go", goFn("\t\"html/template\"\n", "_ = template.HTML(x)\n")),
			neg("a.go", goFn("\t\"html/template\"\n", "_ = template.HTML(\"<b>hello</b>\")\n")),
		},
		"code/go-response-xss": {
			pos("a.go", goReq("", "w.Write([]byte(x))\n")),
			neg("a.go", goReq("", "w.Write([]byte(\"ok\"))\n")),
			// A buffer a read from input fills holds input.
			pos("a.go", goReq("", "buf := make([]byte, 512)\nr.Body.Read(buf)\nw.Write(buf)\n")),
			neg("a.go", goReq("\t\"os\"\n", "buf := make([]byte, 512)\nf, _ := os.Open(\"/etc/motd\")\nf.Read(buf)\nw.Write(buf)\n")),
		},
		"code/go-response-xss-print": {
			pos("a.go", goReq("\t\"fmt\"\n", "fmt.Fprintf(w, \"<p>%s</p>\", x)\n")),
			neg("a.go", goReq("\t\"fmt\"\n", "fmt.Fprintf(w, \"<p>%d</p>\", len(x))\n")),
		},
		"code/go-weak-hash": {
			pos("a.go", goFn("\t\"crypto/md5\"\n", "md5.Sum([]byte(x))\n")),
			neg("a.go", goFn("\t\"crypto/sha256\"\n", "sha256.Sum256([]byte(x))\n")),
		},
		"code/go-weak-cipher": {
			pos("a.go", goFn("\t\"crypto/des\"\n", "des.NewCipher([]byte(x))\n")),
			neg("a.go", goFn("\t\"crypto/aes\"\n", "aes.NewCipher([]byte(x))\n")),
		},
		"code/go-tls-insecure-skip-verify": {
			pos("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, InsecureSkipVerify: true}\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, InsecureSkipVerify: false}\n")),
			pos("a.go", goFn("\t\"crypto/tls\"\n", "if x != \"\" {\n\t_ = &tls.Config{ServerName: x, InsecureSkipVerify: true}\n}\n")),
			neg("a.go", "package p\n\nimport \"crypto/tls\"\n\nfunc h(insecure bool) *tls.Config {\n\tif insecure {\n\t\treturn &tls.Config{InsecureSkipVerify: true}\n\t}\n\treturn &tls.Config{}\n}\n"),
			neg("a.go", "package p\n\nimport \"crypto/tls\"\n\nfunc newInsecureClientConfig() *tls.Config {\n\treturn &tls.Config{InsecureSkipVerify: true}\n}\n"),
		},
		"code/go-tls-insecure-skip-verify-set": {
			pos("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nc.InsecureSkipVerify = true\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nc.InsecureSkipVerify = false\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nswitch x {\ncase \"skip-verify\":\n\tc.InsecureSkipVerify = true\n}\n")),
		},
		"code/go-tls-old-version": {
			pos("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, MinVersion: tls.VersionTLS10}\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, MinVersion: tls.VersionTLS12}\n")),
		},
		"code/go-tls-old-version-set": {
			pos("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nc.MinVersion = tls.VersionTLS10\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nc.MinVersion = tls.VersionTLS13\n")),
		},
		"code/go-tls-weak-cipher-suite": {
			pos("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_RC4_128_SHA}}\n")),
			pos("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}}\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "_ = &tls.Config{ServerName: x, CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305}}\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "legacyConfig := &tls.Config{ServerName: x, CipherSuites: []uint16{tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA}}\n_ = legacyConfig\n")),
		},
		"code/go-tls-weak-cipher-suite-set": {
			pos("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nc.CipherSuites = append(c.CipherSuites, tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA)\n")),
			neg("a.go", goFn("\t\"crypto/tls\"\n", "c := &tls.Config{ServerName: x}\nc.CipherSuites = append(c.CipherSuites, tls.TLS_AES_128_GCM_SHA256)\n")),
		},
		"code/go-hardcoded-password-field": {
			pos("a.go", goFn("\t\"golang.org/x/oauth2\"\n", "_ = &oauth2.Config{ClientID: x, ClientSecret: \"9f8e7d6c5b4a\"}\n")),
			pos("a.go", goFn("\t\"github.com/go-sql-driver/mysql\"\n", "_ = mysql.Config{User: x, Passwd: \"hunter2\"}\n")),
			neg("a.go", goFn("\t\"golang.org/x/oauth2\"\n\t\"os\"\n", "_ = &oauth2.Config{ClientID: x, ClientSecret: os.Getenv(\"CLIENT_SECRET\")}\n")),
			neg("a.go", goFn("\t\"github.com/go-sql-driver/mysql\"\n", "_ = mysql.Config{User: x, Passwd: \"\"}\n")),
			neg("a.go", goFn("", "type opts struct{ PasswordEnv string }\n_ = opts{PasswordEnv: \"DB_PASSWORD\"}\n")),
			neg("a_test.go", goFn("\t\"github.com/go-sql-driver/mysql\"\n", "_ = mysql.Config{User: x, Passwd: \"hunter2\"}\n")),
		},
		"code/go-hardcoded-password-set": {
			pos("a.go", goFn("\t\"github.com/go-sql-driver/mysql\"\n", "c := mysql.NewConfig()\nc.User = x\nc.Passwd = \"s3cr3t-pw\"\n")),
			neg("a.go", goFn("\t\"github.com/go-sql-driver/mysql\"\n\t\"os\"\n", "c := mysql.NewConfig()\nc.User = x\nc.Passwd = os.Getenv(\"DB_PASS\")\n")),
		},
		"code/go-hardcoded-dsn": {
			pos("a.go", goFn("\t\"database/sql\"\n", "_, _ = sql.Open(\"postgres\", \"postgres://app:Sup3rS3cret@db/app?sslmode=disable\")\n")),
			pos("a.go", goFn("\t\"database/sql\"\n", "_, _ = sql.Open(\"mysql\", \"root:toor@tcp(127.0.0.1:3306)/app\")\n")),
			neg("a.go", goFn("\t\"database/sql\"\n\t\"os\"\n", "_, _ = sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\"))\n")),
			neg("a.go", goFn("\t\"database/sql\"\n", "_, _ = sql.Open(\"postgres\", \"postgres://app@db/app?sslmode=disable\")\n")),
		},
		"code/go-hardcoded-dsn-single": {
			pos("a.go", goFn("\t\"gorm.io/driver/postgres\"\n", "_ = postgres.Open(\"host=db user=app password=pa55word dbname=app\")\n")),
			neg("a.go", goFn("\t\"gorm.io/driver/postgres\"\n", "_ = postgres.Open(\"host=db user=app dbname=app\")\n")),
		},
		"code/go-hardcoded-basic-auth": {
			pos("a.go", goFn("\t\"net/http\"\n", "req, _ := http.NewRequest(\"GET\", x, nil)\nreq.SetBasicAuth(\"admin\", \"adm1n-pass\")\n")),
			neg("a.go", goFn("\t\"net/http\"\n\t\"os\"\n", "req, _ := http.NewRequest(\"GET\", x, nil)\nreq.SetBasicAuth(\"admin\", os.Getenv(\"ADMIN_PASS\"))\n")),
		},
		"code/go-weak-rsa-key": {
			pos("a.go", goFn("\t\"crypto/rand\"\n\t\"crypto/rsa\"\n", "_, _ = rsa.GenerateKey(rand.Reader, 1024)\n")),
			pos("a.go", goFn("\t\"crypto/rand\"\n\t\"crypto/rsa\"\n", "bits := 512\n_, _ = rsa.GenerateKey(rand.Reader, bits)\n")),
			neg("a.go", goFn("\t\"crypto/rand\"\n\t\"crypto/rsa\"\n", "_, _ = rsa.GenerateKey(rand.Reader, 2048)\n")),
			neg("a.go", goFn("\t\"crypto/rand\"\n\t\"crypto/rsa\"\n", "_, _ = rsa.GenerateKey(rand.Reader, 4096)\n")),
		},
		"code/go-weak-dsa-key": {
			pos("a.go", goFn("\t\"crypto/dsa\"\n\t\"crypto/rand\"\n", "var p dsa.Parameters\n_ = dsa.GenerateParameters(&p, rand.Reader, dsa.L1024N160)\n")),
			neg("a.go", goFn("\t\"crypto/dsa\"\n\t\"crypto/rand\"\n", "var p dsa.Parameters\n_ = dsa.GenerateParameters(&p, rand.Reader, dsa.L2048N256)\n")),
		},
		"code/go-cors-reflected-credentials": {
			pos("a.go", goReq("", "o := r.Header.Get(\"Origin\")\nw.Header().Set(\"Access-Control-Allow-Origin\", o)\nw.Header().Set(\"Access-Control-Allow-Credentials\", \"true\")\n")),
			neg("a.go", goReq("", "o := r.Header.Get(\"Origin\")\nw.Header().Set(\"Access-Control-Allow-Origin\", o)\n")),
			neg("a.go", goReq("", "o := r.Header.Get(\"Origin\")\nif allowedOrigins[o] {\n\tw.Header().Set(\"Access-Control-Allow-Origin\", o)\n}\nw.Header().Set(\"Access-Control-Allow-Credentials\", \"true\")\n")),
		},
		"code/go-cors-null-credentials": {
			pos("a.go", goReq("", "w.Header().Set(\"Access-Control-Allow-Origin\", \"null\")\nw.Header().Set(\"Access-Control-Allow-Credentials\", \"true\")\n")),
			neg("a.go", goReq("", "w.Header().Set(\"Access-Control-Allow-Origin\", \"null\")\nw.Header().Set(\"Access-Control-Allow-Credentials\", \"false\")\n")),
		},
		"code/go-ssrf-websocket": {
			pos("a.go", goReq("\t\"golang.org/x/net/websocket\"\n", "_, _ = websocket.Dial(x, \"\", \"http://localhost/\")\n")),
			neg("a.go", goReq("\t\"golang.org/x/net/websocket\"\n", "_, _ = websocket.Dial(\"wss://stream.example.com/feed\", \"\", \"http://localhost/\")\n")),
			neg("a.go", goReq("\t\"golang.org/x/net/websocket\"\n", "if x == \"ws://localhost:8080/ws\" {\n\t_, _ = websocket.Dial(x, \"\", \"http://localhost/\")\n}\n")),
		},
		"code/go-ssrf-websocket-context": {
			pos("a.go", goReq("\t\"nhooyr.io/websocket\"\n", "_, _, _ = websocket.Dial(r.Context(), x, nil)\n")),
			neg("a.go", goReq("\t\"nhooyr.io/websocket\"\n", "_, _, _ = websocket.Dial(r.Context(), \"wss://stream.example.com/\"+x, nil)\n")),
		},
		"code/go-ssrf-websocket-dialer": {
			pos("a.go", goReq("\t\"github.com/gorilla/websocket\"\n", "d := websocket.Dialer{}\n_, _, _ = d.Dial(x, nil)\n")),
			neg("a.go", goReq("\t\"github.com/gorilla/websocket\"\n", "d := websocket.Dialer{}\n_, _, _ = d.Dial(\"wss://stream.example.com/feed\", nil)\n")),
		},
		"code/go-ssrf-websocket-dialer-context": {
			pos("a.go", goReq("\t\"github.com/gorilla/websocket\"\n", "d := websocket.Dialer{}\n_, _, _ = d.DialContext(r.Context(), x, nil)\n")),
			neg("a.go", goReq("\t\"github.com/gorilla/websocket\"\n", "d := websocket.Dialer{}\n_, _, _ = d.DialContext(r.Context(), \"wss://stream.example.com/feed\", nil)\n")),
		},
		"code/go-weak-random": {
			pos("a.go", goFn("\t\"math/rand\"\n", "token := rand.Int63()\n_ = token\n")),
			neg("a.go", goFn("\t\"math/rand\"\n", "jitter := rand.Int63()\n_ = jitter\n")),
		},
		"code/go-jwt-unverified": {
			pos("a.go", goFn("\t\"github.com/golang-jwt/jwt/v5\"\n", "jwt.NewParser().ParseUnverified(x, jwt.MapClaims{})\n")),
			neg("a.go", goFn("\t\"github.com/golang-jwt/jwt/v5\"\n", "jwt.NewParser().Parse(x, nil)\n")),
		},
		"code/go-jwt-none": {
			pos("a.go", goFn("\t\"github.com/golang-jwt/jwt/v5\"\n", "jwt.New(jwt.SigningMethodNone)\n")),
			neg("a.go", goFn("\t\"github.com/golang-jwt/jwt/v5\"\n", "jwt.New(jwt.SigningMethodHS256)\n")),
		},
		"code/go-jwt-hardcoded-key": {
			pos("a.go", goFn("\t\"github.com/golang-jwt/jwt/v5\"\n", "t := jwt.New(jwt.SigningMethodHS256)\nt.SignedString([]byte(\"Qm7Ttr0Vz1\"))\n")),
			neg("a.go", goFn("\t\"github.com/golang-jwt/jwt/v5\"\n"+imOS, "t := jwt.New(jwt.SigningMethodHS256)\nt.SignedString([]byte(os.Getenv(\"JWT_KEY\")))\n")),
		},
		"code/go-code-eval": {
			pos("a.go", goFn("\t\"github.com/dop251/goja\"\n", "vm := goja.New()\nvm.RunString(x)\n")),
			neg("a.go", goFn("\t\"github.com/dop251/goja\"\n", "vm := goja.New()\nvm.RunString(\"1 + 2\")\n")),
		},
		"code/go-cors-any": {
			pos("a.go", goReq("", "w.Header().Set(\"Access-Control-Allow-Origin\", \"*\")\n")),
			neg("a.go", goReq("", "w.Header().Set(\"Access-Control-Allow-Origin\", \"https://app.example.com\")\n")),
		},

		// JavaScript and TypeScript.
		"code/js-sqli": {
			// A loop over a constant list: each name is one of the constants.
			neg("a.js", "const pg = require('pg');\nconst db = new pg.Pool();\nconst tables = ['users', 'teams'];\nasync function drop() {\n  for (const t of tables) {\n    await db.query(`DROP TABLE IF EXISTS ${t}`);\n  }\n}\n"),
			pos("a.js", jsFn("const db = require('./db');", "return db.query('SELECT * FROM t WHERE id = ' + x);\n")),
			neg("a.js", jsFn("const db = require('./db');", "return db.query('SELECT * FROM t WHERE id = ?', [x]);\n")),
			// A query method given a plain variable reads no SQL text here.
			neg("a.js", jsFn("const Queryable = require('./queryable');", "return new Queryable(pkg).query(x);\n")),
			// Request input as the whole query still counts.
			pos("a.js", jsReq("const db = require('./db');", "db.query(x);\n")),
		},
		"code/js-sqli-variable": {
			pos("a.js", jsFn("const mysql = require('mysql');\nconst db = mysql.createConnection({});", "return db.query(x);\n")),
			neg("a.js", jsFn("const algolia = require('algoliasearch');\nconst index = algolia('a', 'b').initIndex('i');", "return index.query(x);\n")),
			neg("a.js", jsFn("const mysql = require('mysql');\nconst db = mysql.createConnection({});", "return db.query('SELECT 1');\n")),
			// The project's own query helper (JSONPath here), called by name.
			neg("a.ts", "import { query } from './helpers/object';\nimport { PrismaClient } from '@prisma/client';\nexport function pick(doc: object, path: string) {\n  return query({ object: doc, pathExpression: path });\n}\n"),
		},
		"code/js-shell-injection": {
			pos("a.js", jsFn("const cp = require('child_process');", "cp.exec('ls ' + x);\n")),
			neg("a.js", jsFn("const cp = require('child_process');", "cp.exec('ls /tmp');\n")),
		},
		"code/js-spawn-shell": {
			pos("a.js", jsFn("const cp = require('child_process');", "cp.spawn('sh', ['-c', 'ls ' + x]);\n")),
			neg("a.js", jsFn("const cp = require('child_process');", "cp.spawn('sh', ['-c', 'ls /tmp']);\n")),
		},
		"code/js-spawn-program": {
			pos("a.js", jsFn("const cp = require('child_process');", "cp.spawn(x, ['-l']);\n")),
			neg("a.js", jsFn("const cp = require('child_process');", "cp.spawn('ls', ['-l']);\n")),
		},
		"code/js-spawn-argument": {
			pos("a.js", jsReq("const cp = require('child_process');", "cp.execFile('convert', [x, 'out.png']);\n")),
			neg("a.js", jsReq("const cp = require('child_process');", "cp.execFile('convert', ['in.png', 'out.png']);\n")),
		},
		"code/js-spawn-git-argument": {
			pos("a.js", jsFn("const cp = require('child_process');", "cp.spawn('git', ['log', x]);\n")),
			neg("a.js", jsFn("const cp = require('child_process');", "cp.spawn('git', ['log', '--oneline']);\n")),
		},
		"code/js-code-eval": {
			pos("a.js", jsFn("", "return eval(x);\n")),
			neg("a.js", jsFn("", "return eval('1 + 2');\n")),
		},
		"code/js-vm-context-input": {
			pos("a.js", jsReq("const vm = require('vm');", "vm.runInNewContext('a + 1', x);\n")),
			neg("a.js", jsReq("const vm = require('vm');", "vm.runInNewContext('a + 1', { a: 1 });\n")),
		},
		"code/js-vm-parsing-context-input": {
			pos("a.js", jsReq("const vm = require('vm');", "const ctx = vm.createContext({ name: x });\nvm.compileFunction('return name', [], { parsingContext: ctx });\n")),
			neg("a.js", jsReq("const vm = require('vm');", "const ctx = vm.createContext({ name: 'world' });\nvm.compileFunction('return name', [], { parsingContext: ctx });\n")),
		},
		"code/js-vm-sandbox-input": {
			pos("a.js", jsReq("const vm = require('vm');", "vm.createContext(x);\n")),
			neg("a.js", jsReq("const vm = require('vm');", "vm.createContext({ a: 1 });\n")),
		},
		"code/js-code-timer": {
			pos("a.js", jsFn("", "setTimeout('run(' + x + ')', 10);\n")),
			neg("a.js", jsFn("", "setTimeout(() => run(x), 10);\n")),
		},
		"code/js-code-sandbox": {
			pos("a.js", jsFn("const { VM } = require('vm2');", "new VM().run(x);\n")),
			neg("a.js", jsFn("const { VM } = require('vm2');", "new VM().run('1 + 2');\n")),
		},
		"code/js-code-vm2": {
			pos("a.js", jsFn("const safeEval = require('safe-eval');", "return safeEval(x);\n")),
			neg("a.js", jsFn("const safeEval = require('safe-eval');", "return safeEval('1 + 2');\n")),
		},
		"code/js-innerhtml": {
			pos("a.js", jsFn("", "document.getElementById('o').innerHTML = x;\n")),
			neg("a.js", jsFn("", "document.getElementById('o').textContent = x;\n")),
		},
		"code/js-outerhtml": {
			pos("a.js", jsFn("", "document.getElementById('o').outerHTML = x;\n")),
			neg("a.js", jsFn("", "document.getElementById('o').outerHTML = '<p></p>';\n")),
		},
		"code/js-document-write": {
			pos("a.js", jsFn("", "document.write(x);\n")),
			neg("a.js", jsFn("", "document.write('<p>hello</p>');\n")),
		},
		"code/js-insert-adjacent-html": {
			pos("a.js", jsFn("", "document.body.insertAdjacentHTML('beforeend', x);\n")),
			neg("a.js", jsFn("", "document.body.insertAdjacentHTML('beforeend', '<hr>');\n")),
		},
		"code/js-dangerously-set-inner-html": {
			pos("a.jsx", "export function C(props) {\n  return <div dangerouslySetInnerHTML={{ __html: props.html }} />;\n}\n"),
			neg("a.jsx", "export function C({ html }) {\n  return <div>{html}</div>;\n}\n"),
		},
		"code/js-markdown-raw-html": {
			pos("a.jsx", "import Markdown from 'react-markdown';\nexport function C({ md }) {\n  return <Markdown allowDangerousHtml={true}>{md}</Markdown>;\n}\n"),
			neg("a.jsx", "import Markdown from 'react-markdown';\nexport function C({ md }) {\n  return <Markdown>{md}</Markdown>;\n}\n"),
		},
		"code/js-markdown-escape-off": {
			pos("a.jsx", "import Markdown from 'react-markdown';\nexport function C({ md }) {\n  return <Markdown escapeHtml={false}>{md}</Markdown>;\n}\n"),
			neg("a.jsx", "import Markdown from 'react-markdown';\nexport function C({ md }) {\n  return <Markdown escapeHtml={true}>{md}</Markdown>;\n}\n"),
		},
		"code/js-response-xss": {
			pos("a.js", jsReq("", "res.send(x);\n")),
			neg("a.js", jsReq("", "res.send('ok');\n")),
			// Text or JSON responses, arrays sent as JSON.
			neg("a.js", jsReq("", "res.type('text');\nres.send('Unknown: ' + x);\n")),
			neg("a.js", jsReq("", "res.set({ 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });\nres.send('Unknown: ' + x);\n")),
			neg("a.js", jsReq("", "res.type('.txt');\nres.send('Unknown: ' + x);\n")),
			// A type chosen at run time: a file or an image sent as it is.
			neg("a.js", jsReq("", "const logo = logos.get(x);\nres.contentType(logo.type);\nres.send(logo.buffer);\n")),
			neg("a.js", jsReq("", "res.writeHead(200, { 'Content-Type': 'application/json' });\nres.end(x);\n")),
			pos("a.js", jsReq("", "if (plain) {\n  res.set('Content-Type', 'text/plain');\n} else {\n  res.set('Content-Type', 'text/html');\n}\nres.send(x);\n")),
			neg("a.js", jsReq("", "res.send([x]);\n")),
			// Records a query found are not the input that chose them.
			neg("a.js", jsReq("", "Recycle.findAll({ where: { id: x } }).then((items) => res.send(items[0].name));\n")),
			pos("a.js", jsReq("", "Recycle.findAll({ where: { id: x } }).catch(() => res.send('No item ' + x));\n")),
			// A file's content is not the input that named the file.
			neg("a.js", jsReq("const fs = require('fs');", "res.send(fs.readFileSync('/srv/pages/' + x, 'utf8'));\n")),
			neg("a.js", jsReq("", "res.set('Content-Type', 'text/event-stream');\nres.write('data: ' + x + '\\n\\n');\n")),
			neg("a.js", jsReq("", "res.send('Length: ' + x.length);\n")),
			// Values checked against an allow-list or a strict pattern,
			// here or in a one-line test function, or stripped down to
			// letters and digits.
			neg("a.js", jsReq("const NAMES = ['a', 'b'];", "if (!NAMES.includes(x)) {\n  return res.status(400).end();\n}\nres.send('Hello ' + x);\n")),
			neg("a.js", jsReq("const allowed = { a: true };", "if (x in allowed) {\n  res.send('Hello ' + x);\n}\n")),
			neg("a.ts", tsReq("const CODES = ['de', 'en'] as const;", "if ((CODES as readonly string[]).includes(x)) {\n  res.send('Hello ' + x);\n}\n")),
			neg("a.js", jsReq("function isName(s) {\n  return /^[a-z_$][a-z0-9_$]*$/i.test(s);\n}", "if (x && isName(x)) {\n  res.send(x + '(1)');\n}\n")),
			pos("a.js", jsReq("function isName(s) {\n  return /^[a-z.<>]+$/i.test(s);\n}", "if (isName(x)) {\n  res.send(x + '(1)');\n}\n")),
			neg("a.js", jsReq("", "if (!/^\\d+$/.test(req.query.id)) return res.end();\nres.send('Item ' + req.query.id);\n")),
			neg("a.js", jsReq("", "res.send('Hello ' + x.replace(/[^a-z0-9]/gi, ''));\n")),
			pos("a.js", jsReq("", "res.send('Hello ' + x.replace(/[^a-z<>]/gi, ''));\n")),
			neg("a.js", jsReq("function escapeHtml1(s) { return String(s).replace(/[&<>]/g, (c) => '&#' + c.charCodeAt(0) + ';'); }", "res.send('Hello ' + escapeHtml1(x));\n")),
			pos("a.js", jsReq("const list = req.query.list;", "if (list.includes(x)) {\n  res.send('Hello ' + x);\n}\n")),
			// The same checks in a conditional expression: the arm taken
			// when the value is in the list sees one of them.
			neg("a.js", jsReq("const LANGS = ['de', 'en'];", "const lang = LANGS.includes(x) ? x : 'en';\nres.send('Hello ' + lang);\n")),
			neg("a.js", jsReq("const LANGS = new Set(['de', 'en']);", "res.send(!LANGS.has(x) ? 'Hello' : 'Hello ' + x);\n")),
			pos("a.js", jsReq("const LANGS = ['de', 'en'];", "const lang = LANGS.includes(x) ? 'en' : x;\nres.send('Hello ' + lang);\n")),
			pos("a.js", jsReq("const list = req.query.list;", "res.send(list.includes(x) ? 'Hello ' + x : 'Hello');\n")),
			// A method of input escaped by hand is the escaped value's,
			// however its name reads (req.query.name...replace()).
			neg("a.js", jsReq("", "res.send(req.query.name.replace(/</g, '&lt;').replace(/>/g, '&gt;'));\n")),
			pos("a.js", jsReq("", "res.send(req.query.name.replace(/>/g, '&gt;').trim());\n")),
			// isNaN(x) failed: x reads as a number.
			neg("a.js", jsReq("", "if (isNaN(x)) {\n  return res.status(400).send('bad');\n}\nres.send('Item ' + x);\n")),
			pos("a.js", jsReq("", "if (Number.isNaN(x)) {\n  return res.status(400).send('bad');\n}\nres.send('Item ' + x);\n")),
			// Encodings whose alphabet holds no markup.
			neg("a.js", jsReq("", "res.send('<p>' + Buffer.from(x).toString('base64') + '</p>');\n")),
			neg("a.js", jsReq("const crypto = require('crypto');", "res.send(crypto.createHash('sha256').update(x).digest('hex'));\n")),
			neg("a.js", jsReq("", "res.send(new Date(x).toISOString());\n")),
			pos("a.js", jsReq("", "res.send(Buffer.from(x).toString('utf8'));\n")),
			// Templates written here, rendered by an engine that escapes
			// what it interpolates; the raw syntax writes input as markup.
			neg("a.js", jsReq("const ejs = require('ejs');", "res.send(ejs.render('<p><%= name %></p>', { name: x }));\n")),
			pos("a.js", jsReq("const ejs = require('ejs');", "res.send(ejs.render('<p><%- name %></p>', { name: x }));\n")),
			neg("a.js", jsReq("const Handlebars = require('handlebars');", "const t = Handlebars.compile('<p>{{name}}</p>');\nres.send(t({ name: x }));\n")),
			pos("a.js", jsReq("const Handlebars = require('handlebars');", "const t = Handlebars.compile('<p>{{{name}}}</p>');\nres.send(t({ name: x }));\n")),
			neg("a.js", jsReq("const Mustache = require('mustache');", "res.send(Mustache.render('<p>{{name}}</p>', { name: x }));\n")),
			neg("a.js", jsReq("const nunjucks = require('nunjucks');", "res.send(nunjucks.renderString('<p>{{ name }}</p>', { name: x }));\n")),
			pos("a.js", jsReq("const nunjucks = require('nunjucks');", "res.send(nunjucks.renderString('<p>{{ name | safe }}</p>', { name: x }));\n")),
			pos("a.js", jsReq("const _ = require('lodash');", "res.send(_.template('<p><%= name %></p>')({ name: x }));\n")),
		},
		"code/js-deserialization": {
			pos("a.js", jsFn("const serialize = require('node-serialize');", "return serialize.unserialize(x);\n")),
			neg("a.js", jsFn("", "return JSON.parse(x);\n")),
		},
		"code/js-weak-hash": {
			pos("a.js", jsFn("const crypto = require('crypto');", "return crypto.createHash('md5').update(x).digest('hex');\n")),
			neg("a.js", jsFn("const crypto = require('crypto');", "return crypto.createHash('sha256').update(x).digest('hex');\n")),
		},
		"code/js-weak-cipher": {
			pos("a.js", jsFn("const crypto = require('crypto');", "return crypto.createCipheriv('des-ede3-cbc', x, iv);\n")),
			neg("a.js", jsFn("const crypto = require('crypto');", "return crypto.createCipheriv('aes-256-gcm', x, iv);\n")),
		},
		"code/js-tls-reject-unauthorized": {
			pos("a.js", jsFn("const https = require('https');", "return new https.Agent({ host: x, rejectUnauthorized: false });\n")),
			neg("a.js", jsFn("const https = require('https');", "return new https.Agent({ host: x, rejectUnauthorized: true });\n")),
			pos("a.js", jsFn("const tls = require('tls');", "return tls.connect({ host: x, rejectUnauthorized: !!false });\n")),
			neg("a.js", jsFn("const tls = require('tls');", "return tls.connect({ host: x, rejectUnauthorized: !false });\n")),
			pos("a.js", "const https = require('https');\nconst rejectUnauthorized = false;\nhttps.get({ host: 'h', rejectUnauthorized });\n"),
			pos("a.js", "const opts = { host: 'h', rejectUnauthorized: false };\nrequire('https').request(opts);\n"),
			neg("a.js", "configure({ rejectUnauthorized: false });\n"),
			// Node reads the option as a truth value: 0 and null turn it off.
			pos("a.js", "const tls = require('tls');\ntls.connect({ host: 'h', port: 443, rejectUnauthorized: 0 });\n"),
			pos("a.js", "const https = require('https');\nnew https.Agent({ rejectUnauthorized: null });\n"),
			neg("a.js", "const tls = require('tls');\ntls.connect({ host: 'h', port: 443, rejectUnauthorized: 1 });\n"),
		},
		"code/js-tls-disable-certs": {
			pos("a.js", "const superagent = require('superagent');\nsuperagent.get('https://api.example.com/items').disableTLSCerts().end(done);\n"),
			neg("a.js", "const superagent = require('superagent');\nsuperagent.get('https://api.example.com/items').ca(caCert).end(done);\n"),
		},
		"code/js-tls-env": {
			pos("a.js", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n"),
			neg("a.js", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';\n"),
		},
		"code/js-weak-random": {
			pos("a.js", jsFn("", "const token = Math.random().toString(36);\nreturn token + x;\n")),
			neg("a.js", jsFn("", "const delay = Math.random() * 100;\nreturn delay + x;\n")),
		},
		"code/js-pseudo-random-bytes": {
			pos("a.js", jsFn("const crypto = require('crypto');", "return crypto.pseudoRandomBytes(x);\n")),
			neg("a.js", jsFn("const crypto = require('crypto');", "return crypto.randomBytes(x);\n")),
		},
		"code/js-ssrf": {
			pos("a.js", jsReq("const axios = require('axios');", "axios.get(x);\n")),
			neg("a.js", jsReq("const axios = require('axios');", "axios.get('https://api.example.com/status');\n")),
		},
		"code/js-path-traversal": {
			pos("a.js", jsReq("const fs = require('fs');", "res.send(fs.readFileSync(x));\n")),
			neg("a.js", jsReq("const fs = require('fs');", "res.send(fs.readFileSync('/etc/app.conf'));\n")),
			neg("a.js", jsReq("const fs = require('fs');\nconst path = require('path');", "const p = path.resolve('/srv', x);\nif (!p.startsWith('/srv/')) return res.sendStatus(400);\nres.send(fs.readFileSync(p));\n")),
		},
		"code/js-cors-any": {
			pos("a.js", jsFn("", "x.setHeader('Access-Control-Allow-Origin', '*');\n")),
			neg("a.js", jsFn("", "x.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\n")),
		},
		"code/js-cors-reflect": {
			pos("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\nres.setHeader('Access-Control-Allow-Credentials', 'true');\n")),
			neg("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\nres.setHeader('Access-Control-Allow-Credentials', true);\n")),
			// Without credentials the browser sends no cookies
			// (js-cors-reflect-no-credentials, medium).
			neg("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n")),
		},
		"code/js-cors-header-pair": {
			pos("a.js", jsFn("", "return { headers: { 'Access-Control-Allow-Origin': '*' }, body: x };\n")),
			neg("a.js", jsFn("", "return { headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' }, body: x };\n")),
		},
		"code/js-cors-header-pair-reflect": {
			pos("a.js", "exports.handler = async (event) => {\n  return { headers: { 'Access-Control-Allow-Origin': event.headers.origin }, body: '' };\n};\n"),
			neg("a.js", "exports.handler = async (event) => {\n  return { headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' }, body: '' };\n};\n"),
		},
		"code/js-cors-nest-default": {
			pos("a.ts", "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(AppModule);\n  app.enableCors();\n}\n"),
			neg("a.ts", "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(AppModule);\n  app.enableCors({ origin: 'https://app.example.com' });\n}\n"),
		},
		"code/js-cors-nest-true": {
			pos("a.ts", "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(AppModule, { cors: true });\n}\n"),
			neg("a.ts", "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(AppModule, { cors: false });\n}\n"),
		},
		"code/js-cors-options": {
			pos("a.js", "const cors = require('cors');\napp.use(cors({ origin: '*', credentials: true }));\n"),
			neg("a.js", "const cors = require('cors');\napp.use(cors({ origin: 'https://app.example.com' }));\n"),
		},
		"code/js-jwt-decode": {
			pos("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.decode(x);\n")),
			neg("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.verify(x, process.env.KEY);\n")),
		},
		"code/js-jwt-none": {
			pos("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.verify(x, key, { algorithms: ['none'] });\n")),
			neg("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.verify(x, key, { algorithms: ['HS256'] });\n")),
		},
		"code/js-jwt-hardcoded-secret": {
			pos("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.sign(x, 'Qm7Ttr0Vz1');\n")),
			neg("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.sign(x, process.env.KEY);\n")),
		},
		"code/js-jwt-hardcoded-key-object": {
			pos("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.sign(x, Buffer.from('Qm7Ttr0Vz1'));\n")),
			neg("a.js", jsFn("const jwt = require('jsonwebtoken');", "return jwt.sign(x, Buffer.from(x));\n")),
		},
		"code/js-jwt-hardcoded-key": {
			pos("a.js", jsFn("const crypto = require('crypto');", "return crypto.createSecretKey('Qm7Ttr0Vz1');\n")),
			neg("a.js", jsFn("const crypto = require('crypto');", "return crypto.createSecretKey(x);\n")),
		},
		"code/js-jwt-hardcoded-option": {
			pos("a.js", "const { expressjwt } = require('express-jwt');\napp.use(expressjwt({ secret: 'Qm7Ttr0Vz1', algorithms: ['HS256'] }));\n"),
			neg("a.js", "const { expressjwt } = require('express-jwt');\napp.use(expressjwt({ secret: process.env.KEY, algorithms: ['HS256'] }));\n"),
		},

		// Java.
		"code/java-sqli": {
			// A service of the application and a typed path variable carry no SQL text.
			neg("A.java", "import org.springframework.web.bind.annotation.*;\n@RestController\nclass C {\n  OrderService orderService;\n  @PostMapping(\"/orders/{id}\")\n  int update(@PathVariable Long id, @RequestBody Order order) {\n    return orderService.update(id, order);\n  }\n  @GetMapping(\"/trade\")\n  Object query(@RequestParam String tradeNo) {\n    return alipayService.query(tradeNo);\n  }\n}\n"),
			pos("A.java", "import org.springframework.web.bind.annotation.*;\nimport org.springframework.jdbc.core.JdbcTemplate;\n@RestController\nclass C {\n  JdbcTemplate jdbc;\n  @GetMapping(\"/orders\")\n  Object find(@RequestParam String where) {\n    return jdbc.queryForList(\"SELECT * FROM orders WHERE \" + where);\n  }\n}\n"),
			pos("A.java", javaFn("import java.sql.*;", "Statement st = conn.createStatement();\nst.executeQuery(\"SELECT * FROM t WHERE id = \" + x);\n")),
			neg("A.java", javaFn("import java.sql.*;", "PreparedStatement st = conn.prepareStatement(\"SELECT * FROM t WHERE id = ?\");\nst.setString(1, x);\n")),
		},
		"code/java-runtime-exec": {
			pos("A.java", javaFn("", "Runtime.getRuntime().exec(new String[]{x, \"-l\"});\n")),
			neg("A.java", javaFn("", "Runtime.getRuntime().exec(new String[]{\"ls\", x});\n")),
		},
		"code/java-runtime-exec-string": {
			pos("A.java", javaFn("", "Runtime.getRuntime().exec(\"ls \" + x);\n")),
			neg("A.java", javaFn("", "Runtime.getRuntime().exec(\"ls /tmp\");\n")),
		},
		"code/java-process-builder": {
			pos("A.java", javaFn("", "new ProcessBuilder(x, \"-l\").start();\n")),
			neg("A.java", javaFn("", "new ProcessBuilder(\"ls\", x).start();\n")),
		},
		"code/java-deserialization": {
			pos("A.java", javaFn("import java.io.*;", "Object o = new ObjectInputStream(in).readObject();\n")),
			neg("A.java", javaFn("import java.io.*;", "DataInputStream d = new DataInputStream(in);\n")),
		},
		"code/java-xstream": {
			pos("A.java", javaFn("import com.thoughtworks.xstream.XStream;", "Object o = new XStream().fromXML(x);\n")),
			neg("A.java", javaFn("import com.thoughtworks.xstream.XStream;", "Object o = new XStream().fromXML(\"<a/>\");\n")),
		},
		"code/java-snakeyaml": {
			pos("A.java", javaFn("import org.yaml.snakeyaml.Yaml;", "Object o = new Yaml().load(x);\n")),
			neg("A.java", javaFn("import org.yaml.snakeyaml.Yaml;", "Object o = new Yaml().load(\"a: 1\");\n")),
		},
		"code/java-weak-hash": {
			pos("A.java", javaFn("import java.security.MessageDigest;", "MessageDigest md = MessageDigest.getInstance(\"MD5\");\n")),
			neg("A.java", javaFn("import java.security.MessageDigest;", "MessageDigest md = MessageDigest.getInstance(\"SHA-256\");\n")),
		},
		"code/java-weak-hash-util": {
			pos("A.java", javaFn("import org.apache.commons.codec.digest.DigestUtils;", "String h = DigestUtils.md5Hex(x);\n")),
			neg("A.java", javaFn("import org.apache.commons.codec.digest.DigestUtils;", "String h = DigestUtils.sha256Hex(x);\n")),
		},
		"code/java-weak-cipher": {
			pos("A.java", javaFn("import javax.crypto.Cipher;", "Cipher c = Cipher.getInstance(\"DES/CBC/PKCS5Padding\");\n")),
			neg("A.java", javaFn("import javax.crypto.Cipher;", "Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\");\n")),
		},
		"code/java-trust-all": {
			pos("A.java", "import javax.net.ssl.*;\nimport java.security.cert.X509Certificate;\nclass T implements X509TrustManager {\n  public void checkClientTrusted(X509Certificate[] c, String a) { check(c); }\n  public void checkServerTrusted(X509Certificate[] c, String a) {}\n  public X509Certificate[] getAcceptedIssuers() { return null; }\n}\n"),
			neg("A.java", "import javax.net.ssl.*;\nimport java.security.cert.X509Certificate;\nclass T implements X509TrustManager {\n  public void checkClientTrusted(X509Certificate[] c, String a) { check(c); }\n  public void checkServerTrusted(X509Certificate[] c, String a) { check(c); }\n  public X509Certificate[] getAcceptedIssuers() { return null; }\n}\n"),
		},
		"code/java-hostname-verifier-all": {
			pos("A.java", "import javax.net.ssl.*;\nclass V implements HostnameVerifier {\n  public boolean verify(String h, SSLSession s) { return true; }\n}\n"),
			neg("A.java", "import javax.net.ssl.*;\nclass V implements HostnameVerifier {\n  public boolean verify(String h, SSLSession s) { return h.equals(\"api.example.com\"); }\n}\n"),
		},
		"code/java-noop-verifier": {
			pos("A.java", javaFn("import org.apache.http.conn.ssl.NoopHostnameVerifier;", "Object v = new NoopHostnameVerifier();\n")),
			neg("A.java", javaFn("import org.apache.http.conn.ssl.DefaultHostnameVerifier;", "Object v = new DefaultHostnameVerifier();\n")),
		},
		"code/java-weak-random": {
			pos("A.java", javaFn("import java.util.Random;", "long token = new Random().nextLong();\n")),
			neg("A.java", javaFn("import java.security.SecureRandom;", "long token = new SecureRandom().nextLong();\n")),
		},
		"code/java-path-traversal": {
			pos("A.java", javaReq("import java.io.*;", "FileInputStream f = new FileInputStream(x);\n")),
			neg("A.java", javaReq("import java.io.*;", "FileInputStream f = new FileInputStream(\"/etc/app.conf\");\n")),
			neg("A.java", javaReq("import java.nio.file.*;", "Path base = Paths.get(\"/srv\");\nPath p = base.resolve(x).normalize();\nif (!p.startsWith(base)) { return; }\nFiles.readAllBytes(p);\n")),
		},
		"code/java-ssrf": {
			pos("A.java", javaReq("import java.net.URL;", "URL u = new URL(x);\n")),
			neg("A.java", javaReq("import java.net.URL;", "URL u = new URL(\"https://api.example.com/\");\n")),
		},
		"code/java-response-xss": {
			pos("A.java", javaReq("", "response.getWriter().print(x);\n")),
			neg("A.java", javaReq("", "response.getWriter().print(\"ok\");\n")),
		},
		"code/java-script-eval": {
			pos("A.java", javaFn("import javax.script.ScriptEngineManager;\nimport javax.script.ScriptEngine;", "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\ne.eval(x);\n")),
			neg("A.java", javaFn("import javax.script.ScriptEngineManager;\nimport javax.script.ScriptEngine;", "ScriptEngine e = new ScriptEngineManager().getEngineByName(\"js\");\ne.eval(\"1 + 2\");\n")),
		},
		"code/java-spel-eval": {
			pos("A.java", javaFn("import org.springframework.expression.spel.standard.SpelExpressionParser;", "Object v = new SpelExpressionParser().parseExpression(x).getValue();\n")),
			neg("A.java", javaFn("import org.springframework.expression.spel.standard.SpelExpressionParser;", "Object v = new SpelExpressionParser().parseExpression(\"1 + 2\").getValue();\n")),
		},
		"code/java-jwt-unverified": {
			pos("A.java", javaFn("import com.auth0.jwt.JWT;", "Object d = JWT.decode(x);\n")),
			neg("A.java", javaFn("import com.auth0.jwt.JWT;", "Object d = JWT.require(alg).build().verify(x);\n")),
		},
		"code/java-jwt-hardcoded-key": {
			pos("A.java", javaFn("import com.auth0.jwt.algorithms.Algorithm;", "Algorithm a = Algorithm.HMAC256(\"Qm7Ttr0Vz1\");\n")),
			neg("A.java", javaFn("import com.auth0.jwt.algorithms.Algorithm;", "Algorithm a = Algorithm.HMAC256(System.getenv(\"JWT_KEY\"));\n")),
		},
		"code/java-db-password": {
			pos("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(x, \"app\", \"Qm7Ttr0Vz1\");\n")),
			neg("A.java", javaFn("import java.sql.DriverManager;", "DriverManager.getConnection(x, \"app\", System.getenv(\"DB_PASSWORD\"));\n")),
		},
		"code/java-cors-any": {
			pos("A.java", javaReq("", "response.setHeader(\"Access-Control-Allow-Origin\", \"*\");\n")),
			neg("A.java", javaReq("", "response.setHeader(\"Access-Control-Allow-Origin\", \"https://app.example.com\");\n")),
		},
		"code/java-cors-allowed-origins": {
			pos("A.java", javaFn("", "registry.addMapping(\"/**\").allowedOrigins(\"*\");\n")),
			neg("A.java", javaFn("", "registry.addMapping(\"/**\").allowedOrigins(\"https://app.example.com\");\n")),
		},
		"code/java-cors-annotation": {
			pos("A.java", "import org.springframework.web.bind.annotation.*;\n@RestController\nclass C {\n  @CrossOrigin(origins = \"*\")\n  @GetMapping(\"/\")\n  String h() { return \"ok\"; }\n}\n"),
			neg("A.java", "import org.springframework.web.bind.annotation.*;\n@RestController\nclass C {\n  @CrossOrigin(origins = \"https://app.example.com\")\n  @GetMapping(\"/\")\n  String h() { return \"ok\"; }\n}\n"),
		},
	}
}
