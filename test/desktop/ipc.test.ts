// The IPC door on a real engine through a fake ipcMain: calls from Gatehouse's own page work; hostile
// payloads get the exact error a user would read; foreign senders never reach the engine; failures
// carry a code and a sentence and never a stack; events reach only Gatehouse's own windows.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, OperationName } from '../../main/core/api/contract.js';
import { GatehouseError } from '../../main/core/errors.js';
import { registerIpc, type CallEvent, type IpcEngine } from '../../main/desktop/ipc.js';
import {
  confirmUnsandboxed,
  SANDBOX_KEPT_MESSAGE,
  type UnsandboxedCommand,
} from '../../main/desktop/sandbox-off-confirmation.js';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from '../../preload/ipc-channels.js';
import { silentLogger, startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { callFrom, FakeIpcMain } from '../support/electron/fake-ipc.js';
import { FakeWebContents } from '../support/electron/fake-windows.js';

/** What the window is told of a failure that is not a GatehouseError (ipc.ts). */
const INTERNAL_MESSAGE = 'Gatehouse hit an internal error; details are in its log.';

/** What a caller other than Gatehouse's own window is told (ipc.ts). */
const FORBIDDEN_MESSAGE = 'Only Gatehouse’s own window can call the engine.';

/** The largest input the window may send the engine (ipc.ts). */
const MAX_INPUT_BYTES = 256 * 1024;

const APP_PAGE = 'app://gatehouse/index.html#/';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(() => fixture.stop());

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Our window on our page, a fake ipcMain, and the real engine behind a call recorder. */
function door(engine: IpcEngine = fixture.engine) {
  const ipcMain = new FakeIpcMain();
  const own = new FakeWebContents();
  own.url = APP_PAGE;
  const windowContents = [own];
  const engineCalls: string[] = [];
  const logs: string[] = [];
  /** The native questions asked, and the answers to give (true: run without the sandbox). */
  const questions: UnsandboxedCommand[] = [];
  const answers: boolean[] = [];
  const recorded: IpcEngine = {
    call: (name, input) => {
      engineCalls.push(name);
      return engine.call(name, input);
    },
    subscribe: (listener) => engine.subscribe(listener),
  };
  const dispose = registerIpc({
    ipcMain,
    engine: recorded,
    windows: {
      owns: (contents) => windowContents.some((candidate) => candidate.id === contents.id),
      contents: () => windowContents,
    },
    logger: silentLogger(logs),
    confirmUnsandboxed: async (command) => {
      questions.push(command);
      return answers.shift() ?? false;
    },
  });
  cleanups.push(dispose);
  const call = (name: unknown, input?: unknown, event: CallEvent = callFrom(own)): Promise<CallReply> =>
    ipcMain.invoke(CALL_CHANNEL, event, name, input);
  return { ipcMain, own, windowContents, engineCalls, logs, questions, answers, call, dispose };
}

const failure = (code: string, message: string): CallReply => ({ ok: false, error: { code, message } });

describe('calls from Gatehouse’s own window', () => {
  it('reach the engine and answer with its value', async () => {
    const { call } = door();
    const reply = await call('status.get', {});
    expect(reply).toEqual({ ok: true, value: await fixture.engine.call('status.get') });
  });

  it('treat a missing input as {}', async () => {
    const { call } = door();
    expect(await call('clients.list')).toEqual({ ok: true, value: [] });
    expect(await call('clients.list', null)).toEqual({ ok: true, value: [] });
  });

  it('pass the engine’s own errors through as code and message', async () => {
    const { call } = door();
    expect(await call('clients.revoke', { clientId: 'nobody' })).toEqual(
      failure('not_found', 'No client with id nobody is known to Gatehouse (see gatehouse clients list).'),
    );
  });
});

describe('hostile payloads', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const longName = 'x'.repeat(1_000_000);
  const notAString = 'The operation name must be a string, such as "status.get".';

  it.each<[string, unknown, unknown, CallReply]>([
    [
      'an unknown operation',
      'clients.nuke',
      {},
      failure('not_found', 'There is no operation named clients.nuke.'),
    ],
    [
      '__proto__ as the name',
      '__proto__',
      {},
      failure('not_found', 'There is no operation named __proto__.'),
    ],
    [
      'constructor as the name',
      'constructor',
      {},
      failure('not_found', 'There is no operation named constructor.'),
    ],
    ['toString as the name', 'toString', {}, failure('not_found', 'There is no operation named toString.')],
    [
      'hasOwnProperty as the name',
      'hasOwnProperty',
      {},
      failure('not_found', 'There is no operation named hasOwnProperty.'),
    ],
    [
      'a name with a trailing space',
      'status.get ',
      {},
      failure('not_found', 'There is no operation named status.get .'),
    ],
    ['a 1 MB name', longName, {}, failure('not_found', `There is no operation named ${'x'.repeat(77)}….`)],
    ['a number as the name', 42, {}, failure('bad_request', notAString)],
    ['null as the name', null, {}, failure('bad_request', notAString)],
    ['no name at all', undefined, {}, failure('bad_request', notAString)],
    ['an object as the name', { toString: () => 'status.get' }, {}, failure('bad_request', notAString)],
    ['an array as the name', ['status.get'], {}, failure('bad_request', notAString)],
    ['a wrong type', 'clients.get', { clientId: 42 }, failure('bad_request', 'The client id must be text.')],
    ['a missing field', 'clients.get', {}, failure('bad_request', 'The client id is required.')],
    ['an empty id', 'consents.deny', { id: '' }, failure('bad_request', 'An id is required.')],
    [
      'an extra field',
      'status.get',
      { verbose: true },
      failure('bad_request', '"verbose" is not something this takes.'),
    ],
    [
      'a __proto__ key (JSON-parsed, so an own property)',
      'status.get',
      JSON.parse('{"__proto__": {"polluted": true}}'),
      failure('bad_request', '"__proto__" is not something this takes.'),
    ],
    [
      'a constructor.prototype key',
      'consents.deny',
      { id: 'k1', constructor: { prototype: { polluted: true } } },
      failure('bad_request', '"constructor" is not something this takes.'),
    ],
    [
      'an array as the input',
      'status.get',
      [],
      failure('bad_request', 'The input must be a set of named values.'),
    ],
    [
      'a string as the input',
      'status.get',
      'all of it',
      failure('bad_request', 'The input must be a set of named values.'),
    ],
    ['a port out of range', 'settings.set', { port: 80 }, failure('bad_request', 'Port must be 1024–65535.')],
    [
      'a number as a string',
      'settings.set',
      { port: '42830' },
      failure('bad_request', 'The port must be a number.'),
    ],
    [
      'a write access level that does not exist',
      'consents.approve',
      { id: 'k1', access: 'admin' },
      failure('bad_request', 'The access must be one of read, write.'),
    ],
    [
      'a string over the size limit',
      'clients.get',
      { clientId: 'a'.repeat(MAX_INPUT_BYTES) },
      failure('bad_request', 'Invalid input for clients.get: it is larger than 256 KiB.'),
    ],
    [
      'a cycle',
      'status.get',
      cyclic,
      failure(
        'bad_request',
        'Invalid input for status.get: it must be plain JSON data (no cycles, no BigInt).',
      ),
    ],
    [
      'a BigInt',
      'settings.set',
      { port: 42830n },
      failure(
        'bad_request',
        'Invalid input for settings.set: it must be plain JSON data (no cycles, no BigInt).',
      ),
    ],
  ])('%s', async (_what, name, input, expected) => {
    const { call } = door();
    expect(await call(name, input)).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never calls the engine for a name outside the contract', async () => {
    const { call, engineCalls } = door();
    await call('__proto__', {});
    await call(42, {});
    await call(longName, {});
    expect(engineCalls).toEqual([]);
  });

  it('turns Maps, Dates and the like into their JSON form before the contract sees them', async () => {
    const { call } = door();
    expect(await call('clients.get', { clientId: new Map([['a', 1]]) })).toEqual(
      failure('bad_request', 'The client id must be text.'),
    );
    expect(await call('audit.list', { since: new Date(0) })).toEqual(
      failure('bad_request', 'The start time must be a number.'),
    );
  });
});

