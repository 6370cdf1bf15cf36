// The CLI's engine client: how it finds the engine from the data directory, what it says when the
// engine is gone or unreachable, how it surfaces API errors, and the live event stream.
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../main/core/api/contract.js';
import { type Engine } from '../../main/core/engine/engine.js';
import { API_SECRET_FILE, ENGINE_FILE } from '../../main/core/engine/engine-record.js';
import { GatehouseError } from '../../main/core/errors.js';
import { callTimeoutMs, EngineApiError, EngineClient } from '../../main/cli/command-context/engine-client.js';
import { readEngineRecord } from '../../main/core/engine/engine-record.js';
import { gatehouse, startEngine, tempDirs } from '../support/cli-fixture.js';

const dirs = tempDirs();
let engine: Engine;
let dataDir: string;

beforeAll(async () => {
  dataDir = dirs.make();
  engine = await startEngine(dataDir);
});

afterAll(async () => {
  await engine.stop();
  dirs.removeAll();
});

/** A data directory whose engine record says what we want it to. */
function recordDir(record: { pid: number; port: number }, secret: string | null = 'not-the-secret'): string {
  const dir = dirs.make();
  writeFileSync(
    join(dir, ENGINE_FILE),
    JSON.stringify({ ...record, version: '0.0.0-test', startedAt: Date.now() }),
  );
  if (secret !== null) writeFileSync(join(dir, API_SECRET_FILE), secret);
  return dir;
}

