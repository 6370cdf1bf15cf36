// What happens before a Dynamic Client Registration (RFC 7591) request reaches oidc-provider: the
// user's registration policy (open / ask / closed), rate limits per registration source and for all
// sources together, and in "ask" mode the question held for the user in a queue that is fair between
// sources. (The client table's bound is unused-registrations.ts: it forgets, it never refuses.)
// Which redirect URIs a client may register is `redirect-uris.ts`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PendingRegistrationView, RegistrationPolicy } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { SummarizedRows } from '../audit/summarized-rows.js';
import { decisionId } from '../consent/decision-id.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import type { Clock, Notifier, Random } from '../effects.js';
import { sendJson } from '../http/http-io.js';
import type { Settings } from '../store/settings-store.js';
import { isLoopbackRedirect } from './redirect-uris.js';
import { count, durationText } from '../text.js';
import { readOAuthBody, replayRequest } from './replay-request.js';

const REGISTRATION_ASK_TIMEOUT_MS = 2 * 60_000;
/** How long an approval given after the client stopped waiting lets its next attempt through. */
const REGISTRATION_RETRY_MS = 10 * 60_000;
const REGISTRATION_BODY_LIMIT = 56 * 1024;

/** A self-registration as the user is asked about it: the name the client gave and its redirect URIs. */
export interface RegistrationRequest {
  clientName: string;
  redirectUris: string[];
}

/** How a held registration ended: the user's answer, no answer in time, or set aside to make room. */
export type RegistrationDecision = 'approved' | 'denied' | 'timed-out' | 'set-aside';

/**
 * Registrations allowed per window: per callback (a client's name and its exact redirect URIs, port
 * included), wider per name, and widest from all sources together. Two clients running at once cannot
 * share a loopback callback (each binds its port), so the tight limit never holds one client back for
 * another that has the same name (every mcp-remote is "MCP CLI Proxy"); the per-name bound stops a
 * loop that picks a new port each time; and the bound for all sources stops one process that takes a
 * new name every time (20,000 registrations in 91 s before it). That last one is set far above what
 * people do — a client registers once per sign-in — so only a flood meets it; while one lasts, others
 * are refused too, for the seconds the Retry-After names (docs/decisions.md, "Registration: open, ask or closed, bounded per source and in all").
 * The client table is bounded besides by forgetting unused registrations (unused-registrations.ts).
 */
export interface RegistrationLimits {
  /** Per callback: client name and exact redirect URIs (default 10). */
  count: number;
  /** Per client name, whatever its callbacks (default 50). */
  perName: number;
  /** From all sources together (default 300). */
  total: number;
  /** Window length in ms (default 10 minutes). */
  windowMs: number;
}

const DEFAULT_REGISTRATION_LIMITS: RegistrationLimits = {
  count: 10,
  perName: 50,
  total: 300,
  windowMs: 10 * 60_000,
};

/** Rate-limit refusals a minute that get an activity row each; a flood's others are summed up. */
const REFUSAL_ROWS_PER_MINUTE = 5;

/** The sources a registration counts against, each with its limit and its words for a refusal. */
function registrationSources(
  request: RegistrationRequest,
  limits: RegistrationLimits,
): Array<{ key: string; limit: number; words: string }> {
  const callbacks = [...new Set(request.redirectUris)].sort();
  return [
    { key: JSON.stringify(['all']), limit: limits.total, words: 'from all clients together' },
    {
      key: JSON.stringify(['callback', request.clientName, callbacks]),
      limit: limits.count,
      words: `from "${request.clientName}" at ${callbacks.join(', ') || 'no redirect URI'}`,
    },
    {
      key: JSON.stringify(['name', request.clientName]),
      limit: limits.perName,
      words: `named "${request.clientName}"`,
    },
  ];
}

/**
 * Who is waiting for the user's answer to a registration, for the queue's fairness: its name and where
 * it sends the browser back (a loopback callback without its port: native clients pick a new port
 * each run).
 */
function registrationSource(request: RegistrationRequest): string {
  const places = request.redirectUris.map((uri) => {
    if (!URL.canParse(uri)) return uri;
    const url = new URL(uri);
    return isLoopbackRedirect(url) ? 'http://loopback' : `${url.protocol}//${url.host}`;
  });
  return JSON.stringify([request.clientName, [...new Set(places)].sort()]);
}

function describeSource(request: RegistrationRequest): string {
  return `"${request.clientName}"`;
}

/** A sliding-window limit on registrations per source: loopback is open to every local process. */
export class RegistrationRateLimit {
  readonly #clock: Clock;
  readonly #limits: RegistrationLimits;
  readonly #bySource = new Map<string, number[]>();

  constructor(clock: Clock, limits: Partial<RegistrationLimits> = {}) {
    this.#clock = clock;
    this.#limits = { ...DEFAULT_REGISTRATION_LIMITS, ...limits };
  }

