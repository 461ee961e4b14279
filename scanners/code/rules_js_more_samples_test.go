package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// tsReq is an Express handler in TypeScript where x is request input read
// through a typed request, a cast and a non-null assertion.
func tsReq(head, body string) string {
	return head + "\nimport { Request, Response } from 'express';\napp.get('/', (req: Request, res: Response) => {\n  const x = (req.query.x as string)!;\n" + indent("  ", body) + "});\n"
}

// jsMoreSamples are the samples of jsMoreRules (rules_js_more.go).
func jsMoreSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		"code/js-sqli-statement": {
			pos("a.js", jsReq("const sqlite3 = require('sqlite3').verbose();\nconst db = new sqlite3.Database(':memory:');", "db.get('SELECT * FROM posts WHERE id = ' + x, cb);\n")),
			pos("a.ts", tsReq("import Database from 'better-sqlite3';\nconst db = new Database('a.db');", "db.prepare(`SELECT name FROM users WHERE id = ${x}`).all();\n")),
			neg("a.js", jsReq("const sqlite3 = require('sqlite3');\nconst db = new sqlite3.Database(':memory:');", "db.get('SELECT * FROM posts WHERE id = ?', [x], cb);\n")),
			neg("a.js", jsReq("const sqlite3 = require('sqlite3');", "cache.get('select-from-' + x);\n")),
		},
		"code/js-sqli": {
			// A tagged template passes its values apart: a parameterized query.
			neg("a.js", jsReq("const sql = require('mssql');", "sql.query`select * from t where id = ${x}`;\n")),
			pos("a.ts", tsReq("import sql from 'mssql';", "new sql.Request().query(\"select * from t where id = '\" + x + \"'\");\n")),
			// Input passed whole is SQL to a database client's method, or
			// in a file that uses a SQL client; a search module's query
			// method takes something else.
			pos("a.js", jsReq("const db = require('../db');", "db.query(x);\n")),
			pos("a.js", jsReq("", "this.pool.query(req.body.sql);\n")),
			pos("a.js", jsReq("const mysql = require('mysql');\nconst c = mysql.createConnection({});", "c.query(x);\n")),
			neg("a.js", jsReq("const search = require('./search');", "search.query(req.body);\n")),
			neg("a.js", jsReq("", "activitypub.helpers.query(req.body.handle);\n")),
			neg("a.js", "define('forum/search', ['search'], function (searchModule) {\n  $('#go').on('click', function () {\n    searchModule.query({ term: $('#q').val() });\n  });\n});\n"),
			// A string built with SQL's words is SQL whatever reads it.
			pos("a.js", jsReq("const search = require('./search');", "search.query('SELECT * FROM t WHERE id = ' + x);\n")),
		},
		"code/js-hardcoded-credential-option": {
			// A function whose whole body returns a literal gives it.
			pos("a.js", "function creds() {\n  return 'deploy:hunter22';\n}\nrequire('https').request({ auth: creds() });\n"),
			neg("a.js", "function creds() {\n  return process.env.DEPLOY_AUTH;\n}\nrequire('https').request({ auth: creds() });\n"),
			pos("a.js", "const { Pool } = require('pg');\nconst pool = new Pool({ host: 'db', password: 'hunter2hunter2' });\n"),
			pos("a.ts", "import nodemailer from 'nodemailer';\nconst t = nodemailer.createTransport({ host: 'smtp', auth: { user: 'me', pass: 's3cretpw' } });\n"),
			pos("a.js", "const https = require('https');\nhttps.request({ host: 'api', auth: 'bot:p4ssw0rd' });\n"),
			neg("a.js", "const { Pool } = require('pg');\nconst pool = new Pool({ host: 'db', password: process.env.PGPASSWORD });\n"),
			neg("a.js", "const { Pool } = require('pg');\nconst pool = new Pool({ host: 'db', password: '' });\n"),
			neg("a.js", "const form = { password: 'hunter2hunter2' };\n"),
		},
		"code/js-hardcoded-account-option": {
			pos("a.js", "const mysql = require('mysql');\nconst c = mysql.createConnection({ host: 'db', user: 'app_user' });\n"),
			neg("a.js", "const mysql = require('mysql');\nconst c = mysql.createConnection({ host: 'db', user: process.env.DB_USER });\n"),
		},
		"code/js-hardcoded-cloud-secret": {
			pos("a.js", "const cfg = new Config();\ncfg.update({ accessKeyId: 'not-a-key-id', secretAccessKey: 'not-a-real-secret' });\n"),
			pos("a.ts", "export const storage = { accountName: 'acct', accountKey: 'c2VjcmV0a2V5c2VjcmV0a2V5' as string };\n"),
			neg("a.js", "const cfg = new Config();\ncfg.update({ secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY });\n"),
			neg("a.js", "const labels = { clientSecret: 'Secret' };\n"),
		},
		"code/js-hardcoded-cloud-secret-assign": {
			pos("a.js", "const creds = {};\ncreds.secretAccessKey = 'wJalrXUtnFEMIK7MDENG';\n"),
			neg("a.js", "const creds = {};\ncreds.secretAccessKey = process.env.SECRET;\n"),
		},
		"code/js-hardcoded-basic-auth-users": {
			pos("a.js", "const basicAuth = require('express-basic-auth');\napp.use(basicAuth({ users: { admin: 'supersecret' }, challenge: true }));\n"),
			neg("a.js", "const basicAuth = require('express-basic-auth');\napp.use(basicAuth({ users: { admin: process.env.ADMIN_PW }, realm: 'Admin area' }));\n"),
		},
		"code/js-hardcoded-credential-arg": {
			pos("a.js", "const basicAuth = require('basic-auth-connect');\napp.use(basicAuth('admin', 'letmein123'));\n"),
			pos("a.js", "const twilio = require('twilio');\nconst client = twilio('AC123', 'authtoken123456');\n"),
			neg("a.js", "const basicAuth = require('basic-auth-connect');\napp.use(basicAuth((user, pass) => check(user, pass)));\n"),
			neg("a.js", "const twilio = require('twilio');\nconst client = twilio(process.env.SID, process.env.TOKEN);\n"),
		},
		"code/js-hardcoded-credential-arg3": {
			pos("a.ts", "import { Sequelize } from 'sequelize';\nconst db = new Sequelize('shop', 'shop_user', 'Pa55word!', { dialect: 'postgres' });\n"),
			neg("a.ts", "import { Sequelize } from 'sequelize';\nconst db = new Sequelize('shop_database', process.env.DB_USER!, process.env.DB_PASS!, { dialect: 'postgres' });\n"),
		},
		"code/js-hardcoded-credential-arg4": {
			pos("a.js", "const { UsernamePasswordCredential } = require('@azure/identity');\nconst c = new UsernamePasswordCredential(tenant, client, 'me@x.org', 'Pa55word!');\n"),
			neg("a.js", "const { UsernamePasswordCredential } = require('@azure/identity');\nconst c = new UsernamePasswordCredential(tenant, client, user, process.env.PW);\n"),
		},
		"code/js-hardcoded-token-arg": {
			pos("a.js", "const sgMail = require('@sendgrid/mail');\nsgMail.setApiKey('SG.abcdefghijkl');\n"),
			pos("a.js", "const Stripe = require('stripe');\nconst stripe = Stripe('not-a-real-key');\n"),
			neg("a.js", "const sgMail = require('@sendgrid/mail');\nsgMail.setApiKey(process.env.SENDGRID_API_KEY);\n"),
		},
		"code/js-hardcoded-http-auth": {
			pos("a.js", "const request = require('request');\nrequest.get(url).auth('admin', 'p4ssw0rd');\n"),
			pos("a.js", "const superagent = require('superagent');\nsuperagent.get(url).auth('admin', 'p4ssw0rd').end(cb);\n"),
			neg("a.js", "const request = require('request');\nrequest.get(url).auth(user, process.env.PASS);\n"),
		},
		"code/js-hardcoded-crypto-key": {
			pos("a.js", "const crypto = require('crypto');\nconst mac = crypto.createHmac('sha256', 'my-signing-key').update(body).digest('hex');\n"),
			pos("a.ts", "import CryptoJS from 'crypto-js';\nconst c = CryptoJS.AES.encrypt(text, 'my-secret-passphrase').toString();\n"),
			neg("a.js", "const crypto = require('crypto');\nconst mac = crypto.createHmac('sha256', process.env.HMAC_KEY).update(body).digest('hex');\n"),
		},
		"code/js-weak-random-key": {
			pos("a.js", "const crypto = require('crypto');\ncrypto.createHmac('sha256', Math.random().toString());\ncrypto.createHmac('sha256', Math.random());\n"),
			neg("a.js", "const crypto = require('crypto');\ncrypto.createHmac('sha256', crypto.randomBytes(32));\n"),
		},
		"code/js-weak-random": {
			pos("a.js", "function f() {\n  const o = { secret: Math.random().toString(36) };\n  return o;\n}\n"),
			neg("a.js", "function f(items) {\n  return items.map((i) => ({ key: Math.random(), label: i }));\n}\n"),
		},
		"code/js-ssrf-option": {
			pos("a.js", jsReq("const axios = require('axios');", "axios({ method: 'get', url: x });\n")),
			pos("a.js", jsReq("const http = require('http');", "http.get({ host: x, path: '/status' }, cb);\n")),
			pos("a.ts", tsReq("import got from 'got';", "got({ url: x });\n")),
			neg("a.js", jsReq("const axios = require('axios');", "axios({ method: 'get', url: 'https://api.example.com/items/' + x });\n")),
			neg("a.js", jsReq("const http = require('http');", "http.get({ host: 'internal', path: '/status' }, cb);\n")),
		},
		"code/js-ssrf": {
			// An attribute of the page's markup is the page's own, as
			// its text is: no one else's URL in the browser's request.
			neg("a.js", "document.querySelectorAll('[data-flag]').forEach((el) => {\n  fetch(el.getAttribute('data-url'));\n});\n"),
			pos("a.js", "const u = new URLSearchParams(location.search).get('next');\nfetch(u);\n"),
			// A URL relative to the page or a base URL keeps its host;
			// "/" alone is no such start ("//evil.example/").
			neg("a.js", jsReq("const axios = require('axios');", "axios.get('/flags/' + x);\n")),
			neg("a.js", jsReq("const axios = require('axios');", "axios.get(`api/v1/items/${x}`);\n")),
			pos("a.js", jsReq("const axios = require('axios');", "axios.get('/' + x);\n")),
			pos("a.js", jsReq("const axios = require('axios');", "axios.get(`${x}/api`);\n")),
			pos("a.js", jsReq("const { JSDOM } = require('jsdom');", "JSDOM.fromURL(x);\n")),
			neg("a.js", jsReq("const { JSDOM } = require('jsdom');", "JSDOM.fromURL('https://example.com/');\n")),
			// A GraphQL resolver's arguments are the client's.
			pos("a.js", "const axios = require('axios');\nconst resolvers = {\n  Query: {\n    page: async (parent, args) => (await axios.get(args.url)).data,\n  },\n};\n"),
			// Written as methods, through a helper function declared inside.
			pos("a.js", "const axios = require('axios');\nconst resolvers = {\n  Query: {\n    page(parent, args) {\n      const target = args.url;\n      async function load(u) {\n        const r = await axios.get(u);\n        return r.data;\n      }\n      return load(target);\n    },\n  },\n};\n"),
			pos("a.js", "const axios = require('axios');\nconst resolvers = {\n  Mutation: {\n    async ping(_, { url }) {\n      return (await axios.post(url, {})).status;\n    },\n  },\n};\n"),
			neg("a.js", "const axios = require('axios');\nconst resolvers = {\n  Query: {\n    page(parent, args) {\n      return axios.get('https://api.example.com/pages', { params: { id: args.id } });\n    },\n  },\n};\n"),
			neg("a.js", "const axios = require('axios');\nconst api = {\n  load(parent, url) {\n    return axios.get(url);\n  },\n};\n"),
			neg("a.js", "const axios = require('axios');\nconst helpers = {\n  page: async (parent, args) => (await axios.get(args.url)).data,\n};\n"),
			// An options object given the URL by a member assignment.
			pos("a.js", jsReq("const request = require('request');", "const options = {};\noptions.url = x;\nrequest(options);\n")),
			neg("a.js", jsReq("const request = require('request');", "const options = {};\noptions.url = 'https://api.example.com/';\noptions.qs = { q: x };\nrequest(options);\n")),
		},
		"code/js-jquery-html": {
			// Input saved in web storage is read back under its key.
			pos("a.js", jsPage("sessionStorage.setItem('query', location.search);\n$('#last').html(sessionStorage.getItem('query'));\n")),
			neg("a.js", jsPage("sessionStorage.setItem('query', location.search);\n$('#last').html(sessionStorage.getItem('greeting'));\n")),
			pos("a.js", "const q = location.hash.substring(1);\n$('#out').html(q);\n"),
			pos("a.js", "function show() {\n  jQuery('.box').find('p').append(decodeURI(document.location.search));\n}\n"),
			pos("a.ts", "const name = (new URLSearchParams(location.search).get('n') as string)!;\n$('#greet').html(`<b>${name}</b>`);\n"),
			neg("a.js", "const q = location.hash.substring(1);\n$('#out').text(q);\n"),
			neg("a.js", "$('#out').html('<b>hi</b>');\n"),
			neg("a.js", "const q = location.hash.substring(1);\n$('#out').html(DOMPurify.sanitize(q));\n"),
		},
		"code/js-client-redirect": {
			pos("a.js", "window.location = document.location.hash.substring(1);\n"),
			pos("a.ts", "const next = (new URLSearchParams(window.location.search).get('next') as string)!;\nwindow.location.href = next;\n"),
			neg("a.js", "window.location.href = '/home';\n"),
			neg("a.js", "window.location = '/search?q=' + location.hash.substring(1);\n"),
			neg("a.js", "window.location = window.location.toString().split('?')[0] + '?' + form.value;\n"),
		},
		"code/js-client-redirect-call": {
			pos("a.js", "const t = location.search.slice(1);\nlocation.replace(t);\n"),
			pos("a.ts", "function go(): void {\n  window.location.assign(location.hash.substr(1)!);\n}\n"),
			neg("a.js", "location.replace('/login');\n"),
		},
		"code/js-require-input": {
			pos("a.js", jsReq("", "const m = require(x);\n")),
			pos("a.ts", tsReq("", "const plugin = require('./plugins/' + x);\n")),
			neg("a.js", jsReq("", "const m = require('./plugins/' + 'a');\n")),
		},
		"code/js-render-input": {
			pos("a.js", "module.exports = (req, res) => res.render(req.params.page);\n"),
			pos("a.ts", tsReq("", "res.render(x);\n")),
			neg("a.js", "module.exports = (req, res) => res.render('index', { page: req.params.page });\n"),
		},
		"code/js-zip-slip-write": {
			pos("a.js", "const fs = require('fs');\nconst AdmZip = require('adm-zip');\nnew AdmZip(file).getEntries().forEach((e) => {\n  fs.writeFileSync(e.entryName, e.getData());\n});\n"),
			pos("a.js", "const fs = require('fs');\nconst unzipper = require('unzipper');\nstream.pipe(unzipper.Parse()).on('entry', (entry) => {\n  const name = entry.path;\n  entry.pipe(fs.createWriteStream(name));\n});\n"),
			neg("a.js", "const fs = require('fs');\nconst path = require('path');\nconst unzipper = require('unzipper');\nstream.pipe(unzipper.Parse()).on('entry', (entry) => {\n  const name = path.join(dest, path.basename(entry.path));\n  entry.pipe(fs.createWriteStream(name));\n});\n"),
			neg("a.js", "const fs = require('fs');\nconst unzipper = require('unzipper');\nstream.pipe(unzipper.Parse()).on('entry', (entry) => {\n  const out = path.resolve(dest, entry.path);\n  if (!out.startsWith(dest)) return;\n  entry.pipe(fs.createWriteStream(entry.path));\n});\n"),
		},
		"code/js-reflection-call": {
			pos("a.js", "window.addEventListener('message', (ev) => {\n  const m = JSON.parse(ev.data);\n  window[m.name](m.args);\n});\n"),
			pos("a.ts", "window.addEventListener('message', (ev: MessageEvent) => {\n  const m = JSON.parse(ev.data as string);\n  window['' + m.name!](m.args);\n});\n"),
			neg("a.js", "window.addEventListener('message', (ev) => {\n  const m = JSON.parse(ev.data);\n  window['on' + m.name](m.args);\n});\n"),
			neg("a.js", "const handlers = { play() {}, stop() {} };\nwindow.addEventListener('message', (ev) => {\n  const m = JSON.parse(ev.data);\n  handlers[m.name](m.args);\n});\n"),
		},
		"code/js-ssrf-method-first": {
			pos("a.js", jsReq("const needle = require('needle');", "needle('get', x, (err, resp) => res.send(resp.statusCode));\n")),
			neg("a.js", jsReq("const needle = require('needle');", "needle('get', 'https://api.example.com/items?q=' + x, () => {});\n")),
		},
		"code/js-path-traversal": {
			pos("a.ts", "const fs = require('fs');\nhttp.createServer((req: any, res: any) => {\n  let p = url.parse(req.url, true).query.path;\n  p ||= 'default.txt';\n  res.end(fs.readFileSync(p));\n});\n"),
			neg("a.ts", "const fs = require('fs');\nhttp.createServer((req: any, res: any) => {\n  let p = url.parse(req.url, true).query.path;\n  if (p === 'readme.txt') {\n    res.end(fs.readFileSync(p));\n  }\n  p &&= 'clean.txt';\n  res.end(fs.readFileSync(p));\n});\n"),
			neg("a.js", jsReq("const fs = require('fs');", "if (['a.txt', 'b.txt'].includes(x)) {\n  fs.readFileSync(x);\n}\n")),
			// Each handler of the file is its own function: one that
			// checks its path does not vouch for another that does not.
			pos("a.js", "const fs = require('fs');\nconst path = require('path');\napp.get('/a', (req, res) => {\n  const p = path.resolve(root, req.query.f);\n  if (!p.startsWith(root)) return res.end();\n  res.send(fs.readFileSync(p));\n});\napp.get('/b', (req, res) => {\n  res.send(fs.readFileSync(path.join(root, req.query.f)));\n});\n"),
			neg("a.js", "const fs = require('fs');\nconst path = require('path');\napp.get('/a', (req, res) => {\n  const p = path.resolve(root, req.query.f);\n  if (!p.startsWith(root)) return res.end();\n  fs.readFile(p, (err, data) => res.send(fs.readFileSync(p)));\n});\n"),
			// send() refuses to leave root.
			neg("a.js", jsReq("", "res.sendFile(x, { root: __dirname + '/public' });\n")),
			pos("a.js", jsReq("", "res.sendFile(x);\n")),
			// File names a directory listing holds count for XSS only,
			// in a helper function too.
			neg("a.js", "const fs = require('fs');\nfunction check(name) {\n  return fs.readFileSync('/etc/app/' + name, 'utf8');\n}\nfor (const f of fs.readdirSync('/etc/app')) {\n  check(f);\n}\n"),
			// Names a directory listing gives are stored input for XSS
			// only: they are names in that directory, not paths.
			neg("a.js", jsReq("const fs = require('fs');", "fs.readdirSync('/srv/docs').forEach((name) => {\n  res.write(fs.readFileSync('/srv/docs/' + name));\n});\n")),
		},
		"code/js-response-xss": {
			// What a call of no known purpose resolves to, awaited or
			// handed to then, is its work's result (a record, a
			// response), not the input given it.
			neg("a.js", jsReq("const users = require('../services/users');", "const user = await users.create(req.body);\nres.send(user);\n")),
			neg("a.js", jsReq("const api = require('./api');", "api.find({ q: x }).then((found) => {\n  res.send(found);\n});\n")),
			pos("a.js", jsReq("", "const page = await Promise.resolve('<p>' + x + '</p>');\nres.send(page);\n")),
			pos("a.js", jsReq("", "const name = await x;\nres.send('<p>' + name + '</p>');\n")),
			// An object or array is sent as JSON: the request's bags whole,
			// what an array method or Object.keys returns.
			neg("a.js", jsReq("", "res.send(req.query);\n")),
			neg("a.js", jsReq("", "res.send(req.params);\n")),
			neg("a.js", jsReq("", "const keys = Object.keys(req.params);\nres.send(keys.map(function (k) { return [k, req.params[k]]; }));\n")),
			neg("a.js", jsReq("", "res.send(Object.entries(req.query));\n")),
			neg("a.js", jsReq("", "res.status(200).send((x.split(',')));\n")),
			pos("a.js", jsReq("", "res.send(req.params.name);\n")),
			pos("a.js", jsReq("", "res.send(x.split(',').join('<br>'));\n")),
			pos("a.js", jsReq("", "res.send(JSON.stringify(req.query));\n")),
			pos("a.js", jsReq("", "res.send(req.body);\n")),
			// Positions from input pick a part of a list that is not input.
			neg("a.js", jsReq("const names = ['ann', 'bob', 'cy'];", "const from = req.params.from;\nres.send('users ' + names.slice(from, req.params.to).join(', '));\n")),
			pos("a.js", jsReq("", "res.send('<p>' + x.slice(0, 20) + '</p>');\n")),
			// Headers of the victim's own request are not the attacker's to
			// choose; the Referer (the page that linked here) is.
			neg("a.js", jsReq("", "res.send('<p>' + req.headers['user-agent'] + '</p>');\n")),
			neg("a.js", jsReq("", "res.send('<a href=\"//' + req.get('host') + '/\">home</a>');\n")),
			pos("a.js", jsReq("", "res.send('<a href=\"' + req.get('Referer') + '\">back</a>');\n")),
			pos("a.js", jsReq("", "res.send('<a href=\"' + req.headers.referer + '\">back</a>');\n")),
			// Markdown renderers that escape raw HTML unless told not to.
			neg("a.js", jsReq("const { Remarkable } = require('remarkable');\nconst md = new Remarkable();", "res.send(md.render(x));\n")),
			neg("a.js", jsReq("const markdownit = require('markdown-it');\nconst md = markdownit();", "res.send('<div>' + md.render(x) + '</div>');\n")),
			pos("a.js", jsReq("const markdownit = require('markdown-it');\nconst md = markdownit({ html: true });", "res.send(md.render(x));\n")),
			pos("a.js", jsReq("const marked = require('marked');", "res.send(marked.parse(x));\n")),
			// NestJS parameter decorators hand the handler request input.
			pos("a.ts", "import { Controller, Get, Query, Res } from '@nestjs/common';\n@Controller('a')\nexport class A {\n  @Get()\n  find(@Query('q') q: string, @Res() res: any) {\n    res.send('<p>' + q + '</p>');\n  }\n}\n"),
			neg("a.ts", "import { Controller, Get, Res } from '@nestjs/common';\n@Controller('a')\nexport class A {\n  @Get()\n  find(@Inject('q') q: string, @Res() res: any) {\n    res.send('<p>' + q + '</p>');\n  }\n}\n"),
			// An error thrown by a call given input carries it.
			pos("a.js", jsReq("", "try {\n  lookup(x);\n} catch (e) {\n  res.send('Failed: ' + e);\n}\n")),
			pos("a.ts", tsReq("", "try {\n  try {\n    parseThing(x);\n  } finally {\n    done();\n  }\n} catch (err: any) {\n  res.send(`<p>${err}</p>`);\n}\n")),
			pos("a.js", jsReq("", "store.find(x, (err, item) => {\n  if (err) {\n    res.send(err.message);\n  }\n});\n")),
			neg("a.js", jsReq("", "try {\n  const y = 'a' + x;\n  lookup('fixed');\n} catch (e) {\n  res.send('Failed: ' + e);\n}\n")),
			neg("a.js", jsReq("", "try {\n  console.log(x);\n  localStorage.setItem('k', x);\n} catch (e) {\n  res.send('Failed: ' + e);\n}\n")),
			neg("a.js", jsReq("", "store.find(x, (err, item) => {\n  res.send(item.title);\n});\n")),
			neg("a.js", jsReq("", "res.send('cookie: ' + req.cookies[req.params.name]);\n")),
			neg("a.js", jsReq("", "res.send(console.log('<b>%s</b>', x));\n")),
			// A promise whose executor hands input to a call may be
			// rejected with an error that holds it; null[x] throws one
			// naming x.
			pos("a.js", jsReq("", "new Promise((resolve) => load(x, resolve)).catch((e) => {\n  res.send('Failed: ' + e);\n});\n")),
			pos("a.js", jsReq("", "const p = new Promise((resolve) => load(x, resolve));\np.catch((e) => res.send('Failed: ' + e));\n")),
			pos("a.js", jsReq("", "try {\n  null[x];\n} catch (e) {\n  res.send('Failed: ' + e);\n}\n")),
			neg("a.js", jsReq("", "new Promise((resolve) => load('fixed', resolve)).catch((e) => {\n  res.send('Failed: ' + e);\n});\n")),
			neg("a.js", jsReq("", "try {\n  table()[x];\n} catch (e) {\n  res.send('Failed: ' + e);\n}\n")),
			pos("a.js", jsReq("", "Item.findById(x).then((item) => res.json(item)).catch((err) => {\n  res.send('<p>' + err.message + '</p>');\n});\n")),
			neg("a.js", jsReq("", "Item.findById('home').then((item) => res.json(item)).catch((err) => {\n  res.send('<p>' + err.message + '</p>');\n});\n")),
			// ajv's errors quote the value that failed the schema; the
			// array itself is sent as JSON.
			pos("a.js", jsReq("const Ajv = require('ajv');\nconst ajv = new Ajv();", "if (!ajv.validate('item', req.body)) {\n  res.send(ajv.errorsText());\n}\n")),
			pos("a.js", jsReq("const Ajv = require('ajv');\nconst checker = new Ajv({ allErrors: true });", "const validate = checker.compile(schema);\nif (!validate(req.body)) {\n  res.send('<p>' + validate.errors[0].message + '</p>');\n}\n")),
			neg("a.js", jsReq("const Ajv = require('ajv');\nconst ajv = new Ajv();", "if (!ajv.validate('item', defaults)) {\n  res.send(ajv.errorsText());\n}\n")),
			neg("a.js", jsReq("const Ajv = require('ajv');\nconst checker = new Ajv();", "const validate = checker.compile(schema);\nif (!validate(req.body)) {\n  res.send(validate.errors);\n}\n")),
			// File names from a directory listing or a glob, and a
			// torrent's names, are whoever wrote them's: stored XSS.
			pos("a.js", jsReq("const fs = require('fs');", "fs.readdir('/srv/uploads', (err, files) => {\n  res.send('<ul>' + files.map((f) => '<li>' + f).join('') + '</ul>');\n});\n")),
			pos("a.js", jsReq("const glob = require('glob');", "const names = glob.sync('/srv/uploads/*');\nnames.forEach((n) => res.write('<li>' + n + '</li>'));\n")),
			pos("a.js", jsReq("const parseTorrent = require('parse-torrent');", "const t = parseTorrent(buf);\nres.send('<h1>' + t.name + '</h1>');\n")),
			neg("a.js", jsReq("const fs = require('fs');", "fs.readdir('/srv/uploads', (err, files) => {\n  res.send('<p>' + files.length + ' files</p>');\n});\n")),
			neg("a.js", jsReq("const fs = require('fs');", "fs.readdir('/srv/uploads', (err, files) => {\n  res.send('<p>' + escapeHtml(files.join(', ')) + '</p>');\n});\n")),
		},
		"code/js-dangerously-set-inner-html": {
			pos("a.tsx", "export function V({ html }: { html: string }): JSX.Element {\n  return <div dangerouslySetInnerHTML={{ __html: html }} />;\n}\n"),
			neg("a.tsx", "export function V({ html }: { html: string }): JSX.Element {\n  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;\n}\n"),
		},
		"code/js-zip-slip-entry-path": {
			// An archive opened from any buffer names its own entries.
			pos("a.ts", "import unzipper from 'unzipper';\nimport fs from 'fs';\nexport async function unpack(buffer: Buffer) {\n  const directory = await unzipper.Open.buffer(buffer);\n  for (const entry of directory.files) {\n    fs.createWriteStream('uploads/' + entry.path);\n  }\n}\n"),
			pos("a.js", "const fs = require('fs');\nconst path = require('path');\nconst unzipper = require('unzipper');\nfs.createReadStream('in.zip').pipe(unzipper.Parse()).on('entry', (entry) => {\n  entry.pipe(fs.createWriteStream(path.join('/srv/out', entry.path)));\n});\n"),
			pos("a.js", "const fs = require('fs');\nconst yauzl = require('yauzl');\nyauzl.open('in.zip', (err, zipfile) => {\n  zipfile.on('entry', (entry) => {\n    fs.mkdirSync('/srv/out/' + entry.fileName);\n  });\n});\n"),
			pos("a.js", "const fs = require('fs');\nconst AdmZip = require('adm-zip');\nnew AdmZip(buf).getEntries().forEach((e) => {\n  fs.writeFileSync('/srv/out/' + e.entryName, e.getData());\n});\n"),
			neg("a.js", "const fs = require('fs');\nconst path = require('path');\nconst unzipper = require('unzipper');\nfs.createReadStream('in.zip').pipe(unzipper.Parse()).on('entry', (entry) => {\n  entry.pipe(fs.createWriteStream(path.join('/srv/out', path.basename(entry.path))));\n});\n"),
			neg("a.js", "const fs = require('fs');\nconst path = require('path');\nconst unzipper = require('unzipper');\nfs.createReadStream('in.zip').pipe(unzipper.Parse()).on('entry', (entry) => {\n  const dest = path.join('/srv/out', entry.path);\n  if (!dest.startsWith('/srv/out/')) {\n    return;\n  }\n  entry.pipe(fs.createWriteStream(dest));\n});\n"),
			neg("a.js", "const fs = require('fs');\nconst unzipper = require('unzipper');\nfs.createReadStream('in.zip').pipe(unzipper.Parse()).on('entry', (entry) => {\n  fs.readFileSync('/srv/index/' + entry.path);\n  entry.autodrain();\n});\n"),
		},
		"code/js-biased-random": {
			pos("a.js", "const crypto = require('crypto');\nconst bytes = crypto.randomBytes(6);\nlet code = '';\nfor (const b of bytes) {\n  code += b % 10;\n}\n"),
			pos("a.js", "const crypto = require('crypto');\nconst pick = Math.floor(crypto.randomBytes(1)[0] / 25.6);\n"),
			pos("a.js", "const crypto = require('crypto');\nconst n = crypto.randomBytes(1)[0] + crypto.randomBytes(1)[0];\n"),
			pos("a.js", "const crypto = require('crypto');\nconst r = Number('0.' + crypto.randomBytes(4).readUInt32BE(0));\n"),
			neg("a.js", "const crypto = require('crypto');\nconst bytes = crypto.randomBytes(6);\nlet code = '';\nfor (const b of bytes) {\n  code += b % 8;\n}\n"),
			neg("a.js", "const crypto = require('crypto');\nconst pick = crypto.randomBytes(1)[0] / 0xff;\nconst n = (crypto.randomBytes(1)[0] << 8) + crypto.randomBytes(1)[0];\n"),
			neg("a.js", "const crypto = require('crypto');\nconst digits = [];\nwhile (digits.length < 6) {\n  const b = crypto.randomBytes(1)[0];\n  if (b >= 250) {\n    continue;\n  }\n  digits.push(b % 10);\n}\n"),
			neg("a.js", "const crypto = require('crypto');\nconst digit = crypto.randomInt(0, 10);\nconst label = crypto.randomBytes(1)[0] + 'x';\n"),
		},
		"code/js-hardcoded-auth-header": {
			pos("a.js", "fetch(url, { headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9abc' } });\n"),
			pos("a.ts", "const headers = { 'X-API-Key': 'AbCdEfGhIjKlMnOpQrStUvWx' as const };\n"),
			neg("a.js", "fetch(url, { headers: { Authorization: `Bearer ${token}` } });\n"),
			neg("a.js", "fetch(url, { headers: { Authorization: 'Bearer ' + process.env.TOKEN } });\n"),
			// Basic credentials encoded here from constants.
			pos("a.js", "const USER = 'deploy';\nconst PASS = 'hunter22';\nfetch(url, { headers: { Authorization: 'Basic ' + btoa(USER + ':' + PASS) } });\n"),
			pos("a.js", "const creds = Buffer.from(`deploy:${'hunter22'}`).toString('base64');\nfetch(url, { headers: { Authorization: `Basic ${creds}` } });\n"),
			neg("a.js", "const creds = Buffer.from(`${process.env.USER}:${process.env.PASS}`).toString('base64');\nfetch(url, { headers: { Authorization: `Basic ${creds}` } });\n"),
			neg("a.js", "const USER = 'deploy';\nfetch(url, { headers: { Authorization: 'Basic ' + btoa(USER + ':' + readPassword()) } });\n"),
		},
		"code/js-hardcoded-auth-header-set": {
			pos("a.js", "const h = new Headers();\nh.append('Authorization', 'Basic dXNlcjpwYXNzd29yZA==');\n"),
			neg("a.js", "const h = new Headers();\nh.append('Authorization', 'Basic ' + btoa(user + ':' + pass));\n"),
			pos("a.js", "const base64 = require('base-64');\nconst AUTH = base64.encode('deploy:hunter22');\nconst h = new Headers();\nh.append('Authorization', `Basic ${AUTH}`);\n"),
			neg("a.js", "const base64 = require('base-64');\nconst AUTH = base64.encode(`deploy:${secret}`);\nconst h = new Headers();\nh.append('Authorization', `Basic ${AUTH}`);\n"),
		},
		"code/js-dom-html-sink": {
			pos("a.js", "const frag = document.createRange().createContextualFragment(location.hash.slice(1));\n"),
			pos("a.ts", "class C {\n  constructor(private s: DomSanitizer) {}\n  show(): SafeHtml {\n    return this.s.bypassSecurityTrustHtml(new URLSearchParams(location.search).get('m')!);\n  }\n}\n"),
			neg("a.ts", "class C {\n  constructor(private s: DomSanitizer) {}\n  show(): SafeHtml {\n    return this.s.bypassSecurityTrustHtml('<b>fixed</b>');\n  }\n}\n"),
		},
		"code/js-dom-url-attribute": {
			pos("a.js", "const a = document.createElement('a');\na.href = location.hash.substring(1);\n"),
			pos("a.ts", "const f = document.querySelector('iframe')!;\nf.srcdoc = new URLSearchParams(location.search).get('doc') as string;\n"),
			neg("a.js", "const a = document.createElement('a');\na.href = '/items/' + location.hash.substring(1);\n"),
			neg("a.js", "const a = document.createElement('a');\na.href = location.href;\n"),
		},
		"code/js-dom-set-attribute": {
			pos("a.js", "const img = document.createElement('img');\nimg.setAttribute('src', location.hash.substring(1));\n"),
			neg("a.js", "const img = document.createElement('img');\nimg.setAttribute('alt', location.hash.substring(1));\n"),
			neg("a.js", "const img = document.createElement('img');\nimg.setAttribute('src', '/img/' + location.hash.substring(1));\n"),
		},
		"code/js-tls-old-protocol": {
			pos("a.js", "const tls = require('tls');\nconst ctx = tls.createSecureContext({ minVersion: 'TLSv1' });\n"),
			pos("a.js", "const https = require('https');\nhttps.request({ host: 'a.example', secureProtocol: 'TLSv1_method' });\n"),
			neg("a.js", "const tls = require('tls');\nconst ctx = tls.createSecureContext({ minVersion: 'TLSv1.2' });\n"),
			neg("a.js", "const https = require('https');\nhttps.request({ host: 'a.example', secureProtocol: 'TLS_method' });\n"),
		},
		"code/js-response-xss-chained": {
			pos("a.js", jsReq("", "res.status(404).send('No page ' + x);\n")),
			pos("a.ts", tsReq("", "res.status(400).send(`bad value ${x}`);\n")),
			neg("a.js", jsReq("", "res.status(404).send('No page');\n")),
			neg("a.js", jsReq("", "res.status(404).send('No page ' + encodeURIComponent(x));\n")),
		},
		"code/js-xpathi": {
			pos("a.js", "const q = document.location.hash.substring(1);\ndocument.createExpression(q);\n"),
		},
	}
}
