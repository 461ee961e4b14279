const { exec } = require('child_process');

function handler(req, res) {
  let cmd = 'ls';
  if (req.query.dir) {
    cmd = 'ls ' + req.query.dir;
  } else if (req.query.long) {
    cmd = 'ls -l';
  }
  // ruleid: cmdi
  exec(cmd);
}

function fixed(long) {
  let cmd;
  if (long) {
    cmd = 'ls -l';
  } else {
    cmd = 'ls';
  }
  // ok: cmdi
  exec(cmd);
}

const { format } = require('util');
const { spawn } = require('child_process');

exports.handler = async function (event, context) {
  // ruleid: xss
  await sendHtml(format('<div>Message: %s</div>', event.body.name));
  // ok: xss
  await sendHtml(format('Message: %s', event.body.name));
  // ok: xss
  console.error(`<h1>message: ${event.body.name}</h1>`);
  const html = `<p>${event.queryStringParameters.name}</p>`;
  return {
    statusCode: 200,
    // ruleid: xss
    body: html,
  };
};

exports.json = async function (event, context) {
  return {
    statusCode: 200,
    // ok: xss
    body: JSON.stringify({ name: event.queryStringParameters.name }),
  };
};

function clone(url, branch) {
  // ruleid: cmdi
  spawn('git', ['clone', '--branch', branch, url]);
  // ok: cmdi
  spawn('git', ['clone', 'https://example.com/repo.git']);
}

const vm = require('vm');
const { NodeVM } = require('vm2');

module.exports.handler = async (event) => {
  const sandbox = { input: event.detail };
  // ruleid: code-injection
  vm.runInNewContext('process(input)', sandbox);
  const fixed = { input: 1 };
  // ok: code-injection
  vm.runInNewContext('process(input)', fixed);
};

function share(req, res) {
  const watch = req.query.watch;
  // ruleid: code-injection
  const box = new NodeVM({ timeout: 1000, sandbox: { watch } });
  const name = req.query.name;
  // ok: xss
  res.send({ name });
  // ruleid: xss
  res.send('<p>' + name + '</p>');
  return box;
}

const fs = require('fs');

function download(req, res) {
  const files = [];
  files.push(req.query.file);
  // ruleid: path-traversal
  res.send(fs.readFileSync(files[0]));
  const fixed = [];
  fixed.push('static.txt');
  // ok: path-traversal
  res.send(fs.readFileSync(fixed[0]));
}

function options(req, res) {
  const opts = { encoding: 'utf8' };
  opts.file = req.query.file;
  // ruleid: path-traversal
  res.send(fs.readFileSync(opts.file));
  opts.file = 'static.txt';
  // ok: path-traversal
  res.send(fs.readFileSync(opts.file));
}
