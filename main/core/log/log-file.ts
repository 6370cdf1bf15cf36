// Gatehouse's own log file, `<data dir>/logs/gatehouse.log`, for the app and `gatehouse serve`: a
// desktop app started from a launcher has no terminal, so stderr alone would be lost. The file is
// size-bounded: past `maxBytes` it becomes gatehouse.log.1 (the older ones move up to .2, .3) and a
// new one starts; `keep` generations are kept. Lines are written synchronously (few, and short): a
// crash loses nothing that was logged before it. `readLastLines` and `followLog` serve `gatehouse logs`.
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const LOG_DIR = 'logs';
const LOG_FILE = 'gatehouse.log';

/** Where the log of the Gatehouse using `dataDir` is written. */
export function logFilePath(dataDir: string): string {
  return join(dataDir, LOG_DIR, LOG_FILE);
}

/** When the log file rotates and how many old generations it keeps. */
export interface LogFileOptions {
  /** Size at which the file is rotated (default 5 MiB). */
  maxBytes?: number;
  /** Rotated generations kept beside the current file (default 3: .1, .2, .3). */
  keep?: number;
}

/** Appends lines to one log file, rotating it by size. */
export class RotatingLogFile {
  readonly path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #fd: number | undefined;
  #size = 0;

  constructor(path: string, options: LogFileOptions = {}) {
    this.path = path;
    this.#maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.#keep = options.keep ?? 3;
  }

  /** Writes one line (a newline is added). Failing to log never fails the caller. */
  write(line: string): void {
    try {
      const bytes = Buffer.from(`${line}\n`, 'utf8');
      const fd = this.#open();
      if (this.#size > 0 && this.#size + bytes.length > this.#maxBytes) {
        this.#rotate();
        return this.write(line);
      }
      writeSync(fd, bytes);
      this.#size += bytes.length;
    } catch {
      // A full disk or a removed folder must not take the engine down; stderr still has the line.
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): number {
    if (this.#fd === undefined) {
      mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
      this.#fd = openSync(this.path, 'a', 0o600);
      this.#size = fstatSync(this.#fd).size;
    }
    return this.#fd;
  }

  #rotate(): void {
    this.close();
    rmSync(`${this.path}.${this.#keep}`, { force: true });
    for (let generation = this.#keep - 1; generation >= 1; generation--) {
      if (existsSync(`${this.path}.${generation}`))
        renameSync(`${this.path}.${generation}`, `${this.path}.${generation + 1}`);
    }
    if (this.#keep > 0) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
  }
}

/** The last `count` lines of the log, reaching into the previous generation when the current is short. */
export function readLastLines(path: string, count: number): string[] {
  const lines: string[] = [];
  for (const file of [path, `${path}.1`]) {
    if (lines.length >= count) break;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const fileLines = text.split('\n');
    if (fileLines.at(-1) === '') fileLines.pop();
    lines.unshift(...fileLines.slice(Math.max(0, fileLines.length - (count - lines.length))));
  }
  return lines;
}

/**
 * Lines appended to the log from now on, until `signal` aborts. Polls (every `pollMs`), so it works
 * the same on every OS; a rotation is noticed by the path naming a new file, and the old file is read
 * to its end before the new one is read from its start.
 */
export async function* followLog(
  path: string,
  signal: AbortSignal,
  pollMs = 250,
): AsyncGenerator<string, void, undefined> {
  let fd: number | undefined;
  let inode: number | undefined;
  let offset = 0;
  let partial = '';
  const openCurrent = (fromStart: boolean): void => {
    try {
      fd = openSync(path, 'r');
    } catch {
      fd = undefined;
      return;
    }
    const stat = fstatSync(fd);
    inode = stat.ino;
    offset = fromStart ? 0 : stat.size;
  };
  const readMore = function* (): Generator<string> {
    if (fd === undefined) return;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      if (read === 0) break;
      offset += read;
      partial += buffer.toString('utf8', 0, read);
      const parts = partial.split('\n');
      partial = parts.pop()!;
      yield* parts;
    }
  };
  openCurrent(false);
  try {
    while (!signal.aborted) {
      yield* readMore();
      const current = statOrNull(path);
      if (current && current.ino !== inode) {
        // Rotated (or created): finish the old file, then read the new one from its start.
        yield* readMore();
        if (fd !== undefined) closeSync(fd);
        openCurrent(true);
        continue;
      }
      if (current && fd !== undefined && current.size < offset) offset = 0; // truncated in place
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function statOrNull(path: string): { ino: number; size: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
