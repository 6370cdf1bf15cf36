// The user's answers about prompts, resources, resource templates and instructions held on first sight (tools keep
// theirs in the tool store): accepted or kept blocked, for the exact definition the user reviewed — a
// different definition under the same name is scanned and held again.
import type { Database, Statement } from './database.js';
import type { Clock } from '../effects.js';

/** The kinds of catalog item other than tools that can be held on first sight (and the server's instructions). */
export type HeldItemKind = 'prompt' | 'resource' | 'resource-template' | 'instructions';

/** The user's answer about one held item, and the fingerprint of the definition it answered. */
export interface FirstSightAnswer {
  fingerprint: string;
  answer: 'accepted' | 'blocked';
}

const key = (connector: string, kind: HeldItemKind, item: string) => `${connector}\u0000${kind}\u0000${item}`;

/** Every answer, held in memory (read on every prompts/resources list) and written through. */
export class FirstSightAnswers {
  readonly #clock: Clock;
  readonly #answers = new Map<string, FirstSightAnswer>();
  readonly #upsert: Statement;
  #version = 0;

  constructor(db: Database, clock: Clock) {
    this.#clock = clock;
    this.#upsert = db.prepare(`
      INSERT INTO first_sight_answers (connector, kind, key, fingerprint, answer, answered_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (connector, kind, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        answer = excluded.answer, answered_at = excluded.answered_at`);
    const rows = db
      .prepare('SELECT connector, kind, key, fingerprint, answer FROM first_sight_answers')
      .all() as Array<{
      connector: string;
      kind: HeldItemKind;
      key: string;
      fingerprint: string;
      answer: string;
    }>;
    for (const row of rows) {
      this.#answers.set(key(row.connector, row.kind, row.key), {
        fingerprint: row.fingerprint,
        answer: row.answer === 'accepted' ? 'accepted' : 'blocked',
      });
    }
  }

  /** Goes up with every answer (what cached lists are checked against). */
  get version(): number {
    return this.#version;
  }

  /** The user's answer about an item, if any. */
  get(connector: string, kind: HeldItemKind, item: string): FirstSightAnswer | undefined {
    return this.#answers.get(key(connector, kind, item));
  }

  /** Records the user's answer about the definition with `fingerprint`. */
  set(connector: string, kind: HeldItemKind, item: string, answer: FirstSightAnswer): void {
    this.#upsert.run(connector, kind, item, answer.fingerprint, answer.answer, this.#clock.now());
    this.#answers.set(key(connector, kind, item), answer);
    this.#version++;
  }

  /** Forgets a connector's answers (the database rows go with the connector by cascade). */
  drop(connector: string): void {
    for (const entry of [...this.#answers.keys()]) {
      if (entry.startsWith(`${connector}\u0000`)) this.#answers.delete(entry);
    }
    this.#version++;
  }
}
