// A local MCP server run as a child process speaking JSON-RPC over stdin/stdout (MCP transports,
// stdio). One process per connector, shared by every client. Gatehouse owns the process's whole tree
// (it leads its own process group), keeps the last 200 stderr lines, skips lines on stdout that are
// not MCP messages instead of dying on them, and shuts down as the spec asks: stdin closed first,
// then SIGTERM, then SIGKILL (MCP lifecycle, Shutdown, stdio). A line on stdout past the message cap
// (answer-cap.ts) loses the connection: the requests in flight on it fail with the cap's sentence
// (failRequestsInFlight, upstream-client.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import {
  parseJSONRPCMessage,
  type JSONRPCMessage,
  type PriorDiscovery,
  type Transport,
} from '@modelcontextprotocol/client';
import { sandboxOf, type StdioSettings } from '../../api/connector-config.js';
import type { ConfinedLaunch, ConnectorSandbox } from '../sandbox/connector-sandbox.js';
import { killProcessTree } from '../processes/process-tree.js';
import { refusalSentence } from '../sandbox/sandbox-refusals.js';
import { LineBudget } from '../../log/line-budget.js';
import { residentMemoryBytes } from '../processes/resident-memory.js';
import { trackTree, type TreeLedger } from '../processes/tree-ledger.js';
import {
  defaultCommandResolver,
  LaunchError,
  spawnTree,
  type LaunchPlan,
  type ResolveCommand,
  type SpawnImpl,
} from '../processes/stdio-launch.js';
import { UpstreamRuntime, type UpstreamDeps, type UpstreamOptions } from './upstream-base.js';
import {
  UpstreamFailure,
  type ConnectContext,
  type Connection,
  type Transporter,
} from './upstream-transporter.js';
import type { Upstream } from './upstream.js';
import { failRequestsInFlight } from './upstream-client.js';
import { codeNotThere, explainingStderrLine } from '../processes/stderr-cause.js';
import { isPlainResult } from './plain-result.js';
import { MAX_UPSTREAM_MESSAGE_BYTES, oversizedLine } from './answer-cap.js';

/** The shared runtime's options, plus how long a stopping tree gets before SIGKILL. */
export interface StdioUpstreamOptions extends UpstreamOptions {
  /** Time between SIGTERM and SIGKILL when stopping the tree. */
  shutdownGraceMs?: number;
}

/** What a stdio upstream is made from; the resolver, spawn and ledger are injectable for tests. */
export interface StdioUpstreamInput {
  name: string;
  settings: StdioSettings;
  deps: UpstreamDeps;
  resolveCommand?: ResolveCommand;
  spawnImpl?: SpawnImpl;
  options?: StdioUpstreamOptions;
  /** Where running trees are written down, so a restart can reap what a crash left behind. */
  ledger?: TreeLedger;
  /**
   * The engine's sandbox: a connector whose sandbox is on runs inside it, or not at all. Without one
   * (unit tests of the process handling) the server runs as planned.
   */
  sandbox?: ConnectorSandbox;
}

const STDERR_LINES = 200;
/** The stderr lines a stopping server's last words may take; past them a flood is dropped unread. */
const STDERR_LINES_WHILE_CLOSING = 50;
/** Lines of a connector's stray stdout the app log takes a minute (the rest are counted). */
const GARBAGE_LINES_LOGGED_PER_MINUTE = 20;
/** How long a stdio server gets to answer server/discover before it is taken for a 2025-era one. */
const STDIO_PROBE_TIMEOUT_MS = 5_000;
const MAX_LINE_CHARS = 4000;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines (LF or CRLF), holding the unfinished tail. A line is decoded as
 * UTF-8 once it is whole, so a character split across chunks is kept; only the new chunk is searched
 * for a newline, so a multi-megabyte message arriving in many chunks costs linear time. What is held
 * of an unfinished line may take `maxBytes` bytes; past that it is dropped and `onOverflow` told, and
 * the rest of the line, up to its newline, is read as a line of its own. With `wholeLines` (stdout,
 * where a line is a message) a finished line past `maxBytes` (its line end aside) is dropped the same
 * way; without (stderr, where the bound is only on what is held) it is read.
 */
