// Whether the bridge runs inside another app's MSIX package: a file it creates in %APPDATA% is looked
// for in each package's private AppData. Windows' redirection is played by a file system that puts
// new %APPDATA% files where MSIX does; without it (real folders here), no package is found and the
// probe is gone afterwards.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageContainer, type ContainerFs } from '../../main/bridge/package-container.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A fake Windows profile: %APPDATA% and %LOCALAPPDATA%\Packages with a few package folders. */
function profile(): { env: NodeJS.ProcessEnv; appData: string; packages: string } {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-msix-'));
  roots.push(root);
  const appData = join(root, 'AppData', 'Roaming');
  const packages = join(root, 'AppData', 'Local', 'Packages');
  for (const family of ['Microsoft.WindowsTerminal_8wekyb3d8bbwe', 'Claude_pzs8sxrjxfjjc']) {
    mkdirSync(join(packages, family, 'LocalCache', 'Roaming'), { recursive: true });
  }
  mkdirSync(appData, { recursive: true });
  return { env: { APPDATA: appData, LOCALAPPDATA: dirname(packages) }, appData, packages };
}

/** The real file system, except that files created in %APPDATA% land in `family`'s private AppData, as MSIX does. */
function redirectedInto(
  appData: string,
  packages: string,
  family: string,
): ContainerFs & { created: string[] } {
  const redirect = (path: string) =>
    path.startsWith(appData)
      ? join(packages, family, 'LocalCache', 'Roaming', relative(appData, path))
      : path;
  const created: string[] = [];
  return {
    created,
    create: async (path) => {
      created.push(redirect(path));
      mkdirSync(dirname(redirect(path)), { recursive: true });
      writeFileSync(redirect(path), '', { flag: 'wx' });
    },
    exists: async (path) => existsSync(redirect(path)),
    list: async (dir) => readdirSync(redirect(dir)),
    remove: async (path) => rmSync(redirect(path), { force: true }),
  };
}

describe('packageContainer', () => {
  it('names the package whose private AppData got the new file, and removes the probe', async () => {
    const { env, appData, packages } = profile();
    const fs = redirectedInto(appData, packages, 'Claude_pzs8sxrjxfjjc');
    expect(await packageContainer('win32', env, fs)).toBe('Claude_pzs8sxrjxfjjc');
    expect(fs.created).toHaveLength(1);
    expect(fs.created[0]!.startsWith(join(packages, 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming'))).toBe(
      true,
    );
    expect(existsSync(fs.created[0]!)).toBe(false);
  });

  it('finds none when the file stays where it was written, and leaves nothing behind', async () => {
    const { env, appData, packages } = profile();
    expect(await packageContainer('win32', env)).toBeNull();
    expect(readdirSync(appData)).toEqual([]);
    expect(readdirSync(join(packages, 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming'))).toEqual([]);
  });

  it('checks nothing on macOS or Linux, nor without the Windows folders', async () => {
    const untouched: ContainerFs = {
      create: async () => {
        throw new Error('must not write');
      },
      exists: async () => true,
      list: async () => ['Claude_pzs8sxrjxfjjc'],
      remove: async () => undefined,
    };
    const { env } = profile();
    expect(await packageContainer('darwin', env, untouched)).toBeNull();
    expect(await packageContainer('linux', env, untouched)).toBeNull();
    expect(await packageContainer('win32', { APPDATA: env.APPDATA }, untouched)).toBeNull();
  });

  it('finds none when %APPDATA% cannot be written', async () => {
    const { env } = profile();
    const readOnly: ContainerFs = {
      create: async () => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      },
      exists: async () => true,
      list: async () => ['Claude_pzs8sxrjxfjjc'],
      remove: async () => undefined,
    };
    expect(await packageContainer('win32', env, readOnly)).toBeNull();
  });
});
