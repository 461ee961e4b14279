const cp = require('child_process');
const { exec: run } = require('child_process');
import crypto from 'crypto';
const express = require('express');
const app = express();

app.get('/ping', (req, res) => {
  const host = req.query.host;
  // ruleid: cmdi
  cp.exec('ping -c 1 ' + host);
  // ruleid: cmdi
  run(`nslookup ${host}`);
  // ok: cmdi
  cp.exec('ls -l');
  // ok: cmdi
  const doc = "cp.exec('ping ' + host)";
  // cp.exec('ping ' + host);
  res.send('ok');
});

function render(el, html) {
  // ruleid: xss
  el.innerHTML = html;
  // ok: xss
  el.innerHTML = '<b>static</b>';
  // ok: xss
  el.textContent = html;
}

function digest(data) {
  // ruleid: weak-crypto
  const a = crypto.createHash('md5').update(data).digest('hex');
  // ok: weak-crypto
  const b = crypto.createHash('sha256').update(data).digest('hex');
  return a + b;
}

const https = require('https');
// ruleid: tls
const agent = new https.Agent({ rejectUnauthorized: false });

function newSession() {
  // ruleid: weak-random
  const sessionToken = Math.random().toString(36).slice(2);
  // ok: weak-random
  const jitter = Math.random() * 100;
  return sessionToken + jitter;
}
