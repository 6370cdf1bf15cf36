// Self-registration is open to every local process, so the client table needs a bound — but a bound
// that refuses newcomers is one a flood can turn against everyone (a process that changes its name on
// every request is a new "source" each time). Instead, past the bound the oldest registration nobody
// has used is forgotten: a client that registers and goes on to authorize is "used" from its first
// consent request, so a flood only ever evicts its own leftovers (docs/decisions.md, "Fair queues").
import type { AuditLog } from '../audit/audit-log.js';
import type { ClientRecord, ClientStore } from '../store/client-store.js';
import type { GrantStore } from '../store/grant-store.js';

/** Self-registered clients kept while nobody has used them, by default. */
const DEFAULT_MAX_UNUSED_REGISTRATIONS = 200;

/** What forgetting unused registrations reads (clients, grants, waiting consents) and how it deletes one. */
export interface UnusedRegistrationsOptions {
  clients: ClientStore;
  grants: GrantStore;
  audit: AuditLog;
  /** Whether a consent request of this client waits for the user. */
  waiting(clientId: string): boolean;
  /** Deletes the client's registration from the authorization server's storage. */
  deleteRegistration(clientId: string): Promise<void>;
  /** How many unused self-registrations to keep at most. */
  max?: number;
}

/** Keeps the self-registered clients nobody has used under a bound, oldest first out. */
export class UnusedRegistrations {
  readonly #options: UnusedRegistrationsOptions;
  readonly #max: number;

  constructor(options: UnusedRegistrationsOptions) {
    this.#options = options;
    this.#max = options.max ?? DEFAULT_MAX_UNUSED_REGISTRATIONS;
  }

  /**
   * A dynamic registration that was never used: no grant ever (active or not), never seen at /mcp,
   * no consent waiting. Metadata-document and hand-registered clients are never counted.
   */
  isUnused(record: ClientRecord): boolean {
    return (
      record.kind === 'dcr' &&
      record.lastUsedAt === null &&
      !this.#options.waiting(record.clientId) &&
      this.#options.grants.forClient(record.clientId).length === 0
    );
  }

  /** After `newClientId` registered: forgets the oldest unused registrations past the bound. */
  async makeRoom(newClientId: string): Promise<number> {
    const unused = this.#options.clients
      .list()
      .filter((record) => record.clientId !== newClientId && this.isUnused(record))
      .sort((a, b) => a.createdAt - b.createdAt);
    // The new registration counts toward the bound too.
    const excess = unused.length + 1 - this.#max;
    if (excess <= 0) return 0;
    for (const record of unused.slice(0, excess)) {
      await this.#options.deleteRegistration(record.clientId);
      this.#options.clients.remove(record.clientId);
      this.#options.audit.record({
        type: 'client.registration_evicted',
        clientId: null,
        decision: 'info',
        reason: `Forgot ${record.name} (${record.clientId}): it registered and was never used, and ${this.#max} unused registrations are kept at most`,
      });
    }
    return excess;
  }
}
