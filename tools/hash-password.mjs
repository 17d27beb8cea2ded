#!/usr/bin/env node
// `npm run hash-password [-- PASSWORD]`: prints a bcrypt hash for auth.dashboard.users[].passwordhash.
// Without an argument the password is read from stdin (not echoed on a terminal), so it stays out of
// the shell history.
import bcrypt from 'bcryptjs';

const COST = 12;

async function readPassword() {
  if (process.argv[2] !== undefined) return process.argv[2];
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let pw = '';
    stdin.on('data', (ch) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(pw);
          return;
        }
        if (c === '\u0003') process.exit(130);
        pw = c === '\u007f' ? pw.slice(0, -1) : pw + c;
      }
    });
  });
}

const password = await readPassword();
if (password === '') {
  process.stderr.write('hash-password: empty password\n');
  process.exit(2);
}
process.stdout.write(`${bcrypt.hashSync(password, COST)}\n`);
