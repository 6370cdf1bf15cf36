// The contract's audit operation: the audit log's events as a trusted surface reads them, filtered
// and paged. Imports nothing from Node, so the renderer uses these schemas too.
import { z } from 'zod';

const auditEventView = z.object({
  id: z.number(),
  at: z.number(),
  type: z.string(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  connector: z.string().nullable(),
  tool: z.string().nullable(),
  decision: z.enum(['allow', 'deny', 'info']),
  reason: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
/** One audit log event: what happened, to whom, the decision and the reason in a sentence. */
export type AuditEventView = z.infer<typeof auditEventView>;

/** Spread into `operations` in contract.ts: reading the audit log. */
export const auditContract = {
  'audit.list': {
    input: z
      .object({
        clientId: z.string().optional(),
        connector: z.string().optional(),
        tool: z.string().optional(),
        type: z.string().optional(),
        decision: z.enum(['allow', 'deny', 'info']).optional(),
        since: z.number().optional(),
        until: z.number().optional(),
        /** Page backwards exactly: only events with a smaller id (newer ones come first). */
        beforeId: z.number().int().optional(),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .strict(),
    output: z.array(auditEventView),
  },
} as const;
