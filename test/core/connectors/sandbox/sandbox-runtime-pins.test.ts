// The pins of the seam to @anthropic-ai/sandbox-runtime's internals (sandbox-runtime/runtime-parts.ts
// and bwrap-tail.ts): each part Gatehouse uses below the package's entry still does what Gatehouse
// relies on. A new runtime version that moves or changes one fails here, not in a user's sandbox.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeParts } from '../../../../main/core/connectors/sandbox/sandbox-runtime/runtime-parts.js';
import { addAfterMounts } from '../../../../main/core/connectors/sandbox/sandbox-runtime/bwrap-tail.js';
import { NetworkGate, hostVerdict } from '../../../../main/core/connectors/sandbox/sandbox-network.js';
import { recordingProxy } from '../../../support/recording-proxy.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-pins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Sends a CONNECT through a proxy on a Unix socket; resolves with the status line. */
function connectThrough(socketPath: string, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () =>
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`),
    );
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk;
      if (!head.includes('\r\n')) return;
      socket.destroy();
      resolve(head.split('\r\n')[0]!);
    });
    socket.once('error', reject);
  });
}

describe('the sandbox runtime, as Gatehouse uses it', () => {
  it('writes `--dev /dev --unshare-pid` once, after its mounts, where Gatehouse adds its own words', async () => {
    const parts = await runtimeParts();
    const hidden = join(root, 'hidden');
    const shown = join(hidden, 'shown');
    mkdirSync(shown, { recursive: true });
    const wrapped = await parts.wrapLinux({
      command: 'true',
      needsNetworkRestriction: false,
      readConfig: { denyOnly: [], literalDenyOnly: [hidden], literalAllowWithinDeny: [shown] },
      writeConfig: { allowOnly: [], literalAllowOnly: [shown], denyWithinAllow: [] },
      mandatoryDenySearchDepth: 0,
      binShell: 'sh',
    });
    parts.releaseLinuxWrap();
    expect(wrapped.split(' --dev /dev --unshare-pid ').length).toBe(2);
    // The hidden folder is a tmpfs before it, with the grant bound back over it.
    const mounts = wrapped.slice(0, wrapped.indexOf(' --dev /dev '));
    expect(mounts).toContain(`--tmpfs ${hidden}`);
    expect(mounts.lastIndexOf(`--bind ${shown} ${shown}`)).toBeGreaterThan(
      mounts.indexOf(`--tmpfs ${hidden}`),
    );
    const tail = addAfterMounts(wrapped, ['--remount-ro', hidden]);
    expect(tail).toContain(`--tmpfs ${hidden}`);
    expect(tail).toContain(`'--remount-ro' '${hidden}' --dev /dev --unshare-pid `);
    expect(() => addAfterMounts('bwrap --ro-bind / / -- sh', [])).toThrow(
      'the sandbox runtime wrote its bubblewrap command in a shape Gatehouse does not know (no single "--dev /dev --unshare-pid" after its mounts)',
    );
  });

  it('asks the gate about each connection, answers a refusal 403 with the reason, and records it', async () => {
    const parts = await runtimeParts();
    const refused: string[] = [];
    const gate = await NetworkGate.open({
      parts,
      rules: { allowedDomains: ['registry.npmjs.org'], localServices: [], gatehousePort: 42830 },
      socketPath: join(root, 'gate.sock'),
      masked: [],
      authority: () => {
        throw new Error('no masked values, no authority');
      },
      onRefused: (refusal) => refused.push(`${refusal.host}:${refusal.port} ${refusal.reason}`),
    });
    try {
      expect(await connectThrough(gate.socketPath!, 'blocked.example:443')).toMatch(/^HTTP\/1\.1 403 /);
      expect(await connectThrough(gate.socketPath!, '127.0.0.1:42830')).toMatch(/^HTTP\/1\.1 403 /);
      expect(refused).toEqual([
        'blocked.example:443 it is not on its list of hosts',
        "127.0.0.1:42830 it is Gatehouse's own port, which no local server may reach",
      ]);
    } finally {
      await gate.close();
    }
  });

  it('judges addresses as the runtime canonicalises them: shorthand, decimal and mapped forms of local ones', async () => {
    const parts = await runtimeParts();
    const open = {
      allowedDomains: null,
      localServices: [{ host: '127.0.0.1', port: 5432 }],
      gatehousePort: 42830,
    };
    const guards = {
      open: parts.addressGuard({
        deniedResolvedAddresses: [
          '10.0.0.0/8',
          '172.16.0.0/12',
          '192.168.0.0/16',
          '100.64.0.0/10',
          'fc00::/7',
        ],
        allowedDomains: ['127.0.0.1:5432'],
      }),
      listed: parts.addressGuard({ allowedDomains: ['127.0.0.1:5432'] }),
    };
    const verdict = (host: string, port: number) => hostVerdict(parts, open, guards, host, port);
    for (const [host, port] of [
      ['127.1', 80],
      ['2130706433', 80],
      ['0x7f.0.0.1', 80],
      ['[::ffff:127.0.0.1]', 80],
      ['169.254.169.254', 80],
      ['2852039166', 80],
      ['10.1.2.3', 443],
      ['192.168.1.1', 80],
      ['100.64.0.1', 80],
      ['[fd00::1]', 80],
      ['127.0.0.1', 42830],
      ['localhost', 42830],
      ['localhost', 5432],
    ] as const) {
      expect(verdict(host, port), `${host}:${port}`).toMatchObject({ allowed: false });
    }
    expect(verdict('127.0.0.1', 5432)).toEqual({ allowed: true });
    expect(verdict('registry.npmjs.org', 443)).toEqual({ allowed: true });
    expect(verdict('8.8.8.8', 53)).toEqual({ allowed: true });
  });

  it('puts a masked value back only for its own hosts', async () => {
    const parts = await runtimeParts();
    const sentinels = parts.newSentinels();
    const standIn = sentinels.register('API_KEY', 'real-secret-value-1234567890', ['api.example.com']);
    expect(standIn).toMatch(/^fake_value_/);
    const matches = (host: string, pattern: string) => parts.matchesHost(host, pattern);
    const own = { authorization: `Bearer ${standIn}` };
    sentinels.substituteInHeaders(own, 'api.example.com', matches);
    expect(own.authorization).toBe('Bearer real-secret-value-1234567890');
    const elsewhere = { authorization: `Bearer ${standIn}` };
    sentinels.substituteInHeaders(elsewhere, 'evil.example', matches);
    expect(elsewhere.authorization).toBe(`Bearer ${standIn}`);
  });

  // The gate's way through the machine's proxy: the socket `getMitmSocketPath` names takes the CONNECT
  // (never a direct dial), and a proxy whose upstream is a parent proxy sends it on to that one, with
  // no exception of its own (NO_PROXY in Gatehouse's environment is the settings' to judge).
  it('sends a connection to the socket getMitmSocketPath names, and on through a parent proxy', async () => {
    const parts = await runtimeParts();
    expect(parts.parentProxy('socks5://127.0.0.1:1080')).toBeNull();
    const proxy = await recordingProxy({ origin: { host: '127.0.0.1', port: 9 } });
    const previous = process.env.NO_PROXY;
    process.env.NO_PROXY = 'through.example';
    const parent = parts.parentProxy(proxy.url)!;
    if (previous === undefined) delete process.env.NO_PROXY;
    else process.env.NO_PROXY = previous;
    const relayPath = join(root, 'relay.sock');
    const relay = parts.createHttpProxy({ filter: () => true, parentProxy: parent });
    await new Promise<void>((resolve) => relay.listen(relayPath, resolve));
    const front = parts.createHttpProxy({
      filter: () => true,
      getMitmSocketPath: (host) => (host === 'through.example' ? relayPath : undefined),
    });
    const frontPath = join(root, 'front.sock');
    await new Promise<void>((resolve) => front.listen(frontPath, resolve));
    try {
      await connectThrough(frontPath, 'through.example:443');
      expect(proxy.seen).toEqual(['CONNECT through.example:443']);
    } finally {
      front.closeAllConnections();
      relay.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
      await new Promise((resolve) => relay.close(resolve));
      await proxy.close();
    }
  });

  // The gate sends each connection by its own decision (sandbox-relays.ts, `passages`). The runtime asks
  // where an allowed connection goes (`getMitmSocketPath`) with its host alone, so the gate enters each
  // decision in the async flow that awaits its filter; the runtime must ask in that flow, for a CONNECT,
  // a plain request, a SOCKS5 connection and a terminating proxy's tunnel that turns out not to be TLS,
  // however many decisions for one host are in flight.
  it('asks where a connection goes in the flow that awaited its own filter', async () => {
    const parts = await runtimeParts();
    const decided = new AsyncLocalStorage<number>();
    // Both decisions of a kind are held until both are asked, then given together.
    const held: Array<() => void> = [];
    const filter = (port: number) => {
      decided.enterWith(port);
      return new Promise<boolean>((resolve) => {
        held.push(() => resolve(true));
        if (held.length === 2) for (const give of held.splice(0)) give();
      });
    };
    // Each port's route is a socket that records the first line the runtime sends it.
    const heard: string[] = [];
    const servers: Server[] = [];
    const listening = async (path: string, onConnection: (socket: Socket) => void) => {
      const server = createServer(onConnection);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(path, resolve));
    };
    for (const port of [1001, 1002])
      await listening(join(root, `route-${port}.sock`), (socket) =>
        socket.once('data', (chunk) => {
          heard.push(`${port}: ${chunk.toString().split('\r\n')[0]}`);
          socket.destroy();
        }),
      );
    const getMitmSocketPath = () => join(root, `route-${String(decided.getStore())}.sock`);
    const authority = parts.createCA();
    const http = parts.createHttpProxy({ filter, getMitmSocketPath });
    const terminating = parts.createHttpProxy({
      filter,
      getMitmSocketPath,
      mitmCA: authority,
      shouldTerminateTLS: () => true,
    });
    const socks = parts.createSocksProxy({ filter: (port) => filter(port), getMitmSocketPath });
    await listening(join(root, 'http.sock'), (socket) => http.emit('connection', socket));
    await listening(join(root, 'terminating.sock'), (socket) => terminating.emit('connection', socket));
    await listening(join(root, 'socks.sock'), (socket) => socks.handleConnection(socket));
    /** Writes `first` to the proxy, and `then` once it answers; ends when either side closes. */
    const send = (proxy: string, first: string | Buffer, then?: string | Buffer) =>
      new Promise<void>((resolve) => {
        const socket = connect(join(root, proxy), () => socket.write(first));
        socket.once('data', () => then && socket.write(then));
        socket.on('error', () => undefined);
        socket.once('close', () => resolve());
      });
    const host = 'one-host.example';
    const kinds: Record<string, (port: number) => Promise<void>> = {
      CONNECT: (port) =>
        send('http.sock', `CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`),
      'plain request': (port) =>
        send(
          'http.sock',
          `GET http://${host}:${port}/ HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`,
        ),
      SOCKS5: (port) =>
        send(
          'socks.sock',
          Buffer.from([5, 1, 0]),
          Buffer.from([5, 1, 0, 3, host.length, ...Buffer.from(host), port >> 8, port & 0xff]),
        ),
      'terminating CONNECT, not TLS': (port) =>
        send(
          'terminating.sock',
          `CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`,
          'SSH-2.0-pin\r\n',
        ),
    };
    try {
      for (const [kind, open] of Object.entries(kinds)) {
        heard.length = 0;
        await Promise.all([open(1001), open(1002)]);
        const line = (port: number) =>
          kind === 'plain request'
            ? `GET http://${host}:${port}/ HTTP/1.1`
            : `CONNECT ${host}:${port} HTTP/1.1`;
        expect(heard.sort(), kind).toEqual([`1001: ${line(1001)}`, `1002: ${line(1002)}`]);
      }
    } finally {
      http.closeAllConnections();
      terminating.closeAllConnections();
      await socks.close();
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
      parts.disposeCA(authority);
    }
  });

  it('reports each write apply-seccomp sees attempted on its observer socket, with the path', async () => {
    const parts = await runtimeParts();
    const seen: string[] = [];
    const observer = parts.observeWrites((path) => seen.push(path));
    await observer.ready;
    try {
      expect(observer.observeSocketPath).toMatch(/\.sock$/);
      const wrapped = await parts.wrapLinux({
        command: 'true',
        needsNetworkRestriction: false,
        readConfig: { denyOnly: [] },
        writeConfig: { allowOnly: [root], denyWithinAllow: [] },
        observeSocketPath: observer.observeSocketPath!,
        mandatoryDenySearchDepth: 0,
        binShell: 'sh',
      });
      parts.releaseLinuxWrap();
      expect(wrapped).toContain(`--setenv SRT_OBSERVE_SOCK ${observer.observeSocketPath}`);
    } finally {
      observer.stop();
    }
  });
});