describe('a local command saved without the sandbox', () => {
  const unsandboxed = (name: string, enabled = false) => ({
    name,
    enabled: false,
    settings: {
      kind: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/My Files'],
      sandbox: { enabled, folders: [], allowedDomains: null },
    },
  });

  it('asks natively first; kept on, the engine is never called and nothing is saved', async () => {
    const { call, questions, engineCalls } = door();
    expect(await call('connectors.add', unsandboxed('fs-kept'))).toEqual(
      failure('forbidden', SANDBOX_KEPT_MESSAGE),
    );
    expect(questions).toEqual([
      {
        connector: 'fs-kept',
        commandLine: 'npx -y @modelcontextprotocol/server-filesystem "/home/me/My Files"',
      },
    ]);
    expect(engineCalls).toEqual([]);
    const names = ((await fixture.engine.call('connectors.list')) as Array<{ name: string }>).map(
      (c) => c.name,
    );
    expect(names).not.toContain('fs-kept');
  });

  it('saves it when the user says so, and asks again for every edit that keeps it off', async () => {
    const { call, questions, answers, engineCalls } = door();
    answers.push(true);
    const added = await call('connectors.add', unsandboxed('fs-trusted'));
    expect(added.ok).toBe(true);
    expect(engineCalls).toEqual(['connectors.add']);
    // An edit (the renderer could change the command) asks again; kept on, it is refused.
    const edit = { name: 'fs-trusted', settings: unsandboxed('fs-trusted').settings };
    expect(await call('connectors.edit', edit)).toEqual(failure('forbidden', SANDBOX_KEPT_MESSAGE));
    expect(questions.map((question) => question.connector)).toEqual(['fs-trusted', 'fs-trusted']);
    expect(engineCalls).toEqual(['connectors.add']);
    await fixture.engine.call('connectors.remove', { name: 'fs-trusted' });
  });

  it('asks nothing for a sandboxed command, a remote server, or input that is not connector settings', async () => {
    const { call, questions } = door();
    await call('connectors.add', unsandboxed('fs-sandboxed', true));
    await call('connectors.add', {
      name: 'remote',
      enabled: false,
      settings: { kind: 'http', url: 'https://example.com/mcp', sandbox: { enabled: false } },
    });
    await call('status.get', { settings: 'stdio' });
    expect(questions).toEqual([]);
    await fixture.engine.call('connectors.remove', { name: 'fs-sandboxed' });
  });

  it('asks in a warning whose default and Escape keep the sandbox', async () => {
    const shown: unknown[] = [];
    const dialog = (response: number) => ({
      showMessageBox: async (options: unknown) => {
        shown.push(options);
        return { response };
      },
    });
    const command = { connector: 'fs', commandLine: 'npx -y server' };
    expect(await confirmUnsandboxed(dialog(0), command)).toBe(false);
    expect(await confirmUnsandboxed(dialog(1), command)).toBe(true);
    expect(shown[0]).toEqual({
      type: 'warning',
      message: 'Run "fs" without the sandbox?',
      detail:
        'Gatehouse will start `npx -y server` with your full rights: it can read and change every file you can, read your secrets (SSH keys, cloud credentials, browser data) and reach any address. Keep the sandbox on unless you trust this server completely.',
      buttons: ['Keep the sandbox on', 'Run without the sandbox'],
      defaultId: 0,
      cancelId: 0,
    });
  });
});

