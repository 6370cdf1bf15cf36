// The desktop vault: safeStorage when the OS keychain is usable, the key-file vault (with a warning)
// when it is not, and secrets sealed earlier by `gatehouse serve` still readable.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFileVault, VAULT_KEY_FILE } from '../../main/core/store/key-file-vault.js';
import { desktopVault, safeStorageVault } from '../../main/desktop/safe-storage-vault.js';
import { silentLogger } from '../support/engine-fixture.js';
import { fakeSafeStorage } from '../support/electron-fakes.js';

const WEAKER =
  'The OS keychain is not available, so stored secrets are protected less: they are sealed with a key file in the data folder, and anyone who can read that folder can read them.';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-vault-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('safeStorageVault', () => {
  it('round-trips through safeStorage and never stores the plaintext', () => {
    const safeStorage = fakeSafeStorage();
    const vault = safeStorageVault(safeStorage);
    const secret = 'upstream-token-ABC123 ✓';
    const sealed = vault.encrypt(secret);
    expect(vault.kind).toBe('os-keychain');
    expect(safeStorage.encryptions).toBe(1);
    expect(sealed.includes(Buffer.from('upstream-token'))).toBe(false);
    expect(vault.decrypt(sealed)).toBe(secret);
  });

  it('says the keychain failed when another keychain sealed the secret', () => {
    const sealed = safeStorageVault(fakeSafeStorage()).encrypt('secret');
    expect(() => safeStorageVault(fakeSafeStorage()).decrypt(sealed)).toThrow(
      'A stored secret could not be decrypted with the OS keychain: the keychain is locked or its Gatehouse entry has changed.',
    );
  });

  it('reads secrets sealed by the key-file vault through the key file', () => {
    const dir = dataDir();
    const keyFile = keyFileVault(join(dir, VAULT_KEY_FILE));
    const vault = safeStorageVault(fakeSafeStorage(), { keyFileVault: () => keyFile });
    expect(vault.decrypt(keyFile.encrypt('sealed headless'))).toBe('sealed headless');
  });

  it('says which file is missing when a key-file secret has no key file', () => {
    const dir = dataDir();
    const sealed = keyFileVault(join(dir, VAULT_KEY_FILE)).encrypt('x');
    expect(() =>
      safeStorageVault(fakeSafeStorage(), { keyFileVault: () => undefined }).decrypt(sealed),
    ).toThrow(
      'A stored secret was sealed with a key file (vault.key in the data folder), and that file is missing.',
    );
  });

  it('refuses bytes in no known format', () => {
    expect(() => safeStorageVault(fakeSafeStorage()).decrypt(Buffer.from('v10garbage'))).toThrow(
      'A stored secret is not in a format this Gatehouse can read.',
    );
  });
});

describe('desktopVault', () => {
  it('uses the OS keychain when encryption is available, and creates no key file', () => {
    const dir = dataDir();
    const logs: string[] = [];
    const vault = desktopVault({
      safeStorage: fakeSafeStorage(),
      dataDir: dir,
      logger: silentLogger(logs),
      platform: 'darwin',
    });
    expect(vault.kind).toBe('os-keychain');
    expect(vault.decrypt(vault.encrypt('s'))).toBe('s');
    expect(existsSync(join(dir, VAULT_KEY_FILE))).toBe(false);
    expect(logs).toEqual([]);
  });

  it('falls back to the key-file vault and warns when encryption is unavailable', () => {
    const dir = dataDir();
    const logs: string[] = [];
    const safeStorage = fakeSafeStorage({ available: false });
    const vault = desktopVault({ safeStorage, dataDir: dir, logger: silentLogger(logs), platform: 'darwin' });
    expect(vault.kind).toBe('key-file');
    expect(vault.decrypt(vault.encrypt('s'))).toBe('s');
    expect(safeStorage.encryptions).toBe(0);
    expect(existsSync(join(dir, VAULT_KEY_FILE))).toBe(true);
    expect(logs).toEqual([`warn ${WEAKER} ${JSON.stringify({ keyFile: join(dir, VAULT_KEY_FILE) })}`]);
  });

  it("treats Linux's basic_text store (a fixed password) as no keychain", () => {
    const dir = dataDir();
    const logs: string[] = [];
    const vault = desktopVault({
      safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
      dataDir: dir,
      logger: silentLogger(logs),
      platform: 'linux',
    });
    expect(vault.kind).toBe('key-file');
    expect(logs).toEqual([
      `warn ${WEAKER} ${JSON.stringify({ keyFile: join(dir, VAULT_KEY_FILE), backend: 'basic_text' })}`,
    ]);
  });

  it('uses a Linux keyring when one backs safeStorage', () => {
    const vault = desktopVault({
      safeStorage: fakeSafeStorage({ backend: 'gnome_libsecret' }),
      dataDir: dataDir(),
      logger: silentLogger(),
      platform: 'linux',
    });
    expect(vault.kind).toBe('os-keychain');
  });

  it('opens a data folder first used by `gatehouse serve` (its key file)', () => {
    const dir = dataDir();
    const sealedHeadless = keyFileVault(join(dir, VAULT_KEY_FILE)).encrypt('from serve');
    const vault = desktopVault({
      safeStorage: fakeSafeStorage(),
      dataDir: dir,
      logger: silentLogger(),
      platform: 'win32',
    });
    expect(vault.kind).toBe('os-keychain');
    expect(vault.decrypt(sealedHeadless)).toBe('from serve');
  });
});
