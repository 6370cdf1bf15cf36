// Upstream TLS trusts the OS certificate store: the union it sets (with fakes of Node's CA functions),
// what it says when it cannot, and — for real — a fetch to an HTTPS server whose root is only in the
// "OS store" (SSL_CERT_FILE, which Node's system store reads on Linux) failing before and working
// after, in a fresh Node process as the app and `gatehouse serve` run it.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { trustSystemCertificates, type CertificateAuthorities } from '../../main/core/system-ca.js';
import { silentLogger } from '../support/engine-fixture.js';
import { hasOpenssl, testCertificates } from '../support/test-certificates.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOT_USED = 'Upstream TLS does not use the OS certificate store:';
const WILL_FAIL = 'HTTPS upstreams behind a proxy that inspects TLS will fail.';

/** Node's CA functions over lists the test chooses, recording what was set. */
function authorities(system: string[], current: string[]) {
  const set: string[][] = [];
  const fake: CertificateAuthorities = {
    getCACertificates: (type) => (type === 'system' ? system : (set.at(-1) ?? current)),
    setDefaultCACertificates: (certs) => void set.push([...certs]),
  };
  return { fake, set };
}

describe('trustSystemCertificates', () => {
  it('sets the default list plus the OS store’s certificates it does not hold yet', () => {
    const { fake, set } = authorities(['OS-ROOT\n', 'MOZILLA-A'], ['MOZILLA-A', 'MOZILLA-B']);
    const logs: string[] = [];
    expect(trustSystemCertificates(silentLogger(logs), fake)).toEqual({
      trusted: true,
      systemCertificates: 2,
      added: 1,
    });
    expect(set).toEqual([['MOZILLA-A', 'MOZILLA-B', 'OS-ROOT\n']]);
    // Silent when it works: `gatehouse serve` keeps a clean stderr.
    expect(logs).toEqual([]);
    // Again (the app and serve in one test process, a restart of the engine): nothing more to add.
    expect(trustSystemCertificates(silentLogger(), fake)).toMatchObject({ added: 0 });
    expect(set).toHaveLength(1);
  });

  it('says so, and carries on, on a Node without setDefaultCACertificates', () => {
    const logs: string[] = [];
    expect(trustSystemCertificates(silentLogger(logs), { getCACertificates: () => [] })).toEqual({
      trusted: false,
      reason: `${NOT_USED} this Node.js has no tls.setDefaultCACertificates (it needs 22.19 or newer). ${WILL_FAIL}`,
    });
    expect(logs).toEqual([
      `warn ${NOT_USED} this Node.js has no tls.setDefaultCACertificates (it needs 22.19 or newer). ${WILL_FAIL}`,
    ]);
  });

  it('says so when the OS store cannot be read', () => {
    const result = trustSystemCertificates(silentLogger(), {
      getCACertificates: () => {
        throw new Error('keychain access denied');
      },
      setDefaultCACertificates: () => undefined,
    });
    expect(result).toEqual({
      trusted: false,
      reason: `${NOT_USED} the OS certificate store could not be read (keychain access denied). ${WILL_FAIL}`,
    });
  });
});

describe.skipIf(!hasOpenssl)('behind a proxy whose root only the OS trusts', () => {
  /** A root CA and a 127.0.0.1 server certificate it signed. */
  function certificates() {
    const made = testCertificates('Gatehouse Test Proxy Root', '127.0.0.1', 'IP:127.0.0.1');
    cleanups.push(() => made.remove());
    return made;
  }

  async function httpsServer(key: string, cert: string): Promise<string> {
    const server: Server = createServer({ key, cert }, (_request, response) =>
      response.end('upstream says hi'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  /** A fresh Node: fetch, trust the OS store as the front ends do, fetch again. */
  function fetchTwice(url: string, env: NodeJS.ProcessEnv): Promise<string> {
    const moduleUrl = pathToFileURL(join(repoRoot, 'dist', 'main', 'core', 'system-ca.js')).href;
    const script = `
      const { trustSystemCertificates } = await import(${JSON.stringify(moduleUrl)});
      const attempt = () => fetch(${JSON.stringify(url)}).then((r) => r.text(), (e) => 'failed: ' + (e.cause?.code ?? e.message));
      const before = await attempt();
      const quiet = { info() {}, warn() {}, error() {} };
      const trust = trustSystemCertificates(quiet);
      console.log(JSON.stringify({ before, trusted: trust.trusted, after: await attempt() }));
    `;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.on('close', (code) =>
        code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}: ${err}`)),
      );
    });
  }

  it('an HTTPS upstream fails before, and answers once the OS store is trusted', async () => {
    const { dir, key, cert } = certificates();
    const url = await httpsServer(key, cert);
    const result = JSON.parse(
      await fetchTwice(url, { PATH: process.env.PATH, SSL_CERT_FILE: join(dir, 'ca.pem') }),
    ) as { before: string; trusted: boolean; after: string };
    expect(result).toEqual({
      before: 'failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      trusted: true,
      after: 'upstream says hi',
    });
  });

  it('without the root in the OS store it still fails: nothing is trusted blindly', async () => {
    const { key, cert } = certificates();
    const url = await httpsServer(key, cert);
    const result = JSON.parse(await fetchTwice(url, { PATH: process.env.PATH })) as { after: string };
    expect(result.after).toBe('failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