describe('foreign senders', () => {
  const stranger = new FakeWebContents();
  stranger.url = APP_PAGE;

  it.each<[string, (own: FakeWebContents) => CallEvent]>([
    [
      'a page on another site in our window',
      (own) => ({ sender: own, senderFrame: { url: 'https://evil.example/', parent: null } }),
    ],
    [
      'a file:// page in our window',
      (own) => ({ sender: own, senderFrame: { url: 'file:///app/dist/renderer/index.html', parent: null } }),
    ],
    [
      'our loopback engine page in our window',
      (own) => ({ sender: own, senderFrame: { url: 'http://127.0.0.1:42830/', parent: null } }),
    ],
    [
      'another app:// host',
      (own) => ({ sender: own, senderFrame: { url: 'app://evil/index.html', parent: null } }),
    ],
    ['about:blank', (own) => ({ sender: own, senderFrame: { url: 'about:blank', parent: null } })],
    [
      'a subframe of our own page',
      (own) => ({ sender: own, senderFrame: { url: APP_PAGE, parent: own.mainFrame } }),
    ],
    ['a frame that is gone', (own) => ({ sender: own, senderFrame: null })],
    ['a web contents that is not one of our windows', () => callFrom(stranger)],
  ])('%s is refused as forbidden without reaching the engine', async (_what, eventFor) => {
    const { call, own, engineCalls, logs } = door();
    expect(await call('status.get', {}, eventFor(own))).toEqual(failure('forbidden', FORBIDDEN_MESSAGE));
    expect(engineCalls).toEqual([]);
    expect(logs[0]).toMatch(/^warn ipc: refused a call /);
  });

  it('checks the sender before the name or the input', async () => {
    const { call, own } = door();
    const foreign = { sender: own, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await call(42, cyclicInput(), foreign)).toEqual(failure('forbidden', FORBIDDEN_MESSAGE));
  });
});

