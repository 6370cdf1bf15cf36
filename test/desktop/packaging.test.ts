// The installer configuration, read as electron-builder reads it: valid against electron-builder's
// own schema, the security fuses and the macOS re-sign after them, what goes into app.asar
// (everything the app loads at run time, nothing it does not), the CLI launchers, the menu-bar
// app's Info.plist key, the package metadata the deb target demands, and the icon files (PNG and
// ICO) it needs. Installers cannot be built on this machine (no Electron download), so these values
// are what can be checked here.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The parts of the configuration these tests read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  files: string[];
  electronFuses: Record<string, boolean>;
  extraResources: unknown[];
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  mac: { icon: string; [key: string]: unknown };
  win: { target: unknown[]; icon: string };
  linux: { maintainer: string; [key: string]: unknown };
  deb: { afterInstall: string; afterRemove: string };
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
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

/** Whether a path is matched by the `files` globs (positive ones, then `!` exclusions). */
function packaged(path: string): boolean {
  const toRegExp = (glob: string) =>
    new RegExp(
      `^${glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('**/', '\u0001')
        .replaceAll('**', '\u0002')
        .replaceAll('*', '[^/]*')
        .replaceAll('\u0001', '(?:.*/)?')
        .replaceAll('\u0002', '.*')}$`,
    );
  const globs = config.files;
  const included = globs.filter((glob) => !glob.startsWith('!')).some((glob) => toRegExp(glob).test(path));
  const excluded = globs
    .filter((glob) => glob.startsWith('!'))
    .some((glob) => toRegExp(glob.slice(1)).test(path));
  return included && !excluded;
}

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config).toMatchObject({ appId: 'dev.gatehouse.app', productName: 'Gatehouse', asar: true });
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
    'dist/main/core/engine.js',
    'dist/main/cli/commands.js',
    'dist/preload/preload.cjs',
    'dist/preload/bridge.js',
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
