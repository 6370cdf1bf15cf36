// The shared upstream runtime against in-memory MCP servers (the SDK's linked transport pair), a fake
// clock and fake timers: backoff 1 s, 2 s, 4 s … 60 s, its reset after a healthy minute, stop()
// cancelling a pending restart, the initialize deadline, catalog pagination and list_changed, and which
// lists each listing brought complete.
import { McpServer, Server, InMemoryTransport, type ServerCapabilities } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/core/effects.js';
import {
  UpstreamRuntime,
  type UpstreamOptions,
} from '../../../../main/core/connectors/runtime/upstream-base.js';
import { backoffDelay, type Timers } from '../../../../main/core/connectors/runtime/upstream-liveness.js';
import {
  UpstreamFailure,
  type ConnectContext,
  type Connection,
  type Transporter,
} from '../../../../main/core/connectors/runtime/upstream-transporter.js';
import type { CompleteLists, UpstreamEvent } from '../../../../main/core/connectors/runtime/upstream.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

class FakeTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  delays(): number[] {
    return [...this.pending.values()].map((timer) => timer.ms);
  }

  /** Fires the one pending timer of `ms` (a restart or a deadline). */
  fire(ms: number): void {
    const entry = [...this.pending.entries()].find(([, timer]) => timer.ms === ms);
    if (!entry) throw new Error(`no pending ${ms} ms timer (pending: ${this.delays().join(', ')})`);
    this.pending.delete(entry[0]);
    entry[1].callback();
  }
}

type Step = 'ok' | 'fail' | 'hang';

