// Bootstrap behind `npm start | serve | test | bench`: gets Node 22, installs dependencies when the
// lockfile changed, builds, then runs the command. Plain JS with no dependencies so that it runs on
// whatever Node (18+) the machine has before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scriptPath = fileURLToPath(import.meta.url);
const [command, ...extraArgs] = process.argv.slice(2);
const commands = ['start', 'serve', 'test', 'bench'];
const requiredMajor = 22;

const say = (line) => console.error(`gatehouse: ${line}`);
const fail = (line, code = 1) => {
  say(line);
  process.exit(code);
};

if (!commands.includes(command)) {
  fail(`usage: node bin/run.mjs <${commands.join('|')}> [args…]`, 2);
}

// a. Node 22 (what Electron embeds; node:sqlite needs it).
if (Number(process.versions.node.split('.')[0]) < requiredMajor) {
  if (process.platform === 'win32') {
    fail(
      `Node ${requiredMajor} or newer is required (this is ${process.version}): install it from nodejs.org`,
    );
  }
  if (process.env.GATEHOUSE_NODE22_BIN) {
    fail(`scripts/node22.sh gave ${process.env.GATEHOUSE_NODE22_BIN}, which still runs ${process.version}`);
  }
  const provision = spawnSync('bash', [path.join(root, 'scripts', 'node22.sh')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const binDir = provision.status === 0 ? provision.stdout.trim() : '';
  if (!binDir) fail(`could not provision Node ${requiredMajor} (scripts/node22.sh failed)`);
  const env = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    GATEHOUSE_NODE22_BIN: binDir,
  };
  await runToExit(path.join(binDir, 'node'), [scriptPath, command, ...extraArgs], { env });
}

// From here on we run under Node 22+. Children that call `node` or `npm` must get this same node.
const nodeBin = process.execPath;
const env = { ...process.env };
const nodeDir = path.dirname(nodeBin);
if ((env.PATH ?? '').split(path.delimiter)[0] !== nodeDir) {
  env.PATH = `${nodeDir}${path.delimiter}${env.PATH ?? ''}`;
}

// b. Dependencies.
ensureDependencies();

// c. Build. A failed build stops everything but `test`: vitest runs the sources, so a type error
// in one module should not hide the test results of the others (`npm run typecheck` reports it).
const built = ensureBuild();
if (!built && command !== 'test') fail('the build failed (errors above); fix them and run again');
if (!built) say('the build failed (errors above); running the tests anyway');

// d. Dispatch.
switch (command) {
  case 'start': {
    const electron = await electronLaunch();
    if (electron.binary) {
      await runToExit(electron.binary, [root], { env });
    }
    say(`Electron cannot run here (${electron.reason}) — running the headless engine instead`);
    await serve();
    break;
  }
  case 'serve':
    await serve();
    break;
  case 'test':
    ensureChromium();
    ensureSandboxTools();
    // Built just now: the vitest projects that spawn the built code need not compile it again.
    if (built) env.GATEHOUSE_BUILT = '1';
    await runToExit(nodeBin, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...extraArgs], {
      env,
    });
    break;
  case 'bench':
    await runToExit(nodeBin, [requireBuilt('dist/bench/run.js', 'bench/run.ts'), ...extraArgs], { env });
    break;
}

/**
 * The browser tests drive Debian's Chromium. When it is missing, install it as `.ci/run` does if we
 * may (root, apt-get, no questions asked); otherwise say in one line what to install and run the
 * other tests, the browser tests skipped with that reason (GATEHOUSE_SKIP_BROWSER_TESTS).
 */
function ensureChromium() {
  const chromium = env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  const canInstall =
    !env.GATEHOUSE_CHROMIUM &&
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    existsSync('/usr/bin/apt-get');
  if (canInstall) {
    say("the browser tests need Chromium: installing Debian's chromium package (apt-get)");
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) =>
      spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
    if (
      apt(['update']) &&
      apt(['install', '-y', '--no-install-recommends', 'chromium']) &&
      existsSync(chromium)
    )
      return;
    say('apt-get could not install chromium (see above)');
  }
  const reason =
    `the browser tests are skipped: they need Chromium at ${chromium}, which is not installed — ` +
    (process.platform === 'linux'
      ? "install Debian's chromium package (sudo apt-get install chromium)"
      : 'install Chromium') +
    ', or set GATEHOUSE_CHROMIUM to a Chromium binary';
  say(reason);
  env.GATEHOUSE_SKIP_BROWSER_TESTS = reason;
}

