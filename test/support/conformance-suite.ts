// Runs the official MCP conformance CLI (@modelcontextprotocol/conformance) as a child process and
// reads back the checks it saved, so tests can assert check by check rather than on an exit code.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const CONFORMANCE_CLI = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist',
  'index.js',
);

export type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';

export interface ConformanceCheck {
  id: string;
  name: string;
  description: string;
  status: CheckStatus;
  errorMessage?: string;
  details?: unknown;
}

export interface SuiteRun {
  exitCode: number | null;
  output: string;
  /** Checks per scenario, as the CLI saved them to `<output dir>/<prefix><scenario>-<timestamp>/`. */
  scenarios: Map<string, ConformanceCheck[]>;
}

export interface SuiteOptions {
  /** Called with every line the CLI prints on stdout, in order; a rejection fails the run. */
  onLine?: (line: string) => void | Promise<void>;
  timeoutMs?: number;
}

/** A free loopback port (the CLI's OAuth callback server needs one it can bind by number). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs `conformance <args> -o <tmp>` and returns its saved checks, killing it after `timeoutMs`. */
export async function runConformance(args: string[], options: SuiteOptions = {}): Promise<SuiteRun> {
  const outputDir = mkdtempSync(join(tmpdir(), 'gatehouse-conformance-'));
  try {
    const child = spawn(process.execPath, [CONFORMANCE_CLI, ...args, '-o', outputDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let pending = '';
    let lineFailure: unknown;
    let lines = Promise.resolve();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        lines = lines
          .then(() => options.onLine?.(line))
          .catch((error: unknown) => {
            lineFailure ??= error;
            child.kill();
          });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    // Below the conformance project's 60 s test timeout, so a hung CLI is killed here rather than
    // orphaned. A scenario takes a second or two alone; in the whole suite, beside the browser
    // tests, starting the CLI alone has taken over ten.
    const timeoutMs = options.timeoutMs ?? 45_000;
    const started = Date.now();
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]\n${machineState(started, timeoutMs, output)}`;
      child.kill();
    }, timeoutMs);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    await lines;
    if (lineFailure)
      throw new Error(`the browser step failed: ${String(lineFailure)}\n${output}`, { cause: lineFailure });
    return { exitCode, output, scenarios: readSavedChecks(outputDir) };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

/**
 * What a killed run's message adds, so a hang in a loaded suite can be told from a slow machine: how
 * late this process's own timer fired (its event loop blocked), whether the CLI printed anything,
 * the load average and the busiest processes.
 */
function machineState(started: number, timeoutMs: number, output: string): string {
  const late = Date.now() - started - timeoutMs;
  let busiest: string;
  try {
    busiest = execFileSync('ps', ['-eo', 'pid,pcpu,rss,etimes,args', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n')
      .slice(0, 10)
      .map((line) => line.slice(0, 160))
      .join('\n');
  } catch (error) {
    busiest = `ps failed: ${String(error)}`;
  }
  return [
    `[this process's timer fired ${late} ms late; the CLI printed ${output.length} characters]`,
    `[load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}]`,
    busiest,
  ].join('\n');
}

function readSavedChecks(outputDir: string): Map<string, ConformanceCheck[]> {
  const scenarios = new Map<string, ConformanceCheck[]>();
  // Client scenarios are saved under their name, the auth/* ones in `auth/`.
  for (const [dir, prefix] of [
    [outputDir, ''],
    [join(outputDir, 'auth'), 'auth/'],
  ] as const) {
    for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
      // `<prefix>-<scenario>-2026-01-02T03-04-05-678Z`, prefix `server` or `authorization-server`.
      const named = entry.replace(/-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/, '');
      const scenario = prefix ? named : named.replace(/^(authorization-server|server)-/, '');
      // A scenario the CLI skipped (not applicable at the spec version) or crashed in saves nothing.
      const file = join(dir, entry, 'checks.json');
      if (existsSync(file))
        scenarios.set(`${prefix}${scenario}`, JSON.parse(readFileSync(file, 'utf8')) as ConformanceCheck[]);
    }
  }
  return scenarios;
}

/**
 * One verdict per check, keyed by check id (and name, where a scenario repeats an id): 'SUCCESS',
 * or the status with the suite's own message, so a failed assertion says what went wrong.
 */
export function verdicts(checks: ConformanceCheck[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const check of checks) {
    const key =
      checks.filter((other) => other.id === check.id).length > 1 ? `${check.id} (${check.name})` : check.id;
    result[key] =
      check.status === 'SUCCESS'
        ? 'SUCCESS'
        : `${check.status}: ${check.errorMessage ?? check.description}${check.details ? ` ${JSON.stringify(check.details)}` : ''}`;
  }
  return result;
}

export const CONFORMANCE_CLIENT = fileURLToPath(
  new URL('../fixtures/conformance-client.mjs', import.meta.url),
);

export type ClientSuiteRun = SuiteRun;

/**
 * Runs `conformance client <selection>` once with Gatehouse's conformance client
 * (test/fixtures/conformance-client.ts) and reads back the checks of every scenario it saved.
 */
export function runClient(selection: string[], timeoutMs: number): Promise<ClientSuiteRun> {
  // The runner gives each scenario's client 30 s unless told; a set's scenarios all start at once, so
  // on a loaded machine each may take what the whole run may, less a margin to read the results.
  const perScenarioMs = Math.max(30_000, timeoutMs - 15_000);
  return runConformance(
    [
      'client',
      '--command',
      `${process.execPath} ${CONFORMANCE_CLIENT}`,
      '--timeout',
      String(perScenarioMs),
      ...selection,
    ],
    { timeoutMs },
  );
}

/**
 * What a hook that runs `count` CLI runs, `atOnce` at a time, each killed after `eachMs`, must allow:
 * every batch taking its whole time, and a margin to start and read them.
 */
export function budgetFor(count: number, atOnce: number, eachMs: number): number {
  return Math.ceil(count / atOnce) * eachMs + 15_000;
}

/**
 * Runs `conformance client` once per scenario, `atOnce` at a time (each a CLI, its servers and a
 * client process), each killed after `eachMs`; the runs by scenario.
 */
export async function runClientEach(
  scenarios: string[],
  argsOf: (scenario: string) => string[],
  atOnce: number,
  eachMs: number,
): Promise<Map<string, ClientSuiteRun>> {
  const runs = new Map<string, ClientSuiteRun>();
  const queue = [...scenarios];
  const worker = async () => {
    for (let scenario = queue.shift(); scenario; scenario = queue.shift())
      runs.set(scenario, await runClient(['--scenario', scenario, ...argsOf(scenario)], eachMs));
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
  return runs;
}

/** One verdict per check id: SUCCESS when every check of that id succeeded, else the worst, with its message. */
export function statusById(checks: ConformanceCheck[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const check of checks) {
    if (check.status === 'INFO') continue;
    if (check.status === 'SUCCESS') result[check.id] ??= 'SUCCESS';
    else if (result[check.id] === undefined || result[check.id] === 'SUCCESS')
      result[check.id] = `${check.status}: ${check.errorMessage ?? check.description}`;
  }
  return result;
}
