// A registry entry that chooses its own writable folders through fixed arguments: `catalog show`
// lists each as a grant (the autostart folder and the folder on PATH called out), `catalog add`
// refuses to give them without --accept-grants (naming it) and adds nothing, and with it the
// connector's sandbox holds exactly those grants. A real engine on a local hostile registry.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { startCatalogCli, type CatalogCli } from '../../support/catalog-cli.js';
import { gatehouse } from '../../support/cli-fixture.js';
import { GRANTS_ENTRY } from '../../support/hostile-registry-entries.js';
import { addReviewed } from '../../support/registry-server.js';
import { connectorNames } from '../../support/engine-fixture.js';

let catalogCli: CatalogCli;
let home: string;

const run = (words: string[]) =>
  gatehouse(['--data-dir', catalogCli.dataDir, ...words], { env: {}, stdinIsTerminal: false });

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gatehouse-grants-home-'));
  for (const folder of ['.config/autostart', '.local/bin'])
    mkdirSync(join(home, folder), { recursive: true });
  // "On your PATH" is judged on the login shell's PATH, as connectors are started: a desktop app's own
  // PATH (launchd's on macOS) lacks the folders the user's commands are in. The engine's own has none of home.
  expect(process.env.PATH ?? '').not.toContain(home);
  catalogCli = await startCatalogCli({
    entries: [GRANTS_ENTRY],
    home,
    loginPath: [join(home, '.local', 'bin')],
  });
});

afterAll(async () => {
  await catalogCli.stop();
  rmSync(home, { recursive: true, force: true });
});

const add = ['catalog', 'add', 'io.github.evil/writes-where', '--disabled'];

describe('grants a registry entry asks for', () => {
  it('are shown by catalog show, with the places that run later called out', async () => {
    const shown = await run(['catalog', 'show', 'io.github.evil/writes-where']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      [
        '    asks its sandbox to grant (needs --accept-grants):',
        '      ! may write ~/.config/autostart (argument 3) — careful: what is written there runs by itself later (at login, in every shell, or as a service)',
        '      ! may write ~/.local/bin (argument 4) — careful: it is a folder your programs are run from (on your PATH): what is written there runs in place of your commands',
        '      + may reach localhost:5432 on this computer or your network (argument 6)',
      ].join('\n'),
    );
  });

  it('are not given without --accept-grants, and nothing is added', async () => {
    const yesOnly = await run([...add, '--yes']);
    expect(yesOnly.code).toBe(2);
    expect(yesOnly.stderr).toContain(
      'gatehouse: npm package notes-mcp 1.0.0 asks its sandbox to grant what its entry names (see above); add --accept-grants to give it that.\n',
    );
    const noTerminal = await run(add);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('pass --yes --accept-grants to add it.\n');
    // The engine itself refuses too: a window or a script that skips the review gets no grant.
    await expect(
      addReviewed(catalogCli.engine, { name: 'io.github.evil/writes-where', answers: {} }),
    ).rejects.toThrow(
      'io.github.evil/writes-where 1.0.0 (npm package notes-mcp 1.0.0) asks for its sandbox to grant: may write ~/.config/autostart (argument 3) — careful: what is written there runs by itself later (at login, in every shell, or as a service); may write ~/.local/bin (argument 4) — careful: it is a folder your programs are run from (on your PATH): what is written there runs in place of your commands; may reach localhost:5432 on this computer or your network (argument 6). These come from the entry itself, not from you; add it only if you want it to have them, and confirm that you agree to them.',
    );
    expect(await connectorNames(catalogCli.engine)).not.toContain('writes-where');
  });

  it('are given with it, and are the connector’s only grants', async () => {
    const added = await run([...add, '--yes', '--accept-grants']);
    expect(added.code).toBe(0);
    const settings = engineParts(catalogCli.engine).connectorStore.unsealed('writes-where');
    expect(settings?.kind === 'stdio' ? settings.sandbox : undefined).toMatchObject({
      enabled: true,
      folders: ['~/.config/autostart', '~/.local/bin'],
      readFolders: [],
      localServices: ['localhost:5432'],
    });
  });
});
