// The options that say what a grant gives — --access, --connectors, --expires-in — as `consents
// approve` and `clients grant` both take them: each parsed, or undefined when it was not given.
import type { AccessLevel, ConnectorSelection } from '../../core/api/contract.js';
import { UsageError } from '../command-context/command.js';
import { parseDuration } from '../../core/text.js';

/** The option table entries for the three options. */
export const GRANT_OPTIONS = {
  access: { type: 'string' },
  connectors: { type: 'string' },
  'expires-in': { type: 'string' },
} as const;

/** `--access read|write`. */
export function accessOption(value: string | undefined): AccessLevel | undefined {
  if (value === undefined || value === 'read' || value === 'write') return value;
  throw new UsageError(`--access is read or write (got "${value}").`);
}

/** `--connectors a,b`, or `*` (or `all`) for every connector, later ones too. */
export function connectorsOption(value: string | undefined): ConnectorSelection | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '*' || value.trim() === 'all') return '*';
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new UsageError('--connectors takes connector names separated by commas, or * for all connectors.');
  return names;
}

/** `--expires-in 30m|12h|7d`, or `never` (null); in seconds from now. */
export function expiryOption(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return null;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new UsageError(`--expires-in is a duration like 30m, 12h or 7d, or never (got "${value}").`);
  if (ms < 60_000) throw new UsageError(`--expires-in must be at least 1 minute (got "${value}").`);
  return Math.floor(ms / 1000);
}
