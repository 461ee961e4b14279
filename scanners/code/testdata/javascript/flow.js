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
