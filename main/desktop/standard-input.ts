// The standard input of `Gatehouse --cli …`, which `gatehouse bridge` reads MCP messages from. On
// Windows, Electron's main process replaces `process.stdin` with a stream that is already at its end
// (lib/common/init.ts: "Always returns EOF for stdin stream"), so a bridge started by Claude Desktop
// as `Gatehouse.exe --cli -- bridge` would read nothing and exit. There the stream is opened on file
// descriptor 0 directly, the way Node builds its own `process.stdin`: a socket over a pipe (what an
// MCP client connects), a file stream over a redirected file, a TTY stream over a console. Elsewhere
// Electron leaves `process.stdin` alone. See docs/decisions.md ("The app is also the command line").
import { createReadStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { isatty, ReadStream as TtyReadStream } from 'node:tty';

/** Which stream standardInput() opened (for tests and the log). */
export type StandardInputKind = 'process' | 'tty' | 'pipe' | 'file' | 'none';

/** The ways to open fd 0; tests pass fakes, the app the Node ones below. */
export interface StandardInputOpeners {
  /** `process.stdin`, as the runtime set it up. */
  processStdin(): Readable;
  /** Whether fd 0 is open at all (a GUI launch may have no standard input). */
  isOpen(fd: number): boolean;
  isTty(fd: number): boolean;
  /** A socket over a pipe or socket; throws ERR_INVALID_FD_TYPE for anything else. */
  pipe(fd: number): Readable;
  file(fd: number): Readable;
  tty(fd: number): Readable;
}

/** The Node.js constructors Node's own `process.stdin` getter uses for each kind of descriptor. */
const nodeOpeners: StandardInputOpeners = {
  processStdin: () => process.stdin,
  isOpen: (fd) => {
    try {
      fstatSync(fd);
      return true;
    } catch {
      return false;
    }
  },
  isTty: (fd) => isatty(fd),
  pipe: (fd) => new Socket({ fd, readable: true, writable: false }),
  file: (fd) => createReadStream('', { fd, autoClose: false }),
  tty: (fd) => new TtyReadStream(fd),
};

/** Standard input as a readable stream, and which kind it is. */
export function standardInput(
  platform: NodeJS.Platform,
  openers: StandardInputOpeners = nodeOpeners,
): { kind: StandardInputKind; stream: Readable } {
  if (platform !== 'win32') return { kind: 'process', stream: openers.processStdin() };
  // No standard input at all reads as a closed one, as it does on the other systems.
  if (!openers.isOpen(0)) return { kind: 'none', stream: Readable.from([]) };
  if (openers.isTty(0)) return { kind: 'tty', stream: openers.tty(0) };
  try {
    return { kind: 'pipe', stream: openers.pipe(0) };
  } catch (error) {
    // net.Socket takes pipes and sockets only; a redirected file (`< messages.jsonl`) is read as one.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_INVALID_FD_TYPE') throw error;
  }
  return { kind: 'file', stream: openers.file(0) };
}
