// Outbound HTTP through the machine's proxy: Chromium's per-URL answers and HTTP(S)_PROXY / NO_PROXY
// read as routes, and the engine's fetch sent through a real forward proxy on loopback that alone can
// resolve the test's host names — what reached the host went through it; what it refuses, and a
// proxy that is not there, come back as sentences that name the proxy.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxyResolver } from '../../../main/core/effects.js';
import {
  environmentProxy,
  OutboundProxyError,
  OutboundRoutes,
  pacRoute,
} from '../../../main/core/http/outbound-proxy.js';
import { silentLogger } from '../../support/engine-fixture.js';
import { PROXIED_DOMAIN, startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { freePort } from '../../support/conformance-suite.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxy(): Promise<CountingProxy> {
  const started = await startCountingProxy();
  cleanups.push(() => started.close());
  return started;
}

/** A plain HTTP server on loopback that says which path it was asked for. */
async function upstream(): Promise<number> {
  const server: Server = createServer((req, res) => res.end(`upstream ${req.method} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

function routes(resolve?: ProxyResolver): OutboundRoutes {
  const made = new OutboundRoutes({ resolve, logger: silentLogger() });
  cleanups.push(() => made.close());
  return made;
}

const causeCode = (error: unknown): unknown => (error as { cause?: { code?: unknown } }).cause?.code;

describe('pacRoute: Chromium’s answer for a URL', () => {
  it.each([
    ['DIRECT', { direct: true }],
    ['', { direct: true }],
    ['PROXY corp.example:3128', { proxy: 'http://corp.example:3128' }],
    ['PROXY corp.example:3128; DIRECT', { proxy: 'http://corp.example:3128' }],
    ['HTTPS secure.example:443', { proxy: 'https://secure.example:443' }],
    ['SOCKS5 socks.example:1080', { proxy: 'socks5://socks.example:1080' }],
    // SOCKS (version 4) and QUIC cannot be used: the next entry is.
    [
      'SOCKS old.example:1080;QUIC q.example:443; PROXY corp.example:8080',
      { proxy: 'http://corp.example:8080' },
    ],
    ['SOCKS old.example:1080; DIRECT', { direct: true }],
  ])('%j', (answer, route) => {
    expect(pacRoute(answer)).toEqual(route);
  });

  it('refuses an answer with nothing it can use, saying what it was', () => {
    expect(() => pacRoute('SOCKS old.example:1080')).toThrow(
      new OutboundProxyError(
        "The system's proxy setting for this address (SOCKS old.example:1080) names no proxy Gatehouse can use: it speaks to HTTP, HTTPS and SOCKS5 proxies.",
        'SOCKS old.example:1080',
      ),
    );
  });
});

describe('environmentProxy: HTTP_PROXY, HTTPS_PROXY and NO_PROXY', () => {
  const at = (resolver: ProxyResolver, url: string) => resolver(new URL(url));

  it('uses HTTPS_PROXY for https, HTTP_PROXY for http, lower case first, and http:// when no scheme is given', async () => {
    const env = {
      HTTP_PROXY: 'plain.example:3128',
      https_proxy: 'http://u:p@secure.example:8443',
      HTTPS_PROXY: 'ignored:1',
    };
    expect(await at(environmentProxy(env), 'http://api.example/x')).toEqual({
      proxy: 'http://plain.example:3128',
    });
    expect(await at(environmentProxy(env), 'https://api.example/x')).toEqual({
      proxy: 'http://u:p@secure.example:8443',
    });
    // https falls back to HTTP_PROXY, as undici's EnvHttpProxyAgent does.
    expect(
      await at(environmentProxy({ HTTP_PROXY: 'http://plain.example:3128' }), 'https://api.example/'),
    ).toEqual({
      proxy: 'http://plain.example:3128',
    });
    expect(await at(environmentProxy({}), 'https://api.example/')).toEqual({ direct: true });
  });

  it('sends NO_PROXY hosts, their subdomains and ports directly, and nothing through the proxy for *', async () => {
    const env = {
      HTTPS_PROXY: 'http://corp:3128',
      NO_PROXY: '.internal.example, *.svc.example,registry.example:8443 other',
    };
    const resolver = environmentProxy(env);
    for (const direct of [
      'https://internal.example/',
      'https://a.b.internal.example/',
      'https://x.svc.example/',
      'https://registry.example:8443/',
      'https://OTHER/',
    ]) {
      expect(await at(resolver, direct), direct).toEqual({ direct: true });
    }
    for (const proxied of [
      'https://registry.example/',
      'https://notinternal.example/',
      'https://other.example/',
    ]) {
      expect(await at(resolver, proxied), proxied).toEqual({ proxy: 'http://corp:3128' });
    }
    expect(await at(environmentProxy({ ...env, NO_PROXY: '*' }), 'https://api.example/')).toEqual({
      direct: true,
    });
  });
});

describe('OutboundRoutes through a real proxy on loopback', () => {
  it('forwards a plain http request through the proxy, which alone can resolve the host', async () => {
    const through = await proxy();
    const port = await upstream();
    const url = `http://mcp.${PROXIED_DOMAIN}:${port}/hello?x=1`;
    const fetch = routes(async () => ({ proxy: through.url })).fetch(globalThis.fetch);
    const response = await fetch(url);
    expect(await response.text()).toBe('upstream GET /hello?x=1');
    expect(through.seen).toEqual([`GET ${url}`]);
    // Without the proxy the name means nothing here.
    const error = await routes()
      .fetch(globalThis.fetch)(url)
      .catch((e: unknown) => e);
    expect(causeCode(error)).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });

  it('asks the resolver once per origin, and never for loopback', async () => {
    const through = await proxy();
    const port = await upstream();
    const asked: string[] = [];
    const fetch = routes(async (url) => {
      asked.push(url.href);
      return { proxy: through.url };
    }).fetch(globalThis.fetch);
    await (await fetch(`http://a.${PROXIED_DOMAIN}:${port}/1`)).text();
    await (await fetch(`http://a.${PROXIED_DOMAIN}:${port}/2`)).text();
    expect(await (await fetch(`http://127.0.0.1:${port}/local`)).text()).toBe('upstream GET /local');
    expect(asked).toEqual([`http://a.${PROXIED_DOMAIN}:${port}/1`]);
    expect(through.seen).toEqual([
      `GET http://a.${PROXIED_DOMAIN}:${port}/1`,
      `GET http://a.${PROXIED_DOMAIN}:${port}/2`,
    ]);
  });

  it('leaves a request that names its own dispatcher alone (client metadata documents stay direct)', async () => {
    const through = await proxy();
    const port = await upstream();
    const own = new Agent();
    cleanups.push(() => own.close());
    const fetch = routes(async () => ({ proxy: through.url })).fetch(globalThis.fetch);
    const error = await fetch(`http://mcp.${PROXIED_DOMAIN}:${port}/own`, {
      dispatcher: own,
    } as unknown as RequestInit).catch((e: unknown) => e);
    // It went directly, where the name means nothing; the proxy saw nothing.
    expect(causeCode(error)).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect(through.seen).toEqual([]);
  });

  it('says the proxy wants a sign-in when it answers 407, for forwarded and tunnelled requests', async () => {
    const through = await proxy();
    through.refuse = 407;
    const fetch = routes(async () => ({ proxy: through.url })).fetch(globalThis.fetch);
    const host = new URL(through.url).host;
    for (const url of [`http://mcp.${PROXIED_DOMAIN}/`, `https://mcp.${PROXIED_DOMAIN}/`]) {
      const origin = new URL(url).origin;
      const error = await fetch(url).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(OutboundProxyError);
      expect((error as Error).message).toBe(
        `Cannot reach ${origin} through the proxy ${host}: it asks for a sign-in (HTTP 407), which Gatehouse cannot answer; ask for an exception for ${new URL(url).host}, or with \`gatehouse serve\` give the proxy as http://user:password@host:port in HTTPS_PROXY.`,
      );
    }
  });

  it('sends the proxy’s sign-in from the proxy URL, as HTTPS_PROXY=http://user:password@host:port gives it', async () => {
    const port = await upstream();
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(String(req.headers['proxy-authorization']));
      res.end('signed in');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const proxyPort = (server.address() as AddressInfo).port;
    const fetch = routes(environmentProxy({ HTTP_PROXY: `http://me:s%40cret@127.0.0.1:${proxyPort}` })).fetch(
      globalThis.fetch,
    );
    expect(await (await fetch(`http://mcp.${PROXIED_DOMAIN}:${port}/`)).text()).toBe('signed in');
    expect(seen).toEqual([`Basic ${Buffer.from('me:s@cret').toString('base64')}`]);
  });

  it('names the proxy when nothing answers at its address', async () => {
    const port = await freePort();
    const fetch = routes(async () => ({ proxy: `http://127.0.0.1:${port}` })).fetch(globalThis.fetch);
    const error = await fetch(`https://mcp.${PROXIED_DOMAIN}/`).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Cannot reach https://mcp.${PROXIED_DOMAIN} through the proxy 127.0.0.1:${port}: nothing answers at that address.`,
    );
  });

  it('passes an abort through as it is', async () => {
    const through = await proxy();
    const fetch = routes(async () => ({ proxy: through.url })).fetch(globalThis.fetch);
    const error = await fetch(`https://mcp.${PROXIED_DOMAIN}/`, { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
  });
});
