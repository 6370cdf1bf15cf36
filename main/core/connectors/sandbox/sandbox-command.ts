// The command a sandboxed server runs as: inside, its process bound, relays to the local services it
// may reach and the server itself with its temp folder; outside, that command wrapped by bubblewrap
// (Linux) or sandbox-exec (macOS) with the read and write rules of its profile, through
// sandbox-runtime/runtime-parts.ts. connector-sandbox.ts decides what goes in; this file only writes it.
import { sandboxOf, type StdioSettings } from '../../api/connector-config.js';
import type { packageIndexes } from '../../secrets/environment.js';
import type { RuntimeParts } from './sandbox-runtime/runtime-parts.js';
import { shellQuote } from './sandbox-runtime/bwrap-tail.js';
import type { SandboxProfile } from './sandbox-profile.js';
import type { LocalService } from './sandbox-gate-rules.js';

/** A connector's local-service grants as host and port. */
function localServicesOf(settings: StdioSettings): LocalService[] {
  return sandboxOf(settings).localServices.map((service) => {
    const at = service.lastIndexOf(':');
    return { host: service.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(service.slice(at + 1)) };
  });
}

const isLoopbackHost = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '::1';

/**
 * The local services a connector reaches: its own grants, and a package mirror the user's environment
 * names on this computer (a local Verdaccio), because that is where the user chose packages come from.
 */
export function reachableServices(
  settings: StdioSettings,
  indexes: ReturnType<typeof packageIndexes>,
): LocalService[] {
  return [
    ...localServicesOf(settings),
    ...indexes
      .flatMap((index) => index.urls)
      .filter((url) => isLoopbackHost(url.hostname.replace(/^\[(.*)\]$/, '$1')))
      .map((url) => ({
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
      })),
  ];
}

/** Seatbelt patterns for the places in a workspace folder that run code later, at any depth. */
function protectedPatterns(folder: string): string[] {
  return [
    '**/.git/hooks/**',
    '**/.git/config',
    '**/.gitmodules',
    '**/.vscode/**',
    '**/.idea/**',
    '**/.claude/**',
    '**/.envrc',
    '**/.mcp.json',
  ].flatMap((pattern) => (/[*?[\]]/.test(folder) ? [] : [`${folder}/${pattern}`]));
}

/** The command that runs inside: its bounds, the relays of its local services, then the server. */
export function innerCommand(
  profile: SandboxProfile,
  launch: { file: string; args: readonly string[] },
  services: readonly LocalService[],
  processes: number | null,
): string {
  const temp = shellQuote([profile.tempDir]);
  const lines: string[] = [];
  if (processes !== null) {
    // Processes counted in its own user namespace (dash says -p, bash -u); a root caller is not held.
    lines.push(`ulimit -p ${processes} 2>/dev/null || ulimit -u ${processes} 2>/dev/null`);
  }
  // A local service on this computer is reached at the same host and port inside: a relay listens on
  // the sandbox's own loopback and asks the gate for that one service (HTTP CONNECT, no Unix socket).
  const relayed = services.filter((service) => isLoopbackHost(service.host));
  for (const { host, port } of relayed) {
    const target = host.includes(':') ? `[${host}]` : host;
    const proxy = `PROXY:127.0.0.1:${target}:${port},proxyport=3128`;
    lines.push(
      `{ socat TCP6-LISTEN:${port},ipv6only=0,fork,reuseaddr ${shellQuote([proxy])} || exec socat TCP4-LISTEN:${port},fork,reuseaddr ${shellQuote([proxy])}; } >/dev/null 2>&1 &`,
    );
  }
  if (relayed.length > 0) {
    // Until each relay listens (at most 3 s), so the server's first connection finds it: a listening
    // socket's line in /proc/net/tcp* reads `…:PORT 000…:0000 0A`.
    const ports = relayed.map(({ port }) => port.toString(16).toUpperCase().padStart(4, '0')).join('|');
    lines.push(
      `_gh_wait=0; while [ "$_gh_wait" -lt 30 ] && [ "$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -cE ':(${ports}) [0-9A-F]+:0000 0A')" -lt ${relayed.length} ]; do sleep 0.1; _gh_wait=$((_gh_wait + 1)); done; unset _gh_wait`,
    );
  }
  // With a network the runtime points TMPDIR at its own folder: set again inside.
  // Descriptors 3 to 9 closed for the server (one Gatehouse inherited is /dev/null by now: stdio-launch.ts).
  lines.push(
    `TMPDIR=${temp} TMP=${temp} TEMP=${temp} exec ${shellQuote([launch.file, ...launch.args])} 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-`,
  );
  return lines.join('\n');
}

/** What the wrap needs besides the command: the gate's way out, the runtime's helpers, what to show. */
export interface WrapInputs {
  linux: boolean;
  profile: SandboxProfile;
  command: string;
  gate: { socketPath: string | null; port: number | null; trustBundle: string | null };
  files: { applySeccomp?: string | undefined; javaAgentJar?: string | undefined };
  observeSocketPath: string | undefined;
  /** Files outside its grants it may read: trust stores, the gate's socket, the runtime's helpers. */
  shownFiles: string[];
  /** A fresh id for the Linux wrap's own bookkeeping. */
  commandId: string;
}

/**
 * The command wrapped in the OS sandbox with its profile's rules. On Linux, call
 * `parts.releaseLinuxWrap()` once the server is gone.
 */
export async function wrapCommand(parts: RuntimeParts, inputs: WrapInputs): Promise<string> {
  const { linux, profile, command, gate, files } = inputs;
  const readConfig = {
    denyOnly: [],
    literalDenyOnly: profile.hidden,
    // What it may write it may read (Seatbelt keeps the two apart; bubblewrap binds them together).
    literalAllowWithinDeny: [...profile.read, ...profile.write, ...inputs.shownFiles],
  };
  const writeConfig = {
    allowOnly: [],
    literalAllowOnly: profile.write,
    // macOS: the places that run later are denied at any depth, there or not, by pattern.
    denyWithinAllow: linux ? [] : profile.workspace.flatMap(protectedPatterns),
    literalDenyWithinAllow: profile.protected.map((p) => p.path),
  };
  if (!linux) {
    return parts.wrapMacos({
      command,
      needsNetworkRestriction: true,
      httpProxyPort: gate.port!,
      socksProxyPort: gate.port!,
      ...(gate.trustBundle ? { caCertPath: gate.trustBundle } : {}),
      ...(files.javaAgentJar ? { javaAgentJarPath: files.javaAgentJar } : {}),
      readConfig,
      writeConfig,
    });
  }
  return parts.wrapLinux({
    command,
    commandId: inputs.commandId,
    needsNetworkRestriction: true,
    httpSocketPath: gate.socketPath!,
    socksSocketPath: gate.socketPath!,
    ...(gate.trustBundle ? { caCertPath: gate.trustBundle } : {}),
    ...(files.applySeccomp ? { seccompConfig: { applyPath: files.applySeccomp } } : {}),
    ...(files.javaAgentJar ? { javaAgentJarPath: files.javaAgentJar } : {}),
    ...(inputs.observeSocketPath ? { observeSocketPath: inputs.observeSocketPath } : {}),
    readConfig,
    writeConfig,
    // The runtime scans the engine's own folder for places that run later; Gatehouse protects
    // each workspace's itself (sandbox-grants.ts), so the engine's top level is enough.
    mandatoryDenySearchDepth: 0,
    // The shells it runs the command through are the system's POSIX sh: dash starts in half the
    // time of bash, at every start.
    binShell: 'sh',
  });
}
