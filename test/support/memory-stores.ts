// Stores that keep everything in memory, for tests: a vault with a random key, OAuth credentials, and
// the settings' key-value store. The engine's own are on disk (store/); these implement the same ports.
import { randomBytes } from 'node:crypto';
import type { SecretVault } from '../../main/core/effects.js';
import { keyVault, SEALED_BY_KEY_FILE } from '../../main/core/store/key-file-vault.js';
import type {
  OAuthCredentialStore,
  StoredCredentials,
} from '../../main/core/store/oauth-credential-store.js';
import type { KeyValueStore } from '../../main/core/store/settings-store.js';

/** A vault with a random key that lives only in memory. */
export function memoryVault(): SecretVault {
  return keyVault('memory', randomBytes(32), SEALED_BY_KEY_FILE);
}

/** Keeps credentials in memory, and counts the saves. */
export class MemoryCredentialStore implements OAuthCredentialStore {
  #value: StoredCredentials | undefined;
  /** How many times credentials were saved. */
  saves = 0;

  constructor(initial?: StoredCredentials) {
    this.#value = initial ? structuredClone(initial) : undefined;
  }

  async load(): Promise<StoredCredentials | undefined> {
    return this.#value ? structuredClone(this.#value) : undefined;
  }

  async save(credentials: StoredCredentials): Promise<void> {
    this.saves += 1;
    this.#value = structuredClone(credentials);
  }

  async clear(): Promise<void> {
    this.#value = undefined;
  }

  /** What is stored now (a copy). */
  current(): StoredCredentials | undefined {
    return this.#value ? structuredClone(this.#value) : undefined;
  }
}

/** A KeyValueStore in memory. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.#values.get(key);
  }
  set(key: string, value: unknown): void {
    this.#values.set(key, value);
  }
}
