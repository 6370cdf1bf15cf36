// The installer configuration, read as electron-builder reads it: valid against electron-builder's
// own schema, the security fuses and the macOS re-sign after them, what goes into app.asar
// (everything the app loads at run time, nothing it does not), the CLI launchers, the menu-bar
// app's Info.plist key, the package metadata the deb target demands, and the icon files (PNG and
// ICO) it needs. Installers cannot be built on this machine (no Electron download), so these values
// are what can be checked here.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  type Dirent,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_ID, APP_NAME } from '../../main/desktop/app-identity.js';
import { cliLaunchArguments } from '../../main/desktop/cli-mode.js';
import {
  SANDBOX_RUNTIME_VENDOR_FILES,
  sandboxRuntimeFiles,
} from '../../main/core/connectors/sandbox/sandbox-runtime-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The parts of the configuration these tests read. */
interface BuilderConfig {
  directories: Record<string, string>;
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  extraResources: unknown[];
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  mac: { icon: string; files: string[]; [key: string]: unknown };
  win: { target: unknown[]; icon: string; files: string[] };
  nsis: { include: string; [key: string]: unknown };
  linux: { maintainer: string; files: string[]; [key: string]: unknown };
  deb: { afterInstall: string; afterRemove: string; recommends: string[] };
  toolsets: { appimage: string };
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  homepage?: string;
  author?: { name: string; email: string };
  scripts: Record<string, string>;
  version: string;
};

/** electron-builder's own check of a configuration (what `npm run dist` runs first). */
async function validateWithElectronBuilder(candidate: unknown): Promise<void> {
  const require = createRequire(import.meta.url);
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  // builder-util is app-builder-lib's own dependency: resolve it from there.
  const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));
  const { DebugLogger } = fromBuilder('builder-util/out/DebugLogger.js') as {
    DebugLogger: new (enabled: boolean) => unknown;
  };
  await validateConfiguration(candidate, new DebugLogger(false));
}

