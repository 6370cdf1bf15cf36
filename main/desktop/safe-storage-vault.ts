// The desktop secret vault. Secrets are sealed with AES-256-GCM under a random key, and that key is
// sealed by Electron safeStorage — the OS keychain (macOS Keychain, Windows DPAPI, the Secret Service
// or KWallet on Linux) — through its asynchronous API, the one Electron 45 keeps (the synchronous
// encryptString/decryptString are deprecated). The key is unsealed once when the app starts, so the
// engine's vault stays synchronous. Where no keychain is usable the app falls back to the core's
// key-file vault and says so, because that protects secrets less. Secrets the first builds sealed one
// by one with safeStorage are opened once, checked, and sealed again under the key when the engine
// starts. See docs/decisions.md ("The vault: one keychain-sealed key in the app, a key file headless").
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, SecretVault } from '../core/effects.js';
import { GatehouseError } from '../core/errors.js';
import {
  keyFileVault,
  keyVault,
  SEALED_BY_KEY_FILE,
  SEALED_BY_KEYCHAIN_KEY,
  SEALED_BY_OS_KEYCHAIN,
  VAULT_KEY_FILE,
} from '../core/store/key-file-vault.js';

/** The part of Electron's `safeStorage` the vault uses; tests pass a fake. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: which password store backs the key ('basic_text' means none). */
  getSelectedStorageBackend?(): string;
  /**
   * Deprecated in Electron 45, used only to read a secret the first desktop builds sealed one by one
   * (format 0x6b) when the engine's start could not write it sealed the current way.
   */
  decryptString?(encrypted: Buffer): string;
}

/** The vault key in the data folder, sealed by the OS keychain. */
const KEYCHAIN_KEY_FILE = 'vault-key.keychain';

/** What the user is told when no OS keychain answers and secrets are sealed with a key file instead. */
const WEAKER_VAULT_WARNING =
  'The OS keychain is not available, so stored secrets are protected less: they are sealed with a key file in the data folder, and anyone who can read that folder can read them.';

/**
 * Linux: what safeStorage's asynchronous API puts before data it sealed with Chromium's built-in key
 * (os_crypt_async's PosixKeyProvider: the fixed "peanuts" password, the fallback when no Secret
 * Service or KWallet answers); a keyring's key gives "v11" (electron_api_safe_storage.cc names both).
 */
const BUILT_IN_KEY_PREFIX = 'v10';

/** The log's word for a Linux keychain seal that turned out to be Chromium's built-in key. */
const BUILT_IN_KEY_WARNING =
  "No keyring answered (Secret Service or KWallet), so Electron sealed with Chromium's built-in key, which anyone can use: Gatehouse counts that as no OS keychain.";

/**
 * What a desktop user is told when secrets the keychain sealed cannot be opened now.
 * @internal Exported for its tests only: each platform's wording, which one machine's run cannot reach.
 */
export function keychainUnavailableMessage(platform: NodeJS.Platform): string {
  const where =
    platform === 'linux'
      ? ' (on Linux, a Secret Service such as GNOME Keyring, or KWallet, must be running and unlocked)'
      : platform === 'darwin'
        ? ' (the login keychain must be unlocked, and Gatehouse allowed to use its entry)'
        : '';
  return `Gatehouse's stored secrets are sealed with a key kept in the OS keychain, and the keychain cannot be used right now${where}. Unlock it, then open Gatehouse again.`;
}

/**
 * What the app's vault is opened with: Electron's safeStorage, the data folder, the logger and the
 * platform.
 */
export interface DesktopVaultOptions {
  safeStorage: SafeStorageLike;
  dataDir: string;
  logger: Logger;
  platform?: NodeJS.Platform;
}

/**
 * The keychain vault when the OS offers one; the key-file vault otherwise. On Linux without a
 * keyring Electron reports encryption as available but seals with a fixed password: 'basic_text'
 * when the backend says so, and — what the backend's guess from the desktop environment misses —
 * data sealed with the `v10` prefix of Chromium's built-in key. Both count as no keychain (the
 * vault's kind is 'key-file') and are logged.
 */
