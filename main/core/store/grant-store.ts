// What the user consented to, per oidc-provider grant: which connectors, read or read & write, until
// when. Held in memory for the per-request check and written through to the database at once, so a
// committed grant or revocation survives a crash.
import type { Database, Statement } from './database.js';
import type { AccessLevel, ConnectorSelection } from '../api/contract.js';
import type { Clock } from '../effects.js';

/** What the user consented to in one grant. */
export interface GrantRecord {
  grantId: string;
  clientId: string;
  connectors: ConnectorSelection;
  access: AccessLevel;
  /** The scopes the user granted (what tokens of this grant may carry). */
  scopes: string[];
  resource: string;
  createdAt: number;
  expiresAt: number | null;
}

interface GrantRow {
  grant_id: string;
  client_id: string;
  connectors: string;
  access: string;
  scopes: string;
  resource: string;
  created_at: number;
  expires_at: number | null;
}

/** What an edit of a grant may change: the connectors it reaches, its level, its expiry. */
export type GrantChange = Partial<Pick<GrantRecord, 'connectors' | 'access' | 'expiresAt'>>;

/** Every grant's consent, held in memory for the per-request check and written through to the database. */
export class GrantStore {
  readonly #clock: Clock;
  readonly #byId = new Map<string, GrantRecord>();
  readonly #insert: Statement;
  readonly #update: Statement;
  readonly #delete: Statement;

  constructor(db: Database, clock: Clock) {
    this.#clock = clock;
    this.#insert = db.prepare(
      `INSERT INTO grants (grant_id, client_id, connectors, access, scopes, resource, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#update = db.prepare(
      'UPDATE grants SET connectors = ?, access = ?, expires_at = ? WHERE grant_id = ?',
    );
    this.#delete = db.prepare('DELETE FROM grants WHERE grant_id = ?');
    for (const row of db.prepare('SELECT * FROM grants').all() as unknown as GrantRow[]) {
      this.#byId.set(row.grant_id, {
        grantId: row.grant_id,
        clientId: row.client_id,
        connectors: JSON.parse(row.connectors) as ConnectorSelection,
        access: row.access as AccessLevel,
        scopes: JSON.parse(row.scopes) as string[],
        resource: row.resource,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      });
    }
  }

  /** Records a consent; written through to the database before it is used. */
  add(record: GrantRecord): void {
    this.#insert.run(
      record.grantId,
      record.clientId,
      JSON.stringify(record.connectors),
      record.access,
      JSON.stringify(record.scopes),
      record.resource,
      record.createdAt,
      record.expiresAt,
    );
    this.#byId.set(record.grantId, record);
  }

  /**
   * The user changed a grant: written through, then changed in place, so every holder of the record —
   * an open session's or listen stream's caller — works under the new grant from its next step.
   */
  update(grantId: string, change: GrantChange): GrantRecord | undefined {
    const grant = this.#byId.get(grantId);
    if (!grant) return undefined;
    const next = { ...grant, ...change };
    this.#update.run(JSON.stringify(next.connectors), next.access, next.expiresAt, grantId);
    Object.assign(grant, change);
    return grant;
  }

  /** The grant, expired or not. */
  get(grantId: string): GrantRecord | undefined {
    return this.#byId.get(grantId);
  }

  /** The grant, if it exists and has not expired. */
  active(grantId: string): GrantRecord | undefined {
    const grant = this.#byId.get(grantId);
    if (!grant) return undefined;
    if (grant.expiresAt !== null && grant.expiresAt <= this.#clock.now()) return undefined;
    return grant;
  }

  /** A client's grants, expired ones included. */
  /** The clients that hold a grant, active or not (one pass, for a look at many clients at once). */
  clientIds(): Set<string> {
    const ids = new Set<string>();
    for (const grant of this.#byId.values()) ids.add(grant.clientId);
    return ids;
  }

  forClient(clientId: string): GrantRecord[] {
    return [...this.#byId.values()].filter((grant) => grant.clientId === clientId);
  }

  /** Forgets a grant (revoked, or ended by oidc-provider). */
  remove(grantId: string): void {
    this.#delete.run(grantId);
    this.#byId.delete(grantId);
  }
}
