// Connectors at rest: the plain settings in `connectors`, every secret (bearer token, env and header
// values, OAuth client secret and tokens) sealed by the vault in `connector_secrets`. What leaves
// this module toward the UI is masked: a secret reads as STORED_SECRET, and writing STORED_SECRET
// back keeps the stored value, so an edit never has to re-enter a secret.
import type { Database, Statement } from './database.js';
import { transaction } from './database.js';
import type { Clock, SecretVault } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { didYouMean } from '../text.js';
import {
  connectorSettings,
  DEFAULT_SANDBOX,
  SEALED_ARGUMENT_PREFIX,
  type ConnectorSettings,
} from '../api/connector-config.js';

const STORED_SECRET = '[stored]';

/** `${GATEHOUSE_ARGUMENT_…}`: an argument the sealed environment variable of that name fills in. */
const SEALED_ARGUMENT = new RegExp(`^\\$\\{(${SEALED_ARGUMENT_PREFIX}[A-Z0-9_]+)\\}$`);

/**
 * A connector at rest: its settings (secrets included, for the engine only), whether it is enabled, and
 * when it changed.
 */
export interface ConnectorRecord {
  name: string;
  settings: ConnectorSettings;
  enabled: boolean;
  /** The user marked it as handling secrets on purpose: its calls and results pass the call inspection. */
  handlesSecrets: boolean;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  name: string;
  settings: string;
  enabled: number;
  handles_secrets: number;
  created_at: number;
  updated_at: number;
}

/** A URL that holds a secret, as it is stored and shown: its origin, then the marker. */
function maskedUrl(url: string): string {
  return `${new URL(url).origin}/${STORED_SECRET}`;
}

/** Settings with every secret value replaced by STORED_SECRET. */
export function maskSecrets(settings: ConnectorSettings): ConnectorSettings {
  const mask = (values: Record<string, string>) =>
    Object.fromEntries(Object.keys(values).map((key) => [key, STORED_SECRET]));
  if (settings.kind === 'stdio') return { ...settings, env: mask(settings.env) };
  const auth =
    settings.auth.type === 'bearer'
      ? { ...settings.auth, token: STORED_SECRET }
      : settings.auth.type === 'oauth' && settings.auth.clientSecret !== null
        ? { ...settings.auth, clientSecret: STORED_SECRET }
        : settings.auth;
  const url = settings.secretUrl ? maskedUrl(settings.url) : settings.url;
  return { ...settings, url, headers: mask(settings.headers), auth };
}

/**
 * Splits settings into what is stored in the clear — every secret replaced by STORED_SECRET, so the
 * stored settings still validate — and the secrets (key → value).
 */
function split(settings: ConnectorSettings): { plain: ConnectorSettings; secrets: Map<string, string> } {
  const secrets = new Map<string, string>();
  if (settings.kind === 'stdio') {
    for (const [key, value] of Object.entries(settings.env)) secrets.set(`env:${key}`, value);
    return {
      plain: {
        ...settings,
        env: Object.fromEntries(Object.keys(settings.env).map((k) => [k, STORED_SECRET])),
      },
      secrets,
    };
  }
  for (const [key, value] of Object.entries(settings.headers))
    secrets.set(`header:${key.toLowerCase()}`, value);
  let auth = settings.auth;
  if (auth.type === 'bearer') {
    secrets.set('bearer', auth.token);
    auth = { ...auth, token: STORED_SECRET };
  } else if (auth.type === 'oauth' && auth.clientSecret !== null) {
    secrets.set('oauth:client-secret', auth.clientSecret);
    auth = { ...auth, clientSecret: STORED_SECRET };
  }
  if (settings.secretUrl) {
    // The masked URL sent back (an edit that left the URL alone) stands for the stored one.
    const masked = maskedUrl(settings.url);
    secrets.set('url', settings.url === masked ? STORED_SECRET : settings.url);
  }
  return {
    plain: {
      ...settings,
      url: settings.secretUrl ? maskedUrl(settings.url) : settings.url,
      headers: Object.fromEntries(Object.keys(settings.headers).map((k) => [k, STORED_SECRET])),
      auth,
    },
    secrets,
  };
}