/** Connects to a fresh in-memory McpServer per attempt, or fails, or hangs — as the script says. */
function scriptedTransporter(script: Step[], build?: (server: McpServer) => void) {
  const contexts: ConnectContext[] = [];
  const servers: McpServer[] = [];
  let connects = 0;
  const transporter: Transporter = {
    auth: () => 'not-applicable',
    stderrTail: () => [],
    describe: (error) => new UpstreamFailure(String(error), { retry: true }),
    async connect(context): Promise<Connection> {
      connects++;
      contexts.push(context);
      const step = script.shift() ?? 'ok';
      if (step === 'fail') throw new UpstreamFailure('The server exited with code 1.', { retry: true });
      if (step === 'hang') {
        return new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      const server = new McpServer({ name: 'memory', version: '2.0.0' }, { capabilities: { logging: {} } });
      server.registerTool('hello', { description: 'says hello' }, async () => ({ content: [] }));
      build?.(server);
      servers.push(server);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = context.newClient();
      await client.connect(clientSide);
      return {
        client,
        transport: 'stdio',
        pid: null,
        close: async () => {
          await client.close();
          await server.close();
        },
      };
    },
  };
  return { transporter, contexts, servers, connects: () => connects };
}

/** An upstream connected to a low-level server with `capabilities`, its handlers set by `build`. */
function lowLevelUpstream(
  capabilities: ServerCapabilities,
  build: (server: Server) => void,
  deps: { logger?: Logger; options?: UpstreamOptions } = {},
): UpstreamRuntime {
  const transporter: Transporter = {
    auth: () => 'not-applicable',
    stderrTail: () => [],
    describe: (error) => new UpstreamFailure(String(error), { retry: true }),
    async connect(context) {
      const server = new Server({ name: 'paged', version: '1' }, { capabilities });
      build(server);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = context.newClient();
      await client.connect(clientSide);
      return { client, transport: 'stdio', pid: null, close: () => client.close() };
    },
  };
  return new UpstreamRuntime(
    'paged',
    transporter,
    { clock: { now: () => 0 }, logger: deps.logger ?? quiet },
    deps.options,
  );
}

/** The complete lists of each listing `upstream` tells, as they come. */
function listings(upstream: UpstreamRuntime): CompleteLists[] {
  const lists: CompleteLists[] = [];
  upstream.on((event) => event.type === 'listed' && lists.push(event.lists));
  return lists;
}

function setup(script: Step[], build?: (server: McpServer) => void) {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const timers = new FakeTimers();
  const scripted = scriptedTransporter(script, build);
  const upstream = new UpstreamRuntime('memory', scripted.transporter, { clock, logger: quiet, timers });
  const events: UpstreamEvent[] = [];
  upstream.on((event) => events.push(event));
  return { upstream, clock, timers, events, ...scripted };
}

/** Lets the microtasks of a restart run (fake timers fire callbacks synchronously). */
const settle = async (upstream: UpstreamRuntime, state: string) => {
  for (let i = 0; i < 200 && upstream.status().connection !== state; i++)
    await new Promise((r) => setImmediate(r));
  expect(upstream.status().connection).toBe(state);
};

describe('backoff', () => {
  it('doubles from 1 s and stops at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => backoffDelay(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });

  it('restarts after 1 s, 2 s, 4 s, counts the restarts, and connects once the server comes up', async () => {
    const { upstream, timers, connects } = setup(['fail', 'fail', 'fail', 'ok']);
    await upstream.start();
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      lastError: 'The server exited with code 1.',
    });
    for (const delay of [1000, 2000, 4000]) {
      expect(timers.delays()).toEqual([delay]);
      timers.fire(delay);
      await settle(upstream, delay === 4000 ? 'connected' : 'error');
    }
    expect(connects()).toBe(4);
    expect(upstream.status()).toMatchObject({ connection: 'connected', restarts: 3, lastError: null });
    expect(timers.delays()).toEqual([]);
    await upstream.stop();
  });

  it('starts the backoff over after a minute of healthy running, and keeps doubling after a short one', async () => {
    const { upstream, timers, clock, contexts } = setup(['fail', 'fail', 'ok', 'ok', 'ok']);
    await upstream.start();
    timers.fire(1000);
    await settle(upstream, 'error');
    timers.fire(2000);
    await settle(upstream, 'connected');
    clock.advance(5_000);
    contexts.at(-1)?.lost('The server exited with code 1.');
    expect(timers.delays()).toEqual([4000]);
    timers.fire(4000);
    await settle(upstream, 'connected');
    clock.advance(60_000);
    contexts.at(-1)?.lost('The server exited with code 1.');
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      lastError: 'The server exited with code 1.',
    });
    expect(timers.delays()).toEqual([1000]);
    await upstream.stop();
  });

  it('stop() cancels a pending restart', async () => {
    const { upstream, timers, connects } = setup(['fail']);
    await upstream.start();
    expect(timers.delays()).toEqual([1000]);
    await upstream.stop();
    expect(timers.delays()).toEqual([]);
    expect(upstream.status()).toMatchObject({ connection: 'stopped', lastError: null });
    expect(connects()).toBe(1);
  });

  it('a manual start() during the backoff connects at once and starts the backoff over', async () => {
    const { upstream, timers } = setup(['fail', 'fail', 'ok']);
    await upstream.start();
    timers.fire(1000);
    await settle(upstream, 'error');
    expect(timers.delays()).toEqual([2000]);
    await upstream.start();
    expect(upstream.status().connection).toBe('connected');
    expect(timers.delays()).toEqual([]);
    await upstream.stop();
  });
});

describe('lifecycle', () => {
  it('walks starting → connected → stopped, and concurrent start() calls share one attempt', async () => {
    const { upstream, events, connects } = setup(['ok']);
    await Promise.all([upstream.start(), upstream.start(), upstream.start()]);
    expect(connects()).toBe(1);
    const states = events.flatMap((e) => (e.type === 'status' ? [e.status.connection] : []));
    expect(states[0]).toBe('starting');
    expect(states.at(-1)).toBe('connected');
    expect(upstream.status()).toMatchObject({
      serverInfo: { name: 'memory', version: '2.0.0' },
      transport: 'stdio',
      connectedAt: 1_000_000,
    });
    expect(upstream.client()).toBeDefined();
    await upstream.stop();
    expect(upstream.status()).toMatchObject({ connection: 'stopped', connectedAt: null, pid: null });
    expect(upstream.client()).toBeUndefined();
  });

  it('gives up on a server that does not finish initialize in time, and retries later', async () => {
    const { upstream, timers, contexts } = setup(['hang', 'ok']);
    const started = upstream.start();
    await new Promise((r) => setImmediate(r));
    expect(timers.delays()).toEqual([30_000]);
    timers.fire(30_000);
    await started;
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      lastError:
        'The server did not finish starting (MCP initialize and listing its tools) within 30 s, so Gatehouse stopped it.',
    });
    expect(timers.delays()).toEqual([1000]);
    await upstream.stop();
  });
});

