// Where a bridge keeps its client registration and tokens: <dataDir>/bridge/<name>.json, readable by
// the user alone (file 0600, directory 0700). Every bridge process started with the same name shares
// this one file, so writes are atomic (a complete temporary file renamed over the old one) and a
// reader sees either the old record or the new, never a mix.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/client';

const BRIDGE_DIR = 'bridge';

/** Tokens as stored: OAuth's names, with absolute times (ms since the epoch) instead of `expires_in`. */
export interface StoredTokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  scope?: string;
  obtained_at: number;
  expires_at?: number;
}

/** What one bridge keeps between runs: its client registration and tokens for one MCP endpoint. */
export interface BridgeRecord {
  version: 1;
  /** The MCP endpoint these credentials belong to; for any other the bridge starts afresh. */
  mcpUrl: string;
  /** The client registration (RFC 7591 response). */
  client?: OAuthClientInformationFull;
  tokens?: StoredTokens;
  updatedAt: number;
}

/**
 * A file name from the bridge's name: "Claude Desktop" → "claude-desktop".
 * @internal Exported for its tests only: the file name of every client name, checked without writing one.
 */
export function fileNameFor(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'bridge';
}

/**
 * Where a bridge's record lives (`<data dir>/bridge/<name>.json`, with its lock beside it), read and
 * written atomically.
 */
export class TokenFile {
  readonly directory: string;
  readonly path: string;
  readonly lockPath: string;

  constructor(dataDir: string, name: string) {
    this.directory = join(dataDir, BRIDGE_DIR);
    this.path = join(this.directory, `${fileNameFor(name)}.json`);
    this.lockPath = `${this.path}.lock`;
  }

  /** The stored record, or undefined when there is none or it cannot be used (then it is simply replaced). */
  read(): BridgeRecord | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const record = JSON.parse(text) as Partial<BridgeRecord>;
      if (record.version !== 1 || typeof record.mcpUrl !== 'string') return undefined;
      return record as BridgeRecord;
    } catch {
      return undefined;
    }
  }

  write(record: BridgeRecord): void {
    this.ensureDirectory();
    const draft = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(draft, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
      renameSync(draft, this.path);
    } finally {
      rmSync(draft, { force: true });
    }
  }

  /** Creates the directory (0700), tightening it if it already exists with looser rights. */
  ensureDirectory(): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(this.directory, 0o700);
  }
}
