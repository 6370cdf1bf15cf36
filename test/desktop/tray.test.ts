// The tray wired to a real engine through fake Electron objects: its icon and menu follow the
// engine's events, and its clicks really revoke, approve, pause and copy.
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, OperationName } from '../../main/core/api/contract.js';
import {
  createTray,
  trayActions,
  trayIconDir,
  type GatehouseTray,
  type TrayEngine,
} from '../../main/desktop/tray.js';
import { startEngine, silentLogger, type EngineFixture } from '../support/engine-fixture.js';
import {
  fakeTrayElectron,
  menuItem,
  type FakeTray,
  type FakeTrayElectron,
} from '../support/electron/fake-tray.js';
import { obtainTokens, openAuthorization, registerPublicClient } from '../support/raw-oauth.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  fixture: EngineFixture;
  electron: FakeTrayElectron;
  tray: GatehouseTray;
  icon: FakeTray;
  notices: Array<{ title: string; body: string }>;
  quits: number;
  windowOpens: number;
}

async function trayOnRealEngine(): Promise<Harness> {
  const fixture = await startEngine();
  cleanups.push(() => fixture.stop());
  const electron = fakeTrayElectron();
  const notices: Array<{ title: string; body: string }> = [];
  const harness = { fixture, electron, notices, quits: 0, windowOpens: 0 } as Harness;
  harness.tray = createTray(electron, fixture.engine, {
    quit: () => void harness.quits++,
    openWindow: () => void harness.windowOpens++,
    notifier: { notify: ({ title, body }) => void notices.push({ title, body }) },
    logger: silentLogger(),
    debounceMs: 10,
  });
  cleanups.push(() => harness.tray.dispose());
  harness.icon = electron.trays[0]!;
  await harness.tray.refresh();
  return harness;
}

function currentMenu(icon: FakeTray) {
  if (!icon.menu) throw new Error('the tray has no menu yet');
  return icon.menu.template;
}

