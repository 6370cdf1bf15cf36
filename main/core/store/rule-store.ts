// The user's ordered rules, stored as written and compiled once per change (rules.ts), so the
// per-call evaluation never parses. A list with any invalid rule is refused whole, with every reason.
import { homedir } from 'node:os';
import type { Database } from './database.js';
import { transaction } from './database.js';
import { GatehouseError } from '../errors.js';
import { parseRules, withRuleIds, type CompiledRule } from '../policy/rules.js';

/** The user's rules: as written for the window, compiled for the per-call decision. */
export class RuleStore {
  readonly #db: Database;
  readonly #home: string;
  #raw: Array<Record<string, unknown>>;
  #compiled: CompiledRule[];

  constructor(db: Database, home: string = homedir()) {
    this.#db = db;
    this.#home = home;
    const rows = db.prepare('SELECT rule FROM rules ORDER BY position').all() as Array<{ rule: string }>;
    this.#raw = rows.map((row) => JSON.parse(row.rule) as Record<string, unknown>);
    const parsed = parseRules(this.#raw, { home });
    // Stored rules were valid when saved; if a newer Gatehouse reads them differently, refuse every
    // call a broken rule might have guarded rather than silently dropping it.
    this.broken = parsed.ok ? [] : parsed.errors;
    this.#compiled = parsed.ok ? parsed.rules : denyEverything(home);
  }

  /** Problems with the stored rules (empty when they compiled). */
  readonly broken: string[];

  /** The rules as the user wrote them, in order. */
  list(): Array<Record<string, unknown>> {
    return this.#raw;
  }

  /** The rules compiled for the per-call decision (the same array until the rules change). */
  compiled(): readonly CompiledRule[] {
    return this.#compiled;
  }

  /**
   * Replaces every rule with `input` (an id made up for a rule without one), or saves nothing and
   * says what is wrong with each invalid rule.
   */
  replace(input: unknown[]): Array<Record<string, unknown>> {
    const { rules: named, madeUp } = withRuleIds(input);
    const parsed = parseRules(named, { home: this.#home, madeUpIds: madeUp });
    if (!parsed.ok)
      throw new GatehouseError('bad_request', `The rules were not saved: ${parsed.errors.join('; ')}`);
    const raw = named as Array<Record<string, unknown>>;
    transaction(this.#db, () => {
      this.#db.exec('DELETE FROM rules');
      const insert = this.#db.prepare('INSERT INTO rules (position, rule) VALUES (?, ?)');
      raw.forEach((rule, index) => insert.run(index, JSON.stringify(rule)));
    });
    this.#raw = raw;
    this.#compiled = parsed.rules;
    return raw;
  }
}

function denyEverything(home: string): CompiledRule[] {
  const parsed = parseRules(
    [
      {
        id: 'saved-rules-unreadable',
        effect: 'deny',
        description: 'Gatehouse could not read your saved rules; review them in Settings → Rules',
      },
    ],
    { home },
  );
  if (!parsed.ok)
    throw new GatehouseError('internal', `Gatehouse's fallback rule is invalid: ${parsed.errors.join('; ')}`);
  return parsed.rules;
}
