// Which held prompts, resources, templates and instructions the user has been told about (an audit row
// and a notification), by the definition told: kept in the database, so a restart does not tell the
// same held definition again, while a definition that changes is told anew. What one listing tells is
// recorded in one transaction (`addAll`, from gateway/held-items.ts), all or none; a connector's complete
// listing of a kind keeps only the records of the items it holds (`keepOnly`), like first-sight-clean.ts.
import type { Database } from './database.js';
import type { Clock } from '../effects.js';
import { ItemFingerprints } from './item-fingerprints.js';

/** The fingerprint of the definition last told per item (first_sight_told, one row per item). */
export class FirstSightTold extends ItemFingerprints {
  constructor(db: Database, clock: Clock) {
    super(db, clock, { table: 'first_sight_told', at: 'told_at' });
  }
}
