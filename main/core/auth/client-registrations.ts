// The registrations Gatehouse itself writes or removes, beside oidc-provider's /reg: a client the
// user registers by hand (validated by oidc-provider exactly as a self-registration would be, RFC
// 7591 §2), and a registration deleted so its client_id no longer authenticates.
import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/audit-log.js';
import type { Random } from '../effects.js';
import { GatehouseError } from '../errors.js';
import type { ClientStore } from '../store/client-store.js';
import { looksNative } from './redirect-uris.js';

/** What registering a client by hand uses of the authorization server. */
export interface ManualRegistrationContext {
  provider: Provider;
  clients: ClientStore;
  audit: AuditLog;
  random: Random;
}

/** A client the user registers by hand: its name, where it sends the browser back, and whether it keeps a secret. */
export interface ManualClientInput {
  name: string;
  redirectUris: string[];
  confidential: boolean;
}

/** The registered client's credentials; the secret (confidential clients only) is shown this once. */
export interface ManualClientCredentials {
  clientId: string;
  clientSecret: string | null;
  tokenEndpointAuthMethod: string;
}

/** Registers a client by hand (confidential by default); the secret is returned once and never again. */
export async function registerManualClient(
  context: ManualRegistrationContext,
  input: ManualClientInput,
): Promise<ManualClientCredentials> {
  const { provider, random } = context;
  const clientId = `gh_${random.bytes(12).toString('base64url')}`;
  const clientSecret = input.confidential ? random.bytes(32).toString('base64url') : null;
  const metadata = {
    client_id: clientId,
    client_name: input.name,
    redirect_uris: input.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: input.confidential ? 'client_secret_basic' : 'none',
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    ...(looksNative(input.redirectUris) ? { application_type: 'native' } : {}),
  };
  try {
    await provider.Client.validate(metadata as unknown as Parameters<Provider['Client']['validate']>[0]);
  } catch (error) {
    throw new GatehouseError('bad_request', `The client was not registered: ${oauthErrorText(error)}`, {
      cause: error,
    });
  }
  await clientAdapter(provider).upsert(clientId, metadata);
  context.clients.upsert({
    clientId,
    kind: 'manual',
    name: input.name,
    redirectUris: input.redirectUris,
  });
  context.audit.record({
    type: 'client.registered',
    clientId,
    decision: 'info',
    reason: `Registered by hand as a ${input.confidential ? 'confidential' : 'public'} client`,
    detail: { redirectUris: input.redirectUris },
  });
  return { clientId, clientSecret, tokenEndpointAuthMethod: metadata.token_endpoint_auth_method };
}

/** Deletes a client's registration (DCR or manual) so its client_id no longer authenticates. */
export async function deleteRegistration(provider: Provider, clientId: string): Promise<void> {
  await clientAdapter(provider).destroy(clientId);
}

/** oidc-provider's storage adapter for clients (present at runtime, absent from its types). */
function clientAdapter(provider: Provider): {
  upsert(id: string, payload: object): Promise<void>;
  destroy(id: string): Promise<void>;
} {
  return (provider.Client as unknown as { adapter: ReturnType<typeof clientAdapter> }).adapter;
}

function oauthErrorText(error: unknown): string {
  const e = error as { error_description?: string; message?: string };
  return e.error_description ?? e.message ?? String(error);
}
