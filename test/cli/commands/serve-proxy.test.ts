// `gatehouse serve` behind a corporate proxy: with HTTPS_PROXY set, a remote connector and the MCP
// Registry are reached through a real forward proxy on loopback (CONNECT, then TLS to the server),
// which alone can resolve their names; NO_PROXY's host is tried directly. TLS is checked against a
// root only the "OS store" holds (SSL_CERT_FILE), as behind a proxy that inspects TLS.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { freePort } from '../../support/conformance-suite.js';
import {
  PROXIED_DOMAIN,
  proxiedCertificates,
  startCountingProxy,
  tlsFront,
  type CountingProxy,
} from '../../support/counting-proxy.js';
import { startEchoServer } from '../../support/echo-server.js';
import { startLocalRegistry } from '../../support/registry-server.js';
import { hasOpenssl } from '../../support/test-certificates.js';
import { killHard, startServe } from '../../support/serve-process.js';

const children: ChildProcess[] = [];
const cleanups: Array<() => unknown> = [];
let proxy: CountingProxy;
let client: EngineClient;
let mcpPort = 0;
let registryPort = 0;

beforeAll(async () => {
  const certificates = proxiedCertificates();
  cleanups.push(() => certificates.remove());
  proxy = await startCountingProxy();
  cleanups.push(() => proxy.close());
  // A real MCP server (the SDK's Streamable HTTP transport) and the local registry, each behind TLS.
  const echo = await startEchoServer();
  children.push(echo.child);
  const mcpFront = await tlsFront(certificates, echo.port);
  cleanups.push(() => mcpFront.close());
  mcpPort = mcpFront.port;
  const registry = await startLocalRegistry();
  cleanups.push(() => registry.close());
  const registryFront = await tlsFront(certificates, Number(new URL(registry.url).port));
  cleanups.push(() => registryFront.close());
  registryPort = registryFront.port;

  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-serve-proxy-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    ...process.env,
    HTTPS_PROXY: proxy.url,
    NO_PROXY: `direct.${PROXIED_DOMAIN},localhost`,
    SSL_CERT_FILE: certificates.caFile,
  };
  delete (env as NodeJS.ProcessEnv).https_proxy;
  delete (env as NodeJS.ProcessEnv).no_proxy;
  await startServe(dataDir, await freePort(), children, env);
  client = EngineClient.connect(dataDir);
}, 90_000);

afterAll(async () => {
  await Promise.all(children.map((child) => killHard(child)));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!hasOpenssl)('gatehouse serve with HTTPS_PROXY', () => {
  it('searches the registry through the proxy', async () => {
    await client.call('settings.set', { registryUrl: `https://registry.${PROXIED_DOMAIN}:${registryPort}` });
    const page = await client.call('catalog.search', { query: 'everything', limit: 5 });
    expect(page.servers.map((server) => server.name)).toEqual(['io.modelcontextprotocol/everything']);
    expect(proxy.seen).toContain(`CONNECT registry.${PROXIED_DOMAIN}:${registryPort}`);
  });

  it('connects a remote connector through the proxy and calls it', async () => {
    await client.call('connectors.add', {
      name: 'echo',
      settings: { kind: 'http', url: `https://mcp.${PROXIED_DOMAIN}:${mcpPort}/mcp` },
      enabled: true,
    });
    const test = await client.call('connectors.test', { name: 'echo' });
    expect(test).toMatchObject({ ok: true, error: null });
    expect(test.toolCount).toBeGreaterThan(0);
    expect(proxy.seen).toContain(`CONNECT mcp.${PROXIED_DOMAIN}:${mcpPort}`);
  });

  it('goes directly to a NO_PROXY host, where its name means nothing', async () => {
    await client.call('connectors.add', {
      name: 'direct',
      settings: { kind: 'http', url: `https://direct.${PROXIED_DOMAIN}:${mcpPort}/mcp` },
      enabled: false,
    });
    const test = await client.call('connectors.test', { name: 'direct' });
    expect(test.ok).toBe(false);
    expect(test.error).toMatch(
      /^Cannot reach the server at https:\/\/direct\.upstream\.test:\d+\/mcp \((host not found|host name lookup failed)\)/,
    );
    // The connected echo connector keeps its own tunnels; none was asked for the NO_PROXY host.
    expect(proxy.seen.filter((request) => request.includes(`direct.${PROXIED_DOMAIN}`))).toEqual([]);
  });
});