/** The pid of a process that has already exited. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.pid).toBeGreaterThan(0);
  return child.pid;
}

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('finding the engine', () => {
  it('reads the engine record of a running engine', () => {
    expect(readEngineRecord(dataDir)).toEqual({
      state: 'alive',
      record: { pid: process.pid, port: engine.port, version: '0.0.0-test', startedAt: expect.any(Number) },
    });
    expect(EngineClient.connect(dataDir).port).toBe(engine.port);
  });

  it('says Gatehouse is not running when there is no engine record', () => {
    const empty = dirs.make();
    const error = caught(() => EngineClient.connect(empty));
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).toMatchObject({
      code: 'engine_not_running',
      message: `Gatehouse is not running (no engine record in ${empty}). Start it with \`gatehouse serve\` or open the Gatehouse app.`,
    });
  });

  it('calls a record whose process has exited stale', async () => {
    const pid = exitedPid();
    const dir = recordDir({ pid, port: 42830 });
    const message = `Gatehouse is not running (the engine record in ${dir} is stale: process ${pid} has exited). Start it with \`gatehouse serve\` or open the Gatehouse app.`;
    expect(caught(() => EngineClient.connect(dir))).toMatchObject({ code: 'engine_not_running', message });
    expect(await gatehouse(['status', '--data-dir', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `gatehouse: ${message}\n`,
    });
  });

  it('explains a damaged engine record', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, ENGINE_FILE), '{ half a record');
    expect(caught(() => EngineClient.connect(dir))).toMatchObject({
      code: 'engine_not_running',
      message: expect.stringContaining(`${join(dir, ENGINE_FILE)} cannot be used (it is not valid JSON)`),
    });
  });

  it('needs the API secret', () => {
    const dir = recordDir({ pid: process.pid, port: engine.port }, null);
    expect(caught(() => EngineClient.connect(dir))).toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining(
        `The Gatehouse API secret ${join(dir, API_SECRET_FILE)} cannot be read (it is missing).`,
      ),
    });
  });

  it('reports a refused connection as engine_unreachable, naming the port', async () => {
    const port = await closedPort();
    const dir = recordDir({ pid: process.pid, port });
    const message = `Gatehouse is not answering on port ${port} (127.0.0.1:${port}: connection refused). If it stopped or crashed, start it again with \`gatehouse serve\` or open the Gatehouse app.`;
    await expect(EngineClient.connect(dir).call('status.get', {})).rejects.toMatchObject({
      code: 'engine_unreachable',
      message,
    });
    expect(await gatehouse(['clients', '--data-dir', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `gatehouse: ${message}\n`,
    });
  });
});

describe('calling operations', () => {
  it('returns the typed output of an operation', async () => {
    const client = EngineClient.connect(dataDir);
    const status = await client.call('status.get', {});
    expect(status).toMatchObject({ version: '0.0.0-test', mcpUrl: engine.mcpUrl, pid: process.pid });
    const settings = await client.call('settings.set', { registrationPolicy: 'ask' });
    expect(settings.registrationPolicy).toBe('ask');
    await client.call('settings.set', { registrationPolicy: 'open' });
  });

  it("throws the engine's code and message for an API error", async () => {
    const error = await EngineClient.connect(dataDir)
      .call('clients.get', { clientId: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineApiError);
    expect(error).toMatchObject({
      code: 'not_found',
      status: 404,
      message: 'No client with id nope is known to Gatehouse (see gatehouse clients list).',
    });
  });

  it('is refused with the wrong API secret', async () => {
    const dir = recordDir({ pid: process.pid, port: engine.port }, 'a-guessed-secret');
    await expect(EngineClient.connect(dir).call('status.get', {})).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
      message:
        'The Gatehouse API needs the secret from the data directory (the gatehouse CLI sends it for you).',
    });
    await expect(collect(EngineClient.connect(dir).events(), 1)).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('reports input the contract refuses with the engine’s field-level message', async () => {
    const dir = dirs.make();
    copyFileSync(join(dataDir, ENGINE_FILE), join(dir, ENGINE_FILE));
    copyFileSync(join(dataDir, API_SECRET_FILE), join(dir, API_SECRET_FILE));
    await expect(EngineClient.connect(dir).call('settings.set', { port: 80 })).rejects.toMatchObject({
      code: 'bad_request',
      status: 400,
      message: 'Port must be 1024–65535.',
    });
  });
  // A package runner's first start installs the server (the engine gives it two minutes): the calls
  // that start servers wait longer than the rest, so the CLI does not give up while the engine works on.
  it('waits longer for the calls the contract marks as starting servers', () => {
    for (const name of ['connectors.add', 'connectors.test', 'catalog.add', 'setup.import'] as const)
      expect(callTimeoutMs(name), name).toBe(150_000);
    for (const name of ['connectors.list', 'clients.revoke', 'connectors.disable'] as const)
      expect(callTimeoutMs(name), name).toBe(30_000);
  });
});

/** The first `count` events of a stream, then stops reading. */
async function collect(stream: AsyncIterable<EngineEvent>, count: number): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (events.length >= count) break;
  }
  return events;
}

describe('live events', () => {
  /** Starts reading a stream; `opened` resolves once the engine has accepted it. */
  function follow(client: EngineClient, count: number, signal?: AbortSignal) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const events = collect(client.events({ onOpen: open, ...(signal ? { signal } : {}) }), count);
    return { opened, events };
  }

  it('streams engine events as they happen, and stops when the caller breaks', async () => {
    const client = EngineClient.connect(dataDir);
    const { opened, events } = follow(client, 2);
    await opened;
    await client.call('access.pause', {});
    const received = await events;
    expect(received.map((event) => event.type).sort()).toEqual(['audit.appended', 'settings.changed']);
    expect(received.find((event) => event.type === 'audit.appended')).toMatchObject({
      event: { type: 'access.paused', decision: 'info' },
    });
    await client.call('access.resume', {});
  });

  it('ends when the signal aborts', async () => {
    const controller = new AbortController();
    const { opened, events } = follow(EngineClient.connect(dataDir), 1_000, controller.signal);
    await opened;
    controller.abort();
    await expect(events).resolves.toEqual([]);
  });

  it('ends when the engine stops', async () => {
    const dir = dirs.make();
    const stopping = await startEngine(dir);
    const { opened, events } = follow(EngineClient.connect(dir), 1_000);
    await opened;
    await stopping.stop();
    await expect(events).resolves.toEqual([]);
  });
});
