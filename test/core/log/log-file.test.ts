// The rotating log file on a real file system: rotation by size with a bounded number of generations,
// the last lines across a rotation, following across a rotation, and loggers that never let a secret
// through — whether it hides under a key, in a known shape, or is a connector's plain-looking value.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../main/core/effects.js';
import { followLog, readLastLines, RotatingLogFile } from '../../../main/core/log/log-file.js';
import { fileLogger, redactingLogger, teeLogger } from '../../../main/core/log/loggers.js';
import { SealedValues } from '../../../main/core/secrets/sealed-values.js';

/** What stands in for a redacted value (redaction.ts). */
const REDACTED = '[redacted]';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function logPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-'));
  dirs.push(dir);
  return join(dir, 'logs', 'gatehouse.log');
}

describe('RotatingLogFile', () => {
  it('rotates past its size, keeps the configured generations, and stays readable only by the user', () => {
    const path = logPath();
    const file = new RotatingLogFile(path, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 30; i++) file.write(`line ${String(i).padStart(2, '0')} ${'x'.repeat(10)}`);
    file.close();
    expect(readdirSync(join(path, '..')).sort()).toEqual([
      'gatehouse.log',
      'gatehouse.log.1',
      'gatehouse.log.2',
    ]);
    for (const name of ['gatehouse.log', 'gatehouse.log.1', 'gatehouse.log.2']) {
      expect(statSync(join(path, '..', name)).size).toBeLessThanOrEqual(100);
    }
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    // The newest lines survive, in order; the oldest generations are gone.
    expect(readLastLines(path, 6)).toEqual(
      [24, 25, 26, 27, 28, 29].map((i) => `line ${i} ${'x'.repeat(10)}`),
    );
    const kept = [
      ...readFileSync(`${path}.2`, 'utf8').split('\n'),
      ...readFileSync(`${path}.1`, 'utf8').split('\n'),
      ...readFileSync(path, 'utf8').split('\n'),
    ].filter(Boolean);
    expect(kept.at(-1)).toBe(`line 29 ${'x'.repeat(10)}`);
    expect(kept).not.toContain(`line 00 ${'x'.repeat(10)}`);
  });

  it('appends to what an earlier process wrote', () => {
    const path = logPath();
    new RotatingLogFile(path).write('first run');
    new RotatingLogFile(path).write('second run');
    expect(readLastLines(path, 10)).toEqual(['first run', 'second run']);
  });

  it('follows new lines across rotations, missing none', async () => {
    const path = logPath();
    // Two lines a file: every other write rotates.
    const file = new RotatingLogFile(path, { maxBytes: 70, keep: 1 });
    file.write('before following');
    const stop = new AbortController();
    const deadline = setTimeout(() => stop.abort(), 10_000);
    const seen: string[] = [];
    const following = (async () => {
      for await (const line of followLog(path, stop.signal, 10)) {
        seen.push(line);
        if (seen.length === 8) stop.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 1; i <= 8; i++) {
      file.write(`followed ${i} ${'y'.repeat(20)}`);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await following;
    clearTimeout(deadline);
    expect(seen).toEqual(Array.from({ length: 8 }, (_, i) => `followed ${i + 1} ${'y'.repeat(20)}`));
  });
});

describe('redactingLogger', () => {
  function capture(): { logger: Logger; lines: string[] } {
    const path = logPath();
    const file = new RotatingLogFile(path);
    const lines: string[] = [];
    return {
      logger: redactingLogger(
        teeLogger(fileLogger(file), {
          info: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`),
          warn: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`),
          error: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`),
        }),
        () => new SealedValues(['swordf1', 'ab"c\\de']),
      ),
      get lines() {
        return [...lines, ...readLastLines(path, 100)];
      },
    };
  }

  it('removes tokens, client secrets, Authorization headers and connector values from messages and fields', () => {
    const accessToken = 'b8VgY2n1QkZ4rT7wLp0sXe3uHa6dJm9c';
    const clientSecret = 'cs_Q2w9E8r7T6y5U4i3O2p1A0s9D8f7G6h';
    const sink = capture();
    sink.logger.info(`request with Authorization: Bearer ${accessToken} failed`, {
      headers: { Authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      client_secret: clientSecret,
      refreshToken: 'rt-1',
      detail: `upstream said: invalid_client for secret ${clientSecret}`,
      env: { API_KEY: 'swordf1' },
      line: 'the server printed swordf1 on stdout',
      quoted: 'value ab"c\\de here',
    });
    const text = sink.lines.join('\n');
    for (const secret of [
      accessToken,
      clientSecret,
      'rt-1',
      'swordf1',
      'ab"c\\\\de',
      'ab\\"c\\\\de',
      'ab"c\\de',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    expect(text).toContain('"accept":"application/json"');
    expect(text).toContain('the server printed [redacted] on stdout');
  });

  it('leaves ordinary text alone', () => {
    const sink = capture();
    sink.logger.warn('connector process started', {
      connector: 'files',
      pid: 4242,
      command: '/usr/bin/node',
    });
    expect(sink.lines[0]).toBe(
      'connector process started {"connector":"files","pid":4242,"command":"/usr/bin/node"}',
    );
  });
});