/** Waits until the condition holds (events arrive asynchronously, debounced). */
async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('createTray on a real engine', () => {
  it('starts with one tray icon showing the active state and the engine address', async () => {
    const { electron, icon, fixture, tray } = await trayOnRealEngine();
    const port = fixture.engine.port;
    expect(electron.trays).toHaveLength(1);
    expect(tray.iconState).toBe('active');
    expect(icon.image.path).toBe(join(trayIconDir(), 'tray-active.png'));
    expect(icon.toolTip).toBe(`Gatehouse — active on 127.0.0.1:${port} · no clients connected`);
    expect(currentMenu(icon)[0]?.label).toBe(
      `Gatehouse — active on 127.0.0.1:${port} · no clients connected`,
    );
  });

  it('Revoke access revokes every token of that client and the menu shows it has no access', async () => {
    const { fixture, icon } = await trayOnRealEngine();
    const { clientId } = await obtainTokens(fixture.engine, { access: 'read' });
    await until(
      () => JSON.stringify(currentMenu(icon)).includes('Read-only access'),
      'the client with read access',
    );
    const before = await fixture.engine.call('clients.get', { clientId });
    expect(before.activeTokens).toBeGreaterThan(0);

    const entry = menuItem(currentMenu(icon), 'Connected clients').submenu?.[0];
    expect(entry?.label).toMatch(/^Raw Client \(/);
    menuItem(entry?.submenu ?? [], 'Revoke access').click?.();

    await until(() => JSON.stringify(currentMenu(icon)).includes('No access'), 'the menu to show no access');
    const after = await fixture.engine.call('clients.get', { clientId });
    expect(after.activeTokens).toBe(0);
    expect(after.grants).toEqual([]);
    expect(after.effectiveAccess).toBe('none');
  });

  it('shows a waiting consent with its match code, turns the icon to attention, and approves it from the menu', async () => {
    const { fixture, icon, tray } = await trayOnRealEngine();
    const engine = fixture.engine;
    const clientId = await registerPublicClient(engine, { client_name: 'Tray Test Client' });
    const { page } = await openAuthorization(engine, clientId, {
      scope: 'mcp:read mcp:write',
      resource: engine.mcpUrl,
    });
    expect(page.status).toBe(200);
    const [pending] = await engine.call('consents.list');
    expect(pending?.clientId).toBe(clientId);

    await until(() => tray.iconState === 'attention', 'the attention icon');
    expect(icon.image.path).toBe(join(trayIconDir(), 'tray-attention.png'));
    const consentLabel = `Tray Test Client — code ${pending?.matchCode}`;
    menuItem(currentMenu(icon), 'Pending consents (1)', consentLabel, 'Approve read-only').click?.();

    await until(() => tray.iconState === 'active', 'the icon to return to active');
    expect(await engine.call('consents.list')).toEqual([]);
    const client = await engine.call('clients.get', { clientId });
    expect(client.grants.map((grant) => grant.access)).toEqual(['read']);
    expect(menuItem(currentMenu(icon), 'Pending consents (0)').enabled).toBe(false);
  });

  it('Deny on a waiting consent denies it', async () => {
    const { fixture, icon, tray } = await trayOnRealEngine();
    const engine = fixture.engine;
    const clientId = await registerPublicClient(engine, { client_name: 'Denied Client' });
    await openAuthorization(engine, clientId, { scope: 'mcp:read', resource: engine.mcpUrl });
    await until(() => tray.iconState === 'attention', 'the attention icon');
    const [pending] = await engine.call('consents.list');
    menuItem(
      currentMenu(icon),
      'Pending consents (1)',
      `Denied Client — code ${pending?.matchCode}`,
      'Deny',
    ).click?.();
    await until(() => tray.iconState === 'active', 'the icon to return to active');
    expect(await engine.call('consents.list')).toEqual([]);
    expect((await engine.call('clients.get', { clientId })).grants).toEqual([]);
  });

  it('Pause all access pauses the engine, shows the paused icon, and Resume undoes it', async () => {
    const { fixture, icon, tray } = await trayOnRealEngine();
    menuItem(currentMenu(icon), 'Pause all access').click?.();
    await until(() => tray.iconState === 'paused', 'the paused icon');
    expect((await fixture.engine.call('settings.get')).paused).toBe(true);
    expect(icon.image.path).toBe(join(trayIconDir(), 'tray-paused.png'));
    expect(currentMenu(icon)[0]?.label).toBe(
      `Gatehouse — paused on 127.0.0.1:${fixture.engine.port} · all access blocked`,
    );

    menuItem(currentMenu(icon), 'Resume').click?.();
    await until(() => tray.iconState === 'active', 'the active icon');
    expect((await fixture.engine.call('settings.get')).paused).toBe(false);
  });

  it('Copy MCP URL writes the engine MCP URL to the clipboard; Open Gatehouse opens the window; Quit calls quit', async () => {
    const harness = await trayOnRealEngine();
    menuItem(currentMenu(harness.icon), 'Copy MCP URL').click?.();
    expect(harness.electron.clipboardWrites).toEqual([harness.fixture.engine.mcpUrl]);
    menuItem(currentMenu(harness.icon), 'Open Gatehouse').click?.();
    expect(harness.windowOpens).toBe(1);
    menuItem(currentMenu(harness.icon), 'Quit Gatehouse').click?.();
    expect(harness.quits).toBe(1);
  });
});

/** An engine fake that answers the four reads with an empty state and lets the test emit events. */
function quietEngine(): TrayEngine & { emit(event: EngineEvent): void; reads: number; listeners: number } {
  const listeners = new Set<(event: EngineEvent) => void>();
  const answers: Partial<Record<OperationName, unknown>> = {
    'status.get': {
      issuer: 'http://127.0.0.1:42830',
      mcpUrl: 'http://127.0.0.1:42830/mcp',
      paused: false,
      accessCeiling: 'read',
      connectedClients: 0,
    },
    'clients.list': [],
    'consents.list': [],
    'registrations.list': [],
    'approvals.list': [],
    'connectors.list': [],
  };
  const fake = {
    mcpUrl: 'http://127.0.0.1:42830/mcp',
    reads: 0,
    get listeners() {
      return listeners.size;
    },
    call: (async (name: OperationName) => {
      if (name === 'status.get') fake.reads++;
      return answers[name];
    }) as TrayEngine['call'],
    subscribe: (listener: (event: EngineEvent) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit: (event: EngineEvent) => {
      for (const listener of listeners) listener(event);
    },
  };
  return fake;
}

describe('createTray with a fake engine', () => {
  function quietTray(engine: TrayEngine, platform: NodeJS.Platform = 'linux') {
    const electron = fakeTrayElectron();
    let windowsOpened = 0;
    const tray = createTray(electron, engine, {
      quit: () => undefined,
      openWindow: () => void windowsOpened++,
      notifier: { notify: () => undefined },
      logger: silentLogger(),
      debounceMs: 40,
      platform,
    });
    cleanups.push(() => tray.dispose());
    return { electron, tray, icon: electron.trays[0]!, windowsOpened: () => windowsOpened };
  }

  it('rebuilds once for a burst of events', async () => {
    const engine = quietEngine();
    const { electron, tray } = quietTray(engine);
    await tray.refresh();
    const builds = electron.menusBuilt.length;
    for (let i = 0; i < 25; i++) engine.emit({ type: 'client.used', clientId: 'c', at: i });
    await until(() => electron.menusBuilt.length > builds, 'a rebuild');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(electron.menusBuilt.length).toBe(builds + 1);
  });

  it('stops listening and removes the icon on dispose', async () => {
    const engine = quietEngine();
    const { electron, tray, icon } = quietTray(engine);
    await tray.refresh();
    expect(engine.listeners).toBe(1);
    tray.dispose();
    expect(icon.destroyed).toBe(true);
    expect(engine.listeners).toBe(0);
    const builds = electron.menusBuilt.length;
    await tray.refresh();
    expect(electron.menusBuilt.length).toBe(builds);
  });

  it('a left click opens the menu on Windows, the window on Linux (KDE), and is left to macOS', () => {
    const windows = quietTray(quietEngine(), 'win32');
    windows.icon.clickListeners.forEach((listener) => listener());
    expect([windows.icon.popUps, windows.windowsOpened()]).toEqual([1, 0]);

    const linux = quietTray(quietEngine(), 'linux');
    linux.icon.clickListeners.forEach((listener) => listener());
    expect([linux.icon.popUps, linux.windowsOpened()]).toEqual([0, 1]);

    expect(quietTray(quietEngine(), 'darwin').icon.clickListeners).toEqual([]);
  });

  it('shows the .ico icons on Windows, template images on macOS and the coloured PNGs on Linux', async () => {
    const windows = quietTray(quietEngine(), 'win32');
    expect(windows.icon.image.path).toBe(join(trayIconDir(), 'tray-active.ico'));
    const mac = quietTray(quietEngine(), 'darwin');
    // Named as Electron's IsTemplateFilename wants ("*Template.*"), so nativeImage marks it a template.
    expect(mac.icon.image.path).toBe(join(trayIconDir(), 'tray-activeTemplate.png'));
    const linux = quietTray(quietEngine(), 'linux');
    expect(linux.icon.image.path).toBe(join(trayIconDir(), 'tray-active.png'));
  });
});

describe('trayActions', () => {
  it('reports a failed action as a notification instead of throwing', async () => {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    const notices: Array<{ title: string; body: string; kind: string }> = [];
    const logs: string[] = [];
    let refreshed = 0;
    const actions = trayActions(fixture.engine, {
      clipboard: { writeText: () => undefined },
      quit: () => undefined,
      openWindow: () => undefined,
      notifier: { notify: (notice) => void notices.push(notice) },
      logger: silentLogger(logs),
      afterChange: async () => void refreshed++,
    });
    await expect(actions.revokeClient('no-such-client')).resolves.toBeUndefined();
    const message = 'No client with id no-such-client is known to Gatehouse (see gatehouse clients list).';
    expect(notices).toEqual([{ title: 'Gatehouse could not revoke access', body: message, kind: 'info' }]);
    expect(logs).toEqual([`warn tray: could not revoke access ${JSON.stringify({ error: message })}`]);
    expect(refreshed).toBe(1);
  });
});

describe('trayActions: approving under the access ceiling', () => {
  it('says when the client gets less than was approved, since the ceiling caps it', async () => {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    const notices: Array<{ title: string; body: string; kind: string }> = [];
    const actions = trayActions(fixture.engine, {
      clipboard: { writeText: () => undefined },
      quit: () => undefined,
      openWindow: () => undefined,
      notifier: { notify: (notice) => void notices.push(notice) },
      logger: silentLogger(),
      afterChange: async () => undefined,
    });
    await fixture.engine.call('settings.set', { accessCeiling: 'read' });
    const waiting = async () => {
      const clientId = await registerPublicClient(fixture.engine);
      const { page } = await openAuthorization(fixture.engine, clientId, {
        scope: 'mcp:read mcp:write',
        resource: fixture.engine.mcpUrl,
      });
      expect(page.status).toBe(200);
    };
    await waiting();
    const [first] = await fixture.engine.call('consents.list');
    await actions.approveConsent(first!.id, 'write');
    expect(notices).toEqual([
      {
        title: 'Approved, with read-only access for now',
        body: "Your access ceiling is read-only, so the client can read but not write until you raise it in Gatehouse's Settings.",
        kind: 'info',
      },
    ]);
    // Read-only approved under a read-only ceiling: it gets what was chosen, nothing to say.
    await waiting();
    const [second] = await fixture.engine.call('consents.list');
    await actions.approveConsent(second!.id, 'read');
    expect(notices).toHaveLength(1);
  });
});

describe('tray icons', () => {
  it.each(['active', 'paused', 'attention'])('tray-%s has a 16×16 and a 32×32 (@2x) RGBA PNG', (state) => {
    for (const [file, size] of [
      [`tray-${state}.png`, 16],
      [`tray-${state}@2x.png`, 32],
    ] as const) {
      const png = readFileSync(join(trayIconDir(), file));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([size, size, 8, 6]);
    }
  });

  it('macOS: each state’s template image is black and clear only, and the three differ in shape', () => {
    const shapes = ['active', 'paused', 'attention'].map((state) => {
      const pixels = [`tray-${state}Template.png`, `tray-${state}Template@2x.png`].map((file) =>
        rgbaPixels(readFileSync(join(trayIconDir(), file))),
      );
      for (const { rgb } of pixels) expect(new Set(rgb)).toEqual(new Set([0]));
      // The shape is the alpha channel at 32×32, as drawn on a Retina menu bar.
      return pixels[1]!.alpha.map((alpha) => (alpha >= 128 ? 1 : 0)).join('');
    });
    expect(new Set(shapes).size).toBe(3);
  });

  it('are found from the built file in dist/ as well as from the sources', () => {
    const fromSources = trayIconDir();
    const fromDist = trayIconDir(new URL('../../dist/main/desktop/tray.js', import.meta.url).href);
    expect(fromDist).toBe(fromSources);
  });
});

/** An 8-bit RGBA PNG's pixels (zlib-inflated IDAT, each row unfiltered as PNG §9 says). */
function rgbaPixels(png: Buffer): { rgb: number[]; alpha: number[] } {
  const width = png.readUInt32BE(16);
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString('ascii') === 'IDAT')
      chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * 4;
  const rows: Buffer[] = [];
  for (let row = 0, at = 0; at < raw.length; row++, at += stride + 1) {
    const filter = raw[at]!;
    const line = Buffer.from(raw.subarray(at + 1, at + 1 + stride));
    const above = rows[row - 1] ?? Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? line[i - 4]! : 0;
      const up = above[i]!;
      const upLeft = i >= 4 ? above[i - 4]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const add = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      line[i] = (line[i]! + add) & 0xff;
    }
    rows.push(line);
  }
  const rgb: number[] = [];
  const alpha: number[] = [];
  for (const line of rows) {
    for (let i = 0; i < stride; i += 4) {
      // A fully clear pixel's colour is never drawn: only visible ones must be black.
      if (line[i + 3]! > 0) rgb.push(line[i]!, line[i + 1]!, line[i + 2]!);
      alpha.push(line[i + 3]!);
    }
  }
  return { rgb, alpha };
}
