// A fake of Electron's safeStorage (the OS keychain) with a real cipher, for the desktop vault's tests.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../../main/desktop/safe-storage-vault.js';

/**
 * Chromium's built-in key on Linux, public in its source: PBKDF2-HMAC-SHA1 of "peanuts" with the salt
 * "saltysalt", one iteration, 16 bytes; data is AES-128-CBC under it with an IV of 16 spaces, after
 * "v10" (os_crypt's sync backend, duplicated in os_crypt_async's PosixKeyProvider).
 */
const CHROMIUM_BUILT_IN_KEY = pbkdf2Sync('peanuts', 'saltysalt', 1, 16, 'sha1');
const BUILT_IN_IV = Buffer.alloc(16, ' ');

/** Opens data sealed with Chromium's built-in key, as anyone who reads the file can. */
export function openWithBuiltInKey(sealed: Buffer): string {
  if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('not sealed with the built-in key');
  const decipher = createDecipheriv('aes-128-cbc', CHROMIUM_BUILT_IN_KEY, BUILT_IN_IV);
  return Buffer.concat([decipher.update(sealed.subarray(3)), decipher.final()]).toString('utf8');
}

/**
 * safeStorage with a real authenticated cipher (AES-256-GCM, as Chromium seals on Windows) under a
 * per-instance key, so a ciphertext from another "keychain" always fails to decrypt (under CBC, as
 * macOS and Linux seal, a wrong key passes the padding check about once in 256 tries, and a test
 * that expects the failure would fail at random), the availability the test chooses, and `reEncrypt` to play a
 * keychain that rotated its key (decryptStringAsync then says shouldReEncrypt). The synchronous
 * decryptString (deprecated in Electron 45) reads the same ciphertexts, as Electron's does.
 * `builtInKey` plays Linux with no keyring answering: sealing uses Chromium's built-in key ("v10"),
 * whatever the backend says; without it, "v10" data still opens and asks to be sealed again, as
 * OSCryptAsync does when a better key than the one that sealed it is there.
 */
export function fakeSafeStorage(
  options: { available?: boolean; backend?: string; reEncrypt?: boolean; builtInKey?: boolean } = {},
): SafeStorageLike & {
  encryptions: number;
  decryptions: number;
  decryptString(encrypted: Buffer): string;
  sealLegacy(plainText: string): Buffer;
} {
  const key = randomBytes(32);
  const seal = (plainText: string): Buffer => {
    if (options.builtInKey) {
      const cipher = createCipheriv('aes-128-cbc', CHROMIUM_BUILT_IN_KEY, BUILT_IN_IV);
      return Buffer.concat([Buffer.from('v10'), cipher.update(plainText, 'utf8'), cipher.final()]);
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
  };
  const open = (encrypted: Buffer): string => {
    if (encrypted.subarray(0, 3).toString() === 'v10') return openWithBuiltInKey(encrypted);
    if (encrypted.subarray(0, 3).toString() !== 'v11' || options.builtInKey)
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(3, 15));
    decipher.setAuthTag(encrypted.subarray(15, 31));
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
  };
  const state = {
    encryptions: 0,
    decryptions: 0,
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
    decryptString: open,
    /** Seals as the first desktop builds did, one secret at a time (synchronous encryptString). */
    sealLegacy: seal,
  };
  return state;
}