function cyclicInput(): unknown {
  const value: Record<string, unknown> = {};
  value.value = value;
  return value;
}

describe('error mapping', () => {
  /** An engine whose every call throws `thrown`. */
  const throwing = (thrown: unknown): IpcEngine => ({
    call: async () => {
      throw thrown;
    },
    subscribe: () => () => undefined,
  });

  it('maps an unexpected error to internal with a generic sentence, logging the detail', async () => {
    const error = new Error('SQLITE_CORRUPT at /home/someone/.config/Gatehouse/gatehouse.db');
    const { call, logs } = door(throwing(error));
    const reply = await call('status.get', {});
    expect(reply).toEqual(failure('internal', INTERNAL_MESSAGE));
    expect(JSON.stringify(reply)).not.toContain('SQLITE');
    expect(logs).toEqual([
      `error ipc: operation failed ${JSON.stringify({ operation: 'status.get', error: error.message })}`,
    ]);
  });

  it.each([['a string'], [undefined], [null], [{ code: 'forbidden', message: 'fake' }]])(
    'maps a thrown non-Error (%j) to internal',
    async (thrown) => {
      const { call } = door(throwing(thrown));
      expect(await call('status.get', {})).toEqual(failure('internal', INTERNAL_MESSAGE));
    },
  );

  it('keeps only the code and message of a GatehouseError: no stack, no cause, no name', async () => {
    const error = new GatehouseError('conflict', 'That connector name is taken.', {
      cause: new Error('UNIQUE constraint failed: connectors.name'),
    });
    const { call } = door(throwing(error));
    const reply = await call('connectors.add', {});
    expect(reply).toEqual(failure('conflict', 'That connector name is taken.'));
    expect(Object.keys(reply)).toEqual(['ok', 'error']);
    if (reply.ok) throw new Error('expected a failure');
    expect(Object.keys(reply.error)).toEqual(['code', 'message']);
    const text = JSON.stringify(reply);
    expect(text).not.toContain('UNIQUE');
    expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it('no reply from the hostile table carries a stack', async () => {
    const { call } = door();
    for (const [name, input] of [
      ['nope', {}],
      [1, {}],
      ['clients.get', { clientId: 1 }],
      ['clients.revoke', { clientId: 'nobody' }],
    ] as const) {
      const text = JSON.stringify(await call(name, input));
      expect(text).not.toMatch(/stack|\n\s+at |\.ts:\d+/);
    }
  });
});

describe('events', () => {
  it('reach our windows showing our page, and no one else', async () => {
    const { own, windowContents } = door();
    const elsewhere = new FakeWebContents();
    elsewhere.url = 'https://evil.example/';
    const closed = new FakeWebContents();
    closed.url = APP_PAGE;
    closed.destroyed = true;
    const stranger = new FakeWebContents();
    stranger.url = APP_PAGE;
    windowContents.push(elsewhere, closed);

    await fixture.engine.call('settings.set', { auditRetentionDays: 30 });
    const settingsChanged = { channel: EVENT_CHANNEL, args: [{ type: 'settings.changed' }] };
    expect(own.sent).toContainEqual(settingsChanged);
    expect(own.sent.every((message) => message.channel === EVENT_CHANNEL)).toBe(true);
    expect(elsewhere.sent).toEqual([]);
    expect(closed.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
  });

  it('stop, and the handler is gone, once disposed', async () => {
    const { own, ipcMain, dispose } = door();
    dispose();
    expect(ipcMain.handlers.has(CALL_CHANNEL)).toBe(false);
    await fixture.engine.call('settings.set', { auditRetentionDays: 31 });
    expect(own.sent).toEqual([]);
  });

  it('forwards each engine event unchanged', () => {
    const listeners: Array<(event: EngineEvent) => void> = [];
    const engine: IpcEngine = {
      call: async (name: OperationName) => name,
      subscribe: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const { own } = door(engine);
    const event: EngineEvent = { type: 'client.used', clientId: 'c1', at: 5 };
    for (const listener of listeners) listener(event);
    expect(own.sent).toEqual([{ channel: EVENT_CHANNEL, args: [event] }]);
  });
});
