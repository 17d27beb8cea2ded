import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away CA with a server certificate for 127.0.0.1 and a client certificate (`CN=falconer`). */
export interface TestPki {
  dir: string;
  /** File paths. */
  files: { ca: string; serverKey: string; serverCert: string; clientKey: string; clientCert: string };
  read(file: keyof TestPki['files']): Buffer;
  remove(): void;
}

/** Makes a TestPki with Debian's `openssl` in a fresh temporary directory (valid one day). */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-pki-'));
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const key = (name: string, subject: string): void =>
    ossl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
  const sign = (name: string, ...extra: string[]): void =>
    ossl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      ...extra,
    );
  ossl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=Test CA',
  );
  key('srv', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1');
  sign('srv', '-extfile', 'ext.cnf');
  key('cli', '/CN=falconer');
  sign('cli');
  const files = {
    ca: join(dir, 'ca.pem'),
    serverKey: join(dir, 'srv.key'),
    serverCert: join(dir, 'srv.pem'),
    clientKey: join(dir, 'cli.key'),
    clientCert: join(dir, 'cli.pem'),
  };
  return {
    dir,
    files,
    read: (file) => readFileSync(files[file]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