describe('the macOS profile, as Seatbelt would read it', () => {
  /**
   * A minimal Seatbelt reader for the rules the runtime writes: `(allow|deny op… (subpath|literal|regex
   * "…")…)`, the last matching rule wins (the way sandbox-exec applies a profile); `deny default` first.
   */
  function seatbelt(profile: string) {
    const rules: Array<{ allow: boolean; ops: string[]; filters: Array<(path: string) => boolean> }> = [];
    // Each top-level `(allow …)` or `(deny …)` form, scanned to its closing parenthesis (strings skipped).
    for (let at = profile.search(/\((allow|deny) /); at >= 0;) {
      let depth = 0;
      let end = at;
      for (; end < profile.length; end++) {
        const char = profile[end];
        if (char === '"') {
          for (end++; end < profile.length && profile[end] !== '"'; end++) if (profile[end] === '\\') end++;
        } else if (char === '(') depth++;
        else if (char === ')' && --depth === 0) break;
      }
      const form = profile.slice(at + 1, end);
      const next = profile.slice(end + 1).search(/\((allow|deny) /);
      at = next < 0 ? -1 : end + 1 + next;
      const head = form
        .slice(0, form.includes('(') ? form.indexOf('(') : undefined)
        .trim()
        .split(/\s+/);
      const ops = head.slice(1);
      if (!ops.every((op) => op.startsWith('file-'))) continue;
      const filters = [...form.matchAll(/\((subpath|literal|regex) "((?:[^"\\]|\\.)*)"\)/g)].map(
        ([, kind, raw]) => {
          const value = raw!.replace(/\\\\/g, '\\');
          if (kind === 'subpath') return (path: string) => path === value || path.startsWith(`${value}/`);
          if (kind === 'literal') return (path: string) => path === value;
          const regex = new RegExp(value);
          return (path: string) => regex.test(path);
        },
      );
      // A form with filters of other kinds (`require-not`, vnode types…) is left out of this reader.
      if (form.includes('(') && filters.length === 0) continue;
      rules.push({ allow: head[0] === 'allow', ops, filters });
    }
    const covers = (ruleOp: string, op: string) =>
      ruleOp === op || (ruleOp.endsWith('*') && op.startsWith(ruleOp.slice(0, -1)));
    return (op: string, path: string): boolean => {
      let allowed = false;
      for (const rule of rules) {
        if (!rule.ops.some((ruleOp) => covers(ruleOp, op))) continue;
        if (rule.filters.length > 0 && !rule.filters.some((filter) => filter(path))) continue;
        allowed = rule.allow;
      }
      return allowed;
    };
  }

  it('hides the home folder but for grants, writes only grants, and denies the places that run later at any depth', async () => {
    const { ConnectorSandbox } =
      await import('../../../../main/core/connectors/sandbox/connector-sandbox.js');
    const home = join(root, 'Users', 'me');
    const workspace = join(home, 'projects', 'site');
    mkdirSync(join(workspace, 'repo', '.git'), { recursive: true });
    writeFileSync(join(workspace, 'repo', '.git', 'config'), '[core]\n');
    const data = join(root, 'mac-data');
    mkdirSync(data);
    const sandbox = new ConnectorSandbox({
      dataDir: data,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      clock: { now: () => Date.now() },
      random: { bytes: (n) => Buffer.alloc(n, 7) },
      place: {
        platform: 'darwin',
        home,
        scratchRoot: join(home, 'Library', 'Caches', 'gatehouse', 'connectors'),
      },
      check: () => ({ works: true, mechanism: 'sandbox-exec', hostLists: true, problem: null, fix: null }),
    });
    const settings = {
      kind: 'stdio' as const,
      command: '/usr/bin/true',
      args: [],
      env: {},
      cwd: null,
      sandbox: {
        enabled: true,
        folders: [workspace],
        readFolders: [],
        allowedDomains: null,
        localServices: [],
        secretVariables: [],
        plainSecrets: [],
      },
    };
    const confined = await sandbox.confine('site', settings, {
      file: '/usr/bin/true',
      args: [],
      env: { PATH: '/usr/bin:/bin', HOME: home },
      cwd: undefined,
      windowsVerbatimArguments: false,
      resolved: '/usr/bin/true',
    });
    try {
      const command = confined.plan.args[1]!;
      const profile = command.slice(command.indexOf("-p '") + 4).replace(/'"'"'/g, "'");
      const allowed = seatbelt(profile);
      // Reads: the system, its grants; nothing else of the home folder, whether it exists or not.
      expect(allowed('file-read-data', '/usr/lib/libSystem.B.dylib')).toBe(true);
      expect(allowed('file-read-data', join(workspace, 'notes.md'))).toBe(true);
      expect(allowed('file-read-data', join(home, '.ssh', 'id_ed25519'))).toBe(false);
      expect(allowed('file-read-data', join(home, '.aws', 'credentials'))).toBe(false);
      expect(
        allowed('file-read-data', join(home, 'Library', 'Application Support', 'Claude', 'config.json')),
      ).toBe(false);
      expect(allowed('file-read-data', join(data, 'gatehouse.db'))).toBe(false);
      expect(allowed('file-read-data', confined.profile.scratchDir)).toBe(true);
      // Writes: its workspace, scratch and temp; not the home folder, not what runs later, at any depth.
      expect(allowed('file-write-create', join(workspace, 'reply.txt'))).toBe(true);
      expect(allowed('file-write-create', join(confined.profile.tempDir, 'x'))).toBe(true);
      expect(allowed('file-write-create', join(home, '.bashrc'))).toBe(false);
      expect(allowed('file-write-create', join(home, 'Library', 'LaunchAgents', 'evil.plist'))).toBe(false);
      expect(allowed('file-write-data', join(workspace, 'repo', '.git', 'config'))).toBe(false);
      expect(allowed('file-write-create', join(workspace, 'repo', '.git', 'hooks', 'pre-commit'))).toBe(
        false,
      );
      expect(
        allowed('file-write-create', join(workspace, 'new', 'deeper', '.git', 'hooks', 'post-checkout')),
      ).toBe(false);
      expect(allowed('file-write-create', join(workspace, '.vscode', 'tasks.json'))).toBe(false);
      expect(allowed('file-write-create', join(workspace, 'a', 'b', '.envrc'))).toBe(false);
      // Its only way out is its own gate's port.
      expect(profile).toContain(`(allow network-outbound (remote ip "localhost:`);
    } finally {
      confined.release();
      await sandbox.close();
    }
  });
});
