// The app's outbound requests follow the OS's proxy: the engine the desktop starts asks the session
// (`resolveProxy`) how to reach a remote connector, and a real forward proxy on loopback — the only
// thing that can resolve the connector's name — carries the connection to a real MCP server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/conformance-suite.js';
import { PROXIED_DOMAIN, startCountingProxy } from '../support/counting-proxy.js';
import { afterThisTest, cleanUpLaunches, launch } from '../support/desktop-launch.js';

const ECHO_SERVER = join(import.meta.dirname, '..', '..', 'bench', 'fixtures', 'echo-http-server.mjs');

afterEach(cleanUpLaunches);

describe('the app behind a proxy', () => {
  it("sends a remote connector's requests where the OS's proxy settings say", async () => {
    const proxy = await startCountingProxy();
    afterThisTest(() => proxy.close());
    const echoPort = await freePort();
    const echo = spawn(process.execPath, [ECHO_SERVER, String(echoPort)], { stdio: 'ignore' });
    afterThisTest(() => echo.kill('SIGKILL'));
    const origin = `http://mcp.${PROXIED_DOMAIN}:${echoPort}`;

    const { app, run, electron } = launch();
    // What Chromium answers for this origin when the OS names a proxy (ProxyInfo::ToPacString).
    electron.defaultSession.proxyAnswers.set(origin, `PROXY ${new URL(proxy.url).host}; DIRECT`);
    app.becomeReady();
    const running = await run;
    await running!.engine.call('connectors.add', {
      name: 'echo',
      settings: { kind: 'http', url: `${origin}/mcp` },
      enabled: true,
    });
    const test = await running!.engine.call('connectors.test', { name: 'echo' });
    expect(test).toMatchObject({ ok: true, error: null });
    expect(electron.defaultSession.proxyLookups).toContain(`${origin}/mcp`);
    expect(proxy.seen).toContain(`POST ${origin}/mcp`);
  });
});
