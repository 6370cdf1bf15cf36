// The user's decisions about each upstream tool — enabled, approval (never / ask), read/write
// override — and its pin: the definition the user has seen. A tool whose definition changes upstream
// is held (kept with the change for review) until the user accepts it; so is a new tool whose first
// definition trips a first-sight rule (policy/first-sight.ts). First sight loads on first need
// (policy/first-sight-loader.ts): a sync before it is loaded leaves the tools it would judge as they
// stand, and says which, for the caller to sync again once it is.
import type { Tool } from '@modelcontextprotocol/client';
import type { FirstSightFinding } from '../policy/first-sight-scan.js';
import { notJudged, type ListingScan } from '../policy/first-sight-loader.js';
import { canonicalJson } from '../policy/tool-fingerprint.js';
import { findingsKey } from '../api/contract.js';
import type { Database, Statement } from './database.js';
import { transaction } from './database.js';
import type { Clock } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { didYouMean } from '../text.js';

import type { ApprovalSetting, ToolClass } from '../policy/tool-class.js';
export type { ApprovalSetting, ToolClass };

/** The user's decisions about one upstream tool and its pinned definition. */
export interface ToolState {
  connector: string;
  name: string;
  enabled: boolean;
  approval: ApprovalSetting;
  classOverride: ToolClass | null;
  /** The definition the user has seen (trusted on first sight). */
  pinned: Tool;
  /** The changed definition waiting for review, or null. */
  held: Tool | null;
  /** The user answered the held change with "Keep blocked": it stays held without asking again. */
  heldKept: boolean;
  /**
   * Why the tool was held the first time Gatehouse saw it (first-sight rules), until the user accepts it;
   * null for a tool that was clean on first sight or has been accepted. Its `held` is that definition.
   */
  firstSight: FirstSightFinding[] | null;
  /**
   * For a change held upstream (`held` without `firstSight`): what first sight reads in the changed
   * definition that it did not read in the pinned one (empty: nothing new); null while it has not read
   * it, and when no change is held.
   */
  changeFindings: FirstSightFinding[] | null;
  firstSeen: number;
  updatedAt: number;
}

interface Row {
  connector: string;
  name: string;
  enabled: number;
  approval: string;
  class_override: string | null;
  pinned: string;
  held: string | null;
  held_kept: number;
  first_sight: string | null;
  change_findings: string | null;
  first_seen: number;
  updated_at: number;
}

/**
 * The policy a sync applies to tools it sees: default approval, what pins a definition, and what widens
 * access.
 */
export interface ToolSyncHooks {
  /** Approval for a tool seen for the first time (destructive or unannotated write tools ask). */
  defaultApproval(tool: Tool): ApprovalSetting;
  /** The pinned identity of a definition (name, description, input schema). */
  fingerprint(tool: Tool): string;
  /** Whether a change of annotations would widen who may call the tool (write → read). */
  widens(pinned: Tool, current: Tool): boolean;
  /**
   * A scan of this listing's definitions by the first-sight rules (findings; empty: nothing to hold a
   * tool for), asked for once per sync at its first new definition, so that a string the listing repeats
   * is read once (policy/first-sight.ts); undefined while first sight is not loaded yet.
   */
  firstSight(): ListingScan | undefined;
}

/**
 * What a sync found: tools seen for the first time, tools held because their definition changed, tools
 * held on first sight (also in `added`), and tools left as they stood because first sight was not
 * loaded to judge them (a new tool stays unknown, so no client sees it; one held stays held).
 */
export interface ToolSyncResult {
  added: string[];
  held: string[];
  heldOnFirstSight: string[];
  unjudged: string[];
}

/**
 * Each connector's tools with the user's decisions; `version` goes up on every change so caches know when
 * to refresh.
 */
export class ToolStore {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #cache = new Map<string, Map<string, ToolState>>();
  readonly #listeners = new Set<(connector: string) => void>();
  readonly #upsert: Statement;
  #version = 0;

