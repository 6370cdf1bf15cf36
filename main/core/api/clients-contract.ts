// The contract's client operations: the clients that registered (RFC 7591, Client ID Metadata
// Documents, or by hand) and their grants, the consents and registrations waiting for the user, and
// token introspection. Imports nothing from Node, so the renderer uses these schemas too.
import { z } from 'zod';
import { setupClient } from './client-setup-contract.js';
import { empty, idInput } from './operation-inputs.js';
import { accessCeiling } from './settings-contract.js';

const accessLevel = z.enum(['read', 'write']);
/** What a grant lets a client do on its connectors: read-only (`mcp:read`) or read & write (`mcp:write`). */
export type AccessLevel = z.infer<typeof accessLevel>;

/** `'*'` means every connector, including ones added later. */
const connectorSelection = z.union([
  z.literal('*'),
  z
    .array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'connector names are lowercase letters, digits, - and _'),
    )
    .min(1),
]);
/** The connectors a grant reaches: `'*'` for every connector (later ones too), or a list of names. */
export type ConnectorSelection = z.infer<typeof connectorSelection>;

const registrationKind = z.enum(['dcr', 'metadata-document', 'manual']);
/**
 * How a client came to be known: it registered itself (RFC 7591), its client_id is a metadata
 * document URL, or the user registered it by hand.
 */
export type RegistrationKind = z.infer<typeof registrationKind>;

const grantView = z.object({
  grantId: z.string(),
  connectors: connectorSelection,
  access: accessLevel,
  /** What the user consented to at most (the scopes its tokens may carry). */
  scopes: z.array(z.string()),
  /** Read & write can be chosen for it: the user once approved it read & write (its tokens carry that scope). */
  writable: z.boolean(),
  /** The grant is for one connector's own URL (`/mcp/<connector>`): it reaches that connector only. */
  connectorPath: z.boolean(),
  resource: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
});
/** One consent the user gave a client: which connectors, what access, for which resource, until when. */
export type GrantView = z.infer<typeof grantView>;

const clientView = z.object({
  clientId: z.string(),
  name: z.string(),
  kind: registrationKind,
  redirectHosts: z.array(z.string()),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  activeTokens: z.number(),
  openSessions: z.number(),
  /** 2026-07-28 clients have no sessions: their open listen streams and requests in flight. */
  openConnections: z.number().optional(),
  /** The app whose Gatehouse-written config entry its requests came through, or null (unknown). */
  setupClient: setupClient.nullable(),
  grants: z.array(grantView),
  /** What the client can do right now: ceiling ∩ its grants. */
  effectiveAccess: z.enum(['none', 'read', 'write']),
  /**
   * The user's revoke while it counts (the hour after it, or while its requests are refused): when,
   * until when its new authorization requests are refused without asking (null: they are not), and
   * when it stops counting.
   */
  revoked: z.object({ at: z.number(), refusedUntil: z.number().nullable(), endsAt: z.number() }).nullable(),
});
/** A registered client as the Clients page and `gatehouse clients` show it, with its grants and use. */
export type ClientView = z.infer<typeof clientView>;

