// A file granted for writing, saved through a folder of its own (docs/decisions.md, "Grants are the
// user's, and places that run code later are never writable"). Many servers save a file by writing a temp file beside it and renaming that over
// it (server-memory does, so that a crash never leaves half a file). Inside the sandbox the file's own
// folder — the home folder, often — is hidden and read-only, so neither step can work there, and a
// file bound in place cannot be renamed over (EBUSY). When the granted file is named in the server's
// arguments or environment, the server is told a path in a folder of its own instead (in its scratch
// folder), where both steps work. That path starts as a hard link to the granted file, so a write in
// place is a write to the file itself; a save by rename there is copied back over the granted file by
// Gatehouse, outside the sandbox, by the same temp-and-rename. A granted file the server finds by
// itself is bound at its own path and can be written in place only.
import {
  closeSync,
  copyFileSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  watch,
  writeSync,
  type FSWatcher,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';

/** A granted file and where its server is told it is. */
export interface SavedFile {
  /** The file the user granted. */
  granted: string;
  /** Where the server saves it: in a folder of its own, in the connector's scratch folder. */
  inside: string;
}

/** A value's words that name `file`: the whole value, `--option=file`, `file://file`, `~/…`. */
function namesFile(value: string, file: string, home: string): boolean {
  const forms = [file, `file://${file}`];
  if (file.startsWith(`${home}/`)) forms.push(`~/${file.slice(home.length + 1)}`);
  return forms.some((form) => value === form || value.endsWith(`=${form}`));
}

/** The granted files (not folders) that the server's arguments or environment values name. */
export function savedFiles(
  granted: readonly string[],
  values: readonly string[],
  scratchDir: string,
  home: string,
): SavedFile[] {
  return granted
    .filter((file) => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    })
    .filter((file) => values.some((value) => namesFile(value, file, home)))
    .map((file) => {
      // One folder per granted path, the same at every start (what the server keeps beside it stays).
      const folder = createHash('sha256').update(file).digest('hex').slice(0, 12);
      return { granted: file, inside: path.join(scratchDir, 'files', folder, path.basename(file)) };
    });
}

/** A value with each granted file it names replaced by where its server saves it. */
export function throughSaved(value: string, saved: readonly SavedFile[], home: string): string {
  for (const { granted, inside } of saved) {
    if (!namesFile(value, granted, home)) continue;
    const prefix = value.startsWith('file://') || value.includes('=file://') ? 'file://' : '';
    const at = value.lastIndexOf('=') + 1;
    const option = value.length > 0 && /^--?[\w-]+=/.test(value) ? value.slice(0, at) : '';
    return `${option}${prefix}${inside}`;
  }
  return value;
}

const sameFile = (a: { dev: number; ino: number }, b: { dev: number; ino: number }) =>
  a.dev === b.dev && a.ino === b.ino;

/**
 * Copies the server's last save back over the granted file, when it is a new file (a save by rename);
 * nothing when it is still the granted file itself. Never follows a link the server made.
 */
function copyBack(file: SavedFile): void {
  let from: number;
  try {
    from = openSync(file.inside, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return; // not there (between its two steps), or a link: nothing to copy
  }
  let temp: string | null = null;
  try {
    const source = fstatSync(from);
    if (!source.isFile()) return;
    const target = realpathSync(file.granted);
    const current = statSync(target);
    if (sameFile(source, current)) return;
    temp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.gatehouse-${randomBytes(6).toString('hex')}.tmp`,
    );
    const to = openSync(temp, 'wx', current.mode & 0o777);
    try {
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (let read = readSync(from, buffer); read > 0; read = readSync(from, buffer)) {
        writeSync(to, buffer, 0, read);
      }
    } finally {
      closeSync(to);
    }
    renameSync(temp, target);
    temp = null;
  } finally {
    closeSync(from);
    if (temp !== null) rmSync(temp, { force: true });
  }
}

/**
 * Readies each file's own folder for a start: the granted file there as a hard link (a copy across
 * file systems). A save the last run made and Gatehouse could not copy back (it was killed) is copied
 * back first, when it is newer than the granted file.
 */
export function linkSaved(saved: readonly SavedFile[]): void {
  for (const file of saved) {
    mkdirSync(path.dirname(file.inside), { recursive: true, mode: 0o700 });
    let inside: ReturnType<typeof lstatSync> | undefined;
    try {
      inside = lstatSync(file.inside);
    } catch {
      inside = undefined;
    }
    const granted = statSync(file.granted);
    if (inside?.isFile() && sameFile(inside, granted)) continue;
    if (inside?.isFile() && inside.mtimeMs > granted.mtimeMs) copyBack(file);
    rmSync(file.inside, { force: true, recursive: true });
    try {
      linkSync(realpathSync(file.granted), file.inside);
    } catch {
      copyFileSync(file.granted, file.inside);
    }
  }
}

/**
 * Copies each save back while the server runs (50 ms after it settles) and once more at `close`.
 * `onError` hears a copy that failed, in words.
 */
export function keepSaved(
  saved: readonly SavedFile[],
  onError: (message: string) => void,
): { close(): void } {
  const watchers: FSWatcher[] = [];
  const timers = new Map<SavedFile, NodeJS.Timeout>();
  const copy = (file: SavedFile) => {
    timers.delete(file);
    try {
      copyBack(file);
    } catch (error) {
      onError(
        `its save of ${file.granted} could not be copied back: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  for (const file of saved) {
    const name = path.basename(file.inside);
    try {
      const watcher = watch(path.dirname(file.inside), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        clearTimeout(timers.get(file));
        timers.set(
          file,
          setTimeout(() => copy(file), 50),
        );
      });
      watcher.on('error', () => undefined);
      watchers.push(watcher);
    } catch {
      // copied back at close only
    }
  }
  return {
    close: () => {
      for (const watcher of watchers.splice(0)) watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      for (const file of saved) copy(file);
    },
  };
}