describe('liveness', () => {
  it("a failed ping loses the connection, an UpstreamFailure in its own words, else in the transport's", async () => {
    const pingFailure: { current: Error | null } = { current: null };
    const transporter: Transporter = {
      auth: () => 'not-applicable',
      stderrTail: () => [],
      describe: (error) => new UpstreamFailure(`In the transport's words: ${String(error)}`, { retry: true }),
      async connect(context) {
        const server = new McpServer({ name: 'pinged', version: '1' });
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        // Once connected, the monitor's ping (server/discover for a 2026-07-28 server) fails to send.
        const send = clientSide.send.bind(clientSide);
        clientSide.send = async (message, options) => {
          const method = 'method' in message ? message.method : '';
          if (pingFailure.current && (method === 'ping' || method === 'server/discover'))
            throw pingFailure.current;
          return send(message, options);
        };
        const client = context.newClient();
        await client.connect(clientSide);
        return { client, transport: 'stdio', pid: null, close: () => client.close() };
      },
    };
    const upstream = new UpstreamRuntime(
      'pinged',
      transporter,
      { clock: { now: () => 0 }, logger: quiet, timers: new FakeTimers() },
      { pingIntervalMs: 20 },
    );
    const lostWith = async (failure: Error) => {
      await upstream.start();
      expect(upstream.status().connection).toBe('connected');
      pingFailure.current = failure;
      await expect.poll(() => upstream.status().connection).toBe('error');
      pingFailure.current = null;
      return upstream.status().lastError;
    };
    const ownWords = 'The server at https://mcp.example sent more than 16 MB in one message.';
    expect(await lostWith(new UpstreamFailure(ownWords, { retry: true }))).toBe(ownWords);
    expect(await lostWith(new Error('socket hang up'))).toBe(
      "In the transport's words: Error: socket hang up",
    );
    await upstream.stop();
  });
});

