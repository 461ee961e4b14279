package code

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

const (
	imFlask  = "from flask import Flask, request\napp = Flask(__name__)\n"
	imDjForm = "from django import forms\nfrom app.models import User\n"
	jsExpr   = "const express = require('express');\nconst app = express();\n"
	imJinja  = "import jinja2\n"
	imGin    = "\t\"github.com/gin-gonic/gin\"\n"
	imGoSess = "\t\"github.com/gorilla/sessions\"\n"
	javaSec  = "import org.springframework.security.config.annotation.web.builders.HttpSecurity;\nimport org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;\n"
	javaCk   = "import javax.servlet.http.Cookie;\n"
)

// javaChain is a Spring Security configuration method whose body is body.
func javaChain(body string) string {
	return javaSec + "\nclass SecurityConfig {\n  SecurityFilterChain chain(HttpSecurity http) throws Exception {\n" + indent("    ", body) + "    return http.build();\n  }\n}\n"
}

// frameworkSamples are the samples of frameworkRules (rules_framework.go).
func frameworkSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		// Debug modes.
		"code/py-flask-debug-run": {
			pos("app.py", imFlask+"\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', debug=True)\n"),
			neg("app.py", imFlask+"\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', debug=False)\n"),
			neg("app.py", imFlask+"import os\napp.run(debug=os.environ.get('FLASK_DEBUG') == '1')\n"),
		},
		"code/py-werkzeug-debugger": {
			pos("serve.py", "from werkzeug.serving import run_simple\nfrom app import app\nrun_simple('0.0.0.0', 8000, app, use_debugger=True)\n"),
			neg("serve.py", "from werkzeug.serving import run_simple\nfrom app import app\nrun_simple('0.0.0.0', 8000, app, use_reloader=True)\n"),
		},
		"code/py-werkzeug-debugged-app": {
			pos("wsgi.py", "from werkzeug.debug import DebuggedApplication\nfrom app import app\napplication = DebuggedApplication(app, evalex=True)\n"),
			neg("wsgi.py", "from werkzeug.debug import DebuggedApplication\nfrom app import app\napplication = DebuggedApplication(app, evalex=False)\n"),
		},
		"code/go-echo-debug": {
			pos("main.go", goFn("\t\"github.com/labstack/echo/v4\"\n", "e := echo.New()\ne.Debug = true\n_ = x\n")),
			neg("main.go", goFn("\t\"github.com/labstack/echo/v4\"\n", "e := echo.New()\ne.Debug = false\n_ = x\n")),
		},
		"code/go-pprof-exposed": {
			pos("main.go", "package main\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n)\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"),
			neg("main.go", "package main\n\nimport (\n\t\"net/http\"\n\t\"runtime/pprof\"\n)\n\nfunc main() { _ = pprof.Profiles(); http.ListenAndServe(\":8080\", nil) }\n"),
		},
		"code/py-flask-debug-attr": {
			pos("app.py", imFlask+"app.debug = True\n"),
			neg("app.py", imFlask+"app.debug = False\n"),
			neg("job.py", "class Job:\n    def __init__(self):\n        self.app = None\n\napp = Job()\napp.debug = True\n"),
		},
		"code/py-flask-debug-config": {
			pos("app.py", imFlask+"app.config['DEBUG'] = True\n"),
			neg("app.py", imFlask+"import os\napp.config['DEBUG'] = os.environ.get('DEBUG') == '1'\n"),
			neg("tests/conftest.py", imFlask+"app.config['DEBUG'] = True\n"),
		},
		"code/py-flask-debug-config-update": {
			pos("app.py", imFlask+"app.config.update(DEBUG=True, TESTING=False)\n"),
			neg("app.py", imFlask+"app.config.update(DEBUG=False)\n"),
		},
		"code/py-django-debug": {
			pos("mysite/settings.py", "import os\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\n"),
			pos("mysite/settings/production.py", "from .base import *\nDEBUG = True\n"),
			neg("mysite/settings.py", "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n"),
			neg("mysite/settings/local.py", "from .base import *\nDEBUG = True\n"),
			neg("mysite/dev_settings.py", "DEBUG = True\n"),
			neg("tools/report.py", "DEBUG = True\n"),
		},
		"code/go-gin-debug-mode": {
			pos("main.go", goFn(imGin, "gin.SetMode(gin.DebugMode)\n_ = x\n")),
			neg("main.go", goFn(imGin, "gin.SetMode(gin.ReleaseMode)\n_ = x\n")),
		},
		"code/py-django-allowed-hosts-any": {
			pos("mysite/settings.py", "DEBUG = False\nALLOWED_HOSTS = ['*']\n"),
			neg("mysite/settings.py", "DEBUG = False\nALLOWED_HOSTS = ['example.com', '.example.com']\n"),
			neg("mysite/settings/dev.py", "ALLOWED_HOSTS = ['*']\n"),
		},

		// CSRF.
		"code/py-django-csrf-exempt": {
			pos("views.py", "from django.http import JsonResponse\nfrom django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef update(request):\n    if request.method == 'POST':\n        return JsonResponse({'ok': True})\n"),
			pos("views.py", "import json\nfrom django.views.decorators.csrf import csrf_exempt\nfrom django.views.decorators.http import require_POST\n\n@csrf_exempt\n@require_POST\ndef hook(request):\n    return handle(json.loads(request.body))\n"),
			neg("views.py", "from django.http import JsonResponse\nfrom django.views.decorators.csrf import csrf_protect\n\n@csrf_protect\ndef update(request):\n    if request.method == 'POST':\n        return JsonResponse({'ok': True})\n"),
			pos("app.py", "from flask import Flask, request\nfrom flask_wtf.csrf import CSRFProtect\napp = Flask(__name__)\ncsrf = CSRFProtect(app)\n\n@csrf.exempt\n@app.route('/hook', methods=['POST'])\ndef hook():\n    return request.data\n"),
			neg("views.py", "from django.http import JsonResponse\nfrom django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef status(request):\n    return JsonResponse({'ok': True})\n"),
		},
		"code/py-django-csrf-exempt-call": {
			pos("urls.py", "from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\nfrom . import views\n\nurlpatterns = [path('hook/', csrf_exempt(views.Hook.as_view()))]\n"),
			neg("urls.py", "from django.urls import path\nfrom . import views\n\nurlpatterns = [path('hook/', views.Hook.as_view())]\n"),
		},
		"code/py-django-csrf-exempt-method": {
			pos("views.py", "from django.utils.decorators import method_decorator\nfrom django.views.decorators.csrf import csrf_exempt\nfrom django.views import View\n\n@method_decorator(csrf_exempt, name='dispatch')\nclass Hook(View):\n    pass\n"),
			neg("views.py", "from django.utils.decorators import method_decorator\nfrom django.contrib.auth.decorators import login_required\nfrom django.views import View\n\n@method_decorator(login_required, name='dispatch')\nclass Hook(View):\n    pass\n"),
		},
		"code/py-django-csrf-cookie-insecure": {
			pos("mysite/settings.py", "CSRF_COOKIE_SECURE = False\n"),
			neg("mysite/settings.py", "CSRF_COOKIE_SECURE = True\n"),
		},
		"code/py-flask-wtf-csrf-disabled": {
			pos("app.py", imFlask+"app.config['WTF_CSRF_ENABLED'] = False\n"),
			pos("config.py", "SECRET_NAME = 'x'\nWTF_CSRF_ENABLED = False\n"),
			neg("app.py", imFlask+"app.config['WTF_CSRF_ENABLED'] = True\n"),
			neg("tests/test_forms.py", imFlask+"app.config['WTF_CSRF_ENABLED'] = False\n"),
		},
		"code/py-flask-wtf-csrf-disabled-update": {
			pos("app.py", imFlask+"app.config.update(WTF_CSRF_ENABLED=False)\n"),
			neg("app.py", imFlask+"app.config.update(WTF_CSRF_ENABLED=True)\n"),
		},
		"code/py-flask-wtf-form-csrf-off": {
			pos("forms.py", "from flask_wtf import FlaskForm\n\nclass LoginForm(FlaskForm):\n    class Meta:\n        csrf = False\n"),
			neg("forms.py", "from flask_wtf import FlaskForm\n\nclass LoginForm(FlaskForm):\n    class Meta:\n        csrf = True\n"),
		},
		"code/py-flask-wtf-form-csrf-off-meta": {
			pos("views.py", "from app.forms import LoginForm\n\ndef login():\n    form = LoginForm(meta={'csrf': False})\n    return form\n"),
			neg("views.py", "from app.forms import LoginForm\n\ndef login():\n    form = LoginForm(meta={'locales': ['en']})\n    return form\n"),
		},
		"code/java-spring-csrf-disabled": {
			pos("SecurityConfig.java", javaChain("http.csrf().disable().authorizeRequests().anyRequest().authenticated();\n")),
			neg("SecurityConfig.java", javaChain("http.csrf().ignoringAntMatchers(\"/webhook\");\n")),
		},
		"code/java-spring-csrf-disabled-lambda": {
			pos("SecurityConfig.java", javaChain("http.csrf(csrf -> csrf.disable());\n")),
			neg("SecurityConfig.java", javaChain("http.csrf(csrf -> csrf.ignoringRequestMatchers(\"/webhook\"));\nhttp.cors(c -> c.disable());\n")),
		},
		"code/java-spring-csrf-disabled-ref": {
			pos("SecurityConfig.java", javaChain("http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).csrf(AbstractHttpConfigurer::disable);\n")),
			neg("SecurityConfig.java", javaChain("http.cors(AbstractHttpConfigurer::disable).csrf(Customizer.withDefaults());\n")),
		},

		// Template autoescaping.
		"code/py-jinja2-autoescape-default": {
			pos("render.py", imJinja+"env = jinja2.Environment(loader=jinja2.FileSystemLoader('templates'))\n"),
			neg("render.py", imJinja+"env = jinja2.Environment(loader=jinja2.FileSystemLoader('templates'), autoescape=jinja2.select_autoescape())\n"),
			neg("render.py", imJinja+"def make(opts):\n    return jinja2.Environment(**opts)\n"),
		},
		"code/py-jinja2-autoescape-off": {
			pos("render.py", imJinja+"env = jinja2.Environment(loader=jinja2.FileSystemLoader('t'), autoescape=False)\n"),
			neg("render.py", imJinja+"env = jinja2.Environment(loader=jinja2.FileSystemLoader('t'), autoescape=True)\n"),
		},
		"code/py-autoescape-off-setting": {
			pos("mysite/settings.py", "TEMPLATES = [{\n    'BACKEND': 'django.template.backends.django.DjangoTemplates',\n    'OPTIONS': {'autoescape': False},\n}]\n"),
			neg("mysite/settings.py", "TEMPLATES = [{\n    'BACKEND': 'django.template.backends.django.DjangoTemplates',\n    'OPTIONS': {'autoescape': True},\n}]\n"),
		},
		"code/py-autoescape-off-attr": {
			pos("app.py", imFlask+"app.jinja_env.autoescape = False\n"),
			neg("app.py", imFlask+"app.jinja_env.trim_blocks = False\n"),
		},
		"code/py-jinja2-template-input": {
			pos("app.py", pyReq("import jinja2", "return jinja2.Template(x).render()\n")),
			neg("app.py", pyReq("import jinja2", "return jinja2.Template('Hello {{ name }}').render(name=x)\n")),
			pos("app.py", pyReq("from flask import render_template_string", "return render_template_string('<h1>' + x + '</h1>')\n")),
			neg("app.py", pyReq("from flask import render_template_string", "return render_template_string('<h1>{{ x }}</h1>', x=x)\n")),
		},
		"code/py-jinja2-from-string-input": {
			pos("app.py", pyReq("import jinja2\nenv = jinja2.Environment(autoescape=True)", "return env.from_string(x).render()\n")),
			neg("app.py", pyReq("import jinja2\nenv = jinja2.Environment(autoescape=True)", "return env.from_string('Hi {{ n }}').render(n=x)\n")),
		},
		"code/py-django-safestring": {
			pos("views.py", pyFn("from django.utils.safestring import SafeString", "return SafeString('<b>' + x + '</b>')\n")),
			neg("views.py", pyFn("from django.utils.safestring import SafeString", "return SafeString('<b>hello</b>')\n")),
		},
		"code/js-handlebars-noescape": {
			pos("render.js", jsFn("const Handlebars = require('handlebars');", "return Handlebars.compile(x, { noEscape: true });\n")),
			neg("render.js", jsFn("const Handlebars = require('handlebars');", "return Handlebars.compile(x, { strict: true });\n")),
		},
		"code/js-nunjucks-autoescape-off": {
			pos("render.js", "const nunjucks = require('nunjucks');\nnunjucks.configure('views', { autoescape: false });\n"),
			neg("render.js", "const nunjucks = require('nunjucks');\nnunjucks.configure('views', { autoescape: true });\n"),
		},
		"code/js-mustache-escape-off": {
			pos("render.js", "const Mustache = require('mustache');\nMustache.escape = function (text) { return text; };\n"),
			neg("render.js", "const Mustache = require('mustache');\nMustache.tags = ['<%', '%>'];\n"),
		},
		"code/js-handlebars-safestring": {
			pos("helpers.js", jsReq(jsExpr+"const Handlebars = require('handlebars');", "res.send(new Handlebars.SafeString(x).toString());\n")),
			neg("helpers.js", jsReq(jsExpr+"const Handlebars = require('handlebars');", "res.send(new Handlebars.SafeString('<br>').toString());\n")),
		},

		// Cookies.
		"code/py-cookie-secure-off": {
			pos("views.py", pyFn("", "resp.set_cookie('lang', x, secure=False, httponly=True)\n")),
			neg("views.py", pyFn("", "resp.set_cookie('lang', x, secure=True, httponly=True)\n")),
		},
		"code/py-cookie-httponly-off": {
			pos("views.py", pyFn("", "resp.set_cookie('prefs', x, secure=True, httponly=False)\n")),
			neg("views.py", pyFn("", "resp.set_cookie('prefs', x, secure=True, httponly=True)\n")),
		},
		"code/py-session-cookie-no-secure": {
			pos("views.py", pyFn("", "resp.set_cookie('session_token', x, httponly=True)\n")),
			neg("views.py", pyFn("", "resp.set_cookie('session_token', x, secure=True, httponly=True)\n")),
			neg("views.py", pyFn("", "resp.set_cookie('theme', x)\n")),
		},
		"code/py-session-cookie-no-httponly": {
			pos("views.py", pyFn("", "resp.set_cookie('sessionid', x, secure=True)\n")),
			neg("views.py", pyFn("", "resp.set_cookie('sessionid', x, secure=True, httponly=True)\n")),
			neg("views.py", pyFn("", "resp.set_cookie('csrftoken', x, secure=True)\n")),
		},
		"code/py-django-session-cookie-insecure": {
			pos("mysite/settings.py", "SESSION_COOKIE_SECURE = False\n"),
			pos("mysite/settings.py", "SESSION_COOKIE_HTTPONLY = False\n"),
			neg("mysite/settings.py", "SESSION_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = True\n"),
			neg("mysite/settings_local.py", "SESSION_COOKIE_SECURE = False\n"),
		},
		"code/py-flask-session-cookie-insecure": {
			pos("app.py", imFlask+"app.config['SESSION_COOKIE_HTTPONLY'] = False\n"),
			neg("app.py", imFlask+"app.config['SESSION_COOKIE_SECURE'] = True\n"),
		},
		"code/js-cookie-secure-off": {
			pos("app.js", jsReq(jsExpr, "res.cookie('sid', x, { secure: false, httpOnly: true });\nres.end();\n")),
			pos("app.js", jsExpr+"const session = require('express-session');\napp.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: false } }));\n"),
			neg("app.js", jsReq(jsExpr, "res.cookie('sid', x, { secure: true, httpOnly: true });\nres.end();\n")),
			neg("app.js", jsExpr+"const nodemailer = require('nodemailer');\nnodemailer.createTransport({ host: 'smtp.example.com', secure: false });\n"),
		},
		"code/js-session-cookie-secure-off-options": {
			pos("app.js", jsExpr+"const session = require('express-session');\nconst sessionOptions = { secret: process.env.S, cookie: { secure: false } };\napp.use(session(sessionOptions));\n"),
			neg("app.js", jsExpr+"const session = require('express-session');\nconst sessionOptions = { secret: process.env.S, cookie: { secure: true } };\napp.use(session(sessionOptions));\n"),
			neg("mail.js", "const smtpOptions = { host: 'smtp.example.com', secure: false };\nmodule.exports = smtpOptions;\n"),
		},
		"code/js-cookie-httponly-off": {
			pos("app.js", jsReq(jsExpr, "res.cookie('sid', x, { secure: true, httpOnly: false });\nres.end();\n")),
			neg("app.js", jsReq(jsExpr, "res.cookie('sid', x, { secure: true, httpOnly: true });\nres.end();\n")),
		},
		"code/java-cookie-insecure": {
			pos("Login.java", javaFn(javaCk, "Cookie c = new Cookie(\"SESSION\", x);\nc.setSecure(false);\n")),
			pos("Login.java", javaFn(javaCk, "Cookie c = new Cookie(\"SESSION\", x);\nc.setHttpOnly(false);\n")),
			neg("Login.java", javaFn(javaCk, "Cookie c = new Cookie(\"SESSION\", x);\nc.setSecure(true);\nc.setHttpOnly(true);\n")),
		},
		"code/java-response-cookie-insecure": {
			pos("Login.java", javaFn("import org.springframework.http.ResponseCookie;\n", "ResponseCookie c = ResponseCookie.from(\"token\", x).httpOnly(true).secure(false).build();\n")),
			neg("Login.java", javaFn("import org.springframework.http.ResponseCookie;\n", "ResponseCookie c = ResponseCookie.from(\"token\", x).httpOnly(true).secure(true).build();\n")),
		},
		"code/go-cookie-secure-off": {
			pos("login.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"session\", Value: x, Secure: false, HttpOnly: true})\n")),
			neg("login.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"session\", Value: x, Secure: true, HttpOnly: true})\n")),
		},
		"code/go-cookie-secure-off-set": {
			pos("login.go", goReq("", "cookie := &http.Cookie{Name: \"session\", Value: x}\ncookie.Secure = false\nhttp.SetCookie(w, cookie)\n")),
			neg("login.go", goReq("", "cookie := &http.Cookie{Name: \"session\", Value: x}\ncookie.Secure = true\nhttp.SetCookie(w, cookie)\n")),
		},
		"code/go-cookie-httponly-off": {
			pos("login.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"session\", Value: x, Secure: true, HttpOnly: false})\n")),
			neg("login.go", goReq("", "http.SetCookie(w, &http.Cookie{Name: \"session\", Value: x, Secure: true, HttpOnly: true})\n")),
		},

		// Hard-coded session secrets.
		"code/py-flask-hardcoded-secret-key": {
			pos("app.py", imFlask+"app.secret_key = 'not-a-real-one'\n"),
			neg("app.py", imFlask+"import os\napp.secret_key = os.environ['SECRET_KEY']\n"),
			neg("app.py", imFlask+"app.secret_key = 'changeme'\n"),
		},
		"code/py-flask-hardcoded-secret-config": {
			pos("app.py", imFlask+"app.config['SECRET_KEY'] = 'not-a-real-one'\n"),
			neg("app.py", imFlask+"import os\napp.config['SECRET_KEY'] = os.urandom(32)\n"),
		},
		"code/py-flask-hardcoded-secret-update": {
			pos("app.py", imFlask+"app.config.update(SECRET_KEY='not-a-real-one', DEBUG=False)\n"),
			neg("app.py", imFlask+"import os\napp.config.update(SECRET_KEY=os.environ.get('SECRET_KEY'))\n"),
		},
		"code/py-hardcoded-secret-key-setting": {
			pos("mysite/settings.py", "SECRET_KEY = 'django-insecure-7h1s-1s-n0t-s3cr3t'\n"),
			pos("config.py", "class Config:\n    SECRET_KEY = 'not-a-real-one'\n"),
			neg("mysite/settings.py", "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"),
			neg("mysite/test_settings.py", "SECRET_KEY = 'not-a-real-one'\n"),
			neg("crypto.py", "def sign(data):\n    SECRET_KEY = 'not-a-real-one'\n    return SECRET_KEY\n"),
		},
		"code/py-secret-key-env-fallback": {
			pos("mysite/settings.py", "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'not-a-real-one-fallback')\n"),
			pos("mysite/settings.py", "from decouple import config\nSECRET_KEY = config('SECRET_KEY', default='not-a-real-one-fallback')\n"),
			neg("mysite/settings.py", "import os\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"),
			neg("mysite/settings.py", "import os\nLOG_LEVEL = os.environ.get('LOG_LEVEL', 'information')\n"),
		},
		"code/js-session-hardcoded-secret": {
			pos("app.js", jsExpr+"const session = require('express-session');\napp.use(session({ secret: 'keyboard cat', resave: false }));\n"),
			neg("app.js", jsExpr+"const session = require('express-session');\napp.use(session({ secret: process.env.SESSION_SECRET, resave: false }));\n"),
		},
		"code/js-session-hardcoded-secret-options": {
			pos("app.js", jsExpr+"const session = require('express-session');\nconst sess = { secret: 'keyboard cat', cookie: {} };\napp.use(session(sess));\n"),
			neg("app.js", jsExpr+"const session = require('express-session');\nconst sess = { secret: process.env.SESSION_SECRET, cookie: {} };\napp.use(session(sess));\n"),
			neg("app.js", "const jwtOptions = { secret: 'keyboard cat' };\nmodule.exports = jwtOptions;\n"),
		},
		"code/js-cookie-parser-secret": {
			pos("app.js", jsExpr+"const cookieParser = require('cookie-parser');\napp.use(cookieParser('s3cr3t-signing'));\n"),
			neg("app.js", jsExpr+"const cookieParser = require('cookie-parser');\napp.use(cookieParser(process.env.COOKIE_SECRET));\n"),
		},
		"code/go-session-hardcoded-key": {
			pos("store.go", goFn(imGoSess, "store := sessions.NewCookieStore([]byte(\"super-secret-key\"))\n_, _ = store, x\n")),
			neg("store.go", goFn(imGoSess+imOS, "store := sessions.NewCookieStore([]byte(os.Getenv(\"SESSION_KEY\")))\n_, _ = store, x\n")),
		},
		"code/go-session-hardcoded-key-fs": {
			pos("store.go", goFn(imGoSess, "store := sessions.NewFilesystemStore(\"/tmp/s\", []byte(\"super-secret-key\"))\n_, _ = store, x\n")),
			neg("store.go", goFn(imGoSess+imOS, "store := sessions.NewFilesystemStore(\"/tmp/s\", []byte(os.Getenv(\"SESSION_KEY\")))\n_, _ = store, x\n")),
		},

		// Mass assignment.
		"code/py-django-modelform-all-fields": {
			pos("forms.py", imDjForm+"\nclass UserForm(forms.ModelForm):\n    class Meta:\n        model = User\n        fields = '__all__'\n"),
			neg("forms.py", imDjForm+"\nclass UserForm(forms.ModelForm):\n    class Meta:\n        model = User\n        fields = ['name', 'email']\n"),
			neg("filters.py", "import django_filters\nfrom app.models import User\n\nclass UserFilter(django_filters.FilterSet):\n    class Meta:\n        model = User\n        fields = '__all__'\n"),
		},
		"code/py-django-modelform-exclude": {
			pos("forms.py", imDjForm+"\nclass UserForm(forms.ModelForm):\n    class Meta:\n        model = User\n        exclude = ['password']\n"),
			neg("forms.py", imDjForm+"\nclass UserForm(forms.ModelForm):\n    class Meta:\n        model = User\n        fields = ['name']\n"),
		},
		"code/py-mass-assignment": {
			pos("views.py", pyReq("from app.models import User", "user = User(**request.get_json())\nreturn str(user.id)\n")),
			pos("views.py", "from app.models import User\n\ndef create(request):\n    User.objects.create(**request.POST.dict())\n"),
			neg("views.py", pyReq("from app.models import User", "data = request.get_json()\nuser = User(name=data['name'])\nreturn str(user.id)\n")),
			// A test patched with mock.patch is no route: its parameters are fixtures.
			neg("test_orders.py", "from unittest import mock\nfrom app.models import Order\n\n@mock.patch('app.mail.send')\ndef test_create(mock_send, order_data):\n    Order.objects.create(**order_data)\n"),
			pos("views.py", "from flask import Flask\nfrom app.models import Order\napp = Flask(__name__)\n\n@app.patch('/orders/<order_data>')\ndef update(order_data):\n    Order.objects.create(**order_data)\n"),
			neg("views.py", pyReq("from app.models import User", "user = User(**{'name': request.json['name']})\nreturn str(user.id)\n")),
			neg("views.py", pyReq("from flask import render_template", "return render_template('page.html', **request.args)\n")),
		},
		"code/py-mass-assignment-dict": {
			pos("views.py", pyReq("from app.models import User", "user = User.query.get(1)\nuser.__dict__.update(request.get_json())\nreturn 'ok'\n")),
			neg("views.py", pyReq("from app.models import User", "user = User.query.get(1)\nuser.__dict__.update({'seen': True})\nreturn 'ok'\n")),
		},
		"code/py-mass-assignment-setattr": {
			pos("views.py", pyReq("from app.models import User", "user = User.query.get(1)\nfor k, v in request.get_json().items():\n    setattr(user, k, v)\nreturn 'ok'\n")),
			neg("views.py", pyReq("from app.models import User", "user = User.query.get(1)\ndata = request.get_json()\nfor k in ('name', 'email'):\n    setattr(user, k, data.get(k))\nreturn 'ok'\n")),
		},
		"code/js-mass-assignment": {
			pos("users.js", jsExpr+"app.post('/users', async (req, res) => {\n  const user = await User.create(req.body);\n  res.json(user);\n});\n"),
			pos("users.js", jsExpr+"app.put('/users/:id', async (req, res) => {\n  const data = req.body;\n  res.json(await User.findByIdAndUpdate(req.params.id, data));\n});\n"),
			pos("users.js", jsExpr+"app.post('/users', async (req, res) => {\n  const user = await User.create({ ...req.body, owner: req.user.id });\n  res.json(user);\n});\n"),
			neg("users.js", jsExpr+"app.post('/users', async (req, res) => {\n  const user = await User.create({ name: req.body.name });\n  res.json(user);\n});\n"),
			pos("users.ts", "import { Request, Response } from 'express';\nexport async function update(req: Request, res: Response) {\n  const user = await repo.findOneBy({ id: req.params.id });\n  await repo.save(repo.merge(user, req.body));\n  res.json(user);\n}\n"),
			neg("proxy.js", jsExpr+"const axios = require('axios');\napp.post('/proxy', async (req, res) => {\n  res.json((await axios.patch('https://api.example.com/u', req.body)).data);\n});\n"),
			neg("users.js", jsExpr+"const _ = require('lodash');\napp.post('/users', async (req, res) => {\n  const user = await User.create(_.pick(req.body, ['name', 'email']));\n  res.json(user);\n});\n"),
			neg("hook.js", jsExpr+"const crypto = require('crypto');\napp.post('/hook', (req, res) => {\n  const hmac = crypto.createHmac('sha256', process.env.K);\n  hmac.update(req.body);\n  res.end();\n});\n"),
		},
		"code/js-mass-assignment-new": {
			pos("users.js", jsExpr+"app.post('/users', async (req, res) => {\n  const user = new User(req.body);\n  await user.save();\n  res.json(user);\n});\n"),
			neg("users.js", jsExpr+"app.post('/users', async (req, res) => {\n  const user = new User({ name: req.body.name });\n  await user.save();\n  res.json(user);\n});\n"),
			neg("users.js", jsExpr+"app.post('/echo', (req, res) => {\n  res.send(JSON.stringify(req.body));\n});\n"),
		},
		"code/js-mass-assignment-merge": {
			pos("users.js", jsExpr+"app.put('/me', async (req, res) => {\n  const user = await User.findById(req.user.id);\n  Object.assign(user, req.body);\n  await user.save();\n  res.json(user);\n});\n"),
			neg("users.js", jsExpr+"app.put('/me', async (req, res) => {\n  const opts = Object.assign({}, req.body);\n  res.json(opts);\n});\n"),
		},
	}
}

