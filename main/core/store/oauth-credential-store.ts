// What Gatehouse keeps for one OAuth connector between runs (its dynamic registration, its tokens, where
// it found its authorization server, why it needs the user) and the port it is kept through. The engine
// backs the port with the vault and SQLite (`vaultCredentialStore`); tests use `memoryCredentialStore`.
import { z } from 'zod';
import type { SecretVault } from '../effects.js';

const registration = z.object({
  /** The authorization server (issuer) the client was registered with: identifiers are per server. */
  issuer: z.string(),
  clientId: z.string(),
  clientSecret: z.string().optional(),
  /** Seconds since the epoch; 0 or absent: never (RFC 7591 §3.2.1). */
  clientSecretExpiresAt: z.number().optional(),
  tokenEndpointAuthMethod: z.string().optional(),
  redirectUri: z.string(),
  registeredAt: z.number(),
});

const tokens = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  refreshToken: z.string().optional(),
  /** Milliseconds since the epoch (Gatehouse's clock), when the server said. */
  expiresAt: z.number().optional(),
  obtainedAt: z.number(),
  /** Granted scope (the token response's, else what was asked for). */
  scope: z.string().optional(),
  requestedScope: z.string().optional(),
  /** RFC 8707 resource the tokens were issued for; refreshes ask for the same. */
  resource: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  /** The connector URL they were obtained for: a changed URL means they are not presented. */
  serverUrl: z.string(),
});

const attentionReasons = [
  'not-connected',
  'expired',
  'more-scope',
  'scope-refused',
  'client-rejected',
  /** The protected resource now names another authorization server (SEP-2352): sign in there. */
  'server-changed',
] as const;
/** Why an OAuth connector needs the user (see `attentionReasons`). */
export type AttentionReason = (typeof attentionReasons)[number];

const storedCredentials = z.object({
  version: z.literal(1),
  registration: registration.optional(),
  tokens: tokens.optional(),
  /** Where discovery last led, so a restart can refresh without a new challenge. */
  discovery: z
    .object({ serverUrl: z.string(), issuer: z.string(), resourceMetadataUrl: z.string().optional() })
    .optional(),
  /** Scopes accumulated by step-up challenges (MCP "Scope Challenge Handling"). */
  requestedScope: z.string().optional(),
  /** Why the user must act, kept so a restart says the same thing. */
  attention: z
    .object({
      reason: z.enum(attentionReasons),
      scope: z.string().optional(),
      /** For 'client-rejected': which identity the server refused. */
      client: z.enum(['pre-registered', 'metadata-document', 'registered']).optional(),
      /** For 'server-changed': the authorization server the resource names now. */
      issuer: z.string().optional(),
    })
    .optional(),
  /** Set once Gatehouse re-registered because the server rejected its client: it does so only once. */
  reregistered: z.boolean().optional(),
});

/** Everything an OAuth connector keeps between runs. */
export type StoredCredentials = z.infer<typeof storedCredentials>;
/** The connector's registration at its upstream authorization server (its client id, and secret if any). */
export type StoredRegistration = z.infer<typeof registration>;
/** The upstream tokens an OAuth connector holds. */
export type StoredTokens = z.infer<typeof tokens>;

/** The port the OAuth client keeps its credentials through. Implementations store them encrypted. */
export interface OAuthCredentialStore {
  load(): Promise<StoredCredentials | undefined>;
  save(credentials: StoredCredentials): Promise<void>;
  clear(): Promise<void>;
}

/** Where the encrypted bytes live: for the engine, one `connector_secrets` row. */
export interface SealedBlob {
  read(): Promise<Buffer | undefined>;
  write(bytes: Buffer): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Stores credentials as one vault-encrypted JSON document. An unreadable document (another vault key,
 * damage) reads as nothing stored, so the connector asks to be connected again instead of failing.
 */
export function vaultCredentialStore(vault: SecretVault, blob: SealedBlob): OAuthCredentialStore {
  return {
    async load() {
      const bytes = await blob.read();
      if (!bytes) return undefined;
      try {
        const parsed = storedCredentials.safeParse(JSON.parse(vault.decrypt(bytes)));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async save(credentials) {
      await blob.write(vault.encrypt(JSON.stringify(storedCredentials.parse(credentials))));
    },
    async clear() {
      await blob.remove();
    },
  };
}