/** The images of an .ico file: each entry's declared size and its PNG's own size. */
function icoImages(file: string): Array<{ declared: number; width: number; height: number }> {
  const bytes = readFileSync(file);
  expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2)], `${file} is an icon file`).toEqual([0, 1]);
  const images = [];
  for (let index = 0; index < bytes.readUInt16LE(4); index++) {
    const entry = 6 + 16 * index;
    const length = bytes.readUInt32LE(entry + 8);
    const png = bytes.subarray(bytes.readUInt32LE(entry + 12), bytes.readUInt32LE(entry + 12) + length);
    expect(png.subarray(1, 4).toString('ascii'), `${file} entry ${index} is a PNG`).toBe('PNG');
    images.push({ declared: bytes[entry] || 256, width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
  }
  return images;
}

/** A glob of electron-builder's configuration as a regular expression (`**`, `*`). */
function globRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('**/', '\u0001')
      .replaceAll('**', '\u0002')
      .replaceAll('*', '[^/]*')
      .replaceAll('\u0001', '(?:.*/)?')
      .replaceAll('\u0002', '.*')}$`,
  );
}

/** Whether a path is matched by a platform's `files` globs (positive ones, then `!` exclusions). */
function packaged(path: string, platform: 'linux' | 'mac' | 'win' = 'linux'): boolean {
  const globs = config[platform].files;
  const included = globs.filter((glob) => !glob.startsWith('!')).some((glob) => globRegExp(glob).test(path));
  const excluded = globs
    .filter((glob) => glob.startsWith('!'))
    .some((glob) => globRegExp(glob.slice(1)).test(path));
  return included && !excluded;
}

/** Whether a packed path is unpacked to app.asar.unpacked (the `asarUnpack` globs). */
function unpacked(path: string): boolean {
  return config.asarUnpack.some((glob) => globRegExp(glob).test(path));
}

const SANDBOX_RUNTIME = 'node_modules/@anthropic-ai/sandbox-runtime';

/** Every file under the installed sandbox runtime's vendor/ that is not a build script. */
function sandboxVendorFiles(): string[] {
  const vendor = join(root, SANDBOX_RUNTIME, 'vendor');
  return (readdirSync(vendor, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.ts'))
    .map((entry) =>
      relative(join(root, SANDBOX_RUNTIME), join(entry.parentPath, entry.name)).split(sep).join('/'),
    )
    .sort();
}

describe('electron-builder.yml', () => {
  it('names the app as the app names itself (Windows toasts need the same AppUserModelID)', () => {
    expect(config).toMatchObject({ appId: 'dev.gatehouse.app', productName: 'Gatehouse', asar: true });
    expect([config.appId, config.productName]).toEqual([APP_ID, APP_NAME]);
  });

  it('is valid for electron-builder 26 (its own schema check), and that check does refuse a mistake', async () => {
    await expect(validateWithElectronBuilder(config)).resolves.toBeUndefined();
    await expect(
      validateWithElectronBuilder({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }),
    ).rejects.toThrow(
      'electron-builder 26.17.0 has been initialized using a configuration object that does not match the API schema.\n - configuration.electronFuses should be one of these:',
    );
  });

  it('sets the fuses Electron’s security guidance asks for, and re-signs the macOS app ad hoc after them', () => {
    expect(config.electronFuses).toEqual({
      resetAdHocDarwinSignature: true,
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it.each([
    'package.json',
    pkg.main,
    'dist/main/core/engine/engine.js',
    'dist/main/cli/run-cli.js',
    'dist/preload/preload.cjs',
    'dist/preload/ipc-channels.js',
    'dist/renderer/index.html',
    'dist/renderer/assets/index-abc123.js',
    'main/desktop/assets/tray-attention@2x.png',
  ])('packs %s', (path) => {
    expect(packaged(path)).toBe(true);
  });

  it.each([
    'dist/main/desktop/main.js.map',
    'dist/.tsbuildinfo',
    'dist/test/support/engine-fixture.js',
    'dist/bench/run.js',
    'dist/preload/preload.js',
    'main/desktop/main.ts',
    'test/desktop/ipc.test.ts',
    'renderer/src/main.tsx',
    'build/icon.svg',
    '.git/config',
  ])('leaves out %s', (path) => {
    expect(packaged(path)).toBe(false);
  });

  it('unpacks every file the connector sandbox runs or hands to another program, and only those', () => {
    // A new helper in a later sandbox-runtime version fails here until it is listed and unpacked.
    expect(sandboxVendorFiles()).toEqual([...SANDBOX_RUNTIME_VENDOR_FILES].sort());
    for (const file of SANDBOX_RUNTIME_VENDOR_FILES) {
      expect(unpacked(`${SANDBOX_RUNTIME}/${file}`), file).toBe(true);
    }
    for (const file of [
      `${SANDBOX_RUNTIME}/dist/index.js`,
      `${SANDBOX_RUNTIME}/vendor/seccomp/build.ts`,
      'dist/main/desktop/main.js',
      'node_modules/oidc-provider/package.json',
    ]) {
      expect(unpacked(file), file).toBe(false);
    }
    // The runtime is a dependency, so electron-builder packs it with the app.
    expect(pkg.dependencies['@anthropic-ai/sandbox-runtime']).toBe('0.0.83');
  });

  it('Windows: the uninstaller removes the start-at-login Run value Electron wrote, except on an update', () => {
    expect(config.nsis.include).toBe('build/installer.nsh');
    const script = readFileSync(join(root, config.nsis.include), 'utf8');
    const body = script.slice(script.indexOf('!macro customUnInstall'), script.indexOf('!macroend'));
    // Electron names the value after the AppUserModelID (browser_win.cc), which the app sets to its appId.
    expect(
      body
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith(';')),
    ).toEqual([
      '!macro customUnInstall',
      '${ifNot} ${isUpdated}',
      `DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "${APP_ID}"`,
      `DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run" "${APP_ID}"`,
      '${endIf}',
    ]);
  });

  it('builds the AppImage on a static-runtime toolset this electron-builder knows (no libfuse.so.2 needed)', () => {
    const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
    const { appimageChecksums } = fromBuilder('app-builder-lib/out/toolsets/linux.js') as {
      appimageChecksums: Record<string, Record<string, string>>;
    };
    // 0.0.0 (the default) is the legacy FUSE 2 runtime (AppImageTarget.js: buildLegacyFuse2AppImage).
    expect(Object.keys(appimageChecksums)).toContain(config.toolsets.appimage);
    expect(config.toolsets.appimage).not.toBe('0.0.0');
    expect(Object.keys(appimageChecksums[config.toolsets.appimage]!)).toEqual([
      'appimage-tools-runtime-20251108.tar.gz',
    ]);
  });

  it('the deb recommends what sandboxed local servers need, and keeps electron-builder’s own', () => {
    expect(config.deb.recommends).toEqual(['bubblewrap', 'socat', 'ripgrep', 'libappindicator3-1']);
  });

  it('each platform packs the same app, leaving out the other platforms’ sandbox helpers (Windows, which sandboxes nothing yet, all)', () => {
    const runtime = 'node_modules/@anthropic-ai/sandbox-runtime/vendor';
    // No top-level list: electron-builder would pack its union with a platform's, exclusions lost.
    expect((config as unknown as { files?: unknown }).files).toBeUndefined();
    const app = config.linux.files.slice(0, -1);
    expect(config.linux.files).toEqual([...app, `!${runtime}/srt-win/**`]);
    expect(config.mac.files).toEqual([...app, `!${runtime}/seccomp/**`, `!${runtime}/srt-win/**`]);
    expect(config.win.files).toEqual([
      ...app,
      `!${runtime}/seccomp/**`,
      `!${runtime}/srt-win/**`,
      `!${runtime}/java-proxy-agent/**`,
    ]);
    // What each leaves out of node_modules is checked by a real build below (the macOS list).
  });

  it('rebuilds nothing: there are no native modules', () => {
    expect(config).toMatchObject({ npmRebuild: false, nodeGypRebuild: false });
  });

  it('ships the CLI launchers as resources/bin, the POSIX one executable', () => {
    expect(config.extraResources).toEqual([{ from: 'build/bin', to: 'bin', filter: ['**/*'] }]);
    expect(statSync(join(root, 'build', 'bin', 'gatehouse')).mode & 0o111).toBe(0o111);
    expect(existsSync(join(root, 'build', 'bin', 'gatehouse.cmd'))).toBe(true);
  });

  it('macOS: universal dmg and zip, developer tools, a menu-bar app (no Dock icon at launch)', () => {
    expect(config.mac).toMatchObject({
      category: 'public.app-category.developer-tools',
      target: [
        { target: 'dmg', arch: 'universal' },
        { target: 'zip', arch: 'universal' },
      ],
      extendInfo: { LSUIElement: true },
    });
  });

  it('Windows: an NSIS installer with an .ico app icon holding every size the shell asks for', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: 'x64' }]);
    expect(config.win.icon).toBe('build/icon.ico');
    expect(icoImages(join(root, config.win.icon))).toEqual(
      [16, 20, 24, 32, 40, 48, 64, 256].map((size) => ({ declared: size, width: size, height: size })),
    );
  });

  it.each(['active', 'paused', 'attention'])(
    'Windows: the %s tray icon is an .ico for 100 %% to 300 %% scaling, packed with the app',
    (state) => {
      const file = `main/desktop/assets/tray-${state}.ico`;
      expect(packaged(file)).toBe(true);
      expect(icoImages(join(root, file))).toEqual(
        [16, 20, 24, 32, 40, 48].map((size) => ({ declared: size, width: size, height: size })),
      );
    },
  );

  it('package.json has what the deb target demands: a homepage, and an author with an email', () => {
    // electron-builder's FpmTarget refuses to build without a project URL ("Please specify project
    // homepage") and takes the maintainer from linux.maintainer or the author's email.
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/);
    expect(pkg.author).toEqual({
      name: 'Gatehouse contributors',
      email: 'gatehouse@users.noreply.github.com',
    });
    expect(config.linux.maintainer).toBe(`${pkg.author!.name} <${pkg.author!.email}>`);
  });

  it('Linux: AppImage and deb in Development, with a maintainer and the CLI link scripts', () => {
    expect(config.linux).toMatchObject({
      target: ['AppImage', 'deb'],
      category: 'Development',
      executableName: 'gatehouse',
    });
    expect(config.linux.maintainer).toMatch(/^.+ <.+@.+>$/);
    for (const script of [config.deb.afterInstall, config.deb.afterRemove]) {
      expect(existsSync(join(root, script)), script).toBe(true);
    }
    const afterInstall = readFileSync(join(root, config.deb.afterInstall), 'utf8');
    expect(afterInstall).toContain("CLI='/opt/${sanitizedProductName}/resources/bin/gatehouse'");
    // Still electron-builder's sandbox set-up.
    expect(afterInstall).toContain("chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox'");
  });

  it('has the 1024×1024 icon electron-builder makes .icns and .ico from', () => {
    const png = readFileSync(join(root, 'build', 'icon.png'));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(config.mac.icon).toBe('build/icon.png');
  });

  it('npm run dist builds everything first, and the build makes the preload bundle', () => {
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder --publish never');
    expect(pkg.scripts.build).toContain('node scripts/build-preload.mjs');
  });
});

