// The contract's tool-call policy operations: each connector's tools (enabled, approval, class, a
// held change to review), the calls waiting for the user's approval, and the user's rules. Imports
// nothing from Node, so the renderer uses these schemas too.
import { z } from 'zod';
import { secretFinding } from './secret-findings.js';
import { empty, idInput } from './operation-inputs.js';

const firstSightFinding = z.object({
  /** A character rule (hidden-characters, look-alike, …) or a signal (secret-material, concealment, …): text.ts FIRST_SIGHT_RULE_WORDS. */
  rule: z.string(),
  /** A sentence for the user. */
  reason: z.string(),
  /** Where in the definition (`description`, `inputSchema.properties.path.description`, …). */
  where: z.string(),
  /** The offending part with context either side, every invisible character made visible. */
  excerpt: z.object({ before: z.string(), match: z.string(), after: z.string() }),
});

/**
 * What makes two definitions' findings the same, in any order: each rule, where, and the words that
 * tripped it (the engine's store and the window's grouping both ask).
 */
export function findingsKey(
  findings: ReadonlyArray<{ rule: string; where: string; excerpt: { match: string } }>,
): string {
  return findings
    .map((finding) => JSON.stringify([finding.rule, finding.where, finding.excerpt.match]))
    .sort()
    .join('\n');
}

const toolView = z.object({
  connector: z.string(),
  name: z.string(),
  /** The name clients see on /mcp (<connector>__<tool>, sanitised). */
  exposedName: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  toolClass: z.enum(['read', 'write']),
  classSource: z.enum(['annotations', 'user']),
  destructive: z.boolean(),
  enabled: z.boolean(),
  approval: z.enum(['never', 'ask']),
  /** Listed by the upstream right now. */
  available: z.boolean(),
  /**
   * An MCP Apps tool only its server's app may call (`_meta.ui.visibility` without "model"): no
   * model is offered it, and it answers only an app's call.
   */
  appOnly: z.boolean().default(false),
  /**
   * It runs only as a 2025-11-25 task (`execution.taskSupport: "required"`), which Gatehouse does not
   * relay: no client is offered it, however it is set.
   */
  taskOnly: z.boolean().default(false),
  held: z
    .object({
      changed: z.array(z.enum(['description', 'inputSchema'])),
      before: z.object({ description: z.string().nullable(), inputSchema: z.unknown() }),
      after: z.object({ description: z.string().nullable(), inputSchema: z.unknown() }),
      summary: z.string(),
      /**
       * The parts the pin leaves out (title, annotations, outputSchema, _meta, …) that changed too:
       * accepting the change accepts them as well.
       */
      otherParts: z
        .array(z.object({ part: z.string(), before: z.unknown(), after: z.unknown() }))
        .default([]),
      /** It now says it only reads where it said it writes: read-only grants would reach it. */
      nowReadOnly: z.boolean().default(false),
      /**
       * What first sight reads in the changed definition, any part, that it did not read in the one the
       * user saw (empty: nothing); null while first sight has not read it yet.
       */
      findings: z.array(firstSightFinding).nullable().default(null),
      /** The user answered "Keep blocked": it stays held without waiting for review. */
      keptBlocked: z.boolean(),
    })
    .nullable(),
  /**
   * Held on first sight: the definition tripped a first-sight rule the first time Gatehouse saw it, and
   * clients do not get it until the user accepts it; null otherwise.
   */
  firstSight: z
    .object({
      findings: z.array(firstSightFinding),
      /** The user answered "Keep blocked": it stays held without waiting for review. */
      keptBlocked: z.boolean(),
    })
    .nullable()
    .default(null),
  /**
   * Which held definition this view shows (held on first sight or changed upstream): an answer that names
   * it (`definition` of tools.accept / tools.keepBlocked) answers that definition only. Null when none is held.
   */
  definition: z.string().nullable().default(null),
});
/**
 * One upstream tool and the user's settings for it; `held` is a changed description or input
 * schema kept from clients until the user reviews it (a tool that changes under a grant).
 */
export type ToolView = z.infer<typeof toolView>;

const heldItemKind = z.enum(['prompt', 'resource', 'resource-template', 'instructions']);
const heldItemView = z.object({
  connector: z.string(),
  kind: heldItemKind,
  /** The prompt's name, the resource's URI, the template's URI template, or `instructions`. */
  key: z.string(),
  name: z.string(),
  description: z.string(),
  findings: z.array(firstSightFinding),
  /** The user answered "Keep blocked": it stays held without waiting for review. */
  keptBlocked: z.boolean(),
  /**
   * First sight has yet to judge it (its scanner is still loading): clients do not see it, but it is
   * not held for review — no findings, nothing to answer. Once judged it is held, or no longer listed.
   */
  checking: z.boolean().default(false),
  /** Which definition this view shows: an answer that names it answers that definition only. */
  definition: z.string().default(''),
});
/**
 * A prompt, resource or resource template held on first sight, or still being checked (clients do not
 * see it).
 */
