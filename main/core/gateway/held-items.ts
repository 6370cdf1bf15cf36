// Prompts, resources, resource templates and a server's instructions held on first sight: an item
// whose definition trips a first-sight rule (policy/first-sight.ts) is left out of every list (and
// instructions are not relayed) and refused by prompts/get and resources/read until the user accepts
// that exact definition (store/first-sight-answers.ts). Tools are held in the tool store instead.
// First sight loads on first need (policy/first-sight-loader.ts): an item asked about before it is
// loaded is kept from clients as being checked (`isChecking`: not held for review, nothing to tell or
// answer), that answer is not kept, and the item is scanned when next asked about.
// A definition first sight judged clean is recorded with its stamp (store/first-sight-clean.ts): asked
// about in a later run, it is answered from that record, and first sight need not load for it. The items
// judged together — a connector's items after each of its listings, a list a client asks for — are
// recorded together, in one transaction (`together`); an item asked about alone is recorded alone. A
// connector's complete listing of a kind keeps only the records of the items it holds (`listed`): an item
// the server no longer offers is forgotten, and judged again if it comes back. The record of what the
// user was told (store/first-sight-told.ts) is written the same way: one transaction per call of
// `unannounced`, pruned by the same listings. Both records are a saving, never a condition: a write that
// fails (a full disk, a locked database) is logged and leaves its definitions unrecorded — judged again
// when next asked about, or told again in the next run — and never fails the listing, the client's list
// or the telling that made it.
import { ProtocolError, UriTemplate } from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Logger } from '../effects.js';
import type { FirstSightLoader } from '../policy/first-sight-loader.js';
import type { FirstSightFinding } from '../policy/first-sight-scan.js';
import { definitionHash } from '../policy/tool-fingerprint.js';
import type { FirstSightAnswers, HeldItemKind } from '../store/first-sight-answers.js';
import type { FirstSightClean } from '../store/first-sight-clean.js';
import type { ItemFingerprint } from '../store/item-fingerprints.js';
import type { FirstSightTold } from '../store/first-sight-told.js';

/** An item of an upstream's offering as listed: a prompt, a resource or a resource template (or instructions). */
type Item = { name?: string; uri?: string; uriTemplate?: string; instructions?: string };

/** A connector's server instructions as a held item (they are a string; items are objects). */
export interface InstructionsItem {
  instructions: string;
}

/** Every item of a connector that first sight holds: its prompts, resources, templates, instructions. */
export function heldItemCandidates(
  offering: { prompts: object[]; resources: object[]; resourceTemplates: object[] },
  instructions: InstructionsItem | undefined,
): Array<{ kind: HeldItemKind; item: object }> {
  return [
    ...offering.prompts.map((item) => ({ kind: 'prompt' as const, item })),
    ...offering.resources.map((item) => ({ kind: 'resource' as const, item })),
    ...offering.resourceTemplates.map((item) => ({ kind: 'resource-template' as const, item })),
    ...(instructions ? [{ kind: 'instructions' as const, item: instructions }] : []),
  ];
}

interface Scan {
  findings: FirstSightFinding[];
  fingerprint: string;
  /** Kept from clients only until first sight has loaded and judged it (not kept, not told to the user). */
  waiting: boolean;
}

/** The name an item is answered under: a prompt's name, a resource's URI, a template's URI template. */
export function heldItemKey(kind: HeldItemKind, item: Item): string {
  if (kind === 'instructions') return 'instructions';
  return (kind === 'prompt' ? item.name : kind === 'resource' ? item.uri : item.uriTemplate) ?? '';
}

/** Which items are held, from each item's scan (made once per listed object) and the user's answers. */
export class HeldItems {
  readonly #answers: FirstSightAnswers;
  readonly #scans = new WeakMap<object, Scan>();
  /** Each connector's instructions as an item, the same object while the text is the same (one scan). */
  readonly #instructions = new Map<string, InstructionsItem>();
  /** Held items already told to the user (audit row, notification), by definition, across restarts. */
  readonly #told: FirstSightTold;
  /**
   * Held items told in this run whose told record could not be written (by connector, then kind and
   * key, to the definition told): not told again in this run, but in the next one, as unrecorded.
   */
  readonly #toldUnrecorded = new Map<string, Map<string, string>>();
  /** Definitions first sight judged clean, by the current first sight's stamp, across restarts. */
  readonly #clean: FirstSightClean;
  readonly #firstSight: Pick<FirstSightLoader, 'scan'>;
  readonly #logger: Pick<Logger, 'warn'>;
  /** While items are judged together (`together`): what their scans found clean, recorded at its end. */
  #judgedClean: Array<{ object: object; record: ItemFingerprint }> | undefined;

