// The desktop vault: one random key sealed by safeStorage's asynchronous API (the OS keychain),
// secrets sealed under it; the key re-sealed when the keychain rotated; secrets sealed earlier by
// `gatehouse serve` or by the first desktop builds still readable (those opened for the engine to seal
// again, never as what a wrong keychain makes of them); and the key-file vault (with a warning) when no
// keychain is usable — with a message in a desktop user's words for secrets only the keychain can open.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  keyFileVault,
  SEALED_BY_KEYCHAIN_KEY,
  SEALED_BY_OS_KEYCHAIN,
  VAULT_KEY_FILE,
} from '../../main/core/store/key-file-vault.js';
import {
  keychainUnavailableMessage,
  openDesktopVault,
  type SafeStorageLike,
} from '../../main/desktop/safe-storage-vault.js';
import { silentLogger } from '../support/engine-fixture.js';
import {
  fakeSafeStorage,
  openWithBuiltInKey,
  sealedIntoGarbage,
} from '../support/electron/fake-safe-storage.js';

/** What the user reads when Electron sealed with Chromium's built-in key (safe-storage-vault.ts). */
const BUILT_IN_KEY_WARNING =
  "No keyring answered (Secret Service or KWallet), so Electron sealed with Chromium's built-in key, which anyone can use: Gatehouse counts that as no OS keychain.";

/** What the user reads when no OS keychain is available (safe-storage-vault.ts). */
const WEAKER_VAULT_WARNING =
  'The OS keychain is not available, so stored secrets are protected less: they are sealed with a key file in the data folder, and anyone who can read that folder can read them.';

/** What the vault says of a secret the first builds sealed that the keychain cannot decrypt. */
const LEGACY_NOT_OPENED =
  'A stored secret could not be decrypted with the OS keychain: the keychain is locked or its Gatehouse entry has changed.';

/** What it says of one the keychain opens to bytes that are not text (another keychain's garbage). */
const LEGACY_NOT_TEXT =
  'A stored secret an earlier Gatehouse sealed with the OS keychain opened to bytes that are not text: it was sealed under another keychain key (the Gatehouse entry in the keychain was replaced, or the data folder comes from another machine) and cannot be recovered here. Enter it again.';

/** The file that holds the vault key sealed by the OS keychain (safe-storage-vault.ts). */
const KEYCHAIN_KEY_FILE = 'vault-key.keychain';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-vault-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(
  safeStorage: SafeStorageLike,
  dir: string,
  platform: NodeJS.Platform = 'darwin',
  logs: string[] = [],
) {
  return openDesktopVault({ safeStorage, dataDir: dir, logger: silentLogger(logs), platform });
}

