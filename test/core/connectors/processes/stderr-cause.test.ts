// The line that explains a failed program, picked from its stderr: real failing commands run here
// (Node missing a module, CommonJS and ESM; npx of a package that is not there, offline; Python missing
// a module), and recorded reports for the tools this machine may not have running (uvx, docker).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeNotThere,
  explainingStderrLine,
} from '../../../../main/core/connectors/processes/stderr-cause.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-stderr-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The stderr lines of a command that fails, as a connector's stderr tail holds them. */
async function stderrOf(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  try {
    await run(command, args, { cwd: dir, env, timeout: 60_000 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    return (stderr ?? '').split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
  }
  throw new Error(`${command} did not fail`);
}

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { timeout: 10_000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the line that explains, from real failing commands', () => {
  it('Node requiring a module that is not there: "Cannot find module", not "Node.js v22"', async () => {
    await writeFile(path.join(dir, 'server.cjs'), "require('gatehouse-no-such-module');\n");
    const lines = await stderrOf(process.execPath, ['server.cjs']);
    expect(lines.at(-1)).toMatch(/^Node\.js v\d+/);
    expect(explainingStderrLine(lines)).toBe("Error: Cannot find module 'gatehouse-no-such-module'");
    expect(codeNotThere(lines)).toBe(true);
  });

  it('Node importing a package that is not there (ESM)', async () => {
    await writeFile(path.join(dir, 'server.mjs'), "import 'gatehouse-no-such-package';\n");
    const lines = await stderrOf(process.execPath, ['server.mjs']);
    expect(explainingStderrLine(lines)).toBe(
      `Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'gatehouse-no-such-package' imported from ${path.join(dir, 'server.mjs')}`,
    );
  });

  it('Node ending on an error it threw, with the code frame above', async () => {
    await writeFile(path.join(dir, 'thrower.cjs'), "throw new TypeError('API_KEY must be a string');\n");
    const lines = await stderrOf(process.execPath, ['thrower.cjs']);
    expect(explainingStderrLine(lines)).toBe('TypeError: API_KEY must be a string');
    // Its code ran, and ended: how it ended may depend on what it was sent.
    expect(codeNotThere(lines)).toBe(false);
  });

  it('npx of a package that is not there, offline: npm’s reason, not "A complete log of this run…"', async () => {
    // An empty cache and --offline: npm answers from the cache only, so this runs without a network.
    const env = {
      ...process.env,
      npm_config_cache: path.join(dir, 'npm-cache'),
      npm_config_registry: 'https://registry.npmjs.org/',
      npm_config_update_notifier: 'false',
    };
    const lines = await stderrOf('npx', ['--offline', '-y', 'gatehouse-no-such-package-zz'], env);
    expect(lines.at(-1)).toMatch(/^npm error A complete log of this run can be found in/);
    expect(explainingStderrLine(lines)).toBe(
      "npm error request to https://registry.npmjs.org/gatehouse-no-such-package-zz failed: cache mode is 'only-if-cached' but no cached response is available.",
    );
    expect(codeNotThere(lines)).toBe(true);
  });

  it('npx against a registry that refuses the connection: the FetchError, not its properties', async () => {
    const env = {
      ...process.env,
      npm_config_cache: path.join(dir, 'npm-cache-2'),
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      npm_config_update_notifier: 'false',
    };
    const lines = await stderrOf('npx', ['-y', 'gatehouse-no-such-package-zz'], env);
    expect(explainingStderrLine(lines)).toBe(
      'npm error FetchError: request to http://127.0.0.1:9/gatehouse-no-such-package-zz failed, reason: connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it.runIf(hasCommand('python3'))('a Python traceback: the exception, not the frames', async () => {
    await writeFile(path.join(dir, 'server.py'), 'import os\nimport gatehouse_no_such_module\n');
    const lines = await stderrOf('python3', ['server.py']);
    expect(lines[0]).toBe('Traceback (most recent call last):');
    expect(explainingStderrLine(lines)).toBe(
      "ModuleNotFoundError: No module named 'gatehouse_no_such_module'",
    );
    expect(codeNotThere(lines)).toBe(true);
  });
});

describe('the line that explains, from recorded reports', () => {
  it('npm 404: the package that could not be found', () => {
    expect(
      explainingStderrLine([
        'npm error code E404',
        'npm error 404 Not Found - GET https://registry.npmjs.org/@acme%2fweather-mcp',
        'npm error 404',
        "npm error 404  The requested resource '@acme/weather-mcp@*' could not be found or you do not have permission to access it.",
        'npm error 404',
        'npm error 404 Note that you can also install from a',
        'npm error 404 tarball, folder, http url, or git url.',
        'npm error A complete log of this run can be found in: /home/u/.npm/_logs/2026-11-23T02_10_44_980Z-debug-0.log',
      ]),
    ).toBe(
      "npm error 404  The requested resource '@acme/weather-mcp@*' could not be found or you do not have permission to access it.",
    );
  });

  it('npm offline with no DNS: the request that failed', () => {
    expect(
      explainingStderrLine([
        'npm error code ENOTFOUND',
        'npm error syscall getaddrinfo',
        'npm error errno ENOTFOUND',
        'npm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
        'npm error network This is a problem related to network connectivity.',
        'npm error network In most cases you are behind a proxy or have bad network settings.',
        'npm error A complete log of this run can be found in: /home/u/.npm/_logs/x.log',
      ]),
    ).toBe(
      'npm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
    );
  });

  it('uvx: the reason under "No solution found", and the root cause of a failed fetch', () => {
    expect(
      explainingStderrLine([
        '  × No solution found when resolving tool dependencies:',
        '  ╰─▶ Because mcp-server-nothing was not found in the package registry and you require mcp-server-nothing, we can conclude that your requirements are unsatisfiable.',
      ]),
    ).toBe(
      '╰─▶ Because mcp-server-nothing was not found in the package registry and you require mcp-server-nothing, we can conclude that your requirements are unsatisfiable.',
    );
    expect(
      explainingStderrLine([
        'error: Failed to fetch: `https://pypi.org/simple/mcp-server-time/`',
        '  Caused by: Request failed after 3 retries',
        '  Caused by: dns error: failed to lookup address information: Temporary failure in name resolution',
      ]),
    ).toBe(
      'Caused by: dns error: failed to lookup address information: Temporary failure in name resolution',
    );
  });

  it('docker: the daemon’s answer, not "Run \'docker run --help\'"', () => {
    expect(
      explainingStderrLine([
        'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        '',
        "Run 'docker run --help' for more information",
      ]),
    ).toBe(
      'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    expect(
      explainingStderrLine([
        "Unable to find image 'mcp/nothing:latest' locally",
        "docker: Error response from daemon: pull access denied for mcp/nothing, repository does not exist or may require 'docker login'.",
        "See 'docker run --help'.",
      ]),
    ).toBe(
      "docker: Error response from daemon: pull access denied for mcp/nothing, repository does not exist or may require 'docker login'.",
    );
  });

  it('a server’s own last words stay what they were; only noise is passed over', () => {
    expect(explainingStderrLine(['starting', 'tree-server: crashing on purpose'])).toBe(
      'tree-server: crashing on purpose',
    );
    expect(explainingStderrLine(['Error: OPENWEATHER_API_KEY is not set', 'see the README'])).toBe(
      'Error: OPENWEATHER_API_KEY is not set',
    );
    expect(explainingStderrLine(['', 'Node.js v22.23.3'])).toBe('Node.js v22.23.3');
    expect(explainingStderrLine([])).toBeUndefined();
  });
});
