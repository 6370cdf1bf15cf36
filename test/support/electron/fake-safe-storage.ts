// A fake of Electron's safeStorage (the OS keychain) with a real cipher, for the desktop vault's tests.
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { SecretVault } from '../../../main/core/effects.js';
import { SEALED_BY_OS_KEYCHAIN } from '../../../main/core/store/key-file-vault.js';
import type { SafeStorageLike } from '../../../main/desktop/safe-storage-vault.js';

/**
 * Chromium's built-in key on Linux, public in its source: PBKDF2-HMAC-SHA1 of "peanuts" with the salt
 * "saltysalt", one iteration, 16 bytes; data is AES-128-CBC under it with an IV of 16 spaces, after
 * "v10" (os_crypt's sync backend, duplicated in os_crypt_async's PosixKeyProvider).
 */
const CHROMIUM_BUILT_IN_KEY = pbkdf2Sync('peanuts', 'saltysalt', 1, 16, 'sha1');
const CHROMIUM_CBC_IV = Buffer.alloc(16, ' ');

/** Opens data sealed with Chromium's built-in key, as anyone who reads the file can. */
export function openWithBuiltInKey(sealed: Buffer): string {
  if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('not sealed with the built-in key');
  const decipher = createDecipheriv('aes-128-cbc', CHROMIUM_BUILT_IN_KEY, CHROMIUM_CBC_IV);
  return Buffer.concat([decipher.update(sealed.subarray(3)), decipher.final()]).toString('utf8');
}

/**
 * safeStorage with a real cipher under a per-keychain key, and the availability the test chooses.
 * By default the cipher is authenticated (AES-256-GCM, as Chromium seals on Windows), so a ciphertext
 * from another "keychain" always fails to decrypt and a test expecting that failure never fails at
 * random. `cipher: 'aes-128-cbc'` seals as macOS and a Linux keyring do (AES-128-CBC, an IV of 16
 * spaces, "v11" as on Linux): unauthenticated, so another keychain's ciphertext fails only by its
 * padding, and about once in 256 opens to garbage. `seed` makes the key from a word, so a test finds
 * the same ciphertexts every run. `reEncrypt` plays a keychain that rotated its key
 * (decryptStringAsync then says shouldReEncrypt). The synchronous encryptString and decryptString
 * (deprecated in Electron 45; the first desktop builds sealed each secret with them) read and write
 * the same ciphertexts, as Electron's do, and decryptString turns bytes that are not UTF-8 into
 * U+FFFD and an empty buffer into "", as Electron's does. `builtInKey` plays Linux with no keyring
 * answering: sealing uses Chromium's built-in key ("v10"), whatever the backend says; without it,
 * "v10" data still opens and asks to be sealed again, as OSCryptAsync does when a better key than the
 * one that sealed it is there.
 */
export function fakeSafeStorage(
  options: {
    available?: boolean;
    backend?: string;
    reEncrypt?: boolean;
    builtInKey?: boolean;
    cipher?: 'aes-256-gcm' | 'aes-128-cbc';
    seed?: string;
  } = {},
): SafeStorageLike & {
  encryptions: number;
  decryptions: number;
  syncDecryptions: number;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
} {
  const key =
    options.seed === undefined ? randomBytes(32) : createHash('sha256').update(options.seed).digest();
  const cbc = options.cipher === 'aes-128-cbc';
  const seal = (plainText: string): Buffer => {
    if (options.builtInKey) {
      const cipher = createCipheriv('aes-128-cbc', CHROMIUM_BUILT_IN_KEY, CHROMIUM_CBC_IV);
      return Buffer.concat([Buffer.from('v10'), cipher.update(plainText, 'utf8'), cipher.final()]);
    }
    if (cbc) {
      const cipher = createCipheriv('aes-128-cbc', key.subarray(0, 16), CHROMIUM_CBC_IV);
      return Buffer.concat([Buffer.from('v11'), cipher.update(plainText, 'utf8'), cipher.final()]);
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
  };
  const decrypt = (encrypted: Buffer): Buffer => {
    if (encrypted.subarray(0, 3).toString() !== 'v11' || options.builtInKey) throw new Error('not sealed');
    if (cbc) {
      const decipher = createDecipheriv('aes-128-cbc', key.subarray(0, 16), CHROMIUM_CBC_IV);
      return Buffer.concat([decipher.update(encrypted.subarray(3)), decipher.final()]);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(3, 15));
    decipher.setAuthTag(encrypted.subarray(15, 31));
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]);
  };
  const open = (encrypted: Buffer): string => {
    if (encrypted.subarray(0, 3).toString() === 'v10') return openWithBuiltInKey(encrypted);
    try {
      // Buffer's UTF-8 decoding replaces what is not UTF-8 with U+FFFD, as V8's does for Electron.
      return decrypt(encrypted).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  };
  const state = {
    encryptions: 0,
    decryptions: 0,
    syncDecryptions: 0,
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    async encryptStringAsync(plainText: string): Promise<Buffer> {
      state.encryptions++;
      return seal(plainText);
    },
    async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
      state.decryptions++;
      const builtIn = encrypted.subarray(0, 3).toString() === 'v10';
      return {
        result: open(encrypted),
        shouldReEncrypt: (options.reEncrypt ?? false) || (builtIn && !options.builtInKey),
      };
    },
    /** Seals as the first desktop builds did, one secret at a time. */
    encryptString: seal,
    decryptString(encrypted: Buffer): string {
      state.syncDecryptions++;
      // Electron's own shortcut: no bytes decrypt to "" (electron_api_safe_storage.cc).
      return encrypted.length === 0 ? '' : open(encrypted);
    },
  };
  return state;
}

/**
 * A secret `sealer` seals (synchronous API) so that `opener`'s key passes AES-CBC's padding check on
 * it, about one in 256: what the wrong keychain reads is garbage, not an error. With seeded keys the
 * same every run.
 */
export function sealedIntoGarbage(
  sealer: { encryptString(plainText: string): Buffer },
  opener: { decryptString(encrypted: Buffer): string },
): { secret: string; sealed: Buffer; garbage: string } {
  for (let i = 0; i < 100_000; i++) {
    const secret = `sk-live-${i}`;
    const sealed = sealer.encryptString(secret);
    try {
      return { secret, sealed, garbage: opener.decryptString(sealed) };
    } catch {
      // A padding error: what a wrong key gives 255 times in 256.
    }
  }
  throw new Error('no ciphertext passed the padding check');
}

/**
 * The vault of the first desktop builds: each secret sealed on its own by safeStorage's synchronous
 * API behind the format byte 0x6b. Tests write a data folder with it as those builds did.
 */
export function firstBuildsVault(safeStorage: {
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}): SecretVault {
  return {
    kind: 'os-keychain',
    encrypt: (plaintext) =>
      Buffer.concat([Buffer.from([SEALED_BY_OS_KEYCHAIN]), safeStorage.encryptString(plaintext)]),
    decrypt: (ciphertext) => safeStorage.decryptString(ciphertext.subarray(1)),
  };
}