describe('openDesktopVault with a keychain', () => {
  it('makes one key, seals it with the keychain, and seals secrets under it (never the plaintext)', async () => {
    const dir = dataDir();
    const safeStorage = fakeSafeStorage();
    const logs: string[] = [];
    const vault = await open(safeStorage, dir, 'darwin', logs);
    expect(vault.kind).toBe('os-keychain');
    const secret = 'upstream-token-ABC123 ✓';
    const sealed = vault.encrypt(secret);
    expect(sealed[0]).toBe(SEALED_BY_KEYCHAIN_KEY);
    expect(sealed.includes(Buffer.from('upstream-token'))).toBe(false);
    expect(vault.decrypt(sealed)).toBe(secret);
    // The keychain sealed the key once; secrets never go through it.
    vault.encrypt('another');
    expect(safeStorage.encryptions).toBe(1);
    const keyFile = join(dir, KEYCHAIN_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile).subarray(0, 3).toString()).toBe('v11');
    expect(existsSync(join(dir, VAULT_KEY_FILE))).toBe(false);
    expect(logs).toEqual([]);
  });

  it('opens the same secrets after a restart, unsealing the key once with decryptStringAsync', async () => {
    const dir = dataDir();
    const safeStorage = fakeSafeStorage();
    const sealed = (await open(safeStorage, dir)).encrypt('kept');
    const again = await open(safeStorage, dir);
    expect(again.decrypt(sealed)).toBe('kept');
    expect([safeStorage.encryptions, safeStorage.decryptions]).toEqual([1, 1]);
  });

  it('seals the key again when the keychain says it rotated (shouldReEncrypt), and still opens old secrets', async () => {
    const dir = dataDir();
    const first = fakeSafeStorage();
    const sealed = (await open(first, dir)).encrypt('kept');
    const before = readFileSync(join(dir, KEYCHAIN_KEY_FILE));
    const rotated = Object.assign(Object.create(first) as typeof first, {
      decryptStringAsync: async (encrypted: Buffer) => ({
        ...(await first.decryptStringAsync(encrypted)),
        shouldReEncrypt: true,
      }),
    });
    const vault = await open(rotated, dir);
    expect(vault.decrypt(sealed)).toBe('kept');
    expect(readFileSync(join(dir, KEYCHAIN_KEY_FILE)).equals(before)).toBe(false);
    expect(existsSync(join(dir, `${KEYCHAIN_KEY_FILE}.new`))).toBe(false);
    expect((await open(first, dir)).decrypt(sealed)).toBe('kept');
  });

  it('says what to do when the keychain cannot unseal the key (another keychain, a locked one)', async () => {
    const dir = dataDir();
    await open(fakeSafeStorage(), dir);
    await expect(open(fakeSafeStorage(), dir)).rejects.toThrow(
      `Gatehouse's vault key (${join(dir, KEYCHAIN_KEY_FILE)}) could not be unsealed with the OS keychain: the keychain is locked, or its Gatehouse entry was removed or changed. Unlock the keychain and open Gatehouse again; if the entry is gone, the stored secrets cannot be recovered.`,
    );
  });

  it('opens a data folder first used by `gatehouse serve` (its key file)', async () => {
    const dir = dataDir();
    const sealedHeadless = keyFileVault(join(dir, VAULT_KEY_FILE)).encrypt('from serve');
    const vault = await open(fakeSafeStorage(), dir, 'win32');
    expect(vault.kind).toBe('os-keychain');
    expect(vault.decrypt(sealedHeadless)).toBe('from serve');
  });

  it('says which file is missing when a key-file secret has no key file', async () => {
    const other = dataDir();
    const sealed = keyFileVault(join(other, VAULT_KEY_FILE)).encrypt('x');
    const vault = await open(fakeSafeStorage(), dataDir());
    expect(() => vault.decrypt(sealed)).toThrow(
      'A stored secret was sealed with a key file (vault.key in the data folder), and that file is missing.',
    );
  });

  it('reads secrets the first desktop builds sealed one by one, through the same keychain', async () => {
    const safeStorage = fakeSafeStorage();
    const legacy = Buffer.concat([Buffer.from([SEALED_BY_OS_KEYCHAIN]), safeStorage.encryptString('older')]);
    const vault = await open(safeStorage, dataDir());
    expect(vault.decrypt(legacy)).toBe('older');
    const fromElsewhere = Buffer.concat([
      Buffer.from([SEALED_BY_OS_KEYCHAIN]),
      fakeSafeStorage().encryptString('older'),
    ]);
    expect(() => vault.decrypt(fromElsewhere)).toThrow(LEGACY_NOT_OPENED);
  });

  it('opens such a secret for the engine to seal again, through the asynchronous API, and no other', async () => {
    const dir = dataDir();
    const safeStorage = fakeSafeStorage();
    const legacy = Buffer.concat([
      Buffer.from([SEALED_BY_OS_KEYCHAIN]),
      safeStorage.encryptString('older ✓'),
    ]);
    const headless = keyFileVault(join(dir, VAULT_KEY_FILE)).encrypt('from serve');
    const vault = await open(safeStorage, dir);
    const decryptions = safeStorage.decryptions;
    expect(await vault.unsealOutdated?.(legacy)).toBe('older ✓');
    expect(safeStorage.decryptions - decryptions).toBe(1);
    expect(safeStorage.syncDecryptions).toBe(0);
    // The current format and a key file's are not outdated: the pass leaves them alone.
    expect(await vault.unsealOutdated?.(vault.encrypt('now'))).toBeUndefined();
    expect(await vault.unsealOutdated?.(headless)).toBeUndefined();
    await expect(
      vault.unsealOutdated?.(Buffer.concat([legacy.subarray(0, 1), fakeSafeStorage().encryptString('x')])),
    ).rejects.toThrow(LEGACY_NOT_OPENED);
  });

  it("never takes another keychain's AES-CBC garbage for such a secret (its padding passed by chance)", async () => {
    // macOS and a Linux keyring seal with AES-128-CBC: a wrong key fails by its padding, except about
    // once in 256, when it "opens" to garbage. Seeded keys find the same such secret every run.
    const login = fakeSafeStorage({ cipher: 'aes-128-cbc', seed: 'login keychain' });
    const replaced = fakeSafeStorage({ cipher: 'aes-128-cbc', seed: 'replaced keychain' });
    const { sealed, secret, garbage } = sealedIntoGarbage(login, replaced);
    expect(garbage).not.toBe(secret);
    const legacy = Buffer.concat([Buffer.from([SEALED_BY_OS_KEYCHAIN]), sealed]);
    const wrong = await open(replaced, dataDir());
    expect(() => wrong.decrypt(legacy)).toThrow(LEGACY_NOT_TEXT);
    await expect(wrong.unsealOutdated?.(legacy)).rejects.toThrow(LEGACY_NOT_TEXT);
    const right = await open(login, dataDir());
    expect(right.decrypt(legacy)).toBe(secret);
    expect(await right.unsealOutdated?.(legacy)).toBe(secret);
  });

  it('keeps tabs, line breaks and any language in such a secret, and refuses one too short to be one', async () => {
    const safeStorage = fakeSafeStorage({ cipher: 'aes-128-cbc' });
    const vault = await open(safeStorage, dataDir());
    const pem = '-----BEGIN KEY-----\r\nMIIB\tAA==\n-----END KEY-----\n… ключ 鍵 🔑';
    const legacy = Buffer.concat([Buffer.from([SEALED_BY_OS_KEYCHAIN]), safeStorage.encryptString(pem)]);
    expect(vault.decrypt(legacy)).toBe(pem);
    expect(await vault.unsealOutdated?.(legacy)).toBe(pem);
    // Electron's decryptString returns "" for no bytes at all: that is damage, not an empty secret.
    for (const damaged of [Buffer.from([SEALED_BY_OS_KEYCHAIN]), legacy.subarray(0, 19)]) {
      expect(() => vault.decrypt(damaged)).toThrow(
        'A stored secret is not in a format this Gatehouse can read.',
      );
    }
  });

  it('refuses bytes in no known format', async () => {
    const vault = await open(fakeSafeStorage(), dataDir());
    expect(() => vault.decrypt(Buffer.from('v10garbage'))).toThrow(
      'A stored secret is not in a format this Gatehouse can read.',
    );
  });

  it('uses a Linux keyring when one backs safeStorage', async () => {
    const vault = await open(fakeSafeStorage({ backend: 'gnome_libsecret' }), dataDir(), 'linux');
    expect(vault.kind).toBe('os-keychain');
  });
});

