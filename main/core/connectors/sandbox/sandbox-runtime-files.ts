// The files @anthropic-ai/sandbox-runtime runs or hands to other programs (apply-seccomp inside
// bubblewrap, srt-win.exe, the JVM proxy agent), where they really are on disk. In the packaged app
// the package lies inside app.asar: Electron's fs reads through it, but nothing can exec or map a
// file there, so electron-builder.yml unpacks these into app.asar.unpacked and the sandbox is
// given their unpacked paths (its own lookup would name the app.asar ones).
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's helper files, relative to its folder, per architecture where they are binaries.
 * @internal Exported for its tests only: the packaging test checks the package holds these, and the asar rule without a package.
 */
export const SANDBOX_RUNTIME_VENDOR_FILES = [
  'vendor/seccomp/x64/apply-seccomp',
  'vendor/seccomp/arm64/apply-seccomp',
  'vendor/srt-win/x64/srt-win.exe',
  'vendor/srt-win/arm64/srt-win.exe',
  'vendor/java-proxy-agent/srt-proxy-agent.jar',
] as const;

/** The helper files for this machine, at paths a child process can use; undefined where none ships. */
export interface SandboxRuntimeFiles {
  /** Linux: the seccomp wrapper run inside bubblewrap (the runtime's `seccomp.applyPath`). */
  applySeccomp?: string;
  /** Windows: the enforcement helper (the runtime's `windows.srtWin.path`). */
  srtWin?: string;
  /** The JVM proxy agent (the runtime's `javaAgentJarPath`). */
  javaAgentJar?: string;
}

/**
 * A path inside an app.asar archive, moved to the same file in app.asar.unpacked (where
 * electron-builder's asarUnpack puts it, and where Electron's fs itself reads unpacked entries —
 * lib/node/asar-fs-wrapper.ts, getUnpackedPath); any other path unchanged.
 * @internal Exported for its tests only: the packaging test checks the package holds these, and the asar rule without a package.
 */
export function outsideAsar(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  const at = path.indexOf(marker);
  return at === -1
    ? path
    : `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + marker.length)}`;
}

/**
 * The sandbox runtime's helper files for `arch` (process.arch), found from the installed package;
 * each is given only when it exists outside any archive.
 */
export function sandboxRuntimeFiles(
  options: { packageDir?: string; arch?: string; exists?: (path: string) => boolean } = {},
): SandboxRuntimeFiles {
  const packageDir = options.packageDir ?? sandboxRuntimePackageDir();
  const arch = options.arch ?? process.arch;
  const exists = options.exists ?? existsSync;
  const found = (relative: string) => {
    const path = outsideAsar(join(packageDir, relative));
    return exists(path) ? path : undefined;
  };
  const archDir = arch === 'x64' || arch === 'arm64' ? arch : undefined;
  const applySeccomp = archDir ? found(`vendor/seccomp/${archDir}/apply-seccomp`) : undefined;
  const srtWin = archDir ? found(`vendor/srt-win/${archDir}/srt-win.exe`) : undefined;
  const javaAgentJar = found('vendor/java-proxy-agent/srt-proxy-agent.jar');
  return {
    ...(applySeccomp ? { applySeccomp } : {}),
    ...(srtWin ? { srtWin } : {}),
    ...(javaAgentJar ? { javaAgentJar } : {}),
  };
}

/** The installed package's folder: its entry is dist/index.js. */
function sandboxRuntimePackageDir(): string {
  return dirname(dirname(fileURLToPath(import.meta.resolve('@anthropic-ai/sandbox-runtime'))));
}