export async function openDesktopVault({
  safeStorage,
  dataDir,
  logger,
  platform = process.platform,
}: DesktopVaultOptions): Promise<SecretVault> {
  const keyFilePath = join(dataDir, VAULT_KEY_FILE);
  const legacyKeyFile = () => (existsSync(keyFilePath) ? keyFileVault(keyFilePath) : undefined);
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (!(await safeStorage.isAsyncEncryptionAvailable()) || backend === 'basic_text') {
    logger.warn(WEAKER_VAULT_WARNING, { keyFile: keyFilePath, ...(backend ? { backend } : {}) });
    return withoutKeychain(keyFileVault(keyFilePath), platform);
  }
  const keychainFile = join(dataDir, KEYCHAIN_KEY_FILE);
  const sealedWithBuiltInKey = (sealed: Buffer) =>
    platform === 'linux' && sealed.subarray(0, 3).toString('latin1') === BUILT_IN_KEY_PREFIX;
  const unlocked = await keychainKey(safeStorage, keychainFile, sealedWithBuiltInKey);
  if (unlocked === 'built-in-key') {
    // A first start where only the built-in key answered: the key file is the same protection and
    // `gatehouse serve` can read it too.
    logger.warn(BUILT_IN_KEY_WARNING, { backend });
    logger.warn(WEAKER_VAULT_WARNING, { keyFile: keyFilePath });
    return withoutKeychain(keyFileVault(keyFilePath), platform);
  }
  if (unlocked.builtInKey) {
    // A key an earlier Gatehouse sealed with the built-in key: still the key of the stored secrets,
    // and re-sealed with the keyring (shouldReEncrypt) once one answers.
    logger.warn(BUILT_IN_KEY_WARNING, { backend, keyFile: keychainFile });
  }
  const kind = unlocked.builtInKey ? 'key-file' : 'os-keychain';
  return keychainVault(keyVault(kind, unlocked.key, SEALED_BY_KEYCHAIN_KEY), {
    keyFileVault: legacyKeyFile,
    safeStorage,
  });
}

/**
 * The vault key: unsealed from its file, or made and sealed on first use. When the keychain says
 * its own key was rotated, the file is sealed again (written beside it, then renamed over it).
 * 'built-in-key' when a new key could only be sealed with Chromium's built-in key (nothing written);
 * `builtInKey` when the key on disk is (still) sealed with it.
 */
async function keychainKey(
  safeStorage: SafeStorageLike,
  path: string,
  sealedWithBuiltInKey: (sealed: Buffer) => boolean,
): Promise<'built-in-key' | { key: Buffer; builtInKey: boolean }> {
  if (!existsSync(path)) {
    const key = randomBytes(32);
    const sealed = await safeStorage.encryptStringAsync(key.toString('base64'));
    if (sealedWithBuiltInKey(sealed)) return 'built-in-key';
    writeFileSync(path, sealed, { mode: 0o600, flag: 'wx' });
    return { key, builtInKey: false };
  }
  let sealed: Buffer = readFileSync(path);
  let unsealed: { result: string; shouldReEncrypt: boolean };
  try {
    unsealed = await safeStorage.decryptStringAsync(sealed);
  } catch (cause) {
    throw new GatehouseError(
      'internal',
      `Gatehouse's vault key (${path}) could not be unsealed with the OS keychain: the keychain is locked, or its Gatehouse entry was removed or changed. Unlock the keychain and open Gatehouse again; if the entry is gone, the stored secrets cannot be recovered.`,
      { cause },
    );
  }
  const key = Buffer.from(unsealed.result, 'base64');
  if (key.length !== 32) {
    throw new GatehouseError('internal', `Gatehouse's vault key (${path}) is damaged (expected 32 bytes).`);
  }
  if (unsealed.shouldReEncrypt) {
    const next = `${path}.new`;
    sealed = await safeStorage.encryptStringAsync(unsealed.result);
    writeFileSync(next, sealed, { mode: 0o600 });
    renameSync(next, path);
  }
  return { key, builtInKey: sealedWithBuiltInKey(sealed) };
}

/**
 * The shortest secret the first builds sealed: the format byte, safeStorage's "v10" or "v11", and one
 * AES block. Anything shorter is damage: Electron's decryptString even returns "" for no bytes at all.
 */
const LEGACY_MIN_LENGTH = 1 + 3 + 16;

/**
 * Every value Gatehouse seals is text without control characters but tab and line breaks (user
 * entries, base64, JSON). Electron turns bytes that are not UTF-8 into U+FFFD, so a value holding
 * U+FFFD, U+FFFE, U+FFFF, another control character or a lone surrogate is no string Gatehouse sealed:
 * it is what a wrong key makes of an AES-CBC seal (macOS, a Linux keyring) whose padding passed by
 * chance, about once in 256. Refused, such garbage gets through about once in 30 million for a secret
 * of up to 15 bytes, and far more rarely for longer ones (docs/security-model.md, "Secrets").
 */
