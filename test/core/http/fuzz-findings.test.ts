// What fuzzing the engine (fuzz.test.ts) found, pinned with their exact answers: a path that starts
// with //, query parameters on the authorization resume URL, and a body broken mid-stream.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { registerPublicClient } from '../../support/raw-oauth.js';

let fixture: EngineFixture;
let clientId: string;
beforeAll(async () => {
  fixture = await startEngine();
  clientId = await registerPublicClient(fixture.engine);
});
afterAll(async () => fixture?.stop());

it('refuses a request path that starts with //, which URL parsers read as a host', async () => {
  for (const path of ['//', '//?client_id=x', '///auth']) {
    const status = await new Promise<[number, string]>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: fixture.engine.port, path }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve([res.statusCode ?? 0, text]));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toEqual([
      400,
      `Gatehouse answers only request paths that start with a single "/" (got ${JSON.stringify(path)}).\n`,
    ]);
  }
});

it('refuses query parameters on the authorization resume URL instead of failing inside oidc-provider', async () => {
  const res = await fetch(`${fixture.engine.issuer}/auth/some-uid?client_id=${clientId}`);
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({
    error: 'invalid_request',
    error_description: 'An authorization is resumed at /auth/<id> without query parameters.',
  });
});

it('answers a body broken mid-stream as the client’s error, not an internal one', async () => {
  const before = fixture.logs.filter((line) => line.startsWith('error')).length;
  const socket = connect(fixture.engine.port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.end(
    `POST /reg HTTP/1.1\r\nHost: 127.0.0.1:${fixture.engine.port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
  );
  await new Promise((resolve) => socket.once('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(fixture.logs.filter((line) => line.startsWith('error')).length).toBe(before);
});
