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
} from '../../main/core/connectors/sandbox-runtime-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The parts of the configuration these tests read. */
interface BuilderConfig {
  directories: Record<string, string>;
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  electronFuses: Record<string, boolean>;
  extraResources: unknown[];
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  mac: { icon: string; [key: string]: unknown };
  win: { target: unknown[]; icon: string };
  nsis: { include: string; [key: string]: unknown };
  linux: { maintainer: string; [key: string]: unknown };
  deb: { afterInstall: string; afterRemove: string };
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  homepage?: string;
  author?: { name: string; email: string };
  scripts: Record<string, string>;
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

/** Whether a path is matched by the `files` globs (positive ones, then `!` exclusions). */
function packaged(path: string): boolean {
  const globs = config.files;
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
    'dist/main/cli/commands.js',
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
// that prints its arguments and carries Electron 45's fuse wire (build/fuses/fuses.json5: sentinel,
// version 1, nine fuses "101100001"), so @electron/fuses really flips it. The AppImage and deb
// targets need tools electron-builder downloads (appimagetool, fpm), so `dir` is as far as it goes.
const builtApp = ['dist/main/desktop/main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

describe.skipIf(process.platform !== 'linux' || !builtApp.every((file) => existsSync(join(root, file))))(
  'electron-builder packs the Linux app (npm run build first; a stand-in Electron binary)',
  () => {
    let unpacked = '';
    let output = '';
    beforeAll(() => {
      const work = mkdtempSync(join(tmpdir(), 'gatehouse-dist-'));
      const electronDist = join(work, 'electron');
      mkdirSync(join(electronDist, 'resources'), { recursive: true });
      writeFileSync(
        join(electronDist, 'electron'),
        `#!/bin/sh\n# ${FUSE_SENTINEL}\u0001\u0009101100001\nfor arg in "$@"; do printf '%s\\n' "$arg"; done\n`,
      );
      chmodSync(join(electronDist, 'electron'), 0o755);
      writeFileSync(join(electronDist, 'chrome-sandbox'), '');
      writeFileSync(join(electronDist, 'LICENSE'), '');
      output = join(work, 'release');
      const configFile = join(work, 'electron-builder.json');
      writeFileSync(
        configFile,
        JSON.stringify({ ...config, electronDist, directories: { ...config.directories, output } }),
      );
      const builder = createRequire(import.meta.url).resolve('electron-builder/cli.js');
      const result = spawnSync(
        process.execPath,
        [builder, '--linux', 'dir', '--publish', 'never', '--config', configFile],
        { cwd: root, encoding: 'utf8', timeout: 180_000 },
      );
      if (result.status !== 0)
        throw new Error(`electron-builder failed:\n${result.stdout}\n${result.stderr}`);
      unpacked = join(output, 'linux-unpacked');
      return () => rmSync(work, { recursive: true, force: true });
    }, 200_000);

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
        'dist/main/cli/commands.js',
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

    it('ships the launchers in resources/bin, and the Linux one starts the app headless with `--cli --`', () => {
      const launcher = join(unpacked, 'resources', 'bin', 'gatehouse');
      expect(statSync(launcher).mode & 0o111).toBe(0o111);
      expect(existsSync(join(unpacked, 'resources', 'bin', 'gatehouse.cmd'))).toBe(true);
      const args = 'connectors add github --url https://api.githubcopilot.com/mcp/ --bearer-env T'.split(' ');
      const result = spawnSync(launcher, args, { encoding: 'utf8' });
      expect(result.stdout.split('\n').slice(0, -1)).toEqual(cliLaunchArguments(args, 'linux'));
    });
  },
);
