// The settings of a catalog entry that change how a runtime or a loader behaves, or where the code
// comes from — said in words a person understands. A registry entry is anyone's text: a clean-looking
// `npx -y pkg@1.0.0` with NODE_OPTIONS=--require… runs other code first. Each risk found here is shown
// before anything starts and must be confirmed (catalog.add's acceptRisks), see docs/security-model.md.
import type { CatalogRisk } from '../api/catalog-contract.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Environment variables that change how a runtime or the loader behaves, with what they can do. */
const RISKY_VARIABLES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^NODE_OPTIONS$/i,
    'gives Node.js extra start-up options, which can load and run any code before the server',
  ],
  [/^NODE_PATH$/i, 'changes where Node.js looks for modules, so other code can be loaded in their place'],
  [/^NODE_TLS_REJECT_UNAUTHORIZED$/i, 'can turn off the checks of HTTPS certificates'],
  [
    /^LD_/i,
    'changes which libraries the system loads into every program the server starts, so other code can run in them',
  ],
  [
    /^DYLD_/i,
    'changes which libraries macOS loads into every program the server starts, so other code can run in them',
  ],
  [
    /^PYTHON/i,
    'changes how Python starts or where it finds modules, so other code can be loaded in their place',
  ],
  [
    /^PATH$/i,
    'decides which programs the server finds when it starts one — even node or python — so other programs can run in their place',
  ],
  [
    /^(npm_config_|NPM_CONFIG_|YARN_|PNPM_)/,
    'changes how npm works, e.g. where packages are downloaded from',
  ],
  [
    /(^|_)INDEX(_URL)?$|^(PIP|UV)_(EXTRA_INDEX_URL|FIND_LINKS|INDEX|DEFAULT_INDEX|CONFIG_FILE)|^PIP_/i,
    'changes where Python packages are downloaded from',
  ],
  [/^DOCKER_/i, 'changes which Docker engine or configuration Docker commands use'],
  [
    /^(BASH_ENV|ENV|PERL5OPT|RUBYOPT|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS)$/i,
    'makes a shell or runtime load and run extra code when it starts',
  ],
  [
    /^(HTTPS?_PROXY|ALL_PROXY)$/i,
    'sends the server’s web traffic through another machine, which can read and change it',
  ],
  [
    /^(SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE)$/i,
    'changes which certificates are trusted, so HTTPS connections can be intercepted',
  ],
];

/** Why the environment variable `name` matters, or null for an ordinary one. */
export function variableRisk(name: string, value: string | null): CatalogRisk | null {
  const found = RISKY_VARIABLES.find(([pattern]) => pattern.test(name));
  if (!found) return null;
  return {
    setting: value === null ? name : `${name}=${value}`,
    explanation: `${name} ${found[1]}.`,
  };
}

/** A plain-http URL to another machine, as a sentence about what it exposes; null for https or loopback. */
function plainHttp(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname) ? parsed.host : null;
}

/** A package source other than the ecosystem's public registry, or one reached over plain http. */
export function sourceRisk(registryBaseUrl: string | undefined, usual: string): CatalogRisk | null {
  if (registryBaseUrl === undefined || registryBaseUrl.replace(/\/+$/, '') === usual) return null;
  const host = plainHttp(registryBaseUrl);
  return {
    setting: `package source ${registryBaseUrl}`,
    explanation:
      host !== null
        ? `The package is downloaded over plain http from ${host}: anyone on the network could swap it for other code.`
        : `The package is downloaded from ${registryBaseUrl}, not from ${usual}.`,
  };
}

/** A remote server reached over plain http on another machine. */
export function remoteRisk(url: string): CatalogRisk | null {
  const host = plainHttp(url);
  return host === null
    ? null
    : {
        setting: url,
        explanation: `Gatehouse would talk to ${host} over plain http: anyone on the network could read and change what passes, your headers and tool results included.`,
      };
}

/** `--flag=value` or `--flag value`: each flag with the value it takes (null when none follows). */
function flagsOf(words: readonly string[]): Array<{ flag: string; value: string | null }> {
  const flags: Array<{ flag: string; value: string | null }> = [];
  words.forEach((word, at) => {
    if (!word.startsWith('-')) return;
    const equals = word.indexOf('=');
    if (equals > 0) flags.push({ flag: word.slice(0, equals), value: word.slice(equals + 1) });
    else {
      const next = words[at + 1];
      flags.push({ flag: word, value: next !== undefined && !next.startsWith('-') ? next : null });
    }
  });
  return flags;
}

