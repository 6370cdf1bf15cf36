// One transaction, all or nothing: the error that ended it reaches the caller, also when SQLite rolled
// the transaction back by itself before `transaction` could.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { transaction } from '../../../main/core/store/database.js';

function database(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE items (name TEXT NOT NULL)');
  return db;
}

const names = (db: DatabaseSync) =>
  (db.prepare('SELECT name FROM items ORDER BY rowid').all() as Array<{ name: string }>).map(
    (row) => row.name,
  );

describe('transaction', () => {
  it('commits all of its work, or none of it when the work throws', () => {
    const db = database();
    transaction(db, () => db.exec("INSERT INTO items VALUES ('a'), ('b')"));
    expect(() =>
      transaction(db, () => {
        db.exec("INSERT INTO items VALUES ('c')");
        throw new Error('the work failed');
      }),
    ).toThrow('the work failed');
    expect(names(db)).toEqual(['a', 'b']);
    expect(db.isTransaction).toBe(false);
  });

  it("throws the trigger's own error when SQLite rolled back by itself, and the next one commits", () => {
    const db = database();
    db.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.name = 'refused' BEGIN SELECT RAISE(ROLLBACK, 'refused by the trigger'); END",
    );
    expect(() =>
      transaction(db, () => {
        db.exec("INSERT INTO items VALUES ('kept?')");
        db.exec("INSERT INTO items VALUES ('refused')");
      }),
    ).toThrow('refused by the trigger');
    expect(names(db)).toEqual([]);
    expect(db.isTransaction).toBe(false);
    transaction(db, () => db.exec("INSERT INTO items VALUES ('after')"));
    expect(names(db)).toEqual(['after']);
  });
});
