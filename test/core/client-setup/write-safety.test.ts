// Malformed client files and failed writes change nothing at all; backups are kept to the last few,
// and a symbolic link is written through to the real file.
import { lstatSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath } from '../../../main/core/client-setup/client-locations.js';
import { ConfigWriter, nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import {
  cursorConfig,
  failingFs,
  setupOn,
  siblings,
  targetFor,
  writeFile,
  fakeMachinesPerTest,
} from '../../support/client-homes.js';

const machine = fakeMachinesPerTest();

describe('malformed files', () => {
  it('are refused with the file and position named, and nothing is written or backed up', async () => {
    const fake = machine('darwin');
    const path = (await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs))!;
    const broken = '{\n  "mcpServers": {\n    "filesystem": { "command": "npx" }\n    "github": {}\n  }\n}\n';
    writeFile(path, broken);
    await expect(setupOn(fake).connect('claude-desktop', 'user', targetFor(fake))).rejects.toThrow(
      `${path} is not valid JSON: expected a comma at line 4, column 5. Fix the file (or move it away), then try again; Gatehouse changed nothing.`,
    );
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect(siblings(path)).toEqual([]);
    expect(readdirSync(fake.dataDir)).toEqual([]);
  });

  it('show up in detection as a problem instead of failing it', async () => {
    const fake = machine();
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
    writeFile(path, '{ "mcpServers": ');
    const status = await setupOn(fake).detect('cursor', targetFor(fake), []);
    expect(status.installed).toBe(true);
    expect(status.locations[0]).toMatchObject({ path, exists: true, gatehouse: 'none' });
    expect(status.locations[0]!.problem).toMatch(
      /^.*mcp\.json is not valid JSON: expected a value at line 1, column 17\./,
    );
  });
});

describe('atomic writes', () => {
  it('leave the original intact and no temporary file or backup when replacing the file fails', async () => {
    const fake = machine();
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
    writeFile(path, cursorConfig);
    const fs = failingFs('rename');
    await expect(setupOn(fake, { fs }).connect('cursor', 'user', targetFor(fake))).rejects.toThrow(
      `Could not write ${path}: EIO: simulated failure, rename `,
    );
    expect(readFileSync(path, 'utf8')).toBe(cursorConfig);
    expect(siblings(path)).toEqual([]);
    // Nothing was recorded either: a later connect does the whole job.
    fs.armed = false;
    const retried = await setupOn(fake, { fs }).connect('cursor', 'user', targetFor(fake));
    expect(retried.changed).toBe(true);
  });

  it('report a read-only directory as a permission problem, with the file unchanged', async () => {
    const fake = machine();
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
    writeFile(path, cursorConfig);
    const fs = failingFs('writeNew', 'EACCES');
    const error = await setupOn(fake, { fs })
      .connect('cursor', 'user', targetFor(fake))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'forbidden',
      message: `Could not write ${path}: permission denied. The file is unchanged.`,
    });
    expect(readFileSync(path, 'utf8')).toBe(cursorConfig);
    expect(siblings(path)).toEqual([]);
  });

  it('keep only the last five backups', async () => {
    const fake = machine();
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
    writeFile(path, cursorConfig);
    let now = Date.parse('2026-01-15T12:00:00Z');
    const writer = new ConfigWriter(nodeConfigFs, () => (now += 1000));
    for (let round = 0; round < 7; round++) {
      await writer.write(path, `{"round": ${round}}`, Buffer.from(readFileSync(path)));
    }
    const backups = siblings(path).filter((name) => name.includes('.gatehouse-backup-'));
    expect(backups).toHaveLength(5);
    // The newest backup is the file as it was before the last write.
    expect(readFileSync(join(path, '..', backups.at(-1)!), 'utf8')).toBe('{"round": 5}');
  });

  it('an undo that restores the file leaves no backup behind', async () => {
    const fake = machine();
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
    writeFile(path, cursorConfig);
    for (let round = 0; round < 3; round++) {
      await setup.connect('cursor', 'user', target);
      const undone = await setup.disconnect('cursor', 'user', target);
      expect(undone.backupPath).toBeNull();
    }
    expect(siblings(path).filter((name) => name.includes('.gatehouse-backup-'))).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(cursorConfig);
  });

  it('write through a symbolic link to the real file, keeping the link', async () => {
    const fake = machine();
    const real = join(fake.root, 'dotfiles', 'cursor-mcp.json');
    writeFile(real, cursorConfig);
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
    writeFile(path, '');
    await nodeConfigFs.unlink(path);
    symlinkSync(real, path);
    await setupOn(fake).connect('cursor', 'user', targetFor(fake));
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('"gatehouse"');
  });
});
