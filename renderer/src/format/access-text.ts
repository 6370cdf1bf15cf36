// How the product names access levels, registration kinds and grants.
import type { ClientView, GrantView, RegistrationKind } from '../../../main/core/api/contract.js';

export const ACCESS_LABEL = { read: 'Read-only', write: 'Read & write' } as const;

export const CEILING_LABEL = { off: 'Off', read: 'Read-only', write: 'Read & write' } as const;

export const KIND_LABEL: Record<RegistrationKind, string> = {
  dcr: 'Dynamic registration',
  'metadata-document': 'Metadata document',
  manual: 'Registered by hand',
};

/** Short form for tables. */
export const KIND_SHORT: Record<RegistrationKind, string> = {
  dcr: 'DCR',
  'metadata-document': 'Metadata doc',
  manual: 'Manual',
};

export function connectorsText(connectors: GrantView['connectors']): string {
  return connectors === '*' ? 'All connectors' : connectors.join(', ');
}

/** "All connectors · Read-only", one line per grant; "No access" when there is none. */
export function grantsText(client: ClientView): string[] {
  if (client.grants.length === 0) return ['No access granted'];
  return client.grants.map((grant) => `${connectorsText(grant.connectors)} · ${ACCESS_LABEL[grant.access]}`);
}
