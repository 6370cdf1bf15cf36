// Placeholders for the places in a workspace that run code later and do not exist yet (a repository
// without hooks, a project without .vscode): an empty folder or file is made there before a server
// starts, so the sandbox can hold it read-only, and removed when the last server using it has ended
// if it is still empty. They are written down in the data folder, so the ones a killed Gatehouse
// left are removed at the next start.
import { lstatSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ProtectedPath } from './sandbox-grants.js';

const RECORD = 'sandbox-placeholders.json';

/** Removes a placeholder if it is still what Gatehouse made: an empty folder or an empty file. */
function removeIfEmpty(target: string): void {
  try {
    const stat = lstatSync(target);
    if (stat.isDirectory() && readdirSync(target).length === 0) rmdirSync(target);
    else if (stat.isFile() && stat.size === 0) rmSync(target);
  } catch {
    // gone already, or not empty any more: the user's now
  }
}

/** The placeholders of this engine's running servers, counted by how many use each. */
export class Placeholders {
  readonly #record: string;
  readonly #users = new Map<string, number>();

  constructor(dataDir: string) {
    this.#record = path.join(dataDir, RECORD);
  }

  /** Removes what an earlier Gatehouse left (its record), if still empty. */
  reap(): number {
    let left: string[];
    try {
      left = (JSON.parse(readFileSync(this.#record, 'utf8')) as { paths: string[] }).paths;
    } catch {
      return 0;
    }
    for (const target of left) removeIfEmpty(target);
    rmSync(this.#record, { force: true });
    return left.length;
  }

  /**
   * Makes the missing ones of `paths` (a folder on the way is made too) and returns a function that
   * gives them back; one that cannot be made is left to the sandbox runtime, which holds its place
   * the same way.
   */
  hold(paths: readonly ProtectedPath[]): () => void {
    const held: string[] = [];
    for (const { path: target, placeholder } of paths) {
      if (placeholder === null) continue;
      const users = this.#users.get(target) ?? 0;
      if (users === 0) {
        try {
          mkdirSync(path.dirname(target), { recursive: true });
          if (placeholder === 'dir') mkdirSync(target);
          else writeFileSync(target, '', { flag: 'wx' });
        } catch {
          continue;
        }
      }
      this.#users.set(target, users + 1);
      held.push(target);
    }
    if (held.length > 0) this.#write();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const target of held) {
        const users = (this.#users.get(target) ?? 1) - 1;
        if (users > 0) {
          this.#users.set(target, users);
          continue;
        }
        this.#users.delete(target);
        removeIfEmpty(target);
      }
      this.#write();
    };
  }

  #write(): void {
    if (this.#users.size === 0) rmSync(this.#record, { force: true });
    else writeFileSync(this.#record, JSON.stringify({ paths: [...this.#users.keys()] }), { mode: 0o600 });
  }
}
