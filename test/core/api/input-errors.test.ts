// A refused input reads as sentences in words: the schema's own message where it has one, zod's
// defaults reworded, one problem per field, never an operation's or a field's internal name.
import { describe, expect, it } from 'vitest';
import { dispatch, type OperationHandlers } from '../../../main/core/operations/engine-api.js';

/** Nothing here reaches a handler: every input is refused first. */
const handlers = {} as OperationHandlers;
const refusal = (name: string, input: unknown) =>
  dispatch(handlers, name, input).then(
    () => 'accepted',
    (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
  );

describe('refused inputs in words', () => {
  it('keeps a schema’s own message and says each field’s problem once', async () => {
    expect(
      await refusal('connectors.add', { name: 'files', settings: { kind: 'http', url: 'not a url' } }),
    ).toBe('bad_request: The URL must be an absolute http(s) URL.');
    expect(
      await refusal('connectors.add', { name: 'Bad Name', settings: { kind: 'stdio', command: 'x' } }),
    ).toBe(
      'bad_request: A connector name is 1–32 lowercase letters, digits, - or _, starting with a letter or digit.',
    );
    expect(await refusal('settings.set', { port: 80 })).toBe('bad_request: Port must be 1024–65535.');
  });

  it('words zod’s defaults with the field as a user names it', async () => {
    expect(await refusal('settings.set', { port: '8080' })).toBe('bad_request: The port must be a number.');
    expect(await refusal('clients.get', {})).toBe('bad_request: The client id is required.');
    expect(await refusal('consents.approve', { id: 'x', access: 'admin' })).toBe(
      'bad_request: The access must be one of read, write.',
    );
    expect(
      await refusal('connectors.add', {
        name: 'remote',
        settings: { kind: 'http', url: 'https://x.example/mcp', timeoutSeconds: 0 },
      }),
    ).toBe('bad_request: The timeout (seconds) must be at least 1.');
    expect(await refusal('status.get', { verbose: true })).toBe(
      'bad_request: "verbose" is not something this takes.',
    );
  });

  it('names a wrong environment variable or header by the user’s own word', async () => {
    expect(
      await refusal('connectors.add', {
        name: 'files',
        settings: { kind: 'stdio', command: 'npx', env: { 'MY-KEY': 'v' } },
      }),
    ).toBe('bad_request: "MY-KEY": environment variable names are letters, digits and _.');
  });
});
