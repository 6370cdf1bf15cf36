// `gatehouse clients` against a real engine: manual registration with its one-time secret, the table,
// one client, a grant changed, revoke (refusing for a while, and ending that) and forget, and an
// unknown client.
import { describe, expect, it } from 'vitest';
import { USAGE_HINT, engineForFile, registerClient } from '../../support/cli-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { sentenceTime } from '../../../main/core/text.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse clients', () => {
  it('registers a confidential client and shows its secret exactly once', async () => {
    const { clientId, secret, stdout } = await registerClient(cli, 'Secret Keeper');
    expect(stdout).toBe(
      `Registered Secret Keeper as confidential client ${clientId} (client_secret_basic).\n` +
        `Client secret: ${secret}\n` +
        'This secret is shown only once: copy it into the client now. Gatehouse will not show it again.\n',
    );
    expect(secret.length).toBeGreaterThanOrEqual(32);
    for (const later of [
      ['clients'],
      ['clients', 'list', '--json'],
      ['clients', 'show', clientId, '--json'],
      ['activity', '--json'],
    ]) {
      expect((await run(...later)).stdout, later.join(' ')).not.toContain(secret);
    }
  });

  it('registers a public client without a secret', async () => {
    const result = await run(
      'clients',
      'register',
      '--name',
      'Browser App',
      '--redirect-uri',
      'http://localhost/cb',
      '--public',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Registered Browser App as public client gh_\S+ \(no secret; it must use PKCE\)\.\n$/,
    );
  });

  it('explains a registration the engine refuses, and missing options', async () => {
    expect(await run('clients', 'register', '--name', 'Bad', '--redirect-uri', 'not a url')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: Each redirect URI must be an absolute URL.\n',
    });
    expect((await run('clients', 'register', '--name', 'No Redirect')).stderr).toBe(
      `gatehouse: --redirect-uri URI is required (repeat it for each redirect URI the client uses).\n${USAGE_HINT}`,
    );
  });

  it('lists clients in an aligned table, and as raw JSON', async () => {
    const { clientId } = await registerClient(cli, 'Table Client');
    const { code, stdout } = await run('clients', 'list');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +KIND +REDIRECT HOST +ACCESS +LAST USED +TOKENS +SESSIONS$/);
    const row = lines.find((line) => line.startsWith(clientId));
    expect(row).toMatch(
      new RegExp(`^${clientId} +Table Client +Manual +127\\.0\\.0\\.1:7777 +none +never +0 +0$`),
    );
    // Aligned: every row's NAME column starts where the header's does.
    const nameColumn = lines[0]!.indexOf('NAME');
    for (const line of lines.slice(1)) expect(line.charAt(nameColumn - 1)).toBe(' ');

    const json = JSON.parse((await run('clients', '--json')).stdout) as Array<{ clientId: string }>;
    expect(json).toEqual(await cli.engine.call('clients.list'));
  });

  it('shows one client', async () => {
    const { clientId } = await registerClient(cli, 'Shown Client');
    const { code, stdout } = await run('clients', 'show', clientId);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Client: +Shown Client \\(${clientId}\\)$`, 'm'));
    expect(stdout).toMatch(/^Registered: +Manual, just now$/m);
    expect(stdout).toMatch(/^Access now: +none$/m);
    expect(stdout).toMatch(/^Grants: +none$/m);
  });

  it('shows a read & write grant under a read-only ceiling at the level it works at now', async () => {
    const authorized = await authorizeClient(cli.engine, { access: 'write', name: 'Capped Client' });
    const clientId = authorized.provider.info!.client_id;
    try {
      await run('settings', 'set', 'accessCeiling', 'read');
      const capped = await run('clients', 'show', clientId);
      expect(capped.stdout).toMatch(/^Access now: +read-only$/m);
      expect(capped.stdout).toMatch(
        /^ {2}read-only \(granted read & write; the access ceiling is read-only\) to all connectors, granted just now, /m,
      );
      await run('settings', 'set', 'accessCeiling', 'off');
      expect((await run('clients', 'show', clientId)).stdout).toMatch(
        /^ {2}none \(granted read & write; access is off\) to all connectors/m,
      );
      await run('settings', 'set', 'accessCeiling', 'write');
      expect((await run('clients', 'show', clientId)).stdout).toMatch(
        /^ {2}read & write to all connectors, /m,
      );
    } finally {
      await authorized.client.close();
      await run('settings', 'set', 'accessCeiling', 'write');
    }
  });

  it('revokes and refuses a client for a while (--refuse-for), refusing a bad period', async () => {
    const { clientId } = await registerClient(cli, 'Pushy Client');
    expect(await run('clients', 'revoke', clientId, '--refuse-for', 'soon')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'gatehouse: --refuse-for takes a time from 1s to 7d, like 30m, 1h or 1d (got "soon").',
      ),
    });
    const revoked = await run('clients', 'revoke', clientId, '--refuse-for', '1d');
    expect(revoked).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(
          `^Revoked Pushy Client \\(${clientId}\\): 0 grants and 0 tokens revoked, 0 sessions closed\\.\n` +
            // A day away is another day: the time carries its date.
            'Its requests are refused for 1 day, until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d, without asking you; after that it must ask for your consent again ' +
            `\\(gatehouse clients stop-refusing ${clientId} ends it sooner\\)\\.\n$`,
        ),
      ),
      stderr: '',
    });
    const until = engineParts(cli.engine).revokedClients.refusedUntil(clientId)!;
    expect(until).toBeGreaterThan(Date.now() + 86_300_000);
    expect(revoked.stdout).toContain(`until ${sentenceTime(until, Date.now())},`);
    // The client's page says so until it ends, and the list marks it.
    const shown = await run('clients', 'show', clientId);
    expect(shown.stdout).toContain(
      `You revoked it at ${sentenceTime(until - 86_400_000, Date.now())} and refuse its requests until ${sentenceTime(until, Date.now())}, without asking you.\n` +
        `To let it ask again now: gatehouse clients stop-refusing ${clientId}\n`,
    );
    expect((await run('clients', 'list')).stdout).toMatch(
      new RegExp(`^${clientId} .* none, refused until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +`, 'm'),
    );
    expect(await run('clients', 'stop-refusing', clientId)).toEqual({
      code: 0,
      stdout:
        "Gatehouse no longer refuses Pushy Client's requests; its next request asks for your consent.\n",
      stderr: '',
    });
    expect((await run('clients', 'stop-refusing', clientId)).stderr).toBe(
      "gatehouse: Gatehouse is not refusing Pushy Client's requests; its next request asks for your consent.\n",
    );
    expect((await run('clients', 'show', clientId)).stdout).not.toContain('You revoked it');
  });

  it("changes a client's grant (clients grant) from its next call", async () => {
    await run('settings', 'set', 'accessCeiling', 'write');
    const authorized = await authorizeClient(cli.engine, { access: 'write', name: 'Granted Client' });
    const clientId = authorized.provider.info!.client_id;
    try {
      expect(await run('clients', 'grant', clientId)).toEqual({
        code: 2,
        stdout: '',
        stderr: `gatehouse: Say what to change: --connectors, --access or --expires-in (or several).\n${USAGE_HINT}`,
      });
      const narrowed = await run('clients', 'grant', clientId, '--access', 'read', '--expires-in', '2h');
      expect(narrowed.code).toBe(0);
      const [grant] = (await cli.engine.call('clients.get', { clientId })).grants;
      expect(grant).toMatchObject({ access: 'read', connectors: '*' });
      expect(narrowed.stdout).toBe(
        `Changed Granted Client's grant: read & write → read-only; no expiry → until ${sentenceTime(grant!.expiresAt!, Date.now())}.\n` +
          // The CLI counts from when it started, a moment before the engine did.
          `Now: read-only to all connectors, granted just now, expires in ${narrowed.stdout.includes('1 h 59 min') ? '1 h 59 min' : '2 h 0 min'} (${grant!.grantId}); from its next call.\n`,
      );
      expect((await run('clients', 'show', clientId)).stdout).toContain(
        `Change a grant: gatehouse clients grant ${clientId} --connectors a,b --access read\n`,
      );
      expect(
        (await run('clients', 'grant', clientId, '--access', 'write', '--expires-in', 'never')).stdout,
      ).toBe(
        `Changed Granted Client's grant: read-only → read & write; until ${sentenceTime(grant!.expiresAt!, Date.now())} → no expiry.\n` +
          `Now: read & write to all connectors, granted just now, no expiry (${grant!.grantId}); from its next call.\n`,
      );
      expect(await run('clients', 'grant', clientId, '--connectors', 'files')).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'gatehouse: There is no connector named files; there are no connectors yet. The grant was not changed.\n',
      });
      expect((await run('clients', 'grant', clientId, '--access', 'all')).stderr).toBe(
        `gatehouse: --access is read or write (got "all").\n${USAGE_HINT}`,
      );
    } finally {
      await authorized.client.close();
    }
  });

  it('revokes and then forgets a client', async () => {
    const { clientId } = await registerClient(cli, 'Doomed Client');
    expect(await run('clients', 'revoke', clientId)).toEqual({
      code: 0,
      stdout:
        `Revoked Doomed Client (${clientId}): 0 grants and 0 tokens revoked, 0 sessions closed.\n` +
        'Its next request is refused; it must ask for your consent again.\n',
      stderr: '',
    });
    expect(await run('clients', 'forget', clientId)).toEqual({
      code: 0,
      stdout: `Forgot Doomed Client (${clientId}): 0 grants and 0 tokens revoked, 0 sessions closed, registration deleted.\n`,
      stderr: '',
    });
    expect((await run('clients')).stdout).not.toContain(clientId);
    expect((await run('clients', 'show', clientId)).code).toBe(2);
  });

  it('reports an unknown client with the engine’s sentence and exit code 2, naming the one meant', async () => {
    expect(await run('clients', 'revoke', 'nope')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: No client with id nope is known to Gatehouse (see gatehouse clients list).\n',
    });
    // A client's name typed for its id.
    const { clientId } = await registerClient(cli, 'Named Client');
    expect((await run('clients', 'show', 'named client')).stderr).toBe(
      `gatehouse: No client with id named client is known to Gatehouse (see gatehouse clients list). Did you mean Named Client (${clientId})?\n`,
    );
  });
});