// The packaging step of `npm run dist` for Linux, run for real by electron-builder — only the
// Electron binary is a stand-in (electronDist), since none can be downloaded here: a shell script
// that prints its arguments and $APPIMAGE, and carries Electron 45's fuse wire
// (build/fuses/fuses.json5: sentinel, version 1, nine fuses "101100001"), so @electron/fuses really
// flips it. The deb target needs fpm, which electron-builder downloads: `dir` and AppImage are as far
// as it goes. The AppImage is built by electron-builder's static-runtime path from a toolset laid out
// as its download is (APPIMAGE_TOOLS_PATH; toolsets/linux.js, getAppImageTools): Debian's mksquashfs
// and desktop-file-validate, and for the runtime a stand-in that does what the type-2 runtime's
// `--appimage-extract-and-run` does (AppImage/type2-runtime, src/runtime/runtime.c, main(): extract
// the squashfs found at the runtime's own length, set APPIMAGE to the file, APPDIR, ARGV0, and
// execv AppRun with the arguments) — the real runtime cannot be downloaded here either.
const builtApp = ['dist/main/desktop/main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const squashfsTools = ['mksquashfs', 'unsquashfs', 'desktop-file-validate'].every(
  (tool) => spawnSync(tool, ['--help'], { stdio: 'ignore' }).error === undefined,
);
/** The stand-in runtime's length: mksquashfs writes the image at this offset. */
const RUNTIME_LENGTH = 4096;