const pendingConsentView = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  kind: registrationKind,
  redirectHost: z.string(),
  matchCode: z.string(),
  requestedScopes: z.array(z.string()),
  requestedAccess: accessLevel,
  resource: z.string(),
  /** Gatehouse's stdio bridge asks: the match code is in the MCP log of the app that runs it, not a browser. */
  viaBridge: z.boolean().optional(),
  /** When the user revoked this client, if within the last hour: the request says so. */
  revokedAt: z.number().nullable().optional(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
/**
 * An authorization request waiting for the user's answer; the match code is the one the browser's
 * waiting page shows, so the user can tell which request is theirs.
 */
export type PendingConsentView = z.infer<typeof pendingConsentView>;

const pendingRegistrationView = z.object({
  id: z.string(),
  clientName: z.string(),
  redirectUris: z.array(z.string()),
  createdAt: z.number(),
  expiresAt: z.number(),
});
/** A self-registration (RFC 7591) held for the user's answer while the policy is "ask". */
export type PendingRegistrationView = z.infer<typeof pendingRegistrationView>;

const clientIdInput = z.object({ clientId: z.string().min(1, 'a client id is required') }).strict();

/** What revoking or forgetting a client took back: its grants, its tokens and its open MCP sessions. */
const accessTakenBack = z.object({
  clientId: z.string(),
  grantsRevoked: z.number(),
  tokensRevoked: z.number(),
  sessionsClosed: z.number(),
});

const redirectUri = z
  .string()
  .refine((value) => URL.canParse(value), 'each redirect URI must be an absolute URL');

/** Spread into `operations` in contract.ts: clients, consents, registrations and introspection. */
export const clientsContract = {
  'clients.list': { input: empty, output: z.array(clientView) },
  'clients.get': { input: clientIdInput, output: clientView },
  'clients.revoke': {
    input: clientIdInput.extend({
      /** Also refuse the client's new authorization requests for this long, without asking (at most a week). */
      refuseForSeconds: z
        .number()
        .int()
        .positive()
        .max(7 * 86_400, 'refuseForSeconds must be at most a week (604800)')
        .optional(),
    }),
    output: accessTakenBack,
  },
  'clients.forget': {
    input: clientIdInput,
    output: accessTakenBack,
  },
  /** Ends the refusal a revoke chose: the client's next request asks for consent again. */
  'clients.stopRefusing': { input: clientIdInput, output: clientView },
  /**
   * Changes one of a client's grants as the consent dialog chooses it — connectors, read-only or read
   * & write, expiry — effective on its next call. `grantId` may be left out when the client has one
   * grant; `expiresInSeconds` counts from now (null: no expiry). Read & write comes back only to a
   * grant the user once approved read & write (its tokens carry that scope; a token never gains one).
   */
  'clients.grant': {
    input: clientIdInput.extend({
      grantId: z.string().min(1, 'a grant id is required').optional(),
      connectors: connectorSelection.optional(),
      access: accessLevel.optional(),
      expiresInSeconds: z
        .number()
        .int()
        .min(60, 'a grant lasts at least 60 seconds')
        .max(10 * 365 * 86_400, 'a grant lasts at most 10 years (or has no expiry)')
        .nullable()
        .optional(),
    }),
    output: clientView,
  },
  'clients.register': {
    input: z
      .object({
        name: z
          .string()
          .trim()
          .min(1, 'a client name is required')
          .max(100, 'client names are at most 100 characters'),
        redirectUris: z.array(redirectUri).min(1, 'at least one redirect URI is required'),
        confidential: z.boolean().default(true),
      })
      .strict(),
    output: z.object({
      clientId: z.string(),
      clientSecret: z.string().nullable(),
      tokenEndpointAuthMethod: z.string(),
    }),
  },
  'consents.list': { input: empty, output: z.array(pendingConsentView) },
  'consents.approve': {
    input: z
      .object({
        id: z.string().min(1, 'a consent id is required'),
        access: accessLevel.default('read'),
        connectors: connectorSelection.default('*'),
        expiresInSeconds: z
          .number()
          .int()
          .min(60, 'a grant lasts at least 60 seconds')
          .nullable()
          .default(null),
      })
      .strict(),
    output: z.object({
      id: z.string(),
      grantId: z.string(),
      /** What the client can do now: the access ceiling ∩ the access granted. */
      effectiveAccess: z.enum(['none', 'read', 'write']),
      accessCeiling: accessCeiling,
    }),
  },
  'consents.deny': { input: idInput, output: z.object({ id: z.string() }) },
  'consents.denyAll': {
    input: z.object({ clientId: z.string().min(1, 'a client id is required').optional() }).strict(),
    output: z.object({ denied: z.array(z.string()) }),
  },
  'registrations.list': { input: empty, output: z.array(pendingRegistrationView) },
  'registrations.approve': { input: idInput, output: z.object({ id: z.string() }) },
  'registrations.deny': { input: idInput, output: z.object({ id: z.string() }) },
  'tokens.introspect': {
    input: z.object({ token: z.string().min(1, 'a token is required') }).strict(),
    output: z.object({
      active: z.boolean(),
      clientId: z.string().nullable(),
      scope: z.string().nullable(),
      audience: z.string().nullable(),
      tokenType: z.string().nullable(),
      expiresAt: z.number().nullable(),
    }),
  },
} as const;