describe('catalog', () => {
  it('lists tools, resources, templates and prompts the server declares, and only those', async () => {
    const { upstream, events } = setup(['ok'], (server) => {
      server.registerPrompt('greet', { description: 'a prompt' }, async () => ({ messages: [] }));
      server.registerResource('readme', 'memory://readme', {}, async () => ({ contents: [] }));
    });
    await upstream.start();
    const offering = upstream.offering();
    expect(offering.tools.map((t) => t.name)).toEqual(['hello']);
    expect(offering.prompts.map((p) => p.name)).toEqual(['greet']);
    expect(offering.resources.map((r) => r.uri)).toEqual(['memory://readme']);
    expect(offering.resourceTemplates).toEqual([]);
    const first = events.find((e) => e.type === 'offering');
    expect(first).toMatchObject({ changed: ['tools', 'resources', 'prompts'] });
    await upstream.stop();
  });

  it('follows pagination cursors', async () => {
    const upstream = lowLevelUpstream({ tools: {} }, (server) =>
      server.setRequestHandler('tools/list', async (request) => {
        const page = Number(request.params?.cursor ?? 0);
        const tools = [0, 1].map((i) => ({
          name: `t${page * 2 + i}`,
          inputSchema: { type: 'object' as const },
        }));
        return page < 2 ? { tools, nextCursor: String(page + 1) } : { tools };
      }),
    );
    const listed = listings(upstream);
    await upstream.start();
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(listed.map((lists) => lists.tools?.length)).toEqual([6]);
    await upstream.stop();
  });

  it('stops a listing past its time, on a list_changed too, and keeps what it had', async () => {
    let hang = false;
    let server: Server | undefined;
    const refreshes: unknown[] = [];
    const logger = {
      ...quiet,
      warn: (message: string, fields?: Record<string, unknown>) => {
        if (message === 'connector catalog refresh failed') refreshes.push(fields?.reason);
      },
    };
    const upstream = lowLevelUpstream(
      { tools: { listChanged: true } },
      (built) => {
        server = built;
        built.setRequestHandler('tools/list', async (request) => {
          const page = Number(request.params?.cursor ?? 1);
          // Once told to hang, the third page never comes.
          if (hang && page === 3) await new Promise(() => undefined);
          const tools = [{ name: `t${page}`, inputSchema: { type: 'object' as const } }];
          return page < 4 ? { tools, nextCursor: String(page + 1) } : { tools };
        });
      },
      // The listing's time runs out well before a page's own timeout would.
      { logger, options: { initializeTimeoutMs: 1_000, requestTimeoutMs: 10_000 } },
    );
    await upstream.start();
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['t1', 't2', 't3', 't4']);
    hang = true;
    const started = performance.now();
    await server!.sendToolListChanged();
    await expect.poll(() => refreshes, { timeout: 5_000 }).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(refreshes).toEqual([
      'The server took more than 1 s to list its tools (page 3 had not come). Gatehouse stopped listing its tools.',
    ]);
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['t1', 't2', 't3', 't4']);
    expect(upstream.status().connection).toBe('connected');
    await upstream.stop();
  });

  it('tells the lists each listing brought complete, changed or not, and only those', async () => {
    const { upstream, events, servers } = setup(['ok'], (server) => {
      server.registerPrompt('greet', { description: 'a prompt' }, async () => ({ messages: [] }));
    });
    await upstream.start();
    const names = (lists: CompleteLists) =>
      Object.fromEntries(
        Object.entries(lists).map(([list, items]) => [list, items.map((item) => item.name as string)]),
      );
    // The server offers no resources: they are not listed, so not told.
    const first = events.filter((e) => e.type === 'listed');
    expect(first.map((e) => names(e.lists))).toEqual([{ tools: ['hello'], prompts: ['greet'] }]);
    // Listed again, unchanged: told again, and no offering change published.
    events.length = 0;
    const again = new Promise<void>((resolve) => upstream.on((e) => e.type === 'listed' && resolve()));
    servers[0]!.sendPromptListChanged();
    await again;
    expect(events.map((e) => (e.type === 'listed' ? names(e.lists) : e.type))).toEqual([
      { prompts: ['greet'] },
    ]);
    await upstream.stop();
  });

  it('tells no list the server does not implement, and nothing of a listing that fails', async () => {
    const README = { name: 'readme', uri: 'memory://readme' };
    /** Resources listed, templates declared with them and not implemented, prompts in two pages. */
    const upstream = (promptsFail: boolean) =>
      lowLevelUpstream({ resources: {}, prompts: {} }, (server) => {
        server.setRequestHandler('resources/list', async () => ({ resources: [README] }));
        server.setRequestHandler('prompts/list', async (request) => {
          if (request.params?.cursor === undefined) return { prompts: [], nextCursor: 'page-2' };
          if (promptsFail) throw new Error('the prompts went missing half way');
          return { prompts: [{ name: 'greet' }] };
        });
      });
    const whole = upstream(false);
    const listed = listings(whole);
    await whole.start();
    expect(listed).toEqual([{ resources: [README], prompts: [{ name: 'greet' }] }]);
    await whole.stop();

    const failing = upstream(true);
    const none = listings(failing);
    await failing.start();
    expect(failing.status().connection).toBe('error');
    expect(none).toEqual([]);
    await failing.stop();
  });

  it('refetches on tools/list_changed, names what changed, and forwards other notifications', async () => {
    const { upstream, events, servers } = setup(['ok']);
    await upstream.start();
    events.length = 0;
    const offeringEvent = new Promise<UpstreamEvent>((resolve) =>
      upstream.on((e) => e.type === 'offering' && resolve(e)),
    );
    servers[0]?.registerTool('added', {}, async () => ({ content: [] }));
    expect(await offeringEvent).toMatchObject({ type: 'offering', changed: ['tools'] });
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['hello', 'added']);
    const notification = new Promise<UpstreamEvent>((resolve) =>
      upstream.on((e) => e.type === 'notification' && resolve(e)),
    );
    await servers[0]?.server.sendLoggingMessage({ level: 'warning', data: 'disk almost full' });
    expect(await notification).toEqual({
      type: 'notification',
      method: 'notifications/message',
      params: { level: 'warning', data: 'disk almost full' },
    });
    await upstream.stop();
  });
});
