// The consent interaction oidc-provider leaves to its host, as the user's browser sees it: /auth
// sends the browser to /consent/<uid>, whose waiting page raises the consent for Gatehouse's trusted
// surfaces and shows its match code; no decision can be made in the browser. Once the user has
// answered in Gatehouse, the next load writes the result into the interaction and sends the browser
// on to oidc-provider, which finishes the authorization (RFC 6749 §4.1.2). Only the browser that
// started the authorization — the one holding oidc-provider's interaction cookie for it — may load the
// page, so a request from anywhere else cannot take the answer on its way to that browser.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/audit-log.js';
import { pageSecurityHeaders, renderConsentWaitingPage, sendMessagePage } from '../consent/consent-page.js';
import { decisionId } from '../consent/decision-id.js';
import type { Clock, Notifier, Random } from '../effects.js';
import { sendJson } from '../http/http-io.js';
import type { ClientStore } from '../store/client-store.js';
import {
  consentRequestFor,
  OWNER_ACCOUNT,
  requestedAccess,
  type ConsentDecision,
  type ConsentQueue,
} from './consent-request.js';
import { durationText, revokedClientError, sentenceTime } from '../text.js';
import type { RevokedClients } from '../store/revoked-clients.js';
import { WRITE_SCOPE } from '../resources.js';

/** How long the waiting page's long-poll is held open before it asks again. */
const LONG_POLL_MS = 25_000;

/** What the consent interaction uses of the authorization server. */
export interface ConsentInteractionContext {
  provider: Provider;
  consents: ConsentQueue;
  /** How long a consent waits for the user (the timed-out error says so). */
  timeoutMs: number;
  issuer: string;
  clients: ClientStore;
  audit: AuditLog;
  clock: Clock;
  random: Random;
  notifier: Notifier;
  /** Lately revoked clients: their requests are marked, or refused while the user said so. */
  revokedClients: Pick<RevokedClients, 'revokedAt' | 'refusedUntil'>;
}

/** `/consent/<uid>` and its long-poll: the browser's side of a consent. */
export class ConsentInteraction {
  readonly #context: ConsentInteractionContext;
  /** Each consent's id by its interaction's uid (the waiting page's URL names the uid). */
  readonly #consentIds = new Map<string, string>();

  constructor(context: ConsentInteractionContext) {
    this.#context = context;
  }

