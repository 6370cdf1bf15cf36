// Writes a client's config file so that it is never half-written: the new text goes to a temporary
// file in the same directory, is flushed to disk, and replaces the old file by rename; the old file
// is first copied beside it (`<file>.gatehouse-backup-<time>`, the last few kept). The file system
// is a parameter, so tests can make any step fail.
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GatehouseError } from '../errors.js';

/** The file operations the writer needs; `nodeConfigFs` is the real one. */
export interface ConfigFs {
  /** The file's bytes, or null when it does not exist. */
  read(path: string): Promise<Buffer | null>;
  exists(path: string): Promise<boolean>;
  /** The permission bits of an existing file, or null. */
  mode(path: string): Promise<number | null>;
  /** Follows symbolic links, so a linked config (dotfiles) is written where it really lives. */
  realpath(path: string): Promise<string>;
  mkdir(dir: string): Promise<void>;
  /** Creates a file that must not exist yet, writes it and flushes it to disk. */
  writeNew(path: string, data: Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  list(dir: string): Promise<string[]>;
  /** Flushes a directory's entries (the rename) to disk, where the OS supports it. */
  syncDir(dir: string): Promise<void>;
}

/** The real file system, through node:fs; a file that does not exist reads as null. */
export const nodeConfigFs: ConfigFs = {
  read: async (path) => {
    try {
      return await fsp.readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  exists: async (path) => {
    try {
      await fsp.access(path, constants.F_OK);
      return true;
    } catch {
      return false;
    }
  },
  mode: async (path) => {
    try {
      return (await fsp.stat(path)).mode & 0o777;
    } catch {
      return null;
    }
  },
  realpath: async (path) => {
    try {
      return await fsp.realpath(path);
    } catch {
      return path;
    }
  },
  mkdir: async (dir) => {
    await fsp.mkdir(dir, { recursive: true });
  },
  writeNew: async (path, data, mode) => {
    const handle = await fsp.open(path, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  list: async (dir) => {
    try {
      return await fsp.readdir(dir);
    } catch {
      return [];
    }
  },
  syncDir: async (dir) => {
    // Windows cannot open a directory for fsync; there rename is as durable as it gets.
    if (process.platform === 'win32') return;
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Backups of one file kept beside it; older ones are deleted after each write. */
const BACKUPS_KEPT = 5;
const BACKUP_MARK = '.gatehouse-backup-';
const DEFAULT_MODE = 0o644;

/** "20250102T030405678Z": sorts by time as text, and is a valid file name on every OS. */
function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

function isBackupOf(file: string, candidate: string): boolean {
  return candidate.startsWith(`${basename(file)}${BACKUP_MARK}`);
}

let temporaries = 0;

/** Where a write landed and where the previous file was kept, for the message the user reads. */
export interface WriteOutcome {
  /** Where the file was written (the link's target when the config path is a symbolic link). */
  path: string;
  /** The copy of the previous file, or null when there was none. */
  backupPath: string | null;
}

/** What went wrong with a file, as a sentence, with the promise that the file is as it was. */
function writeFailure(path: string, error: unknown): GatehouseError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
  return new GatehouseError(
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'forbidden' : 'internal',
    `Could not write ${path}: ${reason}. The file is unchanged.`,
    { cause: error },
  );
}

/** Writes, removes and backs up client config files atomically; `now` names the backups. */
export class ConfigWriter {
  readonly #fs: ConfigFs;
  readonly #now: () => number;

  constructor(fs: ConfigFs, now: () => number) {
    this.#fs = fs;
    this.#now = now;
  }

  /** The file system it writes through, so readers see the same files (and the same faults in tests). */
  get fs(): ConfigFs {
    return this.#fs;
  }

  /**
   * Replaces `path` with `text` atomically. `previous` is the file's bytes as read (null: there was
   * no file); they go to a backup first, so the user can always get back what Gatehouse replaced.
   */
  async write(path: string, text: string, previous: Buffer | null, keepBackup = true): Promise<WriteOutcome> {
    const target = await this.#fs.realpath(path);
    const dir = dirname(target);
    const mode = (await this.#fs.mode(target)) ?? DEFAULT_MODE;
    const temporary = join(dir, `.${basename(target)}.gatehouse-${process.pid}-${++temporaries}.tmp`);
    let backupPath: string | null = null;
    try {
      await this.#fs.mkdir(dir);
      if (previous !== null && keepBackup) backupPath = await this.#backup(target, previous, mode);
      await this.#fs.writeNew(temporary, Buffer.from(text, 'utf8'), mode);
      await this.#fs.rename(temporary, target);
    } catch (error) {
      await this.#fs.unlink(temporary).catch(() => undefined);
      if (backupPath) await this.#fs.unlink(backupPath).catch(() => undefined);
      throw writeFailure(path, error);
    }
    await this.#fs.syncDir(dir).catch(() => undefined);
    await this.#prune(target);
    return { path: target, backupPath };
  }

  /** Moves the file aside as its own backup (used when undoing leaves a file Gatehouse created empty). */
  async retire(path: string): Promise<WriteOutcome> {
    const target = await this.#fs.realpath(path);
    const backupPath = await this.#freeBackupName(target);
    try {
      await this.#fs.rename(target, backupPath);
    } catch (error) {
      throw writeFailure(path, error);
    }
    await this.#fs.syncDir(dirname(target)).catch(() => undefined);
    await this.#prune(target);
    return { path: target, backupPath };
  }

  /** Deletes a file Gatehouse created (an undo that leaves nothing of it). */
  async remove(path: string): Promise<WriteOutcome> {
    const target = await this.#fs.realpath(path);
    try {
      await this.#fs.unlink(target);
    } catch (error) {
      throw writeFailure(path, error);
    }
    await this.#fs.syncDir(dirname(target)).catch(() => undefined);
    return { path: target, backupPath: null };
  }

  /** Deletes every backup Gatehouse kept of `path` (after an undo restored it completely). */
  async forgetBackups(path: string): Promise<void> {
    const target = await this.#fs.realpath(path).catch(() => path);
    const dir = dirname(target);
    for (const name of (await this.#fs.list(dir)).filter((entry) => isBackupOf(target, entry))) {
      await this.#fs.unlink(join(dir, name)).catch(() => undefined);
    }
  }

  async #backup(target: string, previous: Buffer, mode: number): Promise<string> {
    const backupPath = await this.#freeBackupName(target);
    await this.#fs.writeNew(backupPath, previous, mode);
    return backupPath;
  }

  async #freeBackupName(target: string): Promise<string> {
    const base = `${target}${BACKUP_MARK}${stampOf(this.#now())}`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await this.#fs.exists(candidate))) return candidate;
    }
  }

  async #prune(target: string): Promise<void> {
    const dir = dirname(target);
    const backups = (await this.#fs.list(dir)).filter((name) => isBackupOf(target, name)).sort(byStamp);
    for (const old of backups.slice(0, Math.max(0, backups.length - BACKUPS_KEPT))) {
      await this.#fs.unlink(join(dir, old)).catch(() => undefined);
    }
  }
}

/** Oldest first; a same-millisecond backup ("…Z-2") after its first ("…Z"). */
function byStamp(a: string, b: string): number {
  const key = (name: string) => {
    const [stamp = '', n = '1'] = name.slice(name.indexOf(BACKUP_MARK) + BACKUP_MARK.length).split('-');
    return `${stamp}:${n.padStart(6, '0')}`;
  };
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
