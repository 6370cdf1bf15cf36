// Asking the user about one tool call: the approval the window shows (arguments redacted, and the
// secret material they carry named by kind and field path), a system notification, and the answer — or
// a denial when nobody answers in time or the client gives up.
import type { SecretFinding } from '../api/secret-findings.js';
import type { Notifier, Random } from '../effects.js';
import type { PendingDecisions } from '../consent/pending-decisions.js';
import { decisionId } from '../consent/decision-id.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { ToolDecisionInput } from '../policy/tool-decision.js';
import { secretKindsText } from '../text.js';

/** How long a tool call waits for the user's approval before it is denied (by default). */
export const APPROVAL_TIMEOUT_MS = 2 * 60_000;

/** A tool call waiting for the user's answer, as the window's approval shows it. */
export interface ApprovalRequest {
  clientId: string;
  clientName: string;
  connector: string;
  tool: string;
  exposedName: string;
  /** Redacted: this is what the user sees. */
  arguments: unknown;
  reason: string;
  /** False when a rule asks: a rule may depend on arguments, so "always" cannot answer it. */
  canAlways: boolean;
  /** The secret material the arguments carry (kind and field path, never the value); empty if none. */
  secrets: SecretFinding[];
  /** Only the secret material asks (policy allows the call): "always for this client" cannot answer it. */
  secretsOnly: boolean;
}

/**
 * The user's answer to an approval: this call; this tool for this client from now on; this call, and
 * the connector handles secrets on purpose from now on (only for a call held for secret material); no;
 * or none in time.
 */
export type ApprovalDecision = 'once' | 'always' | 'connector' | 'deny' | 'timed-out';

/** Where approvals wait and how the user hears of them. */
export interface ApprovalContext {
  random: Random;
  notifier: Notifier;
  approvals: PendingDecisions<ApprovalRequest, ApprovalDecision>;
}

/** What the user is asked about one call: who calls what, with which arguments, and why it asks. */
export interface ApprovalQuestion {
  caller: Caller;
  input: ToolDecisionInput;
  /** The arguments as the user may see them: redacted, secret material masked. */
  redacted: unknown;
  reason: string;
  canAlways: boolean;
  secrets: SecretFinding[];
  secretsOnly: boolean;
}

/**
 * Raises an approval for the call and waits for the user's answer; a full queue is a denial, and so
 * is the client cancelling its request. Returns the answer with the approval's id, which the audit
 * rows of the calls it allows name.
 */
export async function askUser(
  context: ApprovalContext,
  question: ApprovalQuestion,
  signal: AbortSignal,
): Promise<{ id: string; answer: ApprovalDecision }> {
  const { caller, input, secrets } = question;
  const id = decisionId(context.random);
  const request: ApprovalRequest = {
    clientId: caller.clientId,
    clientName: input.client.name,
    connector: input.connector.name,
    tool: input.tool.name,
    exposedName: input.tool.exposedName,
    arguments: question.redacted,
    reason: question.reason,
    canAlways: question.canAlways,
    secrets,
    secretsOnly: question.secretsOnly,
  };
  try {
    context.approvals.raise(id, request);
  } catch {
    return { id, answer: 'deny' };
  }
  context.notifier.notify({
    kind: 'approval',
    title: `${request.clientName} wants to run ${request.exposedName}`,
    // The kinds only: a notification is shown by the OS, outside Gatehouse.
    body:
      secrets.length > 0
        ? `Its arguments carry ${secretKindsText(secrets)}. Open Gatehouse to allow or deny this call.`
        : 'Open Gatehouse to allow or deny this call.',
  });
  const cancelled = new Promise<ApprovalDecision>((resolve) =>
    signal.addEventListener('abort', () => resolve('deny'), { once: true }),
  );
  try {
    return { id, answer: await Promise.race([context.approvals.wait(id), cancelled]) };
  } finally {
    context.approvals.forget(id);
  }
}
