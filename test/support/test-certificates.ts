// A throwaway root CA and one server certificate it signed, made with openssl, for tests of TLS
// trust: the root stands for one only the "OS store" (SSL_CERT_FILE) or a test holds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The root (PEM and its file), the server's key and certificate, and what removes them. */
export interface TestCertificates {
  dir: string;
  ca: string;
  caFile: string;
  key: string;
  cert: string;
  remove(): void;
}

/** Whether openssl is installed (the tests that need it skip without it). */
export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/**
 * A root named `root` and a server certificate for `commonName` with `subjectAltName`
 * (`IP:127.0.0.1`, `DNS:*.upstream.test`), both valid for two days.
 */
export function testCertificates(root: string, commonName: string, subjectAltName: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ca-'));
  const openssl = (...args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]}: ${result.stderr}`);
  };
  openssl(
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
    '2',
    '-subj',
    `/CN=${root}`,
  );
  writeFileSync(join(dir, 'san.cnf'), `subjectAltName=${subjectAltName}\n`);
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    `/CN=${commonName}`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  );
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return {
    dir,
    ca: read('ca.pem'),
    caFile: join(dir, 'ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