  constructor(stores: {
    answers: FirstSightAnswers;
    told: FirstSightTold;
    clean: FirstSightClean;
    firstSight: Pick<FirstSightLoader, 'scan'>;
    logger: Pick<Logger, 'warn'>;
  }) {
    this.#answers = stores.answers;
    this.#told = stores.told;
    this.#clean = stores.clean;
    this.#firstSight = stores.firstSight;
    this.#logger = stores.logger;
  }

  /** Goes up with every answer of the user's (cached lists check it). */
  get version(): number {
    return this.#answers.version;
  }

  /**
   * The first-sight findings of a connector's item and its fingerprint (scanned once per listed object;
   * one asked about while first sight loads is kept from clients as `waiting`, its one finding saying so,
   * and scanned when asked about again). A
   * definition recorded clean by the current first sight is answered from the record, without a scan;
   * one a scan finds clean is recorded so (if that write fails, the scan is not kept either: it is
   * judged again, and recorded, when next asked about).
   */
  scan(connector: string, kind: HeldItemKind, item: object): Scan {
    let scan = this.#scans.get(item);
    if (!scan) {
      let kept = true;
      const key = heldItemKey(kind, item as Item);
      const definition = definitionHash(item);
      if (this.#clean.has(connector, kind, key, definition)) {
        scan = { findings: [], fingerprint: '', waiting: false };
      } else {
        const { findings, waiting } = this.#firstSight.scan(
          kind,
          kind === 'instructions' ? (item as InstructionsItem).instructions : item,
        );
        scan = { findings, fingerprint: findings.length === 0 ? '' : definition, waiting };
        if (!waiting && findings.length === 0) {
          const record = { connector, kind, item: key, fingerprint: definition };
          if (this.#judgedClean) this.#judgedClean.push({ object: item, record });
          else kept = this.#record('clean', [record]);
        }
      }
      if (!scan.waiting && kept) this.#scans.set(item, scan);
    }
    return scan;
  }

  /**
   * Runs `judge`, which asks about many items (a listing's, a list's), as one batch: the definitions its
   * scans find clean are recorded together when it ends, in one transaction, not one commit each. If
   * `judge` throws, none of them is recorded, and each is judged again when next asked about. If the
   * write fails, `judge`'s result still stands (its scans are sound; only their record is lost): the
   * failure is logged, and none of them is recorded, each judged again when next asked about. Inside
   * another batch, it is part of that one.
   */
  together<T>(judge: () => T): T {
    if (this.#judgedClean) return judge();
    const judged: Array<{ object: object; record: ItemFingerprint }> = [];
    this.#judgedClean = judged;
    const unjudge = () => {
      for (const { object } of judged) this.#scans.delete(object);
    };
    let result: T;
    try {
      result = judge();
    } catch (error) {
      unjudge();
      throw error;
    } finally {
      this.#judgedClean = undefined;
    }
    const recorded = this.#record(
      'clean',
      judged.map(({ record }) => record),
    );
    if (!recorded) unjudge();
    return result;
  }

