// The grants a server's command line and environment ask for, as proposals for the user: a folder it
// names to write, a file it names (a data file it would write, a settings file it would read), a
// service on this computer or the local network its URLs name. Nothing here is granted: the user's
// own command line is taken as their word (`grantCommandLine`), a catalog entry's or an imported
// config's is shown in the review and granted only when the user agrees. Places that run code later
// or are searched for programs are called out; a secret, the home folder itself, Gatehouse's data and
// the system cannot be granted at all.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StdioSettings, SandboxSettings } from '../../api/connector-config.js';
import { sandboxOf } from '../../api/connector-config.js';
import { isAtOrUnder, refusedGrant, type GrantPlace } from './sandbox-grants.js';

/** One grant a connector's settings ask for. */
export interface GrantProposal {
  /** write: a folder or file it may write; read: a file it may read; local: a service, `host:port`. */
  kind: 'write' | 'read' | 'local';
  /** The path (`~/notes`) or `host:port`, as it would be saved. */
  target: string;
  /** Where it comes from: `argument 3`, `environment MEMORY_FILE_PATH`. */
  from: string;
  /** What to know before agreeing: it runs code at login, it is a folder programs are run from. */
  warning: string | null;
  /** Why it cannot be granted at all, or null. */
  refused: string | null;
}

/** Places whose contents run by themselves later: at login, in every shell, as a service. */
const RUNS_AT_LOGIN = [
  '.config/autostart',
  '.config/systemd',
  '.config/environment.d',
  '.local/share/systemd',
  '.local/share/applications',
  'Library/LaunchAgents',
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.profile',
  '.zshrc',
  '.zprofile',
  '.zshenv',
  '.zlogin',
  '.config/fish',
  '.xprofile',
  '.xsessionrc',
  '.pam_environment',
  '.gitconfig',
  '.config/git',
  '.ssh',
];
const SYSTEM_AUTOSTART = [
  '/etc/xdg/autostart',
  '/Library/LaunchAgents',
  '/Library/LaunchDaemons',
  '/etc/systemd',
];

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  rediss: 6379,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  nats: 4222,
  mssql: 1433,
  clickhouse: 8123,
};

/** A host on this computer or a private network (where a server reaches nothing unless granted). */
function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h.endsWith('.local') ||
    h.endsWith('.lan') ||
    h.endsWith('.internal') ||
    h.endsWith('.home.arpa') ||
    /^127\./.test(h) ||
    h === '::1' ||
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
    /^f[cd][0-9a-f]{2}:/.test(h)
  );
}

/** What a grant of `target` means beyond itself: code it can make run later, or programs it can replace. */
export function warningFor(
  target: string,
  kind: GrantProposal['kind'],
  place: GrantPlace,
  pathDirs: readonly string[],
): string | null {
  if (kind === 'local') return null;
  const atLogin = RUNS_AT_LOGIN.map((rel) => path.join(place.home, rel));
  if (
    kind === 'write' &&
    [...atLogin, ...SYSTEM_AUTOSTART].some((p) => isAtOrUnder(target, p) || isAtOrUnder(p, target))
  ) {
    return 'what is written there runs by itself later (at login, in every shell, or as a service)';
  }
  if (kind === 'write' && pathDirs.some((dir) => isAtOrUnder(dir, target))) {
    return 'it is a folder your programs are run from (on your PATH): what is written there runs in place of your commands';
  }
  return null;
}

/** A word as a path, when it is written as one: `/x`, `~/x`, `./x`, `--root=/x`, `file:///x`. */
export function pathIn(word: string, home: string, cwd: string): string | null {
  const value = /^--?[\w-]+=/.test(word) ? word.slice(word.indexOf('=') + 1) : word;
  const bare = value.startsWith('file://') ? decodeURIComponent(value.slice('file://'.length)) : value;
  if (!/^(\/|~\/|~$|\.\.?(\/|$))/.test(bare)) return null;
  const full =
    bare === '~' ? home : bare.startsWith('~/') ? path.join(home, bare.slice(2)) : path.resolve(cwd, bare);
  return path.normalize(full).replace(/\/+$/, '') || '/';
}

/** A service a URL in a word names, when it is on this computer or a local network. */
function serviceIn(word: string): string | null {
  const value = /^--?[\w-]+=/.test(word) ? word.slice(word.indexOf('=') + 1) : word;
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^:/?#\s]+)(?::(\d{1,5}))?/i.exec(
    value,
  );
  if (!match) return null;
  const scheme = match[1]!.toLowerCase().replace(/\+.*$/, '');
  const host = match[2]!.toLowerCase();
  const port = match[3] ? Number(match[3]) : DEFAULT_PORTS[scheme];
  if (port === undefined || port < 1 || port > 65535 || !isLocalHost(host)) return null;
  return `${host}:${port}`;
}

