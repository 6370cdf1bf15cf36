// What reaches the client of a tool call, a resource read or a prompt from its upstream, read for
// secret material: a result (text, structured content, embedded resources, a read's contents, a
// prompt's messages) and an upstream's protocol error. Each secret is replaced by
// a marker that says what was there, unless the user marked the connector as handling secrets on
// purpose; either way the audit row says what was found, by kind and field path.
import {
  ProtocolError,
  type CallToolResult,
  type GetPromptResult,
  type ReadResourceResult,
} from '@modelcontextprotocol/server';
import type { SecretFinding } from '../api/secret-findings.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import { scanResult, scanValue } from '../secrets/secret-scan.js';

/** A result as the client gets it, and what its audit row says of the secret material it carried. */
export interface InspectedResult<R> {
  result: R;
  /** For the audit row: `masked` (or `unmasked`, when the connector handles secrets), kinds and paths. */
  detail: Record<string, unknown>;
}

/**
 * A tool result, a resource read's contents or a prompt's messages with each secret masked
 * (docs/security-model.md, "Secrets in tool calls"; a blob's masked text encoded again), or as it is
 * when it carries none, or when `handlesSecrets` (the user's choice for its connector).
 */
export function inspectResult<R extends CallToolResult | ReadResourceResult | GetPromptResult>(
  result: R,
  sealed: SealedValues,
  handlesSecrets: boolean,
): InspectedResult<R> {
  const scan = scanResult(result, sealed);
  return outcome(result, scan.findings, handlesSecrets, () => scan.masked() as R);
}

/**
 * An upstream's protocol error, which reaches the client as it is: its message and data with each
 * secret masked the same way (a new error of the same code).
 */
export function inspectProtocolError(
  error: ProtocolError,
  sealed: SealedValues,
  handlesSecrets: boolean,
): InspectedResult<ProtocolError> {
  const scan = scanValue({ message: error.message, data: error.data }, sealed);
  return outcome(error, scan.findings, handlesSecrets, () => {
    const masked = scan.masked() as { message: string; data?: unknown };
    return ProtocolError.fromError(error.code, masked.message, masked.data);
  });
}

function outcome<R>(
  value: R,
  findings: SecretFinding[],
  handlesSecrets: boolean,
  masked: () => R,
): InspectedResult<R> {
  if (findings.length === 0) return { result: value, detail: {} };
  if (handlesSecrets)
    return { result: value, detail: { unmasked: findings, secretsPassed: 'handles-secrets' } };
  return { result: masked(), detail: { masked: findings } };
}