  /**
   * Writes records of definitions judged clean or told, all in one transaction. A write that fails is
   * logged (once, with the connectors and the error) and records none of them, in the table and in
   * memory alike; it is not thrown: what asked for the records (a listing, a client's list) stands.
   * Whether they were recorded.
   */
  #record(which: 'clean' | 'told', records: readonly ItemFingerprint[]): boolean {
    try {
      (which === 'clean' ? this.#clean : this.#told).addAll(records);
      return true;
    } catch (error) {
      this.#logger.warn(
        which === 'clean'
          ? 'first sight could not record definitions it judged clean; they are judged again when next asked about'
          : 'first sight could not record which held definitions the user was told about; they may be told again',
        {
          connector: [...new Set(records.map((record) => record.connector))].join(', '),
          error: error instanceof Error ? error.message : String(error),
        },
      );
      return false;
    }
  }

  /**
   * Whether first sight must judge some of a connector's items: one neither judged in this run nor
   * recorded clean for its exact definition (the connector manager waits for first sight's load then).
   */
  toJudge(connector: string, items: ReadonlyArray<{ kind: HeldItemKind; item: object }>): boolean {
    return items.some(
      ({ kind, item }) =>
        !this.#scans.has(item) &&
        !this.#clean.has(connector, kind, heldItemKey(kind, item as Item), definitionHash(item)),
    );
  }

  /**
   * A connector's complete listings (every page) of some kinds: the clean and the told record keep, of
   * each kind listed, only the items the listing holds (an item the server dropped is judged, and if
   * held told, anew when it comes back). A kind not in `lists` (not listed, cut short, or failed) keeps
   * its records, and so do other connectors. A delete that fails is logged and keeps those records
   * (the next complete listing prunes them); it never fails the listing.
   */
  listed(
    connector: string,
    lists: Partial<Record<'prompts' | 'resources' | 'resourceTemplates', Item[]>>,
  ): void {
    const kinds = [
      ['prompt', lists.prompts],
      ['resource', lists.resources],
      ['resource-template', lists.resourceTemplates],
    ] as const;
    for (const [kind, items] of kinds) {
      if (!items) continue;
      const keys = new Set(items.map((item) => heldItemKey(kind, item)));
      for (const id of this.#toldUnrecorded.get(connector)?.keys() ?? []) {
        const at = id.indexOf('\u0000');
        if (id.slice(0, at) === kind && !keys.has(id.slice(at + 1)))
          this.#toldUnrecorded.get(connector)?.delete(id);
      }
      for (const [which, record] of [
        ['clean', this.#clean],
        ['told', this.#told],
      ] as const) {
        try {
          record.keepOnly(connector, kind, keys);
        } catch (error) {
          this.#logger.warn(`first sight could not forget the ${which} records of items no longer listed`, {
            connector,
            kind,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
  }

  /** A connector's instructions as an item (undefined when it gives none). */
  instructionsItem(connector: string, text: string | undefined): InstructionsItem | undefined {
    if (!text) return undefined;
    let item = this.#instructions.get(connector);
    if (item?.instructions !== text) {
      item = { instructions: text };
      this.#instructions.set(connector, item);
    }
    return item;
  }

  /** A connector's instructions if they may be relayed to clients: given, and not held. */
  relayedInstructions(connector: string, text: string | undefined): string | undefined {
    const item = this.instructionsItem(connector, text);
    return item && !this.isHeld(connector, 'instructions', item) ? item.instructions : undefined;
  }

  /**
   * Of `items`, those held, waiting for review, and whose definition the user was not yet told about
   * (in this run or an earlier one): each is told once (an audit row, one notification per batch),
   * like a tool held on first sight; a changed definition is told again. One still waiting for first
   * sight is not told yet. What is told is recorded in one transaction per call, all or none.
   */
  unannounced(
    connector: string,
    items: ReadonlyArray<{ kind: HeldItemKind; item: object }>,
  ): Array<{ kind: HeldItemKind; item: object; findings: FirstSightFinding[] }> {
    const out: Array<{ kind: HeldItemKind; item: object; findings: FirstSightFinding[] }> = [];
    const told: ItemFingerprint[] = [];
    // Every item is judged, and what is told chosen, in one batch: those found clean are recorded in
    // one transaction (and if that fails, none is scanned again, alone, before the batch ends).
    this.together(() => {
      const waiting = new Set<object>();
      for (const { kind, item } of items) if (this.scan(connector, kind, item).waiting) waiting.add(item);
      const named = new Set<string>();
      for (const { kind, item } of items) {
        if (waiting.has(item)) continue;
        if (!this.isHeld(connector, kind, item) || this.answer(connector, kind, item) === 'blocked') continue;
        const { findings, fingerprint } = this.scan(connector, kind, item);
        const key = heldItemKey(kind, item as Item);
        const id = `${kind}\u0000${key}`;
        if (this.#told.has(connector, kind, key, fingerprint) || named.has(id)) continue;
        if (this.#toldUnrecorded.get(connector)?.get(id) === fingerprint) continue;
        named.add(id);
        told.push({ connector, kind, item: key, fingerprint });
        out.push({ kind, item, findings });
      }
    });
    // If this write fails, the items are told all the same (they are held, and the user must hear of
    // it), only not recorded as told: kept in memory, they are not told again in this run, but the next
    // run tells them again. Told twice is better than a failed listing, or a held item never told.
    if (!this.#record('told', told)) {
      const unrecorded = this.#toldUnrecorded.get(connector) ?? new Map<string, string>();
      for (const { kind, item, fingerprint } of told) unrecorded.set(`${kind}\u0000${item}`, fingerprint);
      this.#toldUnrecorded.set(connector, unrecorded);
    }
    return out;
  }

  /**
   * Whether first sight has yet to judge the item: asked about while its scanner loads, it is kept from
   * clients (`isHeld`), but nothing was found in it: it is not held for review (no reasons, nothing to
   * answer, not counted as waiting for the user, not told). Once loaded, it is judged held or clean.
   */
  isChecking(connector: string, kind: HeldItemKind, item: object): boolean {
    return this.scan(connector, kind, item).waiting;
  }

  /**
   * Whether the item is kept from clients: it has findings (or first sight has yet to judge it,
   * `isChecking`), and the user has not accepted this definition.
   */
  isHeld(connector: string, kind: HeldItemKind, item: object): boolean {
    const { findings, fingerprint } = this.scan(connector, kind, item);
    if (findings.length === 0) return false;
    const answer = this.#answers.get(connector, kind, heldItemKey(kind, item as Item));
    return !(answer?.answer === 'accepted' && answer.fingerprint === fingerprint);
  }

  /** The user's answer about the item's current definition (undefined: waiting for review). */
  answer(connector: string, kind: HeldItemKind, item: object): 'accepted' | 'blocked' | undefined {
    const answer = this.#answers.get(connector, kind, heldItemKey(kind, item as Item));
    return answer && answer.fingerprint === this.scan(connector, kind, item).fingerprint
      ? answer.answer
      : undefined;
  }

  /** Records the user's answer about the item's current definition. */
  answerWith(connector: string, kind: HeldItemKind, item: object, answer: 'accepted' | 'blocked'): void {
    this.#answers.set(connector, kind, heldItemKey(kind, item as Item), {
      fingerprint: this.scan(connector, kind, item).fingerprint,
      answer,
    });
  }

  /**
   * Forgets what memory keeps of a removed connector (its answers, what it was told, what was judged
   * clean), once its rows are gone with it (by cascade): a connector added later under the same name
   * inherits none of it. Called on every removal (the connector manager's `removed`).
   */
  forget(connector: string): void {
    this.#answers.drop(connector);
    this.#instructions.delete(connector);
    this.#told.drop(connector);
    this.#toldUnrecorded.delete(connector);
    this.#clean.drop(connector);
  }

  /**
   * The held template (of `templates`, a connector's listed ones) that `uri` is expanded from, if any:
   * reading such a URI is refused like the template itself, or a held template would still be read
   * through any URI it expands to.
   */
  heldTemplateFor<T extends { uriTemplate: string }>(
    connector: string,
    templates: readonly T[],
    uri: string,
  ): T | undefined {
    return this.together(() =>
      templates.find((template) => {
        if (!this.isHeld(connector, 'resource-template', template)) return false;
        try {
          return new UriTemplate(template.uriTemplate).match(uri) !== null;
        } catch {
          return false; // A template the SDK cannot parse expands to nothing a client could name.
        }
      }),
    );
  }

  /** Throws the client's refusal when a resource's URI is expanded from a template held on first sight. */
  refuseTemplate(shown: string, template: string): never {
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: resource ${shown} comes from the resource template ${template}, which was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse`,
    );
  }

  /** Throws the client's refusal when the item is held (prompts/get, resources/read). */
  refuseIfHeld(connector: string, kind: HeldItemKind, item: object | undefined, shown: string): void {
    if (!item || !this.isHeld(connector, kind, item)) return;
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: ${kind === 'prompt' ? 'prompt' : 'resource'} ${shown} was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse`,
    );
  }
}
