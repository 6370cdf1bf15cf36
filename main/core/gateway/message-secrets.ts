// What an upstream sends a client besides its answers — log messages, progress messages, and its
// requests for sampling or input (a 2025-era server→client request, or a 2026-07-28 result's
// `inputRequests`) — read for secret material as a result is (result-secrets.ts). A hostile server
// would otherwise pass on through a call's side channels what its result may not carry. Each secret is
// masked unless the user marked the connector as handling secrets; the activity log says what was
// found and where (kinds and field paths, never the value), a bounded number of rows a minute.
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import { SummarizedRows } from '../audit/summarized-rows.js';
import type { Clock } from '../effects.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import { scanValue } from '../secrets/secret-scan.js';
import { count, secretFindingsText } from '../text.js';

/** Rows of their own a minute; a flood of messages carrying secrets is summed up past these. */
const OWN_ROWS_PER_MINUTE = 10;

/** Where the audit rows go, the clock of their minutes, and what counts as secret for which connector. */
export interface MessageSecretsOptions {
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  sealedValues(): SealedValues;
  /** Whether the user marked the connector as handling secrets on purpose. */
  handlesSecrets(connector: string): boolean;
}

/** A message's kind as the activity log names it: "a log message", "a sampling request". */
function carrier(method: string): string {
  switch (method) {
    case 'notifications/message':
      return 'a log message';
    case 'notifications/progress':
      return 'a progress message';
    case 'sampling/createMessage':
      return 'a sampling request';
    case 'elicitation/create':
      return 'a request for input';
    default:
      return `a ${method} message`;
  }
}

/** The upstreams' messages to clients, with the secret material they carry masked and audited. */
export class MessageSecrets {
  readonly #options: MessageSecretsOptions;
  readonly #rows: SummarizedRows;

  constructor(options: MessageSecretsOptions) {
    this.#options = options;
    this.#rows = new SummarizedRows({
      audit: options.audit,
      clock: options.clock,
      ownRowsPerMinute: OWN_ROWS_PER_MINUTE,
      summary: (more, named) => ({
        type: 'message.secrets',
        clientId: null,
        decision: 'info',
        reason: `Secret material in ${count(more, 'more message')} from servers within a minute (${named.join(', ')}${more > named.length ? ', …' : ''}); the first ${OWN_ROWS_PER_MINUTE} of a minute get a row each`,
        detail: { count: more },
      }),
    });
  }

  /**
   * A message's `params` (`method`: the notification's or request's) as the client may get them:
   * each secret masked, or as they are when they carry none or the connector handles secrets.
   */
  inspect<T>(connector: string, method: string, params: T): T {
    if (params === undefined || params === null) return params;
    const scan = scanValue(params, this.#options.sealedValues());
    if (scan.findings.length === 0) return params;
    const passes = this.#options.handlesSecrets(connector);
    const found = secretFindingsText(scan.findings);
    const entry: AuditEntry = {
      type: 'message.secrets',
      clientId: null,
      connector,
      decision: 'info',
      reason: passes
        ? `Passed on ${carrier(method)} from ${connector} as it was (the connector handles secrets): ${found}`
        : `Masked secret material in ${carrier(method)} from ${connector}: ${found}`,
      detail: passes
        ? { method, unmasked: scan.findings, secretsPassed: 'handles-secrets' }
        : { method, masked: scan.findings },
    };
    this.#rows.add(entry, `${carrier(method)} from ${connector}`);
    return passes ? params : (scan.masked() as T);
  }

  /** A 2026-07-28 result's input requests, each inspected under its own method. */
  inputRequests(connector: string, requests: Record<string, unknown>): Record<string, unknown> {
    let changed = false;
    const inspected: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(requests)) {
      const { method, params } = (request ?? {}) as { method?: unknown; params?: unknown };
      const masked = typeof method === 'string' ? this.inspect(connector, method, params) : params;
      changed ||= masked !== params;
      inspected[key] = masked === params ? request : { ...(request as object), params: masked };
    }
    return changed ? inspected : requests;
  }

  /** Writes the rows not yet in the activity log (shutdown). */
  close(): void {
    this.#rows.flush();
  }
}