/** A stand-in Electron, and a toolset folder laid out as electron-builder's AppImage download is. */
function buildInputs(work: string): { electronDist: string; tools: string } {
  const electronDist = join(work, 'electron');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(
    join(electronDist, 'electron'),
    `#!/bin/sh\n# ${FUSE_SENTINEL}\u0001\u0009101100001\nfor arg in "$@"; do printf '%s\\n' "$arg"; done\n` +
      `printf 'APPIMAGE=%s\\n' "$APPIMAGE"\n`,
  );
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'chrome-sandbox'), '');
  writeFileSync(join(electronDist, 'LICENSE'), '');
  const tools = join(work, 'appimage-tools');
  mkdirSync(join(tools, 'runtimes'), { recursive: true });
  mkdirSync(join(tools, 'lib', 'x64'), { recursive: true });
  if (squashfsTools) {
    for (const tool of ['mksquashfs', 'desktop-file-validate']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(tools, tool));
    }
  }
  const runtime = [
    '#!/bin/sh',
    'self="$(readlink -f "$0")"',
    'dir="$(mktemp -d)"',
    `unsquashfs -q -n -o ${RUNTIME_LENGTH} -d "$dir/root" "$self" >/dev/null || exit 127`,
    'APPIMAGE="$self" ARGV0="$0" APPDIR="$dir/root" "$dir/root/AppRun" "$@"',
    'status=$?',
    'rm -rf "$dir"',
    'exit $status',
    '',
  ].join('\n');
  writeFileSync(join(tools, 'runtimes', 'runtime-x64'), runtime.padEnd(RUNTIME_LENGTH, '\n'), {
    mode: 0o755,
  });
  return { electronDist, tools };
}

