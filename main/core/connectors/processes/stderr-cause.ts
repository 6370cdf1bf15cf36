// The line of a failed program's stderr that says why it failed. The last line rarely does: Node ends
// with "Node.js v22.x", npm with "A complete log of this run can be found in …", docker with "Run
// 'docker run --help'…"; the cause ("Error: Cannot find module …", "404 … could not be found",
// "ModuleNotFoundError: …") is a few lines up. Known shapes of Node, npm/npx, uv/uvx, Python and docker
// are ranked; noise is skipped; among the best-ranked lines the latest wins. Some of them say the
// server's code never ran at all (its package, module, image or program is not there).

/** How much a line explains: 0 noise, 1 plain text, 2 sounds like an error, 3 a known cause line. */
type Rank = 0 | 1 | 2 | 3;

// npm prefixes every line of its error report; the rest of the line is ranked on its own.
const NPM_PREFIX = /^npm (?:error|ERR!)(?: |$)/;

const NOISE: RegExp[] = [
  /^\s*$/,
  /^Node\.js v\d/, // Node's last words after an uncaught error
  /^\s+at\s/, // stack frames (Node, npm's FetchError)
  /^\s*[\^~]+\s*$/, // the caret under a code frame
  /^\s*[{}[\]]+[,;]?\s*$/, // an error object's braces
  /^\s+[\w$]+: .*,?$/, // an error object's own properties, indented (  code: 'MODULE_NOT_FOUND',)
  /^\s*throw\s/, // the code frame's line
  /^(?:node:)?[^\s:]+:\d+$/, // "node:internal/modules/cjs/loader:1210", "file:///x.js:3"
  /^Require stack:$/,
  /^- \//, // a require stack entry
  /^Traceback \(most recent call last\):$/,
  /^\s+File ".*", line \d+/, // a Python frame
  /^Run '.+ --help' for more information/, // docker
  /^See '.+ --help'\.$/, // docker
];

// npm's report lines that never say why.
const NPM_NOISE: RegExp[] = [
  /^A complete log of this run can be found in/,
  /^(?:code|errno|syscall|signal) \S+$/,
  /^(?:network )?(?:This is a problem related to network|In most cases you are behind|If you are behind a proxy)/,
  /^404(?:\s*$|\s+Note that you can also install|\s+tarball, folder)/,
  /^tarball, folder, http url/,
];

const KNOWN_CAUSE: RegExp[] = [
  // Node and Python exceptions: "Error: Cannot find module 'x'", "Error [ERR_MODULE_NOT_FOUND]: …",
  // "TypeError: …", "ModuleNotFoundError: No module named 'x'", "requests.exceptions.ConnectionError: …".
  /^(?:Uncaught )?(?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*)?(?:Error|Exception)(?: \[[A-Z0-9_]+\])?: \S/,
  // npm: "404  The requested resource '…' could not be found", "'x@*' is not in this registry",
  // "request to https://… failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org", ENOTCACHED.
  /could not be found|is not in this registry|No matching version|request to \S+ failed/,
  // uv / uvx: the reason under "× No solution found…", "error: …", "Caused by: …".
  /^\s*(?:╰─▶|Caused by:|error:)\s*\S/,
  // docker: "docker: Error response from daemon: …", "docker: Cannot connect to the Docker daemon…".
  /^docker: \S|Error response from daemon:/,
];

const ERROR_WORDS =
  /\b(?:error|errors|failed|failure|fatal|exception|cannot|can't|could not|unable|not found|no such|denied|refused|invalid|missing|E[A-Z]{3,})\b/i;

function rank(line: string): Rank {
  const npm = NPM_PREFIX.test(line);
  // Only the prefix goes: the indentation of an error object's properties still marks them.
  const text = npm ? line.replace(NPM_PREFIX, '') : line;
  if (NOISE.some((pattern) => pattern.test(text))) return 0;
  if (npm && NPM_NOISE.some((pattern) => pattern.test(text))) return 0;
  if (KNOWN_CAUSE.some((pattern) => pattern.test(text))) return 3;
  return ERROR_WORDS.test(text) ? 2 : 1;
}

/**
 * The line of `lines` (stderr, oldest first) that best explains a failure, trimmed; the last line
 * when none ranks above noise, undefined when there are no lines.
 */
export function explainingStderrLine(lines: readonly string[]): string | undefined {
  let best: { line: string; rank: Rank } | undefined;
  for (const line of lines) {
    const lineRank = rank(line);
    if (lineRank > 0 && (!best || lineRank >= best.rank)) best = { line, rank: lineRank };
  }
  const chosen = best?.line ?? lines.at(-1);
  return chosen?.trim() || undefined;
}

/**
 * What a runner or interpreter says when the server's code is not there to run: npm's and uv's package
 * not in its registry (or the registry out of reach), Node's and Python's module not found, docker's
 * image not found or its daemon not running, a shell's command not found.
 */
const NOT_THERE: RegExp[] = [
  /could not be found|is not in this registry|No matching version found|\bE404\b|request to \S+ failed/,
  /Cannot find module|ERR_MODULE_NOT_FOUND|ModuleNotFoundError|No module named/,
  /not found in the package registry|there is no version of/,
  /Unable to find image|manifest unknown|pull access denied|Cannot connect to the Docker daemon/,
  /: command not found$|: not found$/,
];

/**
 * Whether `lines` (a run's stderr) say the server's code was not there to run: then how it ended has
 * nothing to do with what it was sent, and starting it again another way would end the same.
 */
export function codeNotThere(lines: readonly string[]): boolean {
  return lines.some((line) => {
    const text = line.replace(NPM_PREFIX, '');
    return NOT_THERE.some((pattern) => pattern.test(text));
  });
}