class LineSplitter {
  #parts: Buffer[] = [];
  #size = 0;
  readonly #maxBytes: number;
  readonly #wholeLines: boolean;

  constructor(maxBytes: number, wholeLines: boolean) {
    this.#maxBytes = maxBytes;
    this.#wholeLines = wholeLines;
  }

  push(chunk: Buffer, onLine: (line: string) => void, onOverflow: () => void): void {
    let start = 0;
    let newline = chunk.indexOf(LF);
    while (newline !== -1) {
      const piece = chunk.subarray(start, newline);
      if (this.#wholeLines && this.#size + piece.length > this.#maxBytes) this.#overflow(onOverflow);
      else {
        this.#parts.push(piece);
        onLine(this.#take());
      }
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      this.#parts.push(chunk.subarray(start));
      this.#size += chunk.length - start;
    }
    if (this.#size > this.#maxBytes) this.#overflow(onOverflow);
  }

  flush(onLine: (line: string) => void): void {
    const rest = this.#take();
    if (rest) onLine(rest);
  }

  #overflow(onOverflow: () => void): void {
    this.#parts = [];
    this.#size = 0;
    onOverflow();
  }

  /** The held line, decoded, without a CR before its newline; the splitter starts afresh. */
  #take(): string {
    const bytes = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
    this.#parts = [];
    this.#size = 0;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, end);
  }
}

interface ChildHooks {
  /** The server, as the cap's sentence names it. */
  server: string;
  onGarbage(line: string): void;
  /** A line past the message cap: the connection is lost for this reason, the transport is closing. */
  onOversized(failure: UpstreamFailure): void;
  onStderr(line: string): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * The SDK transport for a child we spawned ourselves: the SDK's StdioClientTransport kills only the
 * direct child and gives up on the first malformed line, and Gatehouse needs the process group.
 */
class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #deferred: JSONRPCMessage[] = [];
  #notifiedThisTurn = false;
  /** Why the connection was lost to a line past the cap: nothing is read or sent after it. */
  #oversized: Error | undefined;

  readonly #stdout = new LineSplitter(MAX_UPSTREAM_MESSAGE_BYTES, true);
  readonly #stderrLines = new LineSplitter(64 * 1024, false);
  readonly #exited: Promise<void>;
  #closing: Promise<void> | undefined;
  #linesWhileClosing = STDERR_LINES_WHILE_CLOSING;
  #untrack: () => void;
  readonly #child: ChildProcess;
  readonly #hooks: ChildHooks;
  readonly #shutdownGraceMs: number;

  constructor(child: ChildProcess, hooks: ChildHooks, shutdownGraceMs: number, ledger?: TreeLedger) {
    this.#child = child;
    this.#hooks = hooks;
    this.#shutdownGraceMs = shutdownGraceMs;
    const pid = child.pid ?? -1;
    this.#untrack = trackTree(pid, ledger);
    child.stdout?.on('data', (chunk: Buffer) =>
      this.#stdout.push(
        chunk,
        (line) => this.#readLine(line),
        () => this.#lineTooLong(),
      ),
    );
    child.stderr?.on('data', (chunk: Buffer) =>
      this.#stderrLines.push(
        chunk,
        (line) => {
          // While it is being stopped, a few last lines still say why it ended; a flood does not.
          if (this.#closing && this.#linesWhileClosing-- <= 0) return;
          hooks.onStderr(clip(line, MAX_LINE_CHARS));
        },
        () => undefined,
      ),
    );
    // A server that exits closes its pipes; EPIPE on a write is that, seen from our side.
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('error', () => undefined);
    child.stderr?.on('error', () => undefined);
    // 'close' comes once every holder of the pipes is gone, which may be a grandchild (npx → node).
    const pipesClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        void (async () => {
          // The root is gone; whatever it started in its group goes with it, so nothing is orphaned.
          const sweep = killProcessTree(pid, { graceMs: this.#shutdownGraceMs });
          // Its last stderr lines may still be in the pipe: read them before saying why it ended.
          await Promise.race([pipesClosed, new Promise((r) => setTimeout(r, 1000).unref())]);
          this.#stderrLines.flush((line) => hooks.onStderr(clip(line, MAX_LINE_CHARS)));
          if (!this.#closing) hooks.onExit(code, signal);
          await sweep;
          this.#untrack();
          resolve();
          if (!this.#closing) this.onclose?.();
        })();
      });
    });
  }

