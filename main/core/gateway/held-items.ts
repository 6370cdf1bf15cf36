// Prompts, resources and resource templates held on first sight: an item whose definition trips a
// first-sight rule (policy/first-sight.ts) is left out of every list and refused by prompts/get and
// resources/read until the user accepts that exact definition (store/first-sight-answers.ts). Tools
// are held in the tool store instead, beside their pin.
import { createHash } from 'node:crypto';
import { ProtocolError, ProtocolErrorCode, UriTemplate } from '@modelcontextprotocol/server';
import { scanDefinition, type FirstSightFinding } from '../policy/first-sight.js';
import { canonicalJson } from '../policy/tool-fingerprint.js';
import type { FirstSightAnswers, HeldItemKind } from '../store/first-sight-answers.js';

/** A catalog item as the upstream listed it: a prompt, a resource or a resource template. */
type Item = { name?: string; uri?: string; uriTemplate?: string };

interface Scan {
  findings: FirstSightFinding[];
  fingerprint: string;
}

/** The name an item is answered under: a prompt's name, a resource's URI, a template's URI template. */
export function heldItemKey(kind: HeldItemKind, item: Item): string {
  return (kind === 'prompt' ? item.name : kind === 'resource' ? item.uri : item.uriTemplate) ?? '';
}

/** Which items are held, from each item's scan (made once per listed object) and the user's answers. */
export class HeldItems {
  readonly #answers: FirstSightAnswers;
  readonly #scans = new WeakMap<object, Scan>();

  constructor(answers: FirstSightAnswers) {
    this.#answers = answers;
  }

  /** Goes up with every answer of the user's (cached lists check it). */
  get version(): number {
    return this.#answers.version;
  }

  /** The first-sight findings of an item and its fingerprint (scanned once per listed object). */
  scan(kind: HeldItemKind, item: object): Scan {
    let scan = this.#scans.get(item);
    if (!scan) {
      const findings = scanDefinition(kind, item);
      scan = {
        findings,
        fingerprint:
          findings.length === 0 ? '' : createHash('sha256').update(canonicalJson(item), 'utf8').digest('hex'),
      };
      this.#scans.set(item, scan);
    }
    return scan;
  }

  /** Whether the item is held: it has findings, and the user has not accepted this definition. */
  isHeld(connector: string, kind: HeldItemKind, item: object): boolean {
    const { findings, fingerprint } = this.scan(kind, item);
    if (findings.length === 0) return false;
    const answer = this.#answers.get(connector, kind, heldItemKey(kind, item as Item));
    return !(answer?.answer === 'accepted' && answer.fingerprint === fingerprint);
  }

  /** The user's answer about the item's current definition (undefined: waiting for review). */
  answer(connector: string, kind: HeldItemKind, item: object): 'accepted' | 'blocked' | undefined {
    const answer = this.#answers.get(connector, kind, heldItemKey(kind, item as Item));
    return answer && answer.fingerprint === this.scan(kind, item).fingerprint ? answer.answer : undefined;
  }

  /** Records the user's answer about the item's current definition. */
  answerWith(connector: string, kind: HeldItemKind, item: object, answer: 'accepted' | 'blocked'): void {
    this.#answers.set(connector, kind, heldItemKey(kind, item as Item), {
      fingerprint: this.scan(kind, item).fingerprint,
      answer,
    });
  }

  /** Forgets a removed connector's answers. */
  forget(connector: string): void {
    this.#answers.drop(connector);
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
    return templates.find((template) => {
      if (!this.isHeld(connector, 'resource-template', template)) return false;
      try {
        return new UriTemplate(template.uriTemplate).match(uri) !== null;
      } catch {
        return false; // A template the SDK cannot parse expands to nothing a client could name.
      }
    });
  }

  /** Throws the client's refusal when a resource's URI is expanded from a template held on first sight. */
  refuseTemplate(shown: string, template: string): never {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `gatehouse: resource ${shown} comes from the resource template ${template}, which was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse`,
    );
  }

  /** Throws the client's refusal when the item is held (prompts/get, resources/read). */
  refuseIfHeld(connector: string, kind: HeldItemKind, item: object | undefined, shown: string): void {
    if (!item || !this.isHeld(connector, kind, item)) return;
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `gatehouse: ${kind === 'prompt' ? 'prompt' : 'resource'} ${shown} was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse`,
    );
  }
}