/** `electron-builder --linux <targets>` on the configuration (changed by `change`), into `output`. */
function buildLinux(
  work: string,
  targets: string[],
  output: string,
  change: (built: BuilderConfig) => BuilderConfig = (built) => built,
): void {
  const { electronDist, tools } = buildInputs(work);
  const configFile = join(work, `electron-builder-${targets.join('-')}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({ ...change(config), electronDist, directories: { ...config.directories, output } }),
  );
  const builder = createRequire(import.meta.url).resolve('electron-builder/cli.js');
  const result = spawnSync(
    process.execPath,
    [builder, '--linux', ...targets, '--publish', 'never', '--config', configFile],
    { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, APPIMAGE_TOOLS_PATH: tools } },
  );
  if (result.status !== 0) throw new Error(`electron-builder failed:\n${result.stdout}\n${result.stderr}`);
}

describe.skipIf(process.platform !== 'linux' || !builtApp.every((file) => existsSync(join(root, file))))(
  'electron-builder packs the Linux app (npm run build first; a stand-in Electron binary)',
  () => {
    let unpacked = '';
    let output = '';
    let appImage = '';
    beforeAll(() => {
      const work = mkdtempSync(join(tmpdir(), 'gatehouse-dist-'));
      output = join(work, 'release');
      buildLinux(work, squashfsTools ? ['dir', 'AppImage'] : ['dir'], output);
      unpacked = join(output, 'linux-unpacked');
      appImage = join(output, `${APP_NAME}-${pkg.version}-linux-x86_64.AppImage`);
      return () => rmSync(work, { recursive: true, force: true });
    }, 300_000);

    it.skipIf(!squashfsTools || process.arch !== 'x64')(
      'builds the AppImage on the static runtime: the runtime, then a zstd squashfs of the app, no --no-sandbox in its entry',
      () => {
        const image = readFileSync(appImage);
        const runtime = readFileSync(join(output, '..', 'appimage-tools', 'runtimes', 'runtime-x64'));
        expect(image.subarray(0, RUNTIME_LENGTH)).toEqual(runtime);
        // The squashfs superblock (squashfs_fs.h): magic "hsqs", compression id at byte 20 — 6 is zstd,
        // what electron-builder picks on the static runtime (the legacy path leaves mksquashfs' gzip, 1).
        expect(image.subarray(RUNTIME_LENGTH, RUNTIME_LENGTH + 4).toString('latin1')).toBe('hsqs');
        expect(image.readUInt16LE(RUNTIME_LENGTH + 20)).toBe(6);
        const list = spawnSync('unsquashfs', ['-o', String(RUNTIME_LENGTH), '-l', appImage], {
          encoding: 'utf8',
        });
        for (const file of ['AppRun', 'gatehouse', 'gatehouse.desktop', 'resources/app.asar']) {
          expect(list.stdout.split('\n'), file).toContain(`squashfs-root/${file}`);
        }
        const entry = spawnSync(
          'unsquashfs',
          ['-o', String(RUNTIME_LENGTH), '-cat', appImage, 'gatehouse.desktop'],
          {
            encoding: 'utf8',
          },
        ).stdout;
        // The legacy toolset's entry would be `Exec=AppRun --no-sandbox %U` (AppImageTarget.js, defaultArgs).
        expect(entry.split('\n').filter((line) => line.startsWith('Exec='))).toEqual(['Exec=AppRun %U']);
      },
    );

    it.skipIf(!squashfsTools || process.arch !== 'x64')(
      'the AppImage starts the app with its arguments and $APPIMAGE naming the file, as the login item and bridge need',
      () => {
        const args = cliLaunchArguments(['status'], 'linux');
        const run = spawnSync(appImage, args, { encoding: 'utf8', cwd: tmpdir() });
        const lines = run.stdout.split('\n').slice(0, -1);
        // electron-builder's AppRun adds --no-sandbox only where `unshare -Ur true` fails (no user namespaces).
        const userNamespaces = spawnSync('unshare', ['-Ur', 'true']).status === 0;
        expect(lines).toEqual([...(userNamespaces ? [] : ['--no-sandbox']), ...args, `APPIMAGE=${appImage}`]);
      },
    );

    it('flips the fuses as configured on an Electron 45 fuse wire', () => {
      const binary = readFileSync(join(unpacked, 'gatehouse'));
      const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
      expect([binary[at], binary[at + 1]]).toEqual([1, 9]);
      // RunAsNode, cookie encryption, NODE_OPTIONS, --inspect, asar integrity, only app.asar,
      // browser V8 snapshot, file:// privileges; the ninth (WASM trap handlers) left as shipped.
      expect(binary.subarray(at + 2, at + 11).toString('latin1')).toBe('010011001');
    });

    it('packs what the app loads into app.asar, and nothing it does not', () => {
      const fromBuilder = createRequire(
        createRequire(import.meta.url).resolve('app-builder-lib/package.json'),
      );
      const asar = fromBuilder('@electron/asar') as { listPackage(archive: string): string[] };
      const files = new Set(
        asar.listPackage(join(unpacked, 'resources', 'app.asar')).map((file) => file.slice(1)),
      );
      for (const file of [
        'package.json',
        ...builtApp,
        'dist/main/cli/run-cli.js',
        'main/desktop/assets/tray-attention.ico',
        'main/desktop/assets/tray-attention@2x.png',
        'node_modules/oidc-provider/package.json',
      ]) {
        expect(files.has(file), file).toBe(true);
      }
      const unwanted = [...files].filter(
        (file) =>
          file.startsWith('node_modules/electron-store') ||
          file.startsWith('node_modules/conf/') ||
          file.startsWith('node_modules/electron/') ||
          file.startsWith('node_modules/react') ||
          file.startsWith('dist/test') ||
          file.startsWith('dist/bench') ||
          file.endsWith('.map') ||
          file === 'dist/preload/preload.js',
      );
      expect(unwanted).toEqual([]);
    });

    it('unpacks the connector sandbox’s helpers next to app.asar, and the packed apply-seccomp works', () => {
      const resources = join(unpacked, 'resources');
      const fromBuilder = createRequire(
        createRequire(import.meta.url).resolve('app-builder-lib/package.json'),
      );
      const asar = fromBuilder('@electron/asar') as {
        statFile(archive: string, path: string): { unpacked?: boolean };
      };
      // electron-builder drops .exe files from node_modules outside Windows builds
      // (app-builder-lib, appFileCopier.js getNodeModuleExcludedExts): srt-win ships only there.
      const linuxFiles = SANDBOX_RUNTIME_VENDOR_FILES.filter((file) => !file.endsWith('.exe'));
      expect(linuxFiles).toHaveLength(3);
      for (const file of SANDBOX_RUNTIME_VENDOR_FILES.filter((name) => name.endsWith('.exe'))) {
        expect(existsSync(join(resources, 'app.asar.unpacked', SANDBOX_RUNTIME, file)), file).toBe(false);
      }
      for (const file of linuxFiles) {
        const inArchive = `${SANDBOX_RUNTIME}/${file}`;
        // Listed in the archive as unpacked (Electron's fs reads it from app.asar.unpacked) …
        expect(asar.statFile(join(resources, 'app.asar'), inArchive).unpacked, file).toBe(true);
        // … and there as a real file, byte for byte.
        expect(readFileSync(join(resources, 'app.asar.unpacked', inArchive))).toEqual(
          readFileSync(join(root, inArchive)),
        );
      }
      // The sandbox's own lookup names paths inside app.asar; the engine gives it these instead.
      const files = sandboxRuntimeFiles({
        packageDir: join(resources, 'app.asar', SANDBOX_RUNTIME),
        arch: 'x64',
      });
      const out = join(resources, 'app.asar.unpacked', SANDBOX_RUNTIME, 'vendor');
      expect(files).toEqual({
        applySeccomp: join(out, 'seccomp', 'x64', 'apply-seccomp'),
        javaAgentJar: join(out, 'java-proxy-agent', 'srt-proxy-agent.jar'),
      });
      // Executable as packed: it runs a command under its filter, which refuses a Unix socket.
      expect(statSync(files.applySeccomp!).mode & 0o111).toBe(0o111);
      if (process.arch === 'x64') {
        const socket = join(unpacked, 'sandbox-test.sock');
        const result = spawnSync(
          files.applySeccomp!,
          [
            process.execPath,
            '-e',
            `require('net').createServer().on('error', (e) => { console.log(e.code); process.exit(3); }).listen(${JSON.stringify(socket)}, () => process.exit(0))`,
          ],
          { encoding: 'utf8' },
        );
        expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 3, stdout: 'EPERM\n' });
      }
    });

    it('packs only the helpers the Linux sandbox uses; the macOS list leaves out Linux’s and Windows’ (a build with it)', () => {
      const inArchive = (archive: string) => {
        const fromBuilder = createRequire(
          createRequire(import.meta.url).resolve('app-builder-lib/package.json'),
        );
        const asar = fromBuilder('@electron/asar') as { listPackage(archive: string): string[] };
        return asar
          .listPackage(archive)
          .map((file) => file.slice(1))
          .filter((file) => file.startsWith(`${SANDBOX_RUNTIME}/vendor/`) && !file.endsWith('.ts'))
          .filter((file) => /\.[a-z]+$|apply-seccomp$/.test(file));
      };
      expect(inArchive(join(unpacked, 'resources', 'app.asar')).sort()).toEqual(
        [
          `${SANDBOX_RUNTIME}/vendor/java-proxy-agent/srt-proxy-agent.jar`,
          `${SANDBOX_RUNTIME}/vendor/seccomp/arm64/apply-seccomp`,
          `${SANDBOX_RUNTIME}/vendor/seccomp/x64/apply-seccomp`,
        ].sort(),
      );
      // The macOS list, applied by electron-builder's own copying (a Mac build cannot run here).
      const work = mkdtempSync(join(tmpdir(), 'gatehouse-dist-mac-files-'));
      try {
        const macLike = join(work, 'release');
        buildLinux(work, ['dir'], macLike, (built) => ({
          ...built,
          linux: { ...built.linux, files: built.mac.files },
        }));
        expect(inArchive(join(macLike, 'linux-unpacked', 'resources', 'app.asar'))).toEqual([
          `${SANDBOX_RUNTIME}/vendor/java-proxy-agent/srt-proxy-agent.jar`,
        ]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }, 300_000);

    it('ships the launchers in resources/bin, and the Linux one starts the app headless with `--cli --`', () => {
      const launcher = join(unpacked, 'resources', 'bin', 'gatehouse');
      expect(statSync(launcher).mode & 0o111).toBe(0o111);
      expect(existsSync(join(unpacked, 'resources', 'bin', 'gatehouse.cmd'))).toBe(true);
      const args = 'connectors add github --url https://api.githubcopilot.com/mcp/ --bearer-env T'.split(' ');
      const result = spawnSync(launcher, args, { encoding: 'utf8' });
      // Not run by an AppImage: no $APPIMAGE.
      expect(result.stdout.split('\n').slice(0, -1)).toEqual([
        ...cliLaunchArguments(args, 'linux'),
        'APPIMAGE=',
      ]);
    });
  },
);
