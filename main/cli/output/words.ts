// The product's words for the contract's values, so every command describes access, registration
// kinds and connector choices the way the Gatehouse window does.
import type { AccessCeiling, ConnectorSelection, RegistrationKind } from '../../core/api/contract.js';

export function accessText(access: AccessCeiling | 'none'): string {
  switch (access) {
    case 'none':
    case 'off':
      return 'none';
    case 'read':
      return 'read-only';
    case 'write':
      return 'read & write';
  }
}

export function kindText(kind: RegistrationKind): string {
  switch (kind) {
    case 'dcr':
      return 'DCR';
    case 'metadata-document':
      return 'metadata document';
    case 'manual':
      return 'manual';
  }
}

export function connectorsText(connectors: ConnectorSelection): string {
  return connectors === '*' ? 'every connector' : connectors.join(', ');
}

/** "1 token", "2 tokens": `plural` defaults to the singular plus "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The host part of a redirect URI, the part a user recognises ("127.0.0.1:33418", "vscode.dev"). */
export function hostOf(uri: string): string {
  try {
    const url = new URL(uri);
    return url.host || `${url.protocol}//`;
  } catch {
    return uri;
  }
}

/** One line of at most `max` characters: newlines folded, the end cut with "…". */
export function shorten(text: string, max: number): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Memory as people read it: "68 MB". */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** What stands in for a secret Gatehouse holds: never its value. */
export const MASKED = '••••';