// TestFrameworkSites checks the sites the framework rules rely on: Python
// assignments to subscripts and to plain names outside functions (with the
// enclosing classes as container), bare decorators, ** arguments, Java
// calls inside another call's arguments and method references.
func TestFrameworkSites(t *testing.T) {
	py := "from django import forms\nimport jinja2\nDEBUG = True\napp.config['DEBUG'] = True\n" +
		"class F(forms.ModelForm):\n    class Meta:\n        fields = '__all__'\n" +
		"@csrf_exempt\ndef v(request):\n    local = 1\n    User(**request.POST)\n    User(**{'a': request.POST['a']})\n"
	u, _, err := parse(context.Background(), "python", "p/settings.py", []byte(py), nil)
	if err != nil {
		t.Fatal(err)
	}
	if u.path != "p/settings.py" {
		t.Errorf("unit path %q", u.path)
	}
	want := map[string]bool{
		"assign DEBUG in \"\"": false, "assign DEBUG in \"app.config\"": false,
		"assign fields in \"F(django.forms.ModelForm).Meta()\"": false, "call @csrf_exempt fn v": false, "call User **": false,
	}
	splats := 0
	for _, s := range u.sites {
		switch {
		case s.kind == siteAssign:
			if s.name == "local" {
				t.Errorf("a name assigned in a function is a site: %+v", s)
			}
			want[fmt.Sprintf("assign %s in %q", s.name, s.container)] = true
		case s.kind == siteCall && strings.HasPrefix(s.name, "@"):
			want["call "+s.name+" fn "+s.fn] = true
		case s.kind == siteCall && s.name == "User":
			if v, ok := s.kwargs["**"]; ok && v.t == tainted {
				want["call User **"] = true
				splats++
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no site %s", k)
		}
	}
	if splats != 1 {
		t.Errorf("%d ** sites, want 1 (a dict literal picks its keys)", splats)
	}
	java := "class C {\n  void f(HttpSecurity http) {\n    http.csrf(c -> c.disable());\n    http.csrf(AbstractHttpConfigurer::disable);\n  }\n}\n"
	u, _, err = parse(context.Background(), "java", "C.java", []byte(java), nil)
	if err != nil {
		t.Fatal(err)
	}
	var inner, ref bool
	for _, s := range u.sites {
		if s.name == "c.disable" && s.container == "http.csrf" {
			inner = true
		}
		if s.name == "http.csrf" && len(s.args) == 1 && s.args[0].qual == "AbstractHttpConfigurer::disable" {
			ref = true
		}
	}
	if !inner || !ref {
		t.Errorf("java: call in a lambda argument %v, method reference %v", inner, ref)
	}
}

// TestMatchPathsAndCallee checks Match.Paths, NotPaths and Callee.
func TestMatchPathsAndCallee(t *testing.T) {
	r := Rule{ID: "t", Family: "t", Languages: []string{"python"}, Severity: low, Title: "t", Why: "t",
		Match: Match{Names: []string{"*"}, Callee: classCallee, Arg: none, When: "any", Paths: []string{"*settings.py"}, NotPaths: []string{"*local*"}}}
	if err := r.compile(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, name string
		want       bool
	}{
		{"a/settings.py", "models.User", true}, {"a/settings.py", "make_user", false},
		{"a/local_settings.py", "User", false}, {"a/views.py", "User", false},
	} {
		u := &unit{lang: "python", path: c.path, imports: map[string]bool{}}
		s := &site{kind: siteCall, name: c.name}
		if _, got := r.match(u, s); got != c.want {
			t.Errorf("%s %s: matched %v, want %v", c.path, c.name, got, c.want)
		}
	}
}
