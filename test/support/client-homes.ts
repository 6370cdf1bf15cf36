// What the client-setup tests share: a fake home laid out like macOS, Windows or Linux in a temp
// directory, client config files with other servers (and comments) already in them, a Gatehouse
// target, and a file system that fails on demand.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GatehouseTarget } from '../../main/core/client-setup/client-formats.js';
import type { HostLayout } from '../../main/core/client-setup/client-locations.js';
import { ClientSetup } from '../../main/core/client-setup/client-setup.js';
import { ConfigWriter, nodeConfigFs, type ConfigFs } from '../../main/core/client-setup/config-writer.js';
import { fileJournal } from '../../main/core/client-setup/setup-journal.js';
import { afterEach } from 'vitest';

export const platforms = ['darwin', 'win32', 'linux'] as const;

export interface FakeMachine {
  root: string;
  home: string;
  dataDir: string;
  layout: HostLayout;
  /** A project directory under the fake home. */
  project: string;
  remove(): void;
}

/** A temp directory with a home laid out for `platform` (Windows gets %APPDATA% and %LOCALAPPDATA%). */
export function fakeMachine(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}): FakeMachine {
  const root = mkdtempSync(join(tmpdir(), `gatehouse-setup-${platform}-`));
  const home = join(root, 'home');
  const dataDir = join(root, 'gatehouse-data');
  const project = join(home, 'work', 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(project, { recursive: true });
  const windows =
    platform === 'win32'
      ? { APPDATA: join(home, 'AppData', 'Roaming'), LOCALAPPDATA: join(home, 'AppData', 'Local') }
      : {};
  return {
    root,
    home,
    dataDir,
    project,
    layout: { platform, home, env: { PATH: '', ...windows, ...env } },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function targetFor(machine: FakeMachine, port = 7777): GatehouseTarget {
  return {
    mcpUrl: `http://127.0.0.1:${port}/mcp`,
    dataDir: machine.dataDir,
    bridge: {
      command: '/usr/local/bin/node',
      args: ['/opt/gatehouse/bin/gatehouse.mjs', 'bridge', '--data-dir', machine.dataDir],
    },
  };
}

/** A ClientSetup on the fake machine, with the real journal in its data directory. */
export function setupOn(
  machine: FakeMachine,
  options: { fs?: ConfigFs; now?: () => number } = {},
): ClientSetup {
  let tick = Date.parse('2026-01-02T03:04:05.000Z');
  const writer = new ConfigWriter(options.fs ?? nodeConfigFs, options.now ?? (() => (tick += 1000)));
  return new ClientSetup({
    layout: machine.layout,
    writer,
    journal: fileJournal(machine.dataDir, new ConfigWriter(nodeConfigFs, () => Date.now())),
  });
}

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Everything in a directory except the file itself: backups and any temporary file left behind. */
export function siblings(path: string): string[] {
  const name = path.slice(dirname(path).length + 1);
  return readdirSync(dirname(path))
    .filter((entry) => entry !== name)
    .sort();
}

/** The real file system, but `rename` (the step that replaces the file) fails once asked to. */
export function failingFs(failOn: keyof ConfigFs, code = 'EIO'): ConfigFs & { armed: boolean } {
  const fs = { ...nodeConfigFs, armed: true } as ConfigFs & { armed: boolean };
  const original = nodeConfigFs[failOn] as (...args: unknown[]) => Promise<unknown>;
  (fs as unknown as Record<string, unknown>)[failOn] = async (...args: unknown[]) => {
    if (fs.armed) {
      throw Object.assign(new Error(`${code}: simulated failure, ${failOn} ${String(args[0])}`), { code });
    }
    return original(...args);
  };
  return fs;
}

/** Claude Desktop's file as a user has it: two servers and a preference Gatehouse must not touch. */
export const claudeDesktopConfig = `{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]
    },
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_fixtureToken000000000000000000000000" }
    }
  },
  "globalShortcut": "Ctrl+Space"
}
`;

/** VS Code's mcp.json with comments everywhere, an input variable and a remote server. */
export const vscodeConfig = `// My MCP servers (VS Code reads this as JSON with comments)
{
  "inputs": [
    // asked for when the server starts
    { "type": "promptString", "id": "perplexity-key", "description": "Perplexity API key", "password": true }
  ],
  "servers": {
    /* GitHub's hosted server */
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/",
      "headers": { "Authorization": "Bearer ghu_vscodeFixture" } // a PAT
    },
    "perplexity": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "server-perplexity-ask"],
      "env": { "PERPLEXITY_API_KEY": "\${input:perplexity-key}" },
    },
  },
}
`;

/** ~/.claude.json as Claude Code keeps it: lots of its own state, user and per-project servers. */
export const claudeCodeConfig = `{
  "numStartups": 42,
  "theme": "dark",
  "mcpServers": {
    "sentry": { "type": "http", "url": "https://mcp.sentry.dev/mcp", "headers": { "Authorization": "Bearer sntrys_fixture" } },
    "context7": { "type": "stdio", "command": "npx", "args": ["-y", "@upstash/context7-mcp"], "env": {} }
  },
  "projects": {
    "/home/me/work/api": {
      "allowedTools": [],
      "mcpServers": {
        "postgres": { "type": "stdio", "command": "npx", "args": ["-y", "pg-mcp", "\${DATABASE_URL}"], "env": {} }
      }
    }
  }
}
`;

/** Cursor's ~/.cursor/mcp.json: one remote server with an API key header. */
export const cursorConfig = `{
  "mcpServers": {
    "linear": {
      "url": "https://mcp.linear.app/sse",
      "headers": { "X-Api-Key": "lin_fixture" }
    }
  }
}
`;

/**
 * The fake machines of one test file: returns the maker, and removes every machine a test made once
 * that test ends. Call it once at the top of a test file.
 */
export function fakeMachinesPerTest(): (platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv) => FakeMachine {
  const machines: FakeMachine[] = [];
  afterEach(() => {
    for (const made of machines.splice(0)) made.remove();
  });
  return (platform = 'linux', env = {}) => {
    const made = fakeMachine(platform, env);
    machines.push(made);
    return made;
  };
}