  constructor(db: Database, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.#upsert = db.prepare(`
      INSERT INTO tools (connector, name, enabled, approval, class_override, pinned, held, held_kept, first_sight, change_findings, first_seen, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (connector, name) DO UPDATE SET enabled = excluded.enabled, approval = excluded.approval,
        class_override = excluded.class_override, pinned = excluded.pinned, held = excluded.held,
        held_kept = excluded.held_kept, first_sight = excluded.first_sight,
        change_findings = excluded.change_findings, updated_at = excluded.updated_at`);
  }

  /** Goes up with every change to any tool's state (what cached tool lists are checked against). */
  get version(): number {
    return this.#version;
  }

  /** Every known tool of a connector (including ones the upstream no longer lists). */
  of(connector: string): Map<string, ToolState> {
    let tools = this.#cache.get(connector);
    if (!tools) {
      tools = new Map();
      const rows = this.#db
        .prepare('SELECT * FROM tools WHERE connector = ?')
        .all(connector) as unknown as Row[];
      for (const row of rows) tools.set(row.name, fromRow(row));
      this.#cache.set(connector, tools);
    }
    return tools;
  }

  get(connector: string, name: string): ToolState | undefined {
    return this.of(connector).get(name);
  }

  /** The tool, or a `not_found` error naming it. */
  require(connector: string, name: string): ToolState {
    const state = this.get(connector, name);
    if (!state)
      throw new GatehouseError(
        'not_found',
        `Connector ${connector} has no tool named ${name} (see gatehouse tools list ${connector}).${didYouMean(name, [...this.of(connector).keys()])}`,
      );
    return state;
  }

  /**
   * Records what the upstream lists now: new tools are pinned (or held, when a first-sight rule trips),
   * changed ones held. Tools first sight would judge while it is not loaded are left as they stand
   * (`unjudged`).
   */
  sync(connector: string, tools: Tool[], hooks: ToolSyncHooks): ToolSyncResult {
    const known = this.of(connector);
    const result: ToolSyncResult = { added: [], held: [], heldOnFirstSight: [], unjudged: [] };
    const now = this.#clock.now();
    // The listing's scan, asked for at its first new definition: a listing of known tools needs none.
    let scan: ListingScan | undefined | null = null;
    const judge = (tool: Tool): FirstSightFinding[] | undefined => {
      if (scan === null) scan = hooks.firstSight();
      return scan?.(tool);
    };
    transaction(this.#db, () => {
      for (const tool of tools) {
        const state = known.get(tool.name);
        if (!state) {
          const findings = judge(tool);
          if (findings === undefined) {
            result.unjudged.push(tool.name);
            continue;
          }
          this.#write({
            connector,
            name: tool.name,
            enabled: true,
            approval: hooks.defaultApproval(tool),
            classOverride: null,
            pinned: tool,
            held: findings.length > 0 ? tool : null,
            heldKept: false,
            firstSight: findings.length > 0 ? findings : null,
            changeFindings: null,
            firstSeen: now,
            updatedAt: now,
          });
          result.added.push(tool.name);
          if (findings.length > 0) result.heldOnFirstSight.push(tool.name);
          continue;
        }
        if (state.firstSight) {
          this.#resight(state, tool, hooks, judge, result, now);
          continue;
        }
        const same =
          hooks.fingerprint(tool) === hooks.fingerprint(state.pinned) && !hooks.widens(state.pinned, tool);
        if (same) {
          const differs = JSON.stringify(state.pinned) !== JSON.stringify(tool);
          if (differs && canonicalJson(state.pinned) !== canonicalJson(tool)) {
            // Only parts the pin leaves out changed (title, annotations, outputSchema, _meta), which clients
            // pass on: first sight reads the new definition, and what it finds that the one the user saw
            // did not say holds the tool as on first sight, with those findings. Until read, it waits held.
            const fresh = freshFindings(tool, state.pinned, judge);
            if (fresh === undefined) {
              result.unjudged.push(tool.name);
              if (!state.held) this.#write({ ...state, held: tool, heldKept: false, updatedAt: now });
              continue;
            }
            if (fresh.length > 0) {
              this.#write({
                ...state,
                held: tool,
                heldKept: false,
                firstSight: fresh,
                changeFindings: null,
                updatedAt: now,
              });
              result.held.push(tool.name);
              result.heldOnFirstSight.push(tool.name);
              continue;
            }
          }
          // Back to what the user saw (or never changed): nothing is held, and annotations etc. refresh.
          if (state.held || differs)
            this.#write({
              ...state,
              pinned: tool,
              held: null,
              heldKept: false,
              changeFindings: null,
              updatedAt: now,
            });
          continue;
        }
        // A change the user must review. First sight reads it too, so the review says what the new
        // definition asks that the one the user saw did not — in every part, the title and _meta too.
        const unchanged = state.held !== null && canonicalJson(state.held) === canonicalJson(tool);
        if (unchanged && state.changeFindings !== null) continue;
        const fresh = freshFindings(tool, state.pinned, judge);
        if (fresh === undefined) result.unjudged.push(tool.name);
        if (unchanged) {
          if (fresh !== undefined) this.#write({ ...state, changeFindings: fresh, updatedAt: now });
          continue;
        }
        // The held change again with only its display parts new and read the same: the same review,
        // answered or waiting as it was (the answer names the definition it read: tools.accept). Anything
        // else is a different change than the one the user answered: it asks again.
        const sameReview =
          state.held !== null &&
          hooks.fingerprint(state.held) === hooks.fingerprint(tool) &&
          fresh !== undefined &&
          state.changeFindings !== null &&
          sameFindings(fresh, state.changeFindings, true);
        this.#write({
          ...state,
          held: tool,
          heldKept: sameReview && state.heldKept,
          changeFindings: fresh ?? null,
          updatedAt: now,
        });
        if (!sameReview) result.held.push(tool.name);
      }
    });
    return result;
  }

  /**
   * A tool held on first sight, listed again: the same definition stays held as it is; a new one is
   * scanned again — held with its own findings (and asking again), or, when clean and the user has not
   * kept the tool blocked, released as a clean first sight (from then on pinned like any other). One
   * held unread (first sight did not load: not-judged) and not answered is scanned whenever listed
   * until it is judged.
   */
  #resight(
    state: ToolState,
    tool: Tool,
    hooks: ToolSyncHooks,
    judge: (tool: Tool) => FirstSightFinding[] | undefined,
    result: ToolSyncResult,
    now: number,
  ): void {
    const same = JSON.stringify(state.held) === JSON.stringify(tool);
    const unread = notJudged(state.firstSight) && !state.heldKept;
    if (!unread && same) return;
    const findings = judge(tool);
    if (findings === undefined) {
      result.unjudged.push(tool.name);
      return;
    }
    // Still unread, and the same definition: held as it was, nothing new to tell.
    if (unread && same && notJudged(findings)) return;
    if (
      !unread &&
      hooks.fingerprint(tool) === hooks.fingerprint(state.held ?? state.pinned) &&
      sameFindings(findings, state.firstSight ?? [])
    ) {
      // Only parts outside the pin changed (title, annotations, …) and first sight finds what it found
      // before: held as it was (answered, if the user kept it blocked), with what the upstream says now.
      this.#write({ ...state, pinned: tool, held: tool, firstSight: findings, updatedAt: now });
      return;
    }
    if (findings.length === 0 && !state.heldKept) {
      this.#write({ ...state, pinned: tool, held: null, heldKept: false, firstSight: null, updatedAt: now });
      return;
    }
    this.#write({
      ...state,
      pinned: tool,
      held: tool,
      heldKept: false,
      firstSight: findings.length > 0 ? findings : state.firstSight,
      updatedAt: now,
    });
    result.held.push(tool.name);
    if (findings.length > 0) result.heldOnFirstSight.push(tool.name);
  }

  /** Changes the user's decisions about a tool (enabled, approval, class override) and tells listeners. */
  update(
    connector: string,
    name: string,
    patch: { enabled?: boolean; approval?: ApprovalSetting; classOverride?: ToolClass | null },
  ): ToolState {
    const state = this.require(connector, name);
    const next: ToolState = { ...state, ...patch, updatedAt: this.#clock.now() };
    this.#write(next);
    this.#changed(connector);
    return next;
  }

  /** Hears about the user's changes to a connector's tools (toggles, accepted changes). */
  onChange(listener: (connector: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(connector: string): void {
    for (const listener of this.#listeners) listener(connector);
  }

  /** The user reviewed a held change: it becomes the pinned definition. */
  accept(connector: string, name: string): ToolState {
    const state = this.require(connector, name);
    if (!state.held)
      throw new GatehouseError('conflict', `${connector}/${name} has no change waiting for review.`);
    const next: ToolState = {
      ...state,
      pinned: state.held,
      held: null,
      heldKept: false,
      firstSight: null,
      changeFindings: null,
      updatedAt: this.#clock.now(),
    };
    this.#write(next);
    this.#changed(connector);
    return next;
  }

  /** The user reviewed a held change and refused it: the tool stays held, and is no longer waiting. */
  keepBlocked(connector: string, name: string): ToolState {
    const state = this.require(connector, name);
    if (!state.held)
      throw new GatehouseError('conflict', `${connector}/${name} has no change waiting for review.`);
    const next: ToolState = { ...state, heldKept: true, updatedAt: this.#clock.now() };
    this.#write(next);
    this.#changed(connector);
    return next;
  }

  /** Forgets a connector's tools (the database rows go with the connector by cascade). */
  drop(connector: string): void {
    this.#cache.delete(connector);
    this.#version++;
  }

  #write(state: ToolState): void {
    this.#upsert.run(
      state.connector,
      state.name,
      state.enabled ? 1 : 0,
      state.approval,
      state.classOverride,
      JSON.stringify(state.pinned),
      state.held ? JSON.stringify(state.held) : null,
      state.heldKept ? 1 : 0,
      state.firstSight ? JSON.stringify(state.firstSight) : null,
      state.changeFindings ? JSON.stringify(state.changeFindings) : null,
      state.firstSeen,
      state.updatedAt,
    );
    this.of(state.connector).set(state.name, state);
    this.#version++;
  }
}

function fromRow(row: Row): ToolState {
  return {
    connector: row.connector,
    name: row.name,
    enabled: row.enabled === 1,
    approval: row.approval === 'ask' ? 'ask' : 'never',
    classOverride:
      row.class_override === 'read' || row.class_override === 'write' ? row.class_override : null,
    pinned: JSON.parse(row.pinned) as Tool,
    held: row.held ? (JSON.parse(row.held) as Tool) : null,
    heldKept: row.held_kept === 1,
    firstSight: row.first_sight ? (JSON.parse(row.first_sight) as FirstSightFinding[]) : null,
    changeFindings: row.change_findings ? (JSON.parse(row.change_findings) as FirstSightFinding[]) : null,
    firstSeen: row.first_seen,
    updatedAt: row.updated_at,
  };
}

/**
 * What first sight reads in `tool` that it does not read in `pinned` (what the user saw): a finding the
 * pinned definition has too is not news. Undefined while first sight is not loaded.
 */
function freshFindings(
  tool: Tool,
  pinned: Tool,
  judge: (tool: Tool) => FirstSightFinding[] | undefined,
): FirstSightFinding[] | undefined {
  const findings = judge(tool);
  if (findings === undefined) return undefined;
  const seen = new Set(
    (notJudged(findings) ? [] : (judge(pinned) ?? [])).map((finding) => findingsKey([finding])),
  );
  return findings.filter((finding) => !seen.has(findingsKey([finding])));
}

/**
 * Whether two definitions' findings say the same, in any order; none is not the same as some unless
 * `noneAlike` (a change that read clean and still does).
 */
function sameFindings(
  a: readonly FirstSightFinding[],
  b: readonly FirstSightFinding[],
  noneAlike = false,
): boolean {
  return (noneAlike || a.length > 0) && findingsKey(a) === findingsKey(b);
}