  /**
   * Stops reading the child's stdout: no more messages, no more parsing; our end of the pipe is
   * closed, so a server still writing gets EPIPE instead of keeping Gatehouse busy. Its stderr is
   * read on for the lines that say how it ended, a few at most (STDERR_LINES_WHILE_CLOSING).
   */
  #stopReading(): void {
    this.#child.stdout?.removeAllListeners('data');
    this.#child.stdout?.destroy();
  }

  get pid(): number | null {
    return this.#child.pid ?? null;
  }

  /** With `pid`, what tells the SDK this is a stdio transport: a silent server there is a 2025-era one. */
  get stderr(): NodeJS.ReadableStream | null {
    return this.#child.stderr;
  }

  /**
   * A line past the cap: the request it answers cannot be told, so the connection is lost for the
   * cap's sentence (every request in flight fails with it) and the process is stopped.
   */
  #lineTooLong(): void {
    if (this.#oversized) return;
    const failure = oversizedLine(this.#hooks.server);
    this.#oversized = failure;
    this.#stopReading();
    this.#hooks.onOversized(failure);
    void this.close();
  }

  #readLine(line: string): void {
    if (this.#oversized || line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      const parsed: unknown = JSON.parse(line);
      message = isPlainResult(parsed) ? parsed : parseJSONRPCMessage(parsed);
    } catch {
      this.#hooks.onGarbage(clip(line, MAX_LINE_CHARS));
      return;
    }
    this.#deliver(message);
  }

  /**
   * The SDK handles a notification one microtask later but a response at once, so a server's last
   * progress notification followed by the result in the same read would arrive after the request
   * was already closed — and be dropped. A response that follows a notification in the same turn
   * waits one macrotask; everything after it queues behind it, in order.
   */
  #deliver(message: JSONRPCMessage): void {
    const isResponse = 'id' in message && ('result' in message || 'error' in message);
    if (this.#deferred.length > 0 || (isResponse && this.#notifiedThisTurn)) {
      this.#deferred.push(message);
      if (this.#deferred.length === 1) setImmediate(() => this.#flushDeferred());
      return;
    }
    if (!('id' in message)) {
      this.#notifiedThisTurn = true;
      setImmediate(() => (this.#notifiedThisTurn = false));
    }
    this.onmessage?.(message);
  }

  #flushDeferred(): void {
    const queued = this.#deferred.splice(0);
    this.#notifiedThisTurn = false;
    for (const message of queued) this.#deliver(message);
  }

  async start(): Promise<void> {
    // Spawned (and its spawn awaited) before the client connects.
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child.stdin;
    if (this.#oversized) throw this.#oversized;
    if (!stdin || stdin.destroyed || !stdin.writable || this.#closing) throw new Error('Not connected');
    await new Promise<void>((resolve, reject) => {
      stdin.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const pid = this.#child.pid;
      // Nothing it writes from now on is read: a server that floods its output must not keep the
      // event loop from ending it within its grace period.
      this.#stopReading();
      this.#child.stdin?.end();
      const exitedQuietly = await Promise.race([
        this.#exited.then(() => true),
        new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(false), Math.min(500, this.#shutdownGraceMs)),
        ),
      ]);
      if (!exitedQuietly && pid !== undefined) await killProcessTree(pid, { graceMs: this.#shutdownGraceMs });
      await this.#exited;
      this.onclose?.();
    })();
    return this.#closing;
  }
}

/** Why the server ended, with the line of its stderr that explains it (rarely the last one). */
function exitSentence(code: number | null, signal: NodeJS.Signals | null, stderr: readonly string[]): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  const cause = explainingStderrLine(stderr);
  return `The server ${how}.${cause ? ` Its stderr says: "${clip(cause, 300)}"` : ''}`;
}

/** A local MCP server as an `Upstream`: a supervised child process tree speaking over stdio. */
export function createStdioUpstream(input: StdioUpstreamInput): Upstream {
  const { name, settings, deps } = input;
  const resolveCommand = input.resolveCommand ?? defaultCommandResolver();
  const spawnImpl: SpawnImpl = input.spawnImpl ?? spawn;
  const shutdownGraceMs = input.options?.shutdownGraceMs ?? 2000;
  const stderrTail: string[] = [];
  // The connector's env values are secrets (API keys); a server that prints one does not get it shown.
  const secrets = Object.values(settings.env).filter((value) => value.length >= 8);
  const redact = (line: string) =>
    secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), line);

  let linesSeen = 0;
  const remember = (line: string) => {
    linesSeen += 1;
    stderrTail.push(line);
    if (stderrTail.length > STDERR_LINES) stderrTail.splice(0, stderrTail.length - STDERR_LINES);
  };

  const transporter: Transporter = {
    auth: () => 'not-applicable',
    stderrTail: () => [...stderrTail],
    describe: (error) =>
      new UpstreamFailure(`The server failed: ${error instanceof Error ? error.message : String(error)}`, {
        retry: true,
        cause: error,
      }),
    connect: (context) => launch(context, context.prior),
  };

  /**
   * Starts the server and connects to it. Without a remembered era the SDK first asks
   * server/discover; a 2025-era server that exits on that question (servers built on rmcp do) is
   * started once more and spoken to as the 2025-era server it is.
   */
  async function launch(context: ConnectContext, prior: PriorDiscovery | undefined): Promise<Connection> {
    let plan: LaunchPlan;
    try {
      plan = await resolveCommand(settings);
    } catch (error) {
      if (error instanceof LaunchError)
        throw new UpstreamFailure(error.message, { retry: false, cause: error });
      throw error;
    }
    context.signal.throwIfAborted();
    let confined: ConfinedLaunch | undefined;
    if (input.sandbox && sandboxOf(settings).enabled) {
      try {
        confined = await input.sandbox.confine(name, settings, plan);
      } catch (error) {
        if (error instanceof LaunchError)
          throw new UpstreamFailure(error.message, { retry: false, cause: error });
        throw error;
      }
      plan = confined.plan;
    } else if (!sandboxOf(settings).enabled) {
      deps.logger.warn("connector runs without a sandbox, by the user's choice", { connector: name });
    }
    let child: ChildProcess;
    try {
      child = await spawnTree(spawnImpl, plan);
    } catch (error) {
      confined?.release();
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UpstreamFailure(`Could not start "${settings.command}" (${plan.resolved}): ${code}.`, {
        retry: false,
        cause: error,
      });
    }
    // This run's lines are the ones that explain how it ended (the tail also holds earlier runs').
    const firstLine = linesSeen;
    const thisRunsStderr = () =>
      stderrTail.slice(stderrTail.length - Math.min(linesSeen - firstLine, stderrTail.length));
    if (confined) child.once('exit', () => confined.release());
    // What the sandbox refused this run, from its own record: said when the server ends.
    const refused: string[] = [];
    const stopListening = input.sandbox?.refusals.listen(name, (refusal) => {
      if (refusal.kind === 'bound') return;
      const sentence = refusalSentence(name, refusal);
      if (!refused.includes(sentence)) refused.push(sentence);
    });
    child.once('exit', () => stopListening?.());
    const refusals = (): string => {
      const last = refused.slice(-3);
      for (const sentence of last) context.stderrLine(`[sandbox] ${sentence}`);
      return last.length > 0 ? ` ${last.join(' ')}` : '';
    };
    const stderrLine = (line: string) => {
      remember(line);
      context.stderrLine(line);
    };
    let warned = false;
    let connecting = true;
    let exitedWhileConnecting: string | undefined;
    let stoppedForBound: string | undefined;
    const logBudget = new LineBudget(GARBAGE_LINES_LOGGED_PER_MINUTE, () => deps.clock.now());
    const heldBack = (lines: number) => {
      if (lines > 0) {
        deps.logger.warn(
          'connector wrote more lines to stdout that are not MCP messages; they were not logged',
          {
            connector: name,
            lines,
          },
        );
      }
    };
    const client = context.newClient();
    const transport = new ChildProcessTransport(
      child,
      {
        server: `"${name}"`,
        onStderr: (line) => stderrLine(redact(line)),
        onOversized: (failure) => {
          // Before the runtime hears of it: a request in flight while connecting (a listing) too.
          failRequestsInFlight(client, failure);
          deps.logger.warn('connector sent a line past the message cap; its connection is lost', {
            connector: name,
          });
          stderrLine(`[gatehouse] ${failure.message}`);
          context.lost(failure.message);
        },
        onGarbage: (raw) => {
          const line = redact(raw);
          const turn = logBudget.take();
          heldBack(turn.heldBack);
          if (turn.write) {
            deps.logger.warn('connector wrote a line to stdout that is not an MCP message', {
              connector: name,
              line: clip(line, 200),
            });
          }
          stderrLine(`[stdout, not MCP] ${line}`);
          if (!warned) {
            warned = true;
            context.warn(
              `The server wrote text to stdout that is not an MCP message ("${clip(line, 80)}"); Gatehouse skipped it. ` +
                `Servers must write logs to stderr.`,
            );
          }
        },
        onExit: (code, signal) => {
          heldBack(logBudget.flush());
          const sentence =
            stoppedForBound !== undefined
              ? `${stoppedForBound}${refusals()}`
              : exitSentence(code, signal, thisRunsStderr()) + refusals();
          if (connecting) exitedWhileConnecting = sentence;
          // Stopped at a bound: started again only by the user, or it would pass it again.
          else context.lost(sentence, stoppedForBound !== undefined);
        },
      },
      shutdownGraceMs,
      input.ledger,
    );
    if (confined) {
      if (confined.startProblem) {
        stderrLine(`[sandbox] ${confined.startProblem}`);
        context.warn(confined.startProblem);
      }
      if (child.pid !== undefined) {
        const pid = child.pid;
        confined.watch(pid, (sentence) => {
          stoppedForBound = sentence;
          void killProcessTree(pid, { graceMs: shutdownGraceMs });
        });
      }
    }
    const pid = transport.pid;
    deps.logger.info('connector process started', { connector: name, pid, command: plan.resolved });
    const onAbort = () => void transport.close();
    if (context.signal.aborted) {
      await transport.close();
      context.signal.throwIfAborted();
    }
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.connect(transport, { timeout: context.initializeTimeoutMs, prior });
    } catch (error) {
      connecting = false;
      context.signal.removeEventListener('abort', onAbort);
      await transport.close();
      if (exitedWhileConnecting === undefined) throw error;
      // A 2025-era server may end on the probe; one whose code is not there ends whatever it is sent.
      if (prior === undefined && !context.signal.aborted && !codeNotThere(thisRunsStderr())) {
        deps.logger.info('connector ended on server/discover; starting it again as a 2025-era server', {
          connector: name,
        });
        return launch(context, { kind: 'legacy' });
      }
      throw new UpstreamFailure(exitedWhileConnecting, { retry: true, cause: error });
    }
    connecting = false;
    if (exitedWhileConnecting !== undefined) context.lost(exitedWhileConnecting);
    return {
      client,
      transport: 'stdio',
      pid,
      memoryBytes: async () => (pid === null ? null : residentMemoryBytes(pid)),
      close: async () => {
        context.signal.removeEventListener('abort', onAbort);
        await client.close().catch(() => undefined);
        await transport.close();
      },
    };
  }

  return new UpstreamRuntime(name, transporter, deps, {
    // Some 2025-era servers never answer server/discover: after this long they are taken as such.
    probeTimeoutMs: STDIO_PROBE_TIMEOUT_MS,
    ...input.options,
  });
}