const tilde = (target: string, home: string) =>
  isAtOrUnder(target, home) && target !== home ? `~/${path.relative(home, target)}` : target;

/**
 * A data file a server keeps (its memory, its database, its notes): named to be written, not read,
 * and the only kind of missing file proposed (a missing `/tmp/evil.so` in `LD_PRELOAD` is not a file
 * a server keeps, and a grant to create it would only help a preload).
 */
const DATA_FILE = /\.(jsonl|ndjson|db|sqlite3?|duckdb|csv|tsv|md|txt|log)$/i;

/**
 * The grants a stdio connector's arguments and environment values ask for: folders it names
 * (to write), files it names (a data file — `memory.jsonl`, `notes.db`, existing or to be created
 * in an existing folder — to write, any other existing one to read), and local services its URLs
 * name. `script` is the file an interpreter runs (its own package,
 * readable without a grant), left out.
 */
export function proposedGrants(
  settings: Pick<StdioSettings, 'args' | 'env' | 'cwd'>,
  place: GrantPlace,
  options: { cwd: string; pathDirs: readonly string[] },
): GrantProposal[] {
  const proposals = new Map<string, GrantProposal>();
  const cwd = settings.cwd ?? options.cwd;
  const words: Array<{ word: string; from: string }> = [
    ...settings.args.map((word, at) => ({ word, from: `argument ${at + 1}` })),
    ...Object.entries(settings.env).map(([name, word]) => ({ word, from: `environment ${name}` })),
  ];
  for (const { word, from } of words) {
    const service = serviceIn(word);
    if (service !== null) {
      proposals.set(
        `local:${service}`,
        proposals.get(`local:${service}`) ?? {
          kind: 'local',
          target: service,
          from,
          warning: null,
          refused: null,
        },
      );
      continue;
    }
    const target = pathIn(word, place.home, cwd);
    if (target === null) continue;
    let kind: GrantProposal['kind'] | null = null;
    if (existsSync(target)) {
      const stat = statSync(target);
      // An interpreter's script is its package: readable to it without a grant (sandbox-grants.ts).
      kind = stat.isDirectory()
        ? 'write'
        : /\.(m?js|cjs|ts|py|rb|pl|php)$/.test(target)
          ? null
          : DATA_FILE.test(target)
            ? 'write'
            : 'read';
    } else if (DATA_FILE.test(target) && existsSync(path.dirname(target))) kind = 'write';
    if (kind === null) continue;
    const key = `${kind}:${target}`;
    if (proposals.has(key)) continue;
    proposals.set(key, {
      kind,
      target: tilde(target, place.home),
      from,
      warning: warningFor(target, kind, place, options.pathDirs),
      refused: refusedGrant(target, place),
    });
  }
  return [...proposals.values()];
}

/** The sandbox settings with the grantable proposals added (refused ones are left out). */
export function withGrants(sandbox: SandboxSettings, proposals: readonly GrantProposal[]): SandboxSettings {
  const add = (list: readonly string[], kind: GrantProposal['kind']) => [
    ...new Set([
      ...list,
      ...proposals.filter((p) => p.kind === kind && p.refused === null).map((p) => p.target),
    ]),
  ];
  return {
    ...sandbox,
    folders: add(sandbox.folders, 'write'),
    readFolders: add(sandbox.readFolders, 'read'),
    localServices: add(sandbox.localServices, 'local'),
  };
}

/** The settings with what their own command line and environment name granted (the user's words). */
export function grantingCommandLine(
  settings: StdioSettings,
  place: GrantPlace,
  options: { cwd: string; pathDirs: readonly string[] },
): { settings: StdioSettings; granted: GrantProposal[] } {
  const proposals = proposedGrants(settings, place, options);
  const sandbox = sandboxOf(settings);
  return {
    settings: { ...settings, sandbox: withGrants(sandbox, proposals) },
    granted: proposals.filter((p) => p.refused === null),
  };
}

/** A proposal in words: "may write ~/notes (argument 2)", with what to know. */
export function proposalText(proposal: GrantProposal): string {
  const what =
    proposal.kind === 'write'
      ? `may write ${proposal.target}`
      : proposal.kind === 'read'
        ? `may read ${proposal.target}`
        : `may reach ${proposal.target} on this computer or your network`;
  const note = proposal.refused
    ? ` — cannot be granted: ${proposal.refused}`
    : proposal.warning
      ? ` — careful: ${proposal.warning}`
      : '';
  return `${what} (${proposal.from})${note}`;
}
