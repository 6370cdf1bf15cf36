// Asking the user about one tool call: the approval the window shows (arguments redacted), a system
// notification, and the answer — or a denial when nobody answers in time or the client gives up.
import type { Notifier, Random } from '../effects.js';
import type { PendingDecisions } from '../consent/pending-decisions.js';
import { decisionId } from '../consent/decision-id.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { ToolDecisionInput } from '../policy/tool-decision.js';

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
}

/** The user's answer to an approval: this call, this tool for this client from now on, no; or none in time. */
export type ApprovalDecision = 'once' | 'always' | 'deny' | 'timed-out';

/** Where approvals wait and how the user hears of them. */
export interface ApprovalContext {
  random: Random;
  notifier: Notifier;
  approvals: PendingDecisions<ApprovalRequest, ApprovalDecision>;
}

/**
 * Raises an approval for the call and waits for the user's answer; a full queue is a denial, and so
 * is the client cancelling its request. Returns the answer with the approval's id, which the audit
 * rows of the calls it allows name.
 */
export async function askUser(
  context: ApprovalContext,
  caller: Caller,
  input: ToolDecisionInput,
  redacted: unknown,
  reason: string,
  canAlways: boolean,
  signal: AbortSignal,
): Promise<{ id: string; answer: ApprovalDecision }> {
  const id = decisionId(context.random);
  const request: ApprovalRequest = {
    clientId: caller.clientId,
    clientName: input.client.name,
    connector: input.connector.name,
    tool: input.tool.name,
    exposedName: input.tool.exposedName,
    arguments: redacted,
    reason,
    canAlways,
  };
  try {
    context.approvals.raise(id, request);
  } catch {
    return { id, answer: 'deny' };
  }
  context.notifier.notify({
    kind: 'approval',
    title: `${request.clientName} wants to run ${request.exposedName}`,
    body: 'Open Gatehouse to allow or deny this call.',
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
