// The kinds of secret material a tool call is inspected for, and a finding as the surfaces show it:
// the kind and the field path, never the value. Imports nothing from Node, so the renderer uses it.
import { z } from 'zod';

/**
 * What Gatehouse holds a call's arguments for and masks in its results (docs/security-model.md,
 * "Secrets in tool calls"): a value it keeps sealed for a connector, private keys, cloud credentials,
 * tokens of well-known shapes, and dumps of `.env` or credentials files.
 */
const secretKinds = [
  'sealed-value',
  'private-key-pem',
  'private-key-openssh',
  'private-key-putty',
  'aws-credentials',
  'gcp-service-account',
  'azure-connection-string',
  'github-token',
  'gitlab-token',
  'slack-token',
  'stripe-live-key',
  'npm-token',
  'openai-key',
  'anthropic-key',
  'huggingface-token',
  'jwt',
  'env-dump',
] as const;

/** One kind of secret material (see `secretKinds`). */
export type SecretKind = (typeof secretKinds)[number];

/** Where a call carried secret material: its kind and the field path (`body`, `files[2].content`). */
export const secretFinding = z.object({ kind: z.enum(secretKinds), path: z.string() });

/** A finding of secret material in a call's arguments or result, as the approval and the audit say it. */
export type SecretFinding = z.infer<typeof secretFinding>;