  /** Takes a slot for the request from each of its sources; says which is full and how long to wait. */
  take(
    request: RegistrationRequest,
  ): { ok: true } | { ok: false; limit: number; windowMs: number; retryAfterSeconds: number; words: string } {
    const now = this.#clock.now();
    const { windowMs } = this.#limits;
    for (const [key, times] of this.#bySource) {
      while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
      if (times.length === 0) this.#bySource.delete(key);
    }
    const sources = registrationSources(request, this.#limits);
    for (const { key, limit, words } of sources) {
      const own = this.#bySource.get(key) ?? [];
      if (own.length >= limit) {
        const retryAfterSeconds = Math.ceil((own[0]! + windowMs - now) / 1000);
        return { ok: false, limit, windowMs, retryAfterSeconds, words };
      }
    }
    for (const { key } of sources) {
      const own = this.#bySource.get(key);
      if (own) own.push(now);
      else this.#bySource.set(key, [now]);
    }
    return { ok: true };
  }
}

function registrationRefusal(policy: RegistrationPolicy): string | undefined {
  if (policy === 'closed') {
    return 'New client registration is closed in Gatehouse. Open Gatehouse → Settings → New clients to allow it, or register this client by hand.';
  }
  return undefined;
}

/** What the registration gate reads (the policy), reports to (audit, notifier) and is limited by. */
export interface RegistrationGateOptions {
  settings: Settings;
  audit: AuditLog;
  clock: Clock;
  random: Random;
  notifier: Notifier;
  limits?: Partial<RegistrationLimits>;
  /** Registration questions waiting at once (default 50 in all, 3 per source). */
  queue?: { total: number; perSource: number };
}

/** The registration policy in front of `/reg`, and the questions it holds for the user. */
export class RegistrationGate {
  /** Registrations held for the user's answer ("ask" mode). */
  readonly queue: PendingDecisions<RegistrationRequest, RegistrationDecision>;
  readonly #options: RegistrationGateOptions;
  readonly #limit: RegistrationRateLimit;
  /** Approvals given after the client stopped waiting, by registrationKey, until when they hold. */
  readonly #approvedLater = new Map<string, number>();
  /** The attempt waiting for each pending registration (a retry replaces an earlier one). */
  readonly #attempts = new Map<string, symbol>();
  /** Rate-limit refusals in the activity log: a row each up to a bound a minute, then summed up. */
  readonly #refusals: SummarizedRows;

