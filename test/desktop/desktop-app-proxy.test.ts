// The app's outbound requests follow the OS's proxy: the engine the desktop starts asks the session
// (`resolveProxy`) how to reach a remote connector, and a real forward proxy on loopback — the only
// thing that can resolve the connector's name — carries the connection to a real MCP server.
import { afterEach, describe, expect, it } from 'vitest';
import { PROXIED_DOMAIN, startCountingProxy } from '../support/counting-proxy.js';
import { afterThisTest, cleanUpLaunches, launch } from '../support/desktop-launch.js';
import { startEchoServer } from '../support/echo-server.js';

afterEach(cleanUpLaunches);

describe('the app behind a proxy', () => {
  it("sends a remote connector's requests where the OS's proxy settings say", async () => {
    const proxy = await startCountingProxy();
    afterThisTest(() => proxy.close());
    const echo = await startEchoServer();
    afterThisTest(() => echo.stop());
    const origin = `http://mcp.${PROXIED_DOMAIN}:${echo.port}`;

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