const NPX_FLAGS: Record<string, string> = {
  '--call': 'makes npx run a shell command of its own instead of only the package',
  '-c': 'makes npx run a shell command of its own instead of only the package',
  '--package': 'makes npx install another package as well',
  '-p': 'makes npx install another package as well',
  '--registry': 'changes where npx downloads packages from',
  '--userconfig': 'makes npm read another configuration file',
  '--globalconfig': 'makes npm read another configuration file',
  '--node-options': 'gives Node.js extra start-up options, which can load and run any code',
  '--script-shell': 'changes the shell npm runs scripts with',
};

const UVX_FLAGS: Record<string, string> = {
  '--index-url': 'changes where uvx downloads Python packages from',
  '-i': 'changes where uvx downloads Python packages from',
  '--index': 'adds another place uvx downloads Python packages from',
  '--default-index': 'changes where uvx downloads Python packages from',
  '--extra-index-url': 'adds another place uvx downloads Python packages from',
  '--find-links': 'makes uvx take packages from another place',
  '-f': 'makes uvx take packages from another place',
  '--with': 'makes uvx install another package as well',
  '--with-requirements': 'makes uvx install other packages as well',
  '--config-file': 'makes uv read another configuration file',
};

const DOCKER_HOST_MODES: Record<string, string> = {
  '--pid': 'lets the container see and signal every process on this machine',
  '--network': 'puts the container on this machine’s own network, with every local service it can reach',
  '--net': 'puts the container on this machine’s own network, with every local service it can reach',
  '--ipc': 'shares this machine’s inter-process memory with the container',
  '--uts': 'shares this machine’s host name settings with the container',
  '--userns': 'turns off the container’s user isolation',
  '--cgroupns': 'shares this machine’s control groups with the container',
};

const DOCKER_FLAGS: Record<string, string> = {
  '--privileged': 'gives the container full control of this machine',
  '--cap-add': 'gives the container extra powers over this machine',
  '--device': 'gives the container a device of this machine',
  '--security-opt': 'changes or turns off the container’s security confinement',
  '--entrypoint': 'changes which program the image runs',
  '--env-file': 'reads environment values from a file on this machine',
  '--volumes-from': 'gives the container the files of another container',
};

/** A docker mount of a folder of this machine: `-v /host:/in`, `--mount type=bind,source=/host…`. */
function hostMount(flag: string, value: string | null): boolean {
  if (value === null) return false;
  // A named volume (`data:/data`) stays inside Docker; a path (or a `{variable}` the user fills) does not.
  if (flag === '-v' || flag === '--volume') return /^([/~.${]|[A-Za-z]:[\\/])/.test(value);
  return flag === '--mount' && /(^|,)type=bind(,|$)/.test(value);
}

/** The risks in the runner's own arguments (those before the package: npx's, uvx's, docker run's). */
export function runtimeArgumentRisks(
  kind: 'npm' | 'pypi' | 'oci',
  words: readonly string[],
  pkg: { identifier: string; version: string | undefined },
): CatalogRisk[] {
  const risks: CatalogRisk[] = [];
  const say = (flag: string, value: string | null, what: string) =>
    risks.push({ setting: value === null ? flag : `${flag} ${value}`, explanation: `${flag} ${what}.` });
  for (const { flag, value } of flagsOf(words)) {
    if (kind === 'npm' && NPX_FLAGS[flag]) say(flag, value, NPX_FLAGS[flag]);
    if (kind === 'pypi') {
      if (UVX_FLAGS[flag]) say(flag, value, UVX_FLAGS[flag]);
      const same = new RegExp(
        `^${escape(pkg.identifier)}(\\[[^\\]]*\\])?(==${escape(pkg.version ?? '')})?$`,
        'i',
      );
      if (flag === '--from' && (value === null || !same.test(value))) {
        say(
          flag,
          value,
          `makes uvx install ${value ?? 'something'} instead of the PyPI package ${pkg.identifier}`,
        );
      }
    }
    if (kind === 'oci') {
      if (DOCKER_FLAGS[flag]) say(flag, value, DOCKER_FLAGS[flag]);
      if (DOCKER_HOST_MODES[flag] && value === 'host') say(flag, value, DOCKER_HOST_MODES[flag]);
      if (hostMount(flag, value))
        say(flag, value, 'gives the container a folder of this machine to read and change');
      if ((flag === '-u' || flag === '--user') && value !== null && /^(0|root)(:|$)/.test(value)) {
        say(flag, value, 'runs the container as root');
      }
    }
  }
  return risks;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