/**
 * Every local server runs in the sandbox (bubblewrap; socat and ripgrep for a connector's host list),
 * and the sandbox tests attack it for real; the packaging test builds the AppImage with Debian's
 * squashfs tools and desktop-file-validate. When a tool is missing, install it as `.ci/run` does if
 * we may (root, apt-get); otherwise say in one line what to install — the sandbox tests then fail and
 * say so, the AppImage build is skipped.
 */
function ensureSandboxTools() {
  if (process.platform !== 'linux') return;
  const onPath = (name) =>
    (env.PATH ?? '')
      .split(':')
      .concat(['/usr/bin', '/bin'])
      .some((dir) => dir && existsSync(path.join(dir, name)));
  const missing = [
    ['bwrap', 'bubblewrap'],
    ['socat', 'socat'],
    ['rg', 'ripgrep'],
    ['mksquashfs', 'squashfs-tools'],
    ['desktop-file-validate', 'desktop-file-utils'],
  ].filter(([binary]) => !onPath(binary));
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    say(`the sandbox and packaging tests need ${packages.join(', ')}: installing them (apt-get)`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) =>
      spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
    if (apt(['update']) && apt(['install', '-y', '--no-install-recommends', ...packages])) return;
    say('apt-get could not install them (see above)');
  }
  say(
    `the sandbox and packaging tests need ${packages.join(', ')}: install them (sudo apt install ${packages.join(' ')})`,
  );
}

async function serve() {
  const cli = requireBuilt('dist/main/cli/gatehouse.js', 'main/cli/gatehouse.ts');
  await runToExit(nodeBin, [cli, 'serve', ...extraArgs], { env });
}

function requireBuilt(output, source) {
  const file = path.join(root, output);
  if (!existsSync(file)) fail(`${output} is missing: the build did not produce it (does ${source} exist?)`);
  return file;
}

function ensureDependencies() {
  const lockFile = path.join(root, 'package-lock.json');
  const modules = path.join(root, 'node_modules');
  const stampFile = path.join(modules, '.gatehouse-lock-sha256');
  const lockHash = existsSync(lockFile)
    ? createHash('sha256').update(readFileSync(lockFile)).digest('hex')
    : '';
  let reason = '';
  if (!existsSync(modules)) {
    reason = 'node_modules is missing';
  } else if (readText(stampFile) !== lockHash) {
    // No stamp or an old one. If npm itself installed after the lockfile last changed (a manual
    // `npm ci` or `npm install`, as CI does), its hidden lockfile is newer: trust it, skip a reinstall.
    const npmRecord = path.join(modules, '.package-lock.json');
    const installedAfterChange = existsSync(npmRecord) && mtime(npmRecord) >= mtime(lockFile);
    if (!installedAfterChange) reason = 'package-lock.json changed since the last install';
  }
  if (reason) {
    say(`installing dependencies (${reason}): npm ci`);
    const npm = npmCommand();
    const result = spawnSync(npm.file, [...npm.args, 'ci', '--no-audit', '--no-fund'], {
      cwd: root,
      env,
      stdio: 'inherit',
      shell: npm.shell,
    });
    if (result.status !== 0) fail(`npm ci failed (exit ${result.status ?? result.signal})`);
  }
  if (lockHash && readText(stampFile) !== lockHash) writeFileSync(stampFile, `${lockHash}\n`);
}

/** The npm that launched us (run with our node), else the one on PATH. */
function npmCommand() {
  const launcher = process.env.npm_execpath ?? '';
  if (/npm-cli\.c?js$/.test(launcher) && existsSync(launcher)) {
    return { file: nodeBin, args: [launcher], shell: false };
  }
  // npm is a .cmd on Windows, which Node only spawns through a shell.
  return process.platform === 'win32'
    ? { file: 'npm.cmd', args: [], shell: true }
    : { file: 'npm', args: [], shell: false };
}

