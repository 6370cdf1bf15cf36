// The desktop secret vault: Electron safeStorage, which keeps its key in the OS keychain (macOS
// Keychain, Windows DPAPI, the Secret Service or KWallet on Linux). Where no keychain is usable it
// falls back to the core's key-file vault and says so, because that protects secrets less.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, SecretVault } from '../core/effects.js';
import { GatehouseError } from '../core/errors.js';
import {
  keyFileVault,
  SEALED_BY_KEY_FILE,
  SEALED_BY_OS_KEYCHAIN,
  VAULT_KEY_FILE,
} from '../core/store/key-file-vault.js';

/** The part of Electron's `safeStorage` the vault uses; tests pass a fake. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which password store backs the key ('basic_text' means none). */
  getSelectedStorageBackend?(): string;
}

// The first byte of every stored secret says what sealed it (see key-file-vault.ts), so a data
// folder first used headless still opens in the desktop app.
const KEYCHAIN_FORMAT = SEALED_BY_OS_KEYCHAIN;
const KEY_FILE_FORMAT = SEALED_BY_KEY_FILE;

export interface SafeStorageVaultOptions {
  /** Reads secrets sealed earlier by the key-file vault; undefined when there is no key file. */
  keyFileVault?: () => SecretVault | undefined;
}

export function safeStorageVault(
  safeStorage: SafeStorageLike,
  options: SafeStorageVaultOptions = {},
): SecretVault {
  let legacy: SecretVault | undefined;
  return {
    kind: 'os-keychain',
    encrypt(plaintext) {
      return Buffer.concat([Buffer.from([KEYCHAIN_FORMAT]), safeStorage.encryptString(plaintext)]);
    },
    decrypt(ciphertext) {
      if (ciphertext[0] === KEYCHAIN_FORMAT) {
        try {
          return safeStorage.decryptString(ciphertext.subarray(1));
        } catch (cause) {
          throw new GatehouseError(
            'internal',
            'A stored secret could not be decrypted with the OS keychain: the keychain is locked or its Gatehouse entry has changed.',
            { cause },
          );
        }
      }
      if (ciphertext[0] === KEY_FILE_FORMAT) {
        legacy ??= options.keyFileVault?.();
        if (legacy) return legacy.decrypt(ciphertext);
        throw new GatehouseError(
          'internal',
          `A stored secret was sealed with a key file (${VAULT_KEY_FILE} in the data folder), and that file is missing.`,
        );
      }
      throw new GatehouseError('internal', 'A stored secret is not in a format this Gatehouse can read.');
    },
  };
}

export interface DesktopVaultOptions {
  safeStorage: SafeStorageLike;
  dataDir: string;
  logger: Logger;
  platform?: NodeJS.Platform;
}

/**
 * The keychain vault when the OS offers one; the key-file vault otherwise. On Linux without a
 * keyring Electron reports encryption as available but seals with a fixed password ('basic_text'),
 * which is weaker than a random key file, so that counts as unavailable too.
 */
export function desktopVault({
  safeStorage,
  dataDir,
  logger,
  platform = process.platform,
}: DesktopVaultOptions): SecretVault {
  const keyFilePath = join(dataDir, VAULT_KEY_FILE);
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    logger.warn(
      'The OS keychain is not available, so stored secrets are protected less: they are sealed with a key file in the data folder, and anyone who can read that folder can read them.',
      { keyFile: keyFilePath, ...(backend ? { backend } : {}) },
    );
    return keyFileVault(keyFilePath);
  }
  return safeStorageVault(safeStorage, {
    keyFileVault: () => (existsSync(keyFilePath) ? keyFileVault(keyFilePath) : undefined),
  });
}
