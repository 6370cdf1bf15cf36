// The CLI's reading of the engine's event stream (eventsource-parser) against a real socket that
// splits the stream where a hand-written reader goes wrong: between the CR and LF of a line ending.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { EngineClient } from '../../main/cli/command-context/engine-client.js';
import type { EngineEvent } from '../../main/core/api/contract.js';
import { API_SECRET_FILE, ENGINE_FILE } from '../../main/core/engine/engine-record.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An "engine" that answers /api/events with `chunks`, each written on its own after a pause. */
async function engineSending(chunks: string[]): Promise<EngineClient> {
  const server: Server = createServer((req, res) => {
    expect(req.headers.authorization).toBe('Bearer the-secret');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void (async () => {
      for (const chunk of chunks) {
        res.write(chunk);
        await sleep(30); // separate reads on the client's side
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-events-'));
  cleanups.push(() => {
    server.close();
    server.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  });
  const { port } = server.address() as AddressInfo;
  writeFileSync(
    join(dir, ENGINE_FILE),
    JSON.stringify({ pid: process.pid, port, version: '0.0.0-test', startedAt: Date.now() }),
  );
  writeFileSync(join(dir, API_SECRET_FILE), 'the-secret');
  return EngineClient.connect(dir);
}

it('reads an event whose CRLF is split across two reads as one event', async () => {
  const first: EngineEvent = { type: 'clients.changed' };
  const second: EngineEvent = { type: 'connectors.changed', name: 'files' };
  const client = await engineSending([
    `event: clients.changed\r`,
    `\ndata: ${JSON.stringify(first)}\r`,
    `\n\r`,
    `\ndata: ${JSON.stringify(second).slice(0, 10)}`,
    `${JSON.stringify(second).slice(10)}\r`,
    `\n\r\n`,
  ]);
  const events: EngineEvent[] = [];
  for await (const event of client.events()) events.push(event);
  expect(events).toEqual([first, second]);
});

it('accepts bare CR line endings, which the standard allows', async () => {
  const event: EngineEvent = { type: 'settings.changed' };
  const client = await engineSending([`: hello\r\rdata: ${JSON.stringify(event)}\r`, `\r`, `: bye\r`]);
  const events: EngineEvent[] = [];
  for await (const item of client.events()) events.push(item);
  expect(events).toEqual([event]);
});