  constructor(options: RegistrationGateOptions) {
    this.#options = options;
    this.#limit = new RegistrationRateLimit(options.clock, options.limits);
    this.#refusals = new SummarizedRows({
      audit: options.audit,
      clock: options.clock,
      ownRowsPerMinute: REFUSAL_ROWS_PER_MINUTE,
      summary: (refused, named) => ({
        type: 'client.registration_refused',
        decision: 'deny',
        reason: `Registration rate limit reached: refused ${count(refused, 'more registration')} within a minute (${named.join(', ')}${
          refused > named.length ? ', …' : ''
        }); the first ${REFUSAL_ROWS_PER_MINUTE} of a minute get a row each`,
        detail: { count: refused },
      }),
    });
    this.queue = new PendingDecisions<RegistrationRequest, RegistrationDecision>({
      clock: options.clock,
      timeoutMs: REGISTRATION_ASK_TIMEOUT_MS,
      onTimeout: 'timed-out',
      maxPending: options.queue?.total ?? 50,
      what: 'registration request',
      fairness: {
        sourceOf: registrationSource,
        maxPerSource: options.queue?.perSource ?? 3,
        describe: describeSource,
        onSetAside: 'set-aside',
      },
    });
  }

  /** Writes the refusals not yet in the activity log as one row (engine shutdown). */
  close(): void {
    this.#refusals.flush();
  }

  /** The registrations waiting for the user's answer, as the contract's `registrations.list` shows them. */
  list(): PendingRegistrationView[] {
    return this.queue.pending().map(({ id, item, createdAt, expiresAt }) => ({
      id,
      clientName: item.clientName,
      redirectUris: item.redirectUris,
      createdAt,
      expiresAt,
    }));
  }

  /** Applies the registration policy; returns the request to hand on, or undefined when answered here. */
  async gate(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | undefined> {
    const policy = this.#options.settings.get().registrationPolicy;
    const refusal = registrationRefusal(policy);
    if (refusal) {
      this.#options.audit.record({
        type: 'client.registration_refused',
        decision: 'deny',
        reason: 'Registration is closed',
      });
      sendJson(res, 403, { error: 'access_denied', error_description: refusal });
      return undefined;
    }
    const body = await readOAuthBody(req, res, REGISTRATION_BODY_LIMIT);
    if (!body) return undefined;
    const metadata = jsonObject(body);
    const request: RegistrationRequest = {
      clientName: typeof metadata?.client_name === 'string' ? metadata.client_name : 'Unnamed client',
      redirectUris: Array.isArray(metadata?.redirect_uris) ? metadata.redirect_uris.map(String) : [],
    };
    const slot = this.#limit.take(request);
    if (!slot.ok) {
      const message = `Too many registrations ${slot.words} (${slot.limit} in ${durationText(slot.windowMs)}); try again in ${slot.retryAfterSeconds} seconds.`;
      this.#refusals.add(
        {
          type: 'client.registration_refused',
          decision: 'deny',
          reason: `Registration rate limit reached: ${message}`,
          detail: { clientName: request.clientName },
        },
        `"${request.clientName}"`,
      );
      sendJson(
        res,
        429,
        { error: 'temporarily_unavailable', error_description: message },
        { 'retry-after': String(slot.retryAfterSeconds) },
      );
      return undefined;
    }
    // Open: oidc-provider validates the request (and words its own errors, malformed JSON included).
    if (policy !== 'ask') return replayRequest(req, body);
    if (!metadata) {
      sendJson(res, 400, {
        error: 'invalid_client_metadata',
        error_description: 'The registration request is not a JSON object.',
      });
      return undefined;
    }
    const key = registrationKey(request);
    // The user approved an earlier attempt of this client after it had stopped waiting: this retry
    // goes through without asking again (once).
    const remembered = this.#approvedLater.get(key);
    this.#approvedLater.delete(key);
    if (remembered !== undefined && remembered > this.#options.clock.now()) {
      this.#options.audit.record({
        type: 'client.registration_approved',
        decision: 'allow',
        reason: `${request.clientName} registered on its next try after the user approved it in Gatehouse.`,
        detail: { clientName: request.clientName },
      });
      return replayRequest(req, body);
    }
    // A retry while the earlier attempt is still waiting joins its question: the user is asked once,
    // and the answer goes to the attempt that is still connected.
    const existing = this.queue.pending().find((item) => registrationKey(item.item) === key);
    const id = existing?.id ?? decisionId(this.#options.random);
    if (!existing) {
      try {
        this.queue.raise(id, request);
      } catch (error) {
        sendJson(res, 429, { error: 'temporarily_unavailable', error_description: (error as Error).message });
        return undefined;
      }
      this.#options.notifier.notify({
        kind: 'registration',
        title: `${request.clientName} wants to register`,
        body: 'Open Gatehouse to allow or refuse this new client.',
      });
    }
    const attempt = Symbol('registration attempt');
    this.#attempts.set(id, attempt);
    const answered = this.queue.wait(id);
    // A client that gives up closes its side of the connection; Node keeps the socket open for the
    // answer (half-open), so the sign is the socket's end, not the response's close.
    const gone = new Promise<'gone'>((resolve) => {
      const left = () => {
        if (!res.writableFinished) resolve('gone');
      };
      req.socket.once('end', left);
      req.socket.once('close', left);
      void answered.finally(() => {
        req.socket.off('end', left);
        req.socket.off('close', left);
      });
    });
    const decision = await Promise.race([answered, gone]);
    if (decision === 'gone' || this.#attempts.get(id) !== attempt) {
      if (decision === 'gone' && this.#attempts.get(id) === attempt) {
        // Nobody is waiting for this answer any more: the question stays for the user, and an
        // approval lets the client's next attempt through.
        this.#options.audit.record({
          type: 'client.registration_waiting',
          decision: 'info',
          reason: `${request.clientName} stopped waiting for an answer; if you approve it, it registers when it tries again.`,
          detail: { clientName: request.clientName },
        });
        void answered.then((later) => {
          if (this.#attempts.get(id) !== attempt) return;
          this.#attempts.delete(id);
          this.queue.forget(id);
          if (later === 'approved') {
            const now = this.#options.clock.now();
            for (const [other, until] of this.#approvedLater) {
              if (until <= now) this.#approvedLater.delete(other);
            }
            this.#approvedLater.set(key, now + REGISTRATION_RETRY_MS);
            this.#options.audit.record({
              type: 'client.registration_approved',
              decision: 'allow',
              reason: `The user approved ${request.clientName}, which had stopped waiting; it registers when it tries again within ${durationText(REGISTRATION_RETRY_MS)}.`,
              detail: { clientName: request.clientName },
            });
          }
        });
      } else if (!res.writableEnded) {
        sendJson(res, 409, {
          error: 'temporarily_unavailable',
          error_description: 'A newer registration attempt from this client is waiting for the same answer.',
        });
      }
      return undefined;
    }
    this.#attempts.delete(id);
    this.queue.forget(id);
    if (decision !== 'approved') {
      const reason =
        decision === 'denied'
          ? 'The user refused this client registration in Gatehouse.'
          : decision === 'set-aside'
            ? 'Gatehouse set this registration aside: too many registrations were waiting for an answer. Try again later.'
            : `No answer was given in Gatehouse within ${durationText(REGISTRATION_ASK_TIMEOUT_MS)}.`;
      this.#options.audit.record({
        type: 'client.registration_refused',
        decision: 'deny',
        reason,
        detail: { clientName: request.clientName },
      });
      if (decision === 'set-aside')
        sendJson(res, 429, { error: 'temporarily_unavailable', error_description: reason });
      else sendJson(res, 403, { error: 'access_denied', error_description: reason });
      return undefined;
    }
    return replayRequest(req, body);
  }
}

/** The body as a JSON object, or undefined when it is not one. */
function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A registration attempt's identity for retries: its name and redirect URIs. */
function registrationKey(request: RegistrationRequest): string {
  return JSON.stringify([request.clientName, [...request.redirectUris].sort()]);
}
