// Which prompts, resources, templates and instructions first sight judged clean, by the exact definition
// judged and the stamp of the first sight that judged it (policy/first-sight-stamp.ts): kept in the
// database, so a restart whose connectors offer only definitions judged clean before answers them
// without loading first sight, while a changed definition, or a new first sight, is judged again.
// A connector's complete listing of a kind keeps only the records of the items it holds (`keepOnly`):
// an item the server no longer offers is forgotten. The items judged clean together (a listing's) are
// recorded in one transaction (`addAll`, from gateway/held-items.ts), all or none. Held definitions are
// never recorded here (gateway/held-items.ts).
import type { Database } from './database.js';
import type { Clock } from '../effects.js';
import { ItemFingerprints } from './item-fingerprints.js';

/**
 * The fingerprint of the definition last judged clean per item under `stamp` (first_sight_clean, one row
 * per item). Rows of another stamp are dropped on open: they would never answer again.
 */
export class FirstSightClean extends ItemFingerprints {
  constructor(db: Database, clock: Clock, stamp: string) {
    super(db, clock, { table: 'first_sight_clean', at: 'judged_at', stamp });
  }
}
