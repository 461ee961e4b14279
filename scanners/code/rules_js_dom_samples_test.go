package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// ngComponent is an Angular component whose constructor is injected the
// router's services, a sanitizer, a renderer and the document, with body
// as its ngOnInit.
func ngComponent(body string) string {
	return `import { Component, OnInit, Renderer2, Inject, ElementRef } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { ActivatedRoute, Router } from '@angular/router';
import { DomSanitizer } from '@angular/platform-browser';

@Component({ selector: 'app-root', template: '<div></div>' })
export class AppComponent implements OnInit {
  constructor(
    private route: ActivatedRoute,
    private sanitizer: DomSanitizer,
    private readonly router: Router,
    private renderer: Renderer2,
    private el: ElementRef,
    @Inject(DOCUMENT) private document: Document
  ) {}

  ngOnInit() {
` + indent("    ", body) + "  }\n}\n"
}

// jsPage is browser script at the top of a page.
func jsPage(body string) string { return body }

// jsDOMSamples are the samples of jsDOMRules (rules_js_dom.go), and of the
// DOM and Angular sources javascript.go reads for the older XSS rules.
func jsDOMSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		// Angular: the route's parameters, fragment and the router's URL
		// are input; route data is the app's own configuration.
		"code/js-dom-html-sink": {
			pos("a.component.ts", ngComponent("this.sanitizer.bypassSecurityTrustHtml(this.route.snapshot.queryParams.q);\n")),
			pos("a.component.ts", ngComponent("this.sanitizer.bypassSecurityTrustHtml(this.route.snapshot.paramMap.get('id'));\n")),
			pos("a.component.ts", ngComponent("this.route.fragment.subscribe(f => {\n  this.sanitizer.bypassSecurityTrustHtml(f);\n});\n")),
			pos("a.component.ts", ngComponent("this.sanitizer.bypassSecurityTrustResourceUrl(this.router.url);\n")),
			neg("a.component.ts", ngComponent("this.sanitizer.bypassSecurityTrustHtml(this.route.snapshot.data.banner);\n")),
			neg("a.component.ts", ngComponent("this.sanitizer.bypassSecurityTrustHtml('<b>static</b>');\n")),
		},
		"code/js-innerhtml": {
			// A value compared with constants is one of them where the
			// comparison says so: a disjunction of equalities, a
			// conjunction of inequalities that returns, a switch's
			// constant cases (and those falling into them).
			neg("a.js", jsPage("const x = location.hash.slice(1);\nif (x === 'a' || x === 'b') {\n  document.body.innerHTML = x;\n}\n")),
			pos("a.js", jsPage("const x = location.hash.slice(1);\nif (x === 'a' || ready) {\n  document.body.innerHTML = x;\n}\n")),
			pos("a.js", jsPage("const x = location.hash.slice(1);\nif (x === 'a' || y === 'b') {\n  document.body.innerHTML = x;\n}\n")),
			neg("a.js", jsPage("const x = location.hash.slice(1);\nif (x !== 'a' && x !== 'b') {\n  return;\n}\ndocument.body.innerHTML = x;\n")),
			pos("a.js", jsPage("const x = location.hash.slice(1);\nif (x !== 'a' && y !== 'b') {\n  return;\n}\ndocument.body.innerHTML = x;\n")),
			neg("a.js", jsPage("const x = location.hash.slice(1);\nswitch (x) {\ncase 'a':\ncase 'b':\n  document.body.innerHTML = x;\n  break;\n}\n")),
			pos("a.js", jsPage("const x = location.hash.slice(1);\nswitch (x) {\ncase 'a':\n  break;\ndefault:\n  document.body.innerHTML = x;\n}\n")),
			pos("a.js", jsPage("const x = location.hash.slice(1);\nswitch (x) {\ndefault:\n  log(x);\ncase 'b':\n  document.body.innerHTML = x;\n}\n")),
			pos("a.js", jsPage("const x = location.hash.slice(1);\nswitch (x) {\ncase 'a':\n  break;\n}\ndocument.body.innerHTML = x;\n")),
			pos("a.component.ts", ngComponent("this.el.nativeElement.innerHTML = this.route.snapshot.fragment;\n")),
			pos("a.component.ts", ngComponent("this.document.body.innerHTML = this.route.snapshot.params['name'];\n")),
			neg("a.component.ts", ngComponent("this.el.nativeElement.innerHTML = '<p>ready</p>';\n")),
			pos("a.js", jsPage("function onMsg(event) {\n  document.getElementById('out').innerHTML = event.data;\n}\nwindow.addEventListener('message', onMsg);\n")),
			// The page's own origin and path, and an element's id or
			// state, are no one's text.
			neg("a.js", jsPage("document.getElementById('out').innerHTML = window.location.origin;\n")),
			neg("a.js", jsPage("document.getElementById('out').innerHTML = '<a href=\"' + location.href.split('?')[0] + '\">link</a>';\n")),
			pos("a.js", jsPage("document.getElementById('out').innerHTML = '<a href=\"' + location.href.split('?')[1] + '\">link</a>';\n")),
			neg("a.js", jsPage("document.getElementById('out').innerHTML = '<b>' + location.pathname + '</b>';\n")),
			neg("a.js", jsPage("const el = document.querySelector('.item');\ndocument.getElementById('out').innerHTML = el.id + ' ' + el.className;\n")),
			pos("a.js", jsPage("document.getElementById('out').innerHTML = location.hash.slice(1);\n")),
			neg("a.js", jsPage("document.getElementById('out').innerHTML = 'Section ' + $('section.active').attr('id');\n")),
			neg("a.js", jsPage("const tab = document.querySelector('.tab');\ndocument.getElementById('out').innerHTML = tab.getAttribute('class');\n")),
			pos("a.js", jsPage("const tab = document.querySelector('.tab');\ndocument.getElementById('out').innerHTML = tab.getAttribute('data-title');\n")),
		},
		// XSS through the DOM: text read from the page (a form field, an
		// element's text or attribute) written back as HTML.
		"code/js-jquery-html": {
			pos("a.js", jsPage("$('#preview').html($('textarea#comment').val());\n")),
			pos("a.js", jsPage("$('#out').append($('.title').text());\n")),
			// A text node made of the text is never parsed.
			neg("a.js", jsPage("$('#out').append(document.createTextNode($('.title').text()));\n")),
			neg("a.js", jsPage("const t = document.createTextNode($('.title').text());\n$('#out').append(t);\n")),
			pos("a.js", jsPage("$('#out').html($('#link').attr('data-label'));\n")),
			pos("a.js", jsPage("const field = document.getElementById('name');\n$('#hello').html('Hi ' + field.value);\n")),
			pos("a.js", jsPage("$('input').on('input', function (e) {\n  $('#echo').html(e.target.value);\n});\n")),
			pos("a.js", jsPage("$('#id').html($('#foo').prop('innerText'));\n")),
			// Setting an attribute returns the selection, not text; the
			// length of a value is a number; text() writes text.
			neg("a.js", jsPage("$('#out').html($('.x').attr('title', 'hello'));\n")),
			neg("a.js", jsPage("$('#count').html($('textarea').val().length);\n")),
			neg("a.js", jsPage("$('#out').text($('textarea').val());\n")),
			neg("a.js", jsPage("$('#out').html(DOMPurify.sanitize($('textarea').val()));\n")),
			neg("a.js", jsPage("$('#out').html($('<div>').text($('textarea').val()).html());\n")),
			neg("a.js", jsPage("$('#out').html($('textarea').val().replace(/</g, '&lt;').replace(/>/g, '&gt;'));\n")),
			neg("a.js", jsPage("$('#out').html(escapeHtml(location.hash));\n")),
			// The page's own attributes (ids, classes, links) are no one
			// else's text; data-*, title and the like are.
			neg("a.js", jsPage("$('#out').html($('.item').attr('id'));\n")),
			// Text read back from an element made here from a string is that
			// string's, not the page's.
			neg("a.js", jsPage("var label = $('<p>' + title + '</p>').text();\n$('#out').html(label);\n")),
			neg("a.js", jsPage("$('#out').html($('<div/>').html(summary).text());\n")),
			pos("a.js", jsPage("var label = $('p.title').text();\n$('#out').html(label);\n")),
			neg("a.js", jsPage("const serialize = require('serialize-javascript');\n$('#state').html('<script>window.s = ' + serialize($('#data').val()) + '</script>');\n")),
			neg("a.js", jsPage("$('#where').html(document.location.host + document.location.pathname);\n")),
			pos("a.js", jsPage("$('#where').html(document.location.search);\n")),
			neg("a.js", jsPage("$('#out').html('<b>' + $(this).attr('class') + '</b>');\n")),
			pos("a.js", jsPage("$('#out').html($('.item').attr('title'));\n")),
			neg("a.js", jsPage("var el = document.querySelector('a');\n$('#out').html(el.getAttribute('href'));\n")),
			pos("a.js", jsPage("var el = document.querySelector('a');\n$('#out').html(el.getAttribute('data-label'));\n")),
			// A selection made here holds the text as text: appended, it is
			// a node, not markup.
			neg("a.js", jsPage("$('#out').append($('<span>').text($('textarea').val()));\n")),
			neg("a.js", jsPage("$('#list').append($('<li>').addClass('item').text($('#name').val()));\n")),
			// A value tested for '<' holds no markup where the test fails.
			neg("a.js", jsPage("var h = location.hash.slice(1);\nif (!/[<>]/.test(h)) {\n  $('#out').html(h);\n}\n")),
			// An anchored alternation of words within a group allows
			// only those words; one at the top anchors each at one end.
			neg("a.js", jsPage("var h = location.hash.slice(1);\nif (/^(asc|desc)$/.test(h)) {\n  $('#out').html(h);\n}\n")),
			neg("a.js", jsPage("var h = location.hash.slice(1);\nif (/^(?:tab-(one|two))$/.test(h)) {\n  $('#out').html(h);\n}\n")),
			pos("a.js", jsPage("var h = location.hash.slice(1);\nif (/^asc|desc$/.test(h)) {\n  $('#out').html(h);\n}\n")),
			pos("a.js", jsPage("var h = location.hash.slice(1);\nif (/^(asc)|(desc)$/.test(h)) {\n  $('#out').html(h);\n}\n")),
			neg("a.js", jsPage("var h = location.hash.slice(1);\nif (h.indexOf('<') === -1) {\n  $('#out').html(h);\n}\n")),
			neg("a.js", jsPage("var h = location.hash.slice(1);\nif (h.match(/[<>&\"']/)) {\n  throw new Error('bad');\n}\n$('#out').html(h);\n")),
			pos("a.js", jsPage("var h = location.hash.slice(1);\nif (/[<>]/.test(h)) {\n  $('#out').html(h);\n}\n")),
			pos("a.js", jsPage("var h = location.hash.slice(1);\nif (!/<script/.test(h)) {\n  $('#out').html(h);\n}\n")),
			// An error thrown by a call given input may hold it; one from a
			// function that calls nothing, or JSON.parse, does not.
			pos("a.js", jsPage("try {\n  check(location.hash);\n} catch (e) {\n  $('#err').html(e);\n}\n")),
			neg("a.js", jsPage("function keep(x) {\n  var v = x + '!';\n}\ntry {\n  keep(location.hash);\n} catch (e) {\n  $('#err').html(e);\n}\n")),
			neg("a.js", jsPage("try {\n  JSON.parse(location.hash.slice(1));\n} catch (e) {\n  $('#err').html(e);\n}\n")),
		},
		"code/js-jquery-url-attribute": {
			neg("a.js", jsPage("$('#back').attr('onclick', location.hash.substring(1));\n")),
			pos("a.js", jsPage("$('#back').attr('href', new URLSearchParams(location.search).get('return'));\n")),
			pos("a.js", jsPage("$('iframe').attr('src', location.hash.substring(1));\n")),
			neg("a.js", jsPage("$('#back').attr('title', location.hash.substring(1));\n")),
			neg("a.js", jsPage("$('#back').attr('href', '/search?q=' + location.hash.substring(1));\n")),
		},
		"code/js-html-property-object": {
			pos("a.js", jsPage("Object.assign(document.createElement('div'), { innerHTML: location.hash.slice(1) });\n")),
			pos("a.js", "export default {\n  render(h) {\n    return h('div', { domProps: { innerHTML: this.$route.query.msg || window.name } });\n  },\n};\n"),
			neg("a.js", jsPage("Object.assign(document.createElement('div'), { innerHTML: '<b>hi</b>' });\n")),
			neg("a.js", jsPage("Object.assign(document.createElement('div'), { textContent: location.hash.slice(1) });\n")),
		},
		"code/js-jquery-html-selector": {
			// A template of one value is that value: the fragment
			// still starts with '#', a selector.
			neg("a.js", jsPage("const target = $(`${window.location.hash}`);\ntarget.show();\n")),
			pos("a.js", jsPage("const target = $(`${window.location.hash.slice(1)}`);\ntarget.show();\n")),
			pos("a.js", jsPage("$('<div>' + location.hash.slice(1) + '</div>').appendTo(document.body);\n")),
			pos("a.js", jsPage("$(decodeURIComponent(location.hash.slice(1)));\n")),
			neg("a.js", jsPage("$('#' + location.hash.slice(1)).show();\n")),
			// Decoded, the fragment still starts with '#'; the referrer is a
			// URL, starting with its scheme.
			neg("a.js", jsPage("$(decodeURIComponent(window.location.hash)).addClass('open');\n")),
			neg("a.js", jsPage("$(document.referrer).length;\n")),
			// An element found by the input is wrapped, not parsed; CSS
			// escaping leaves no '<' first.
			neg("a.js", jsPage("$(document.getElementById(location.hash.slice(1))).show();\n")),
			neg("a.js", jsPage("$($.escapeSelector(location.hash.slice(1))).show();\n")),
			pos("a.js", jsPage("$(location.hash.slice(1).trim()).show();\n")),
			pos("a.js", jsPage("$(decodeURIComponent(location.hash).substring(1));\n")),
			// The fragment as it is starts with '#': a selector.
			neg("a.js", jsPage("const target = window.location.hash;\n$(target).addClass('open');\n")),
			pos("a.js", jsPage("const target = window.location.hash.substring(1);\n$(target).addClass('open');\n")),
			neg("a.js", jsPage("$('.tab-' + new URLSearchParams(location.search).get('tab')).addClass('active');\n")),
		},
		"code/js-open-redirect": {
			neg("a.js", jsReq("", "if (VALID_REDIRECT === x) {\n  res.redirect(x);\n}\n")),
			neg("a.js", jsReq("", "if (x === config.HOME_URL) {\n  res.redirect(x);\n}\n")),
		},
		"code/js-dangerously-set-inner-html": {
			pos("a.jsx", "import { useParams } from 'react-router-dom';\nfunction Page() {\n  const { slug } = useParams();\n  return <div dangerouslySetInnerHTML={{ __html: slug }} />;\n}\n"),
			pos("a.jsx", "import { useRouter } from 'next/router';\nfunction Page() {\n  const router = useRouter();\n  return <div dangerouslySetInnerHTML={{ __html: router.query.msg }} />;\n}\n"),
			neg("a.jsx", "import { useRouter } from 'next/router';\nfunction Page() {\n  const router = useRouter();\n  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(router.query.msg) }} />;\n}\n"),
		},
		"code/js-angular-renderer-html": {
			pos("a.component.ts", ngComponent("this.renderer.setProperty(this.el.nativeElement, 'innerHTML', this.route.snapshot.queryParams.msg);\n")),
			neg("a.component.ts", ngComponent("this.renderer.setProperty(this.el.nativeElement, 'innerHTML', '<i>loading</i>');\n")),
			neg("a.component.ts", ngComponent("this.renderer.setProperty(this.el.nativeElement, 'textContent', this.route.snapshot.queryParams.msg);\n")),
		},
		"code/js-angular-renderer-attribute": {
			pos("a.component.ts", ngComponent("this.renderer.setAttribute(this.el.nativeElement, 'href', this.route.snapshot.queryParams.next);\n")),
			neg("a.component.ts", ngComponent("this.renderer.setAttribute(this.el.nativeElement, 'title', this.route.snapshot.queryParams.next);\n")),
			neg("a.component.ts", ngComponent("this.renderer.setAttribute(this.el.nativeElement, 'href', '/help/' + this.route.snapshot.queryParams.page);\n")),
		},
		"code/js-jquery-global-eval": {
			pos("a.js", jsPage("$.globalEval(location.hash.slice(1));\n")),
			pos("a.js", jsFn("", "jQuery.globalEval('init(' + x + ')');\n")),
			neg("a.js", jsPage("$.globalEval('window.ready = true');\n")),
		},
		// Event handler attributes hold script: input set as one is code
		// (not a link, which the XSS attribute rules take).
		"code/js-event-handler-attribute": {
			pos("a.js", jsPage("document.getElementById('btn').setAttribute('onclick', location.hash.slice(1));\n")),
			pos("a.js", jsPage("$('<img>').attr('onerror', new URLSearchParams(location.search).get('cb')).appendTo('body');\n")),
			pos("a.js", jsReq("", "document.body.setAttribute('onload', x);\n")),
			neg("a.js", jsPage("document.getElementById('btn').setAttribute('onclick', 'toggleMenu()');\n")),
			neg("a.js", jsPage("document.getElementById('btn').setAttribute('title', location.hash.slice(1));\n")),
			// Text read from the page is the XSS-through-DOM rules' concern.
			neg("a.js", jsPage("document.getElementById('btn').setAttribute('onclick', $('#handler').val());\n")),
		},
		"code/js-event-handler-attribute-ns": {
			pos("a.js", jsPage("const svg = document.querySelector('svg');\nsvg.setAttributeNS(null, 'onload', location.hash.substring(1));\n")),
			neg("a.js", jsPage("const svg = document.querySelector('svg');\nsvg.setAttributeNS(null, 'fill', location.hash.substring(1));\n")),
		},
		"code/js-code-compile-input": {
			pos("a.js", jsPage("WebAssembly.compile(Uint8Array.from(atob(location.hash.slice(1)), c => c.charCodeAt(0)));\n")),
			pos("a.js", jsReq("const Module = require('module');", "const m = new Module('x');\nm._compile(x, 'x.js');\n")),
			neg("a.js", jsPage("fetch('/app.wasm').then(r => r.arrayBuffer()).then(b => WebAssembly.compile(b));\n")),
			neg("a.js", jsFn("const Module = require('module');", "const m = new Module('x');\nm._compile(fs.readFileSync('lib.js', 'utf8'), 'lib.js');\n")),
		},
		"code/js-script-element-code": {
			pos("a.js", jsPage("const script = document.createElement('script');\nscript.src = new URLSearchParams(location.search).get('lib');\ndocument.head.appendChild(script);\n")),
			pos("a.js", jsReq("", "const script = dom.window.document.createElement('script');\nscript.text = req.body.code;\n")),
			neg("a.js", jsPage("const script = document.createElement('script');\nscript.src = '/static/' + location.hash.slice(1) + '.js';\n")),
			neg("a.js", jsPage("const script = document.createElement('script');\nscript.text = 'window.ready = true';\n")),
			pos("a.js", jsPage("var s = document.createElement('script');\ns.src = location.hash.slice(1);\ndocument.body.appendChild(s);\n")),
			neg("a.js", jsPage("var s = document.createElement('style');\ns.textContent = location.hash.slice(1);\n")),
		},
		"code/js-script-element-attribute": {
			pos("a.js", jsPage("var script = document.createElement('script');\nscript.setAttribute('src', location.hash.substr(1));\n")),
			neg("a.js", jsPage("var script = document.createElement('script');\nscript.setAttribute('src', 'https://cdn.example.com/lib.js');\n")),
		},
		"code/js-worker-script-input": {
			pos("a.js", jsPage("const w = new Worker(location.hash.substr(1));\n")),
			neg("a.js", jsPage("const w = new Worker('/workers/' + location.hash.substr(1) + '.js');\n")),
		},
		"code/js-extension-execute-script": {
			pos("a.js", jsPage("chrome.runtime.onMessage.addListener((msg) => chrome.tabs.executeScript({ code: location.hash }));\n")),
			neg("a.js", jsPage("chrome.tabs.executeScript({ file: 'content.js' });\n")),
		},
		"code/js-nosql-where-code": {
			pos("a.js", jsReq("", "db.collection('users').find({ $where: \"this.name == '\" + x + \"'\" });\n")),
			neg("a.js", jsReq("", "db.collection('users').find({ name: String(x) });\n")),
			neg("a.js", jsReq("", "db.collection('users').find({ $where: 'this.a > this.b' });\n")),
		},
		"code/js-template-from-input": {
			pos("a.js", jsReq("const pug = require('pug');", "res.send(pug.render(req.body.template, {}));\n")),
			pos("a.js", jsReq("const _ = require('lodash');", "const t = _.template(x);\nres.send(t({}));\n")),
			pos("a.ts", tsReq("import Handlebars from 'handlebars';", "res.send(Handlebars.compile(x)({}));\n")),
			neg("a.js", jsReq("const pug = require('pug');", "res.send(pug.render('p Hello #{name}', { name: x }));\n")),
			neg("a.js", jsReq("const ejs = require('ejs');", "res.send(ejs.render(fs.readFileSync('views/a.ejs', 'utf8'), { q: x }));\n")),
		},
		"code/js-angularjs-expression": {
			pos("a.js", jsPage("angular.module('app').controller('C', function ($scope, $location) {\n  $scope.$eval(location.hash.substr(1));\n});\n")),
			pos("a.js", jsPage("angular.module('app').controller('C', function ($compile, $scope) {\n  $compile(document.location.search)($scope);\n});\n")),
			neg("a.js", jsPage("angular.module('app').controller('C', function ($scope) {\n  $scope.$eval('count = count + 1');\n});\n")),
		},
		"code/js-webview-inject": {
			pos("a.js", jsReq("", "webview.injectJavaScript('render(' + x + ')');\n")),
			neg("a.js", jsReq("", "webview.injectJavaScript('window.scrollTo(0, 0)');\n")),
		},
		"code/js-webview-injected-prop": {
			pos("a.jsx", "function V() {\n  return <WebView source={{ uri: 'https://example.com' }} injectedJavaScript={location.hash} />;\n}\n"),
			neg("a.jsx", "function V() {\n  return <WebView source={{ uri: 'https://example.com' }} injectedJavaScript={'window.ready = true'} />;\n}\n"),
		},
		"code/js-cors-reflect-no-credentials": {
			pos("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n")),
			neg("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\nres.setHeader('Access-Control-Allow-Credentials', 'true');\n")),
			neg("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\n")),
		},
		"code/js-cors-null-credentials": {
			pos("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', 'null');\nres.setHeader('Access-Control-Allow-Credentials', true);\n")),
			neg("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', 'null');\n")),
			neg("a.js", jsReq("", "res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\nres.setHeader('Access-Control-Allow-Credentials', true);\n")),
		},
		"code/js-cors-origin-option": {
			pos("a.js", "const cors = require('cors');\napp.use(cors({ origin: true, credentials: true }));\n"),
			pos("a.js", "const { ApolloServer } = require('apollo-server');\nconst server = new ApolloServer({ typeDefs, resolvers, cors: { origin: null } });\n"),
			neg("a.js", "const cors = require('cors');\napp.use(cors({ origin: 'https://app.example.com', credentials: true }));\n"),
			neg("a.js", "const cors = require('cors');\napp.use(cors({ origin: false }));\n"),
		},
		"code/js-cors-origin-input": {
			pos("a.js", jsReq("const cors = require('cors');", "cors({ origin: req.headers.origin, credentials: true })(req, res, next);\n")),
			neg("a.js", jsReq("const cors = require('cors');", "cors({ origin: ALLOWED, credentials: true })(req, res, next);\n")),
		},
		"code/js-cors-apollo-any": {
			pos("a.js", "const { ApolloServer } = require('apollo-server');\nconst server = new ApolloServer({ typeDefs, resolvers, cors: true });\n"),
			neg("a.js", "const { ApolloServer } = require('apollo-server');\nconst server = new ApolloServer({ typeDefs, resolvers, cors: false });\n"),
		},
		"code/js-cookie-string-no-secure": {
			pos("a.js", jsPage("document.cookie = 'session=' + token + '; path=/';\n")),
			pos("a.js", jsReq("", "res.setHeader('Set-Cookie', 'theme=' + theme);\n")),
			pos("a.js", jsReq("", "res.setHeader('Set-Cookie', ['a=1; Secure', 'b=2']);\n")),
			neg("a.js", jsPage("document.cookie = 'session=' + token + '; path=/; Secure; SameSite=Strict';\n")),
			neg("a.js", jsPage("document.cookie = 'session=; expires=Thu, 01 Jan 1970 00:00:00 GMT';\n")),
			neg("a.js", jsReq("", "res.setHeader('Set-Cookie', ['a=1; Secure; HttpOnly']);\n")),
			pos("a.js", jsReq("", "res.setHeader('Set-Cookie', 'sessionId=' + id + '; Secure');\n")),
			neg("a.js", jsReq("", "res.setHeader('Set-Cookie', 'sessionId=' + id + '; Secure; HttpOnly');\n")),
			neg("a.js", jsReq("", "res.setHeader('Set-Cookie', 'lang=en; Secure');\n")),
			neg("a.js", jsReq("", "res.setHeader('Set-Cookie', cookies);\n")),
			pos("a.js", jsReq("", "res.cookie('session_id', x);\n")),
			pos("a.js", jsReq("", "res.cookie('authToken', x, { httpOnly: true });\n")),
			neg("a.js", jsReq("", "res.cookie('session_id', x, { httpOnly: true, secure: process.env.NODE_ENV === 'production' });\n")),
			neg("a.js", jsReq("", "res.cookie('theme', x);\n")),
			neg("a.js", jsReq("", "res.cookie('session_id', x, cookieOptions);\n")),
		},
		"code/js-cookie-library-insecure": {
			pos("a.js", jsReq("const cookie = require('cookie');", "res.setHeader('Set-Cookie', cookie.serialize('sid', id, { secure: false, httpOnly: true }));\n")),
			pos("a.js", jsPage("import Cookies from 'js-cookie';\nCookies.set('sid', token, { secure: false });\n")),
			neg("a.js", jsReq("const cookie = require('cookie');", "res.setHeader('Set-Cookie', cookie.serialize('sid', id, { secure: true, httpOnly: true }));\n")),
		},
		"code/js-csrf-middleware-missing": {
			pos("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst app = express();\napp.use(cookieParser());\napp.post('/email', (req, res) => { setEmail(req.cookies.user, req.body.email); res.end(); });\n"),
			pos("a.js", "const express = require('express');\nconst session = require('express-session');\nconst app = express();\napp.use(session({ secret: process.env.S, resave: false }));\napp.delete('/account', (req, res) => { remove(req.session.user); res.end(); });\n"),
			neg("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst csrf = require('csurf');\nconst app = express();\napp.use(cookieParser());\napp.use(csrf({ cookie: true }));\napp.post('/email', (req, res) => { setEmail(req.cookies.user, req.body.email); res.end(); });\n"),
			neg("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst lusca = require('lusca');\nconst app = express();\napp.use(cookieParser());\napp.use(lusca.csrf());\napp.post('/email', (req, res) => { res.end(); });\n"),
			neg("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst app = express();\napp.use(cookieParser());\napp.get('/', (req, res) => { res.send(req.cookies.theme); });\n"),
			// csurf on one route, and a router whose POST has none.
			pos("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst csrf = require('csurf');\nconst app = express();\napp.use(cookieParser());\nfunction api() {\n  const router = express.Router();\n  router.post('/profile', (req, res) => { save(req.cookies.user, req.body); res.end(); });\n  return router;\n}\napp.get('/form', csrf({ cookie: true }), (req, res) => res.render('f', { t: req.csrfToken() }));\napp.use('/api', api());\n"),
			neg("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst csrf = require('csurf');\nconst app = express();\nconst csrfProtection = csrf({ cookie: true });\napp.use(cookieParser());\napp.post('/process', csrfProtection, (req, res) => { res.send('ok'); });\n"),
			neg("a.js", "const express = require('express');\nconst cookieParser = require('cookie-parser');\nconst app = express();\napp.use(cookieParser());\nconst axios = require('axios');\naxios.post('/api/items', { name: 'x' });\n"),
		},
		"code/js-cookie-options-insecure": {
			pos("a.js", "const session = require('express-session');\napp.use(session({\n  secret: process.env.S,\n  cookie: {\n    secure: false,\n  },\n}));\n"),
			neg("a.js", "const session = require('express-session');\napp.use(session({\n  secret: process.env.S,\n  cookie: {\n    secure: true,\n  },\n}));\n"),
			neg("a.js", "const nodemailer = require('nodemailer');\nnodemailer.createTransport({\n  host: 'smtp.example.com',\n  secure: false,\n});\n"),
		},
		"code/js-tls-reject-unauthorized-assign": {
			pos("a.js", "const https = require('https');\nconst opts = { host: 'api.example.com' };\nopts.rejectUnauthorized = false;\nhttps.request(opts);\n"),
			neg("a.js", "const https = require('https');\nconst opts = { host: 'api.example.com' };\nopts.rejectUnauthorized = true;\nhttps.request(opts);\n"),
			pos("a.js", "const https = require('https');\nconst opts = { host: 'api.example.com' };\nopts.rejectUnauthorized = 0;\nhttps.request(opts);\n"),
		},
		"code/js-tls-check-server-identity": {
			pos("a.js", "const tls = require('tls');\ntls.connect({ host: 'h', port: 443, checkServerIdentity: () => undefined });\n"),
			pos("a.js", "const https = require('https');\nnew https.Agent({ checkServerIdentity: function (host, cert) {} });\n"),
			neg("a.js", "const tls = require('tls');\ntls.connect({ host: 'h', port: 443, checkServerIdentity: (host, cert) => {\n  const err = tls.checkServerIdentity(host, cert);\n  if (err) return err;\n  if (cert.fingerprint256 !== PIN) return new Error('pin');\n} });\n"),
		},
		"code/js-log-injection-lib": {
			pos("a.js", jsReq("const winston = require('winston');\nconst logger = winston.createLogger({});", "logger.info('login for ' + x);\n")),
			pos("a.ts", tsReq("import pino from 'pino';\nconst log = pino();", "log.warn(`bad user ${x}`);\n")),
			neg("a.js", jsReq("const winston = require('winston');\nconst logger = winston.createLogger({});", "logger.info('login for ' + x.replace(/\\n|\\r/g, ''));\n")),
			neg("a.js", jsReq("const winston = require('winston');\nconst logger = winston.createLogger({});", "logger.info('login for ' + JSON.stringify(x));\n")),
			neg("a.js", jsReq("const winston = require('winston');\nconst logger = winston.createLogger({});", "logger.info('login from ' + req.method);\n")),
		},
		"code/js-log-injection-logger": {
			pos("a.js", jsReq("const logger = { log: console.log };", "logger.log(`[INFO] User: ${x}`);\n")),
			pos("a.js", jsReq("const logger = require('./logger');", "logger.warn('bad login for ' + req.body.user);\n")),
			neg("a.js", jsReq("const logger = require('./logger');", "logger.warn('bad login for ' + x.replace(/[\\r\\n]/g, ''));\n")),
			neg("a.js", jsReq("const logger = require('./logger');", "logger.info('request ' + req.method);\n")),
		},
		"code/js-log-injection": {
			neg("a.js", jsReq("", "console.log('user: ' + x.replace(/[\\r\\n]/g, ''));\n")),
			neg("a.js", jsReq("", "console.log('user: %s', JSON.stringify(x));\n")),
			neg("a.js", jsPage("console.log('typed: ' + document.getElementById('q').value);\n")),
		},
		"code/js-open-redirect-header": {
			pos("a.js", "const http = require('http');\nconst url = require('url');\nhttp.createServer((req, res) => {\n  const target = url.parse(req.url, true).query.next;\n  res.setHeader('Location', target);\n  res.statusCode = 302;\n  res.end();\n});\n"),
			neg("a.js", "const http = require('http');\nhttp.createServer((req, res) => {\n  res.setHeader('Location', req.url + '/');\n  res.statusCode = 301;\n  res.end();\n});\n"),
		},
		"code/js-yaml-load": {
			pos("a.js", jsReq("const jsyaml = require('js-yaml');", "jsyaml.load(req.params.data);\n")),
			pos("a.js", jsReq("const jsyaml = require('js-yaml');", "jsyaml.loadAll(x, (doc) => use(doc));\n")),
			pos("a.js", jsReq("const jsyaml = require('js-yaml');", "jsyaml.load(x, { schema: jsyaml.DEFAULT_FULL_SCHEMA });\n")),
			neg("a.js", jsReq("const jsyaml = require('js-yaml');", "jsyaml.load(x, { schema: jsyaml.DEFAULT_SAFE_SCHEMA });\n")),
			neg("a.js", jsReq("const jsyaml = require('js-yaml');", "jsyaml.safeLoad(x);\n")),
			neg("a.js", jsReq("const yaml = require('js-yaml');", "yaml.load(x, { schema: yaml.JSON_SCHEMA });\n")),
		},
		"code/js-document-write": {
			// A free name is no input of this function's (semgrep's
			// react-unsanitized-method); a parameter is.
			pos("a.js", jsFn("", "document.write('<p>' + x + '</p>');\n")),
			neg("a.js", "function Test3() {\n  document.writeln(input);\n}\n"),
		},
		"code/js-ssrf": {
			neg("a.js", jsPage("fetch(document.getElementById('endpoint').value);\n")),
		},
	}
}