function ensureBuild() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const compiled = spawnSync(nodeBin, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) return false;

  // The sandboxed preload must be one CommonJS file that requires only electron: bundled apart.
  const preloadScript = path.join(root, 'scripts', 'build-preload.mjs');
  if (existsSync(preloadScript)) {
    const preload = spawnSync(nodeBin, [preloadScript], { cwd: root, env, stdio: 'inherit' });
    if (preload.status !== 0) return false;
  }

  // The renderer (Vite) is optional until it exists.
  const viteConfig = path.join(root, 'vite.config.ts');
  const rendererDir = path.join(root, 'renderer');
  if (!existsSync(viteConfig) || !existsSync(path.join(rendererDir, 'index.html'))) return true;
  // The bundle includes the core modules the renderer imports as @core/… (the contract, text.ts, the
  // catalog's checks): a change there is a change to the renderer too.
  const sources = Math.max(
    mtime(viteConfig),
    newestMtime(rendererDir),
    newestMtime(path.join(root, 'main', 'core')),
  );
  if (sources <= newestMtime(path.join(root, 'dist', 'renderer'))) return true;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) fail('vite.config.ts exists but vite is not installed: add it to devDependencies');
  const bundled = spawnSync(nodeBin, [vite, 'build'], { cwd: root, env, stdio: 'inherit' });
  return bundled.status === 0;
}

/**
 * Whether the Electron shell can start: a display, the desktop build, and the Electron binary (the
 * `electron` package downloads it on first require; here we ask for that once, in a child).
 */
async function electronLaunch() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display' };
  }
  if (!existsSync(path.join(root, 'dist', 'main', 'desktop', 'main.js'))) {
    return { reason: 'the desktop shell is not built: dist/main/desktop/main.js is missing' };
  }
  if (!existsSync(path.join(root, 'node_modules', 'electron', 'package.json'))) {
    return { reason: 'the electron package is not installed' };
  }
  let binary = electronBinary();
  if (binary) return { binary };
  const fetched = await fetchElectronBinary();
  binary = electronBinary();
  if (binary) return { binary };
  return { reason: `the Electron binary is missing and could not be downloaded: ${fetched}` };
}

function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  const relative = readText(path.join(pkg, 'path.txt'));
  const binary = relative ? path.join(pkg, 'dist', relative) : '';
  return binary && existsSync(binary) ? binary : undefined;
}

/** Runs `require('electron')` once (≤ 180 s) to fetch the binary; resolves to a short failure reason. */
function fetchElectronBinary() {
  return new Promise((resolve) => {
    const child = spawn(nodeBin, ['-e', "require('electron')"], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // Quiet when it fails fast (offline); say something when a real download is under way.
    const notice = setTimeout(() => say('downloading the Electron binary (first start only)…'), 3000);
    const timeout = setTimeout(() => child.kill(), 180_000);
    child.on('error', (error) => (output += String(error)));
    child.on('close', (code, signal) => {
      clearTimeout(notice);
      clearTimeout(timeout);
      if (code === 0) return resolve('');
      if (signal) return resolve('the download timed out after 180 s');
      const firstError = output.split('\n').find((line) => /^\w*Error\b/.test(line.trim()));
      resolve(firstError?.trim() ?? `node -e "require('electron')" exited with ${code}`);
    });
  });
}

/** Runs a child with inherited stdio, forwards SIGINT/SIGTERM to it, and exits as it exited. */
function runToExit(file, args, options) {
  return new Promise(() => {
    const child = spawn(file, args, { cwd: root, stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
    child.on('error', (error) => fail(`could not start ${file}: ${error.message}`));
    child.on('exit', (code, signal) => {
      for (const name of ['SIGINT', 'SIGTERM']) process.off(name, forward);
      if (signal) {
        process.kill(process.pid, signal); // die the same way, so the caller sees the signal
        return;
      }
      process.exit(code ?? 1);
    });
  });
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Newest modification time of any file under dir (0 when it does not exist). */
function newestMtime(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let newest = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : mtime(full));
  }
  return newest;
}
