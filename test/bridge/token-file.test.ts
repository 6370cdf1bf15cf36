// The bridge's token file: user-only permissions, atomic replacement, and records it cannot use
// treated as absent (so they are replaced, never half-used).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileNameFor, TokenFile, type BridgeRecord } from '../../main/bridge/token-file.js';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-tokens-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const record: BridgeRecord = {
  version: 1,
  mcpUrl: 'http://127.0.0.1:7777/mcp',
  client: { client_id: 'gh_abc', redirect_uris: ['http://127.0.0.1/gatehouse-bridge/callback'] },
  tokens: { access_token: 'a', token_type: 'Bearer', refresh_token: 'r', obtained_at: 1, expires_at: 2 },
  updatedAt: 3,
};

describe('TokenFile', () => {
  it('names the file after the bridge', () => {
    const file = new TokenFile(dataDir, 'Claude Desktop');
    expect(file.path).toBe(join(dataDir, 'bridge', 'claude-desktop.json'));
    expect(file.lockPath).toBe(join(dataDir, 'bridge', 'claude-desktop.json.lock'));
    expect(fileNameFor('  Cursör / Work  ')).toBe('cursor-work');
    expect(fileNameFor('../../etc')).toBe('etc');
    expect(fileNameFor('???')).toBe('bridge');
  });

  it('writes atomically, for the user alone, and reads back what it wrote', () => {
    const file = new TokenFile(dataDir, 'Claude Desktop');
    expect(file.read()).toBeUndefined();
    file.write(record);
    expect(file.read()).toEqual(record);
    file.write({ ...record, updatedAt: 4 });
    expect(file.read()?.updatedAt).toBe(4);
    expect(readdirSync(join(dataDir, 'bridge'))).toEqual(['claude-desktop.json']);
    if (process.platform !== 'win32') {
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(statSync(file.directory).mode & 0o777).toBe(0o700);
    }
  });

  it.skipIf(process.platform === 'win32')('tightens a directory that others could read', () => {
    mkdirSync(join(dataDir, 'bridge'), { mode: 0o755 });
    chmodSync(join(dataDir, 'bridge'), 0o755);
    new TokenFile(dataDir, 'x').write(record);
    expect(statSync(join(dataDir, 'bridge')).mode & 0o777).toBe(0o700);
  });

  it('treats a file it cannot use as absent', () => {
    const file = new TokenFile(dataDir, 'x');
    file.ensureDirectory();
    for (const text of ['not json', '{"version":2,"mcpUrl":"x"}', '{"version":1}', 'null']) {
      writeFileSync(file.path, text);
      expect(file.read()).toBeUndefined();
    }
  });
});
