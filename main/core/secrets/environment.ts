// Which environment variables carry nothing secret: the short list a sandboxed local server gets from
// Gatehouse's environment, and the one the audit's redaction reads to tell a variable it may show from
// one it must hide. An allow-list, so a credential variable nobody thought of (HF_TOKEN, DATABASE_URL,
// a D-Bus address) is withheld and redacted without being named anywhere.

/**
 * The variables of Gatehouse's own environment a sandboxed server gets: where to find programs, who
 * and where it runs, language and terminal, time zone (TMPDIR is set to the server's own temp
 * folder), how npm fetches. Everything else of Gatehouse's environment stays out; what the connector sets, it gets.
 */
const PASSED_VARIABLES: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'LC_*',
  'TERM',
  'TZ',
  'TMPDIR',
  // How npm fetches (retries, time-outs, the update check): numbers and switches, no secret.
  'npm_config_fetch_retries',
  'npm_config_fetch_retry_mintimeout',
  'npm_config_fetch_retry_maxtimeout',
  'npm_config_fetch_timeout',
  'npm_config_update_notifier',
];

/**
 * The variables that say which certificate authorities to trust (a company's TLS-inspecting proxy is
 * in them): no secret, and without them a server behind such a proxy reaches no HTTPS host. Passed
 * too; the files they name are readable to the server.
 */
export const TRUST_VARIABLES: readonly string[] = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'PIP_CERT',
  'GIT_SSL_CAINFO',
  'AWS_CA_BUNDLE',
  'CARGO_HTTP_CAINFO',
  'DENO_CERT',
  'NIX_SSL_CERT_FILE',
  'HTTPLIB2_CA_CERTS',
  'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH',
  'CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE',
];

/**
 * The variables that say where packages come from (a company's npm or Python mirror, a local
 * Verdaccio): without them `npx` and `uvx` inside the sandbox install from the public registry, or
 * nothing. Passed only as plain http(s) addresses: one with a user name or password in it is a
 * credential, and stays out.
 */
const PACKAGE_INDEX_VARIABLES: readonly string[] = [
  'npm_config_registry',
  'NPM_CONFIG_REGISTRY',
  'UV_INDEX_URL',
  'UV_DEFAULT_INDEX',
  'UV_EXTRA_INDEX_URL',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
];

/**
 * The package-index variables of an environment that may pass, each with its addresses: every
 * space-separated part an http(s) URL without credentials, or the variable stays out whole.
 */
export function packageIndexes(env: NodeJS.ProcessEnv): Array<{ name: string; value: string; urls: URL[] }> {
  const passed: Array<{ name: string; value: string; urls: URL[] }> = [];
  for (const name of PACKAGE_INDEX_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    const urls: URL[] = [];
    for (const part of value.trim().split(/\s+/)) {
      const url = URL.canParse(part) ? new URL(part) : null;
      if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password) break;
      urls.push(url);
    }
    if (urls.length > 0 && urls.length === value.trim().split(/\s+/).length)
      passed.push({ name, value, urls });
  }
  return passed;
}

const PASSED = new RegExp(
  `^(${[...PASSED_VARIABLES, ...TRUST_VARIABLES].map((name) => (name.endsWith('*') ? `${name.slice(0, -1)}[A-Z_]+` : name)).join('|')})$`,
);

/** Whether a variable of Gatehouse's environment may pass to a sandboxed server (PASSED and TRUST_VARIABLES). */
export function isPassedVariable(name: string): boolean {
  return PASSED.test(name);
}

/** An environment variable's name as shells and programs write them: `AWS_SECRET_ACCESS_KEY`, `PGPASSWORD`. */
const VARIABLE_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^[A-Z][A-Z0-9]{2,}$/;

/**
 * Whether a key that is written as an environment variable's name holds a value the audit must hide:
 * every such name not on PASSED_VARIABLES. Keys not written that way (`path`, `maxTokens`) are left to
 * the audit's key-word test.
 */
export function isSecretVariable(key: string): boolean {
  return VARIABLE_NAME.test(key) && !isPassedVariable(key);
}