const SEALED_TEXT = /^[\t\n\r\x20-\x7e\u00a0-\ud7ff\ue000-\ufffc\u{10000}-\u{10ffff}]*$/u;

/** Said of a secret the first builds sealed that the keychain cannot open now. */
const LEGACY_NOT_OPENED =
  'A stored secret could not be decrypted with the OS keychain: the keychain is locked or its Gatehouse entry has changed.';

/** Said of a secret the first builds sealed that the keychain opened to something no secret is. */
const LEGACY_NOT_TEXT =
  'A stored secret an earlier Gatehouse sealed with the OS keychain opened to bytes that are not text: it was sealed under another keychain key (the Gatehouse entry in the keychain was replaced, or the data folder comes from another machine) and cannot be recovered here. Enter it again.';

/** The safeStorage bytes of a secret the first builds sealed, or a sentence when there are too few. */
function legacyBody(sealed: Buffer): Buffer {
  if (sealed.length < LEGACY_MIN_LENGTH) {
    throw new GatehouseError('internal', 'A stored secret is not in a format this Gatehouse can read.');
  }
  return sealed.subarray(1);
}

/** What the keychain opened, if it is what Gatehouse could have sealed; never garbage as a value. */
function legacyText(opened: string): string {
  if (!SEALED_TEXT.test(opened)) throw new GatehouseError('internal', LEGACY_NOT_TEXT);
  return opened;
}

/**
 * New secrets under the keychain key; older ones read by what sealed them (their first byte). Those
 * the first builds sealed one by one are opened once, when the engine starts, and sealed again the
 * current way (`unsealOutdated`, with safeStorage's asynchronous API, which reads what the synchronous
 * one sealed); the deprecated decryptString reads one later only if that pass could not write it.
 */
function keychainVault(
  current: SecretVault,
  older: { keyFileVault: () => SecretVault | undefined; safeStorage: SafeStorageLike },
): SecretVault {
  let keyFile: SecretVault | undefined;
  return {
    kind: current.kind,
    encrypt: (plaintext) => current.encrypt(plaintext),
    decrypt(ciphertext) {
      if (ciphertext[0] === SEALED_BY_KEYCHAIN_KEY) return current.decrypt(ciphertext);
      if (ciphertext[0] === SEALED_BY_KEY_FILE) {
        keyFile ??= older.keyFileVault();
        if (keyFile) return keyFile.decrypt(ciphertext);
        throw new GatehouseError(
          'internal',
          `A stored secret was sealed with a key file (${VAULT_KEY_FILE} in the data folder), and that file is missing.`,
        );
      }
      if (ciphertext[0] === SEALED_BY_OS_KEYCHAIN) {
        if (!older.safeStorage.decryptString) {
          throw new GatehouseError(
            'internal',
            'A stored secret was sealed by an earlier Gatehouse in a way this Electron can no longer read: enter it again.',
          );
        }
        const body = legacyBody(ciphertext);
        let opened: string;
        try {
          opened = older.safeStorage.decryptString(body);
        } catch (cause) {
          throw new GatehouseError('internal', LEGACY_NOT_OPENED, { cause });
        }
        return legacyText(opened);
      }
      throw new GatehouseError('internal', 'A stored secret is not in a format this Gatehouse can read.');
    },
    async unsealOutdated(sealed) {
      if (sealed[0] !== SEALED_BY_OS_KEYCHAIN) return undefined;
      const body = legacyBody(sealed);
      let opened: string;
      try {
        // shouldReEncrypt is moot: the secret is sealed again under the vault key either way.
        ({ result: opened } = await older.safeStorage.decryptStringAsync(body));
      } catch (cause) {
        throw new GatehouseError('internal', LEGACY_NOT_OPENED, { cause });
      }
      return legacyText(opened);
    },
  };
}

/** The key-file vault for a desktop user whose keychain is away: keychain secrets say so, in their words. */
function withoutKeychain(fallback: SecretVault, platform: NodeJS.Platform): SecretVault {
  return {
    kind: fallback.kind,
    encrypt: (plaintext) => fallback.encrypt(plaintext),
    decrypt(ciphertext) {
      if (ciphertext[0] === SEALED_BY_KEYCHAIN_KEY || ciphertext[0] === SEALED_BY_OS_KEYCHAIN) {
        throw new GatehouseError('internal', keychainUnavailableMessage(platform));
      }
      return fallback.decrypt(ciphertext);
    },
  };
}
