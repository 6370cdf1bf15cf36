// A fake of Electron's safeStorage (the OS keychain) with a real cipher, for the desktop vault's tests.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../../main/desktop/safe-storage-vault.js';

/**
 * safeStorage with a real cipher under a per-instance key (so a ciphertext from another "keychain"
 * fails to decrypt, as it would), the availability the test chooses, and `reEncrypt` to play a
 * keychain that rotated its key (decryptStringAsync then says shouldReEncrypt). The synchronous
 * decryptString (deprecated in Electron 45) reads the same ciphertexts, as Electron's does.
 */
export function fakeSafeStorage(
  options: { available?: boolean; backend?: string; reEncrypt?: boolean } = {},
): SafeStorageLike & {
  encryptions: number;
  decryptions: number;
  decryptString(encrypted: Buffer): string;
  sealLegacy(plainText: string): Buffer;
} {
  const key = randomBytes(32);
  const seal = (plainText: string): Buffer => {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.update(plainText, 'utf8'), cipher.final()]);
  };
  const open = (encrypted: Buffer): string => {
    if (encrypted.subarray(0, 3).toString() !== 'v11')
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const decipher = createDecipheriv('aes-256-cbc', key, encrypted.subarray(3, 19));
    return Buffer.concat([decipher.update(encrypted.subarray(19)), decipher.final()]).toString('utf8');
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
      return { result: open(encrypted), shouldReEncrypt: options.reEncrypt ?? false };
    },
    decryptString: open,
    /** Seals as the first desktop builds did, one secret at a time (synchronous encryptString). */
    sealLegacy: seal,
  };
  return state;
}
