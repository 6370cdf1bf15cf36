// Which environment variables carry nothing secret: the short list a sandboxed local server gets from
// Gatehouse's environment, and the one the audit's redaction reads to tell a variable it may show from
// one it must hide. An allow-list, so a credential variable nobody thought of (HF_TOKEN, DATABASE_URL,
// a D-Bus address) is withheld and redacted without being named anywhere.

/**
 * The variables of Gatehouse's own environment a sandboxed server gets: where to find programs, who
 * and where it runs, language and terminal, time zone (TMPDIR is set to the server's own temp
 * folder). Everything else of Gatehouse's environment stays out; what the connector sets, it gets.
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
