// The headless secret vault: AES-256-GCM with a random key kept in the data directory (mode 0600).
// Weaker than the desktop app's OS keychain (anyone who can read the data directory can read the
// key); docs/decisions.md says so. An in-memory variant serves tests.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretVault } from '../effects.js';
import { GatehouseError } from '../errors.js';

/** The key file's name in the data directory (shared by `gatehouse serve` and the desktop app). */
export const VAULT_KEY_FILE = 'vault.key';

/** The first byte of every sealed secret says what sealed it, so one data directory serves both. */
export const SEALED_BY_KEY_FILE = 1;
/** Sealed one by one with Electron safeStorage (the first desktop builds). */
export const SEALED_BY_OS_KEYCHAIN = 0x6b;
/** Sealed by the desktop app with a random key that the OS keychain holds (safeStorage, async API). */
export const SEALED_BY_KEYCHAIN_KEY = 0x6c;

class AesGcmVault implements SecretVault {
  readonly kind: SecretVault['kind'];
  readonly #key: Buffer;
  readonly #format: number;

  constructor(kind: SecretVault['kind'], key: Buffer, format: number) {
    this.kind = kind;
    this.#key = key;
    this.#format = format;
  }

  encrypt(plaintext: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([this.#format]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(ciphertext: Buffer): string {
    const sealedByApp = ciphertext[0] === SEALED_BY_OS_KEYCHAIN || ciphertext[0] === SEALED_BY_KEYCHAIN_KEY;
    if (sealedByApp && ciphertext[0] !== this.#format) {
      throw new GatehouseError(
        'internal',
        "This data directory's secrets were sealed with the OS keychain by the Gatehouse desktop app; open the app instead of running `gatehouse serve` on it.",
      );
    }
    if (ciphertext.length < 29 || ciphertext[0] !== this.#format) {
      throw new GatehouseError('internal', 'A stored secret is not in a format this Gatehouse can read.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, ciphertext.subarray(1, 13));
    decipher.setAuthTag(ciphertext.subarray(13, 29));
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(29)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new GatehouseError(
        'internal',
        'A stored secret could not be decrypted: the vault key has changed.',
        { cause },
      );
    }
  }
}

/** The vault under the key file at `path`, created with a random key (mode 0600) the first time. */
export function keyFileVault(path: string): SecretVault {
  let key: Buffer;
  if (existsSync(path)) {
    key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32)
      throw new GatehouseError('internal', `The vault key at ${path} is damaged (expected 32 bytes).`);
  } else {
    key = randomBytes(32);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return new AesGcmVault('key-file', key, SEALED_BY_KEY_FILE);
}

/**
 * AES-256-GCM under a key held elsewhere (the desktop app's, which the OS keychain seals), writing
 * `format` as each secret's first byte.
 */
export function keyVault(kind: SecretVault['kind'], key: Buffer, format: number): SecretVault {
  if (key.length !== 32) throw new GatehouseError('internal', 'A vault key must be 32 bytes.');
  return new AesGcmVault(kind, key, format);
}
