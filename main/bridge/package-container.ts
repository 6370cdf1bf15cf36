// Windows: whether this process runs inside another app's MSIX package container — as a bridge that
// Claude Desktop (now an MSIX package) started does. Inside one, Windows redirects the files a process
// creates in %APPDATA% into that package's private folder, so a Gatehouse started from here would keep
// its new data there (and miss the user's own environment). Told by doing exactly that: a new file in
// %APPDATA%, looked for in each package's private AppData, then removed.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';

/** The file operations the check needs; the real file system by default, a fake in tests. */
export interface ContainerFs {
  /** Creates a new file (failing if it exists). */
  create(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** A folder's entries, or [] when it cannot be read. */
  list(dir: string): Promise<string[]>;
  remove(path: string): Promise<void>;
}

const nodeContainerFs: ContainerFs = {
  create: async (path) => {
    const handle = await fsp.open(path, 'wx');
    await handle.close();
  },
  exists: (path) =>
    fsp.access(path).then(
      () => true,
      () => false,
    ),
  list: (dir) => fsp.readdir(dir).catch(() => []),
  remove: (path) => fsp.rm(path, { force: true }),
};

/**
 * The family name of the package whose private AppData (`%LOCALAPPDATA%\Packages\<family>\LocalCache\
 * Roaming`) received a file this process just created in `%APPDATA%`; null outside a package, on
 * other systems, or when the check cannot be made.
 */
export async function packageContainer(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  fs: ContainerFs = nodeContainerFs,
): Promise<string | null> {
  if (platform !== 'win32' || !env.APPDATA || !env.LOCALAPPDATA) return null;
  const probe = `.gatehouse-package-probe-${process.pid}-${randomBytes(6).toString('hex')}`;
  const written = join(env.APPDATA, probe);
  try {
    await fs.create(written);
  } catch {
    return null;
  }
  try {
    const packages = join(env.LOCALAPPDATA, 'Packages');
    for (const family of await fs.list(packages)) {
      const redirected = join(packages, family, 'LocalCache', 'Roaming', probe);
      if (await fs.exists(redirected)) {
        await fs.remove(redirected).catch(() => undefined);
        return family;
      }
    }
    return null;
  } finally {
    await fs.remove(written).catch(() => undefined);
  }
}