describe('openDesktopVault without a keychain', () => {
  it('falls back to the key-file vault and warns', async () => {
    const dir = dataDir();
    const logs: string[] = [];
    const safeStorage = fakeSafeStorage({ available: false });
    const vault = await open(safeStorage, dir, 'darwin', logs);
    expect(vault.kind).toBe('key-file');
    expect(vault.decrypt(vault.encrypt('s'))).toBe('s');
    expect(safeStorage.encryptions).toBe(0);
    expect(existsSync(join(dir, VAULT_KEY_FILE))).toBe(true);
    expect(logs).toEqual([
      `warn ${WEAKER_VAULT_WARNING} ${JSON.stringify({ keyFile: join(dir, VAULT_KEY_FILE) })}`,
    ]);
  });

  it("treats Linux's basic_text store (a fixed password) as no keychain", async () => {
    const dir = dataDir();
    const logs: string[] = [];
    const vault = await open(fakeSafeStorage({ backend: 'basic_text' }), dir, 'linux', logs);
    expect(vault.kind).toBe('key-file');
    expect(logs).toEqual([
      `warn ${WEAKER_VAULT_WARNING} ${JSON.stringify({ keyFile: join(dir, VAULT_KEY_FILE), backend: 'basic_text' })}`,
    ]);
  });

  it("Linux: a key the built-in key sealed ('v10', no keyring answering, backend guessed as gnome_libsecret) counts as no keychain", async () => {
    const dir = dataDir();
    const logs: string[] = [];
    const safeStorage = fakeSafeStorage({ backend: 'gnome_libsecret', builtInKey: true });
    const vault = await open(safeStorage, dir, 'linux', logs);
    expect(vault.kind).toBe('key-file');
    // Nothing sealed with a key anyone has: the key file, which `gatehouse serve` can read too.
    expect(existsSync(join(dir, KEYCHAIN_KEY_FILE))).toBe(false);
    expect(keyFileVault(join(dir, VAULT_KEY_FILE)).decrypt(vault.encrypt('token'))).toBe('token');
    expect(logs).toEqual([
      `warn ${BUILT_IN_KEY_WARNING} ${JSON.stringify({ backend: 'gnome_libsecret' })}`,
      `warn ${WEAKER_VAULT_WARNING} ${JSON.stringify({ keyFile: join(dir, VAULT_KEY_FILE) })}`,
    ]);
  });

  it('Linux: a vault key an earlier build sealed with the built-in key is readable by anyone; it says so, and is sealed again once a keyring answers', async () => {
    const dir = dataDir();
    // What an earlier Gatehouse wrote on a machine with no keyring: the same vault, key sealed "v10".
    const noKeyring = fakeSafeStorage({ builtInKey: true });
    const sealed = await noKeyring.encryptStringAsync(Buffer.alloc(32, 7).toString('base64'));
    writeFileSync(join(dir, KEYCHAIN_KEY_FILE), sealed, { mode: 0o600 });
    const before = await open(noKeyring, dir, 'linux', []);
    const secret = before.encrypt('upstream token');
    // The attack: read the data folder, open the key with Chromium's public built-in key, read the secret.
    const stolenKey = Buffer.from(openWithBuiltInKey(readFileSync(join(dir, KEYCHAIN_KEY_FILE))), 'base64');
    expect(stolenKey).toEqual(Buffer.alloc(32, 7));
    const logs: string[] = [];
    const still = await open(noKeyring, dir, 'linux', logs);
    expect(still.kind).toBe('key-file');
    expect(still.decrypt(secret)).toBe('upstream token');
    expect(logs).toEqual([
      `warn ${BUILT_IN_KEY_WARNING} ${JSON.stringify({ backend: 'gnome_libsecret', keyFile: join(dir, KEYCHAIN_KEY_FILE) })}`,
    ]);
    // A keyring now answers: the key is sealed with it ("v11"), and the same secrets open.
    const keyring = fakeSafeStorage();
    const after = await open(keyring, dir, 'linux', []);
    expect(after.kind).toBe('os-keychain');
    expect(readFileSync(join(dir, KEYCHAIN_KEY_FILE)).subarray(0, 3).toString()).toBe('v11');
    expect(() => openWithBuiltInKey(readFileSync(join(dir, KEYCHAIN_KEY_FILE)))).toThrow();
    expect(after.decrypt(secret)).toBe('upstream token');
  });

  it("macOS and Windows never read 'v10' as the built-in key (their own formats use it)", async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const vault = await open(fakeSafeStorage({ builtInKey: true }), dataDir(), platform);
      expect(vault.kind).toBe('os-keychain');
    }
  });

  it.each(['linux', 'darwin', 'win32'] as const)(
    '%s: a secret the keychain sealed says to unlock the keychain, never to stop `gatehouse serve`',
    async (platform) => {
      const dir = dataDir();
      const sealed = (await open(fakeSafeStorage(), dir, platform)).encrypt('sealed while it worked');
      const legacy = Buffer.from([SEALED_BY_OS_KEYCHAIN, 1, 2, 3]);
      const vault = await open(fakeSafeStorage({ available: false }), dir, platform);
      for (const ciphertext of [sealed, legacy]) {
        expect(() => vault.decrypt(ciphertext)).toThrow(keychainUnavailableMessage(platform));
      }
      expect(keychainUnavailableMessage(platform)).not.toContain('gatehouse serve');
    },
  );

  it('words the Linux and macOS messages for what a user can do there', () => {
    expect(keychainUnavailableMessage('linux')).toBe(
      "Gatehouse's stored secrets are sealed with a key kept in the OS keychain, and the keychain cannot be used right now (on Linux, a Secret Service such as GNOME Keyring, or KWallet, must be running and unlocked). Unlock it, then open Gatehouse again.",
    );
    expect(keychainUnavailableMessage('darwin')).toContain('(the login keychain must be unlocked');
  });
});

describe('the headless key-file vault on a folder the app sealed', () => {
  it('still tells a `gatehouse serve` user to open the app, for both keychain formats', async () => {
    const dir = dataDir();
    const sealed = (await open(fakeSafeStorage(), dir)).encrypt('x');
    expect(() => keyFileVault(join(dir, VAULT_KEY_FILE)).decrypt(sealed)).toThrow(
      "This data directory's secrets were sealed with the OS keychain by the Gatehouse desktop app; open the app instead of running `gatehouse serve` on it.",
    );
  });
});