export type HeldItemView = z.infer<typeof heldItemView>;
/**
 * The definition the user read (a view's `definition`): named, the answer is refused with `conflict` if the
 * item changed since, and nothing is answered. Unnamed, the answer is for the definition held now.
 */
const readDefinition = z.string().min(1).optional();
const heldItemInput = z
  .object({ connector: z.string(), kind: heldItemKind, key: z.string(), definition: readDefinition })
  .strict();
const heldToolInput = z
  .object({ connector: z.string(), tool: z.string(), definition: readDefinition })
  .strict();

const pendingApprovalView = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  connector: z.string(),
  tool: z.string(),
  /** Redacted for display. */
  arguments: z.unknown(),
  reason: z.string(),
  /** Whether "Always for this client" may answer it (not when a rule asks). */
  canAlways: z.boolean(),
  /**
   * The secret material its arguments carry, by kind and field path (never the value): such a call
   * waits for the user, who may also answer "Always allow for this connector".
   */
  secrets: z.array(secretFinding),
  createdAt: z.number(),
  expiresAt: z.number(),
});
/** A tool call held until the user allows or denies it (its tool asks, or a rule does). */
export type PendingApprovalView = z.infer<typeof pendingApprovalView>;

const ruleProblemView = z.object({
  /** The rule's place in the list, from 0. */
  index: z.number(),
  id: z.string(),
  /** The glob that fits nothing. */
  field: z.enum(['connector', 'tool']),
  /** A sentence: what it matches none of, and the name probably meant. */
  problem: z.string(),
  /** The name probably meant (a connector's or a tool's), or null. */
  suggestion: z.string().nullable(),
});
/** A saved rule that can never match: a connector or tool glob that fits no name Gatehouse knows. */
export type RuleProblemView = z.infer<typeof ruleProblemView>;

/** Spread into `operations` in contract.ts: tools, approvals and rules. */
export const toolsContract = {
  'tools.list': { input: z.object({ connector: z.string().optional() }).strict(), output: z.array(toolView) },
  'tools.set': {
    input: z
      .object({
        connector: z.string(),
        tool: z.string(),
        enabled: z.boolean().optional(),
        approval: z.enum(['never', 'ask']).optional(),
        toolClass: z.enum(['read', 'write']).nullable().optional(),
      })
      .strict(),
    output: toolView,
  },
  /**
   * "Ask first for every write tool" of a connector (or stop asking): sets the approval of each tool it
   * classes as write (by annotations or the user's class), and gives back the tools changed.
   */
  'tools.setWriteApproval': {
    input: z.object({ connector: z.string(), approval: z.enum(['never', 'ask']) }).strict(),
    output: z.array(toolView),
  },
  /** Accept a held tool's definition: clients see and can call it. */
  'tools.accept': { input: heldToolInput, output: toolView },
  /** "Keep blocked": the held change stays refused, and stops waiting for review. */
  'tools.keepBlocked': { input: heldToolInput, output: toolView },
  /**
   * Prompts, resources, templates and server instructions held on first sight, waiting or kept blocked,
   * and those first sight is still checking (`checking`).
   */
  'tools.heldItems': {
    input: z.object({ connector: z.string().optional() }).strict(),
    output: z.array(heldItemView),
  },
  /** Accept a held item's current definition: clients see it (`conflict` while it is being checked). */
  'tools.acceptItem': { input: heldItemInput, output: z.object({ connector: z.string(), key: z.string() }) },
  /** "Keep blocked": the held item stays hidden and stops waiting for review. */
  'tools.blockItem': { input: heldItemInput, output: heldItemView },
  'approvals.list': { input: empty, output: z.array(pendingApprovalView) },
  /**
   * Let a waiting call run: once; `always`: and this tool for this client from now on; `connector`
   * (a call held for secret material): and its connector handles secrets on purpose from now on.
   */
  'approvals.allow': {
    input: z
      .object({
        id: z.string().min(1, 'an approval id is required'),
        always: z.boolean().default(false),
        connector: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ id: z.string() }),
  },
  'approvals.deny': { input: idInput, output: z.object({ id: z.string() }) },
  'rules.list': { input: empty, output: z.array(z.record(z.string(), z.unknown())) },
  /** Replaces every rule; a rule without an id gets one made up from what it does. */
  'rules.set': {
    input: z.object({ rules: z.array(z.unknown()) }).strict(),
    output: z.array(z.record(z.string(), z.unknown())),
  },
  /** The saved rules that can never match the connectors and tools there are, with the name meant. */
  'rules.problems': { input: empty, output: z.array(ruleProblemView) },
} as const;
