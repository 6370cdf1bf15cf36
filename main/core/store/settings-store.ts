// The user's preferences (port, access ceiling, registration policy, pause, lifetimes, retention).
// Stored through a key-value port: preferences.json (preferences-file.ts) in the desktop app and
// headless, a Map in tests. Every value read is validated, so a hand-edited file cannot widen access.
import type { SettingsPatch, SettingsView } from '../api/contract.js';
import { settingsPatch } from '../api/contract.js';
import { DEFAULT_REGISTRY_URL } from '../api/catalog-contract.js';

/** What the preferences store offers: one value per key, set one at a time. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const DEFAULT_PORT = 42830;

const defaultSettings: SettingsView = {
  port: DEFAULT_PORT,
  accessCeiling: 'read',
  registrationPolicy: 'open',
  paused: false,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlDays: 30,
  auditRetentionDays: 90,
  startAtLogin: false,
  rateLimitPerMinute: 600,
  rateLimitPerDay: 50_000,
  registryUrl: DEFAULT_REGISTRY_URL,
};

/** The user's preferences, validated on read and held in memory; listeners hear each change. */
export class Settings {
  readonly #store: KeyValueStore;
  readonly #listeners = new Set<(settings: SettingsView) => void>();
  #current: SettingsView;

  constructor(store: KeyValueStore) {
    this.#store = store;
    this.#current = this.#read();
  }

  get(): SettingsView {
    return this.#current;
  }

  /** Applies a validated patch; the caller has already parsed it with the contract's schema. */
  update(patch: SettingsPatch & { paused?: boolean }): SettingsView {
    const next: SettingsView = { ...this.#current, ...patch };
    for (const [key, value] of Object.entries(patch)) this.#store.set(key, value);
    this.#current = next;
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  onChange(listener: (settings: SettingsView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #read(): SettingsView {
    const stored: Record<string, unknown> = {};
    for (const key of Object.keys(defaultSettings)) {
      const value = this.#store.get(key);
      if (value !== undefined) stored[key] = value;
    }
    const { paused, ...rest } = stored;
    // A value that fails validation (a hand-edited file) falls back to its default rather than
    // being trusted; the engine keeps running with the safe value.
    const result: SettingsView = { ...defaultSettings, paused: typeof paused === 'boolean' ? paused : false };
    for (const [key, value] of Object.entries(rest)) {
      const parsed = settingsPatch.safeParse({ [key]: value });
      if (parsed.success) Object.assign(result, parsed.data);
    }
    return result;
  }
}