  /** GET /consent/<uid>: the waiting page, or — once decided — onward to oidc-provider's resume URL. */
  async page(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const { provider, consents } = this.#context;
    const interaction = await provider.Interaction.find(uid);
    if (!interaction) {
      this.#forgetConsent(uid);
      sendMessagePage(
        res,
        404,
        'This request has expired',
        'Nothing is waiting here any more. Start the connection again from your app.',
      );
      return;
    }
    if (!(await this.#startedHere(req, res, uid))) {
      sendMessagePage(
        res,
        403,
        'Open this in the browser that started it',
        'Only the browser window your app opened to connect can finish this request. Go back to that window, or start the connection again from your app.',
      );
      return;
    }
    const existing = this.#consentFor(uid);
    if (existing?.decision) {
      interaction.result = this.#interactionResult(existing.decision);
      await interaction.save(
        Math.max(1, (interaction.exp ?? 0) - Math.floor(this.#context.clock.now() / 1000)),
      );
      this.#forgetConsent(uid);
      res.writeHead(303, {
        location: interaction.returnTo,
        'cache-control': 'no-store',
        'content-length': '0',
      });
      res.end();
      return;
    }
    let pending = existing;
    if (!pending) {
      const request = await consentRequestFor(this.#context, interaction);
      // The user revoked this client and chose to refuse its requests for a while: no one is asked.
      const refusedUntil = this.#context.revokedClients.refusedUntil(request.clientId);
      if (refusedUntil !== null) {
        const until = sentenceTime(refusedUntil, this.#context.clock.now());
        interaction.result = {
          error: 'access_denied',
          error_description: revokedClientError(this.#context.clock.now(), { refusedUntil }),
        };
        await interaction.save(
          Math.max(1, (interaction.exp ?? 0) - Math.floor(this.#context.clock.now() / 1000)),
        );
        this.#context.audit.record({
          type: 'consent.refused',
          clientId: request.clientId,
          decision: 'deny',
          reason: `Refused ${request.clientName}'s request without asking: you revoked it and refuse its requests until ${until}`,
        });
        res.writeHead(303, {
          location: interaction.returnTo,
          'cache-control': 'no-store',
          'content-length': '0',
        });
        res.end();
        return;
      }
      const id = decisionId(this.#context.random);
      try {
        pending = { ...consents.raise(id, request), decision: undefined };
      } catch (error) {
        sendMessagePage(res, 429, 'Too many requests are waiting', (error as Error).message);
        return;
      }
      for (const [other, otherId] of this.#consentIds)
        if (!consents.get(otherId)) this.#consentIds.delete(other);
      this.#consentIds.set(uid, id);
      this.#context.notifier.notify({
        kind: 'consent',
        title: `${request.clientName} asks for access`,
        body: `Match code ${request.matchCode}. Open Gatehouse to approve or deny.`,
      });
      this.#context.audit.record({
        type: 'consent.requested',
        clientId: request.clientId,
        decision: 'info',
        reason: `${request.clientName} asked for ${describeScopes(request.requestedScopes)}`,
        detail: {
          resource: request.resource,
          scopes: request.requestedScopes,
          redirectHost: request.redirectHost,
        },
      });
    }
    const nonce = this.#context.random.bytes(16).toString('base64url');
    const item = pending.item;
    sendPage(
      res,
      renderConsentWaitingPage({
        clientName: item.clientName,
        redirectHost: item.redirectHost,
        matchCode: item.matchCode,
        requestedAccess: requestedAccess(item),
        waitUrl: `/consent/${encodeURIComponent(uid)}/wait`,
        nonce,
      }),
      nonce,
    );
  }

  /** GET /consent/<uid>/wait: long-poll until the user has answered (no decision can be made here). */
  async wait(res: ServerResponse, uid: string): Promise<void> {
    const pending = this.#consentFor(uid);
    if (!pending) {
      sendJson(res, 404, { decided: false });
      return;
    }
    if (pending.decision) {
      sendJson(res, 200, { decided: true });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const decided = await Promise.race([
      this.#context.consents.wait(pending.id).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), LONG_POLL_MS))),
    ]);
    clearTimeout(timer);
    sendJson(res, 200, { decided });
  }

  /** Whether the request carries oidc-provider's interaction cookie for `uid` (set by /auth on its way here). */
  async #startedHere(req: IncomingMessage, res: ServerResponse, uid: string): Promise<boolean> {
    try {
      return (await this.#context.provider.interactionDetails(req, res)).uid === uid;
    } catch {
      // No cookie, a forged one, or one for another interaction.
      return false;
    }
  }

  /** The interaction's result for oidc-provider: the owner's grant, or an RFC 6749 §4.1.2.1 error. */
  #interactionResult(decision: ConsentDecision): Record<string, unknown> {
    switch (decision.outcome) {
      case 'approved':
        return { login: { accountId: OWNER_ACCOUNT }, consent: { grantId: decision.grantId } };
      case 'denied':
        return { error: 'access_denied', error_description: 'The user denied this request in Gatehouse.' };
      case 'timed-out':
        return {
          error: 'access_denied',
          error_description: `No answer was given in Gatehouse within ${durationText(this.#context.timeoutMs)}.`,
        };
      case 'set-aside':
        return {
          error: 'temporarily_unavailable',
          error_description:
            'Gatehouse set this request aside to make room: too many requests were waiting for an answer. Start the connection again.',
        };
    }
  }

  /** The consent raised for an interaction, answered or not, while Gatehouse still holds it. */
  #consentFor(uid: string): ReturnType<ConsentQueue['get']> {
    const id = this.#consentIds.get(uid);
    const consent = id === undefined ? undefined : this.#context.consents.get(id);
    if (id !== undefined && !consent) this.#consentIds.delete(uid);
    return consent;
  }

  /** Forgets a consent and its uid (its outcome was delivered, or its interaction is gone). */
  #forgetConsent(uid: string): void {
    const id = this.#consentIds.get(uid);
    this.#consentIds.delete(uid);
    if (id !== undefined) this.#context.consents.forget(id);
  }
}

function sendPage(res: ServerResponse, html: string, nonce: string): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    ...pageSecurityHeaders(nonce),
  });
  res.end(html);
}

function describeScopes(scopes: string[]): string {
  return scopes.includes(WRITE_SCOPE) ? 'read & write access' : 'read-only access';
}
