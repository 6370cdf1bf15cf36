// Where the connector sandbox's helper files are: found from the installed package, moved out of an
// app.asar path to app.asar.unpacked, and left out for an architecture the package ships none for.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  outsideAsar,
  sandboxRuntimeFiles,
} from '../../../../main/core/connectors/sandbox/sandbox-runtime-files.js';

describe('sandboxRuntimeFiles', () => {
  it('finds the installed package’s helpers for x64 and arm64, as files that exist', () => {
    for (const arch of ['x64', 'arm64']) {
      const files = sandboxRuntimeFiles({ arch });
      expect(Object.keys(files).sort()).toEqual(['applySeccomp', 'javaAgentJar', 'srtWin']);
      for (const path of Object.values(files)) expect(existsSync(path), path).toBe(true);
      expect(files.applySeccomp).toMatch(
        new RegExp(`vendor[/\\\\]seccomp[/\\\\]${arch}[/\\\\]apply-seccomp$`),
      );
    }
  });

  it('gives no binary for an architecture without one, and nothing that does not exist', () => {
    expect(Object.keys(sandboxRuntimeFiles({ arch: 'ia32' }))).toEqual(['javaAgentJar']);
    expect(sandboxRuntimeFiles({ exists: () => false })).toEqual({});
  });

  it('names the unpacked copy of a file inside app.asar, and leaves other paths alone', () => {
    const resources = join('/opt', 'Gatehouse', 'resources');
    expect(outsideAsar(join(resources, 'app.asar', 'node_modules', 'x', 'bin'))).toBe(
      join(resources, 'app.asar.unpacked', 'node_modules', 'x', 'bin'),
    );
    expect(outsideAsar(join(resources, 'app.asar.unpacked', 'x'))).toBe(
      join(resources, 'app.asar.unpacked', 'x'),
    );
    expect(outsideAsar(join('/home', 'me', 'app.asar-notes', 'x'))).toBe(
      join('/home', 'me', 'app.asar-notes', 'x'),
    );
  });
});
