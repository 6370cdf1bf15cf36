// The headless vault: round trip, a key file created 0600 and reused, damaged input refused with a
// sentence, and secrets sealed by the desktop app's keychain explained rather than garbled.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  keyFileVault,
  SEALED_BY_OS_KEYCHAIN,
  VAULT_KEY_FILE,
} from '../../../main/core/store/key-file-vault.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-vault-'));
  dirs.push(dir);
  return dir;
}

describe('keyFileVault', () => {
  it('round-trips and reuses its 0600 key file', () => {
    const path = join(freshDir(), 'nested', VAULT_KEY_FILE);
    const sealed = keyFileVault(path).encrypt('upstream-token');
    expect(sealed.toString('utf8')).not.toContain('upstream-token');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(keyFileVault(path).decrypt(sealed)).toBe('upstream-token');
  });

  it('refuses tampered ciphertext and explains keychain-sealed secrets', () => {
    const vault = keyFileVault(join(freshDir(), VAULT_KEY_FILE));
    const sealed = vault.encrypt('x');
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    expect(() => vault.decrypt(sealed)).toThrow(
      'A stored secret could not be decrypted: the vault key has changed.',
    );
    expect(() => vault.decrypt(Buffer.from([SEALED_BY_OS_KEYCHAIN, 1, 2, 3]))).toThrow(
      "This data directory's secrets were sealed with the OS keychain by the Gatehouse desktop app; open the app instead of running `gatehouse serve` on it.",
    );
    expect(() => vault.decrypt(Buffer.from([9]))).toThrow(
      'A stored secret is not in a format this Gatehouse can read.',
    );
  });
});