/** A stdio connector saved from now on carries its sandbox in full, so its grants are explicit. */
function explicitSandbox(settings: ConnectorSettings): ConnectorSettings {
  return settings.kind === 'stdio' && settings.sandbox === undefined
    ? { ...settings, sandbox: DEFAULT_SANDBOX }
    : settings;
}

/** Connectors and their sealed secrets; hands the engine real values and the surfaces masked ones. */
export class ConnectorStore {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #vault: SecretVault;
  readonly #insert: Statement;
  readonly #update: Statement;
  readonly #setEnabled: Statement;
  readonly #setHandlesSecrets: Statement;
  readonly #delete: Statement;
  readonly #putSecret: Statement;
  readonly #getSecret: Statement;
  readonly #deleteSecret: Statement;
  readonly #secretKeys: Statement;
  #cache: Map<string, ConnectorRecord> | undefined;
  #version = 0;

  constructor(db: Database, clock: Clock, vault: SecretVault) {
    this.#db = db;
    this.#clock = clock;
    this.#vault = vault;
    this.#insert = db.prepare(
      'INSERT INTO connectors (name, settings, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#update = db.prepare('UPDATE connectors SET settings = ?, updated_at = ? WHERE name = ?');
    this.#setEnabled = db.prepare('UPDATE connectors SET enabled = ?, updated_at = ? WHERE name = ?');
    this.#setHandlesSecrets = db.prepare('UPDATE connectors SET handles_secrets = ? WHERE name = ?');
    this.#delete = db.prepare('DELETE FROM connectors WHERE name = ?');
    this.#putSecret = db.prepare(
      'INSERT INTO connector_secrets (connector, key, value) VALUES (?, ?, ?) ON CONFLICT (connector, key) DO UPDATE SET value = excluded.value',
    );
    this.#getSecret = db.prepare('SELECT value FROM connector_secrets WHERE connector = ? AND key = ?');
    this.#deleteSecret = db.prepare('DELETE FROM connector_secrets WHERE connector = ? AND key = ?');
    this.#secretKeys = db.prepare('SELECT key FROM connector_secrets WHERE connector = ?');
  }

  /**
   * Counts the changes to connectors and their secrets (an add, an edit, a removal, a sealed OAuth
   * token refreshed), so what is derived from them is made again only when it changed.
   */
  get version(): number {
    return this.#version;
  }

  /** The records are read again from the database next time, and what depends on them is made again. */
  #changed(): void {
    this.#cache = undefined;
    this.#version += 1;
  }

  /** Every connector, by name. Read on every tool call, so held in memory; each write refreshes it. */
  list(): ConnectorRecord[] {
    return [...this.#records().values()];
  }

  get(name: string): ConnectorRecord | undefined {
    return this.#records().get(name);
  }

  #records(): Map<string, ConnectorRecord> {
    if (!this.#cache) {
      const rows = this.#db.prepare('SELECT * FROM connectors ORDER BY name').all() as unknown as Row[];
      this.#cache = new Map(rows.map((row) => [row.name, this.#record(row)]));
    }
    return this.#cache;
  }

  /** The connector named `name`, or a `not_found` error that says how to list them. */
  require(name: string): ConnectorRecord {
    const record = this.get(name);
    if (!record)
      throw new GatehouseError(
        'not_found',
        `There is no connector named ${name} (see gatehouse connectors list).${didYouMean(name, [...this.#records().keys()])}`,
      );
    return record;
  }

  /** Saves a new connector, its secrets sealed apart; refuses a name in use, or the `[stored]` marker. */
  add(name: string, settings: ConnectorSettings, enabled: boolean): ConnectorRecord {
    if (this.get(name))
      throw new GatehouseError(
        'name_taken',
        `A connector named ${name} already exists; names are unique (edit it, or choose another name).`,
      );
    if (containsStoredMarker(settings)) {
      throw new GatehouseError(
        'bad_request',
        `"${STORED_SECRET}" stands for a stored secret and can only be used when editing a connector.`,
      );
    }
    const { plain, secrets } = split(explicitSandbox(settings));
    const now = this.#clock.now();
    transaction(this.#db, () => {
      this.#insert.run(name, JSON.stringify(plain), enabled ? 1 : 0, now, now);
      this.#changed();
      for (const [key, value] of secrets) this.#putSecret.run(name, key, this.#vault.encrypt(value));
    });
    return this.require(name);
  }

  /** Replaces the settings; secrets given as STORED_SECRET keep their stored value. Kind cannot change. */
  edit(name: string, incoming: ConnectorSettings): ConnectorRecord {
    const current = this.require(name);
    // A form that does not know secretUrl sends the masked URL back: it still means the stored one.
    const settings =
      incoming.kind === 'http' &&
      current.settings.kind === 'http' &&
      current.settings.secretUrl &&
      incoming.url === current.settings.url
        ? { ...incoming, secretUrl: true }
        : incoming;
    if (current.settings.kind !== settings.kind) {
      throw new GatehouseError(
        'bad_request',
        `${name} is a ${current.settings.kind} connector; its kind cannot change (add a new connector instead).`,
      );
    }
    const { plain, secrets } = split(explicitSandbox(settings));
    const storedKeys = new Set((this.#secretKeys.all(name) as Array<{ key: string }>).map((row) => row.key));
    for (const [key, value] of secrets) {
      if (value === STORED_SECRET && !storedKeys.has(key)) {
        throw new GatehouseError(
          'bad_request',
          `${name} has no stored value for ${describeSecretKey(key)}; enter it.`,
        );
      }
    }
    transaction(this.#db, () => {
      this.#update.run(JSON.stringify(plain), this.#clock.now(), name);
      this.#changed();
      // Upstream OAuth credentials (key "oauth") belong to one server and one client: they survive an
      // edit of anything else, and go when the URL, the auth kind or the client id changes.
      const keepCredentials = sameOAuthIdentity(current.settings, settings);
      for (const key of storedKeys) {
        if (key === OAUTH_CREDENTIALS_KEY ? !keepCredentials : !secrets.has(key))
          this.#deleteSecret.run(name, key);
      }
      for (const [key, value] of secrets) {
        if (value !== STORED_SECRET) this.#putSecret.run(name, key, this.#vault.encrypt(value));
      }
    });
    return this.require(name);
  }

  setEnabled(name: string, enabled: boolean): ConnectorRecord {
    this.require(name);
    this.#setEnabled.run(enabled ? 1 : 0, this.#clock.now(), name);
    this.#changed();
    return this.require(name);
  }

  /**
   * Marks the connector as handling secrets on purpose, or not. Its settings do not change (so it is
   * not restarted, and `updatedAt` stays).
   */
  setHandlesSecrets(name: string, handlesSecrets: boolean): ConnectorRecord {
    this.require(name);
    this.#setHandlesSecrets.run(handlesSecrets ? 1 : 0, name);
    this.#changed();
    return this.require(name);
  }

  /** Deletes the connector with all its secrets, tool settings and pins (foreign keys cascade). */
  remove(name: string): void {
    this.require(name);
    this.#delete.run(name);
    this.#changed();
  }

  /**
   * Stdio connectors saved before grants were explicit (their stored sandbox has no `readFolders`):
   * what their command line named was granted implicitly then, and is made explicit once at start.
   */
  withImplicitGrants(): ConnectorRecord[] {
    const rows = this.#db.prepare('SELECT name, settings FROM connectors').all() as unknown as Array<
      Pick<Row, 'name' | 'settings'>
    >;
    return rows
      .filter((row) => {
        const stored = JSON.parse(row.settings) as { kind?: string; sandbox?: { readFolders?: unknown } };
        return stored.kind === 'stdio' && stored.sandbox?.readFolders === undefined;
      })
      .map((row) => this.require(row.name));
  }

  /** The settings with secrets filled in, for the upstream runtime only. */
  unsealed(name: string): ConnectorSettings {
    const { settings } = this.require(name);
    const secret = (key: string): string => this.secret(name, key) ?? '';
    if (settings.kind === 'stdio') {
      const env = Object.fromEntries(Object.keys(settings.env).map((key) => [key, secret(`env:${key}`)]));
      const args = settings.args.map((arg) => {
        const sealed = SEALED_ARGUMENT.exec(arg)?.[1];
        return sealed !== undefined && Object.hasOwn(env, sealed) ? env[sealed]! : arg;
      });
      return { ...settings, args, env };
    }
    const headers = Object.fromEntries(
      Object.keys(settings.headers).map((key) => [key, secret(`header:${key.toLowerCase()}`)]),
    );
    const auth =
      settings.auth.type === 'bearer'
        ? { ...settings.auth, token: secret('bearer') }
        : settings.auth.type === 'oauth' && settings.auth.clientSecret !== null
          ? { ...settings.auth, clientSecret: secret('oauth:client-secret') }
          : settings.auth;
    const url = settings.secretUrl ? (this.secret(name, 'url') ?? settings.url) : settings.url;
    return { ...settings, url, headers, auth };
  }

  /** A secret of the connector (also used by the upstream OAuth client's credential store). */
  secret(name: string, key: string): string | undefined {
    const row = this.#getSecret.get(name, key) as { value: Uint8Array } | undefined;
    if (!row) return undefined;
    try {
      return this.#vault.decrypt(Buffer.from(row.value));
    } catch (cause) {
      // The vault knows what went wrong, not which secret it was: a user who must enter one again
      // needs its name.
      throw new GatehouseError(
        'internal',
        `Could not read ${describeSecretKey(key)} of connector ${name}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /**
   * Seals and stores one of the connector's secrets under `key` (its OAuth credentials are kept under
   * `oauth`).
   */
  putSecret(name: string, key: string, value: string): void {
    this.#putSecret.run(name, key, this.#vault.encrypt(value));
    this.#version += 1;
  }

  deleteSecret(name: string, key: string): void {
    this.#deleteSecret.run(name, key);
    this.#version += 1;
  }

  #record(row: Row): ConnectorRecord {
    const parsed = connectorSettings.safeParse(JSON.parse(row.settings));
    if (!parsed.success) {
      throw new GatehouseError(
        'internal',
        `The stored settings of connector ${row.name} are damaged; remove and re-add it.`,
      );
    }
    return {
      name: row.name,
      settings: parsed.data,
      enabled: row.enabled === 1,
      handlesSecrets: row.handles_secrets === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/** The secret key under which a connector's upstream OAuth credentials are sealed. */
export const OAUTH_CREDENTIALS_KEY = 'oauth';

function sameOAuthIdentity(before: ConnectorSettings, after: ConnectorSettings): boolean {
  if (before.kind !== 'http' || after.kind !== 'http') return false;
  if (before.auth.type !== 'oauth' || after.auth.type !== 'oauth') return false;
  return before.url === after.url && before.auth.clientId === after.auth.clientId;
}

/** How the user knows one of a connector's secrets, by the key it is stored under ("the header x"). */
export function describeSecretKey(key: string): string {
  if (key === OAUTH_CREDENTIALS_KEY) return 'the OAuth sign-in (tokens and registration)';
  if (key.startsWith('env:')) return `the environment variable ${key.slice(4)}`;
  if (key.startsWith('header:')) return `the header ${key.slice(7)}`;
  if (key === 'bearer') return 'the bearer token';
  if (key === 'url') return 'the URL';
  return 'the OAuth client secret';
}

function containsStoredMarker(settings: ConnectorSettings): boolean {
  return [...split(settings).secrets.values()].includes(STORED_SECRET);
}
