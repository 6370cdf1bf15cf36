// The audit durability rule (docs/security-model.md, "Audit"), performed on the real
// `gatehouse serve`: while audit rows stream in, a revocation is acknowledged and the process is
// killed with SIGKILL at once. After reopening its database, the revocation holds, every grant it had
// confirmed is there, and so is every audit row recorded more than the documented window before the kill.
import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { DATABASE_FILE } from '../../../main/core/engine/engine-record.js';
import { freePort } from '../../support/conformance-suite.js';
import { obtainTokens, type EngineLike } from '../../support/raw-oauth.js';
import { killHard, startServe } from '../../support/serve-process.js';

/** How long the audit log holds a record before writing it (audit-log.ts). */
const AUDIT_WRITE_WINDOW_MS = 50;

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A request the door refuses (a foreign Host header: DNS rebinding), which the engine audits as
 * `http.request_refused` with its path; resolves when the 403 has arrived.
 */
function refusedRequest(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: 'rebound.example' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('audit durability', () => {
  it('keeps an acknowledged revocation and every audit row older than the window across SIGKILL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-crash-'));
    dirs.push(dataDir);
    const port = await freePort();
    const { child } = await startServe(dataDir, port, children);
    const api = EngineClient.connect(dataDir);
    const issuer = `http://127.0.0.1:${port}`;
    const engine: EngineLike = {
      issuer,
      mcpUrl: `${issuer}/mcp`,
      call: api.call.bind(api) as EngineLike['call'],
    };

    const kept = await obtainTokens(engine, { access: 'read' });
    const revoked = await obtainTokens(engine, { access: 'write' });

    // Audit rows stream in (one refused request after another) while the revocation is made.
    const answered: Array<{ path: string; at: number }> = [];
    let streaming = true;
    const stream = (async () => {
      for (let n = 0; streaming; n++) {
        const path = `/durability-probe-${n}`;
        try {
          expect(await refusedRequest(port, path)).toBe(403);
        } catch {
          return; // the process is gone: only answers received count
        }
        answered.push({ path, at: Date.now() });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await engine.call('clients.revoke', { clientId: revoked.clientId });
    // Acknowledged: pull the plug at once.
    const killedAt = Date.now();
    await killHard(child);
    streaming = false;
    await stream;

    const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: false });
    try {
      const grants = db.prepare('SELECT client_id FROM grants').all() as Array<{ client_id: string }>;
      expect(grants.map((row) => row.client_id)).toEqual([kept.clientId]);
      const refusedPaths = new Set(
        (
          db.prepare("SELECT detail FROM audit WHERE type = 'http.request_refused'").all() as Array<{
            detail: string;
          }>
        ).map((row) => (JSON.parse(row.detail) as { path: string }).path),
      );
      // Three windows: on a loaded machine the write timer itself may fire a little late.
      const old = answered.filter((probe) => probe.at < killedAt - 3 * AUDIT_WRITE_WINDOW_MS);
      expect(old.length).toBeGreaterThan(10);
      expect(old.filter((probe) => !refusedPaths.has(probe.path))).toEqual([]);
      // The grants' own audit rows are long past the window too.
      const consented = db
        .prepare("SELECT client_id FROM audit WHERE type = 'consent.granted' ORDER BY id")
        .all() as Array<{ client_id: string }>;
      expect(consented.map((row) => row.client_id)).toEqual([kept.clientId, revoked.clientId]);
    } finally {
      db.close();
    }
  }, 60_000);
});
