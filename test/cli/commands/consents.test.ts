// `gatehouse consents` against a real engine: approving (all connectors or chosen, read or write),
// denying, option mistakes, ids that look like options, and deny --all.
import { describe, expect, it } from 'vitest';
import {
  USAGE_HINT,
  engineForFile,
  gatehouse,
  raiseConsent,
  registerClient,
} from '../../support/cli-fixture.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse consents', () => {
  it('says when nothing waits, in words and as JSON', async () => {
    expect(await run('consents')).toEqual({
      code: 0,
      stdout: 'No consent requests are waiting.\n',
      stderr: '',
    });
    expect(await run('consents', 'list', '--json')).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('lists a waiting request and approves it with the access, connectors and expiry asked for', async () => {
    const { clientId } = await registerClient(cli, 'Consenting Client');
    raiseConsent(cli, 'consent-approve', clientId, 'Consenting Client', 'KQ7-PX2');
    const listed = await run('consents');
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +CLIENT +REDIRECT HOST +MATCH CODE +REQUESTED ACCESS +EXPIRES IN$/);
    expect(lines[1]).toMatch(
      /^consent-approve +Consenting Client +127\.0\.0\.1:7777 +KQ7-PX2 +read & write +\d+:\d\d$/,
    );
    expect(lines.at(-1)).toBe(
      'There are no connectors yet, so an approved client sees no tools until you add one (gatehouse connectors add, or gatehouse catalog add); it then gets each connector you add.',
    );

    expect(
      await run('consents', 'approve', 'consent-approve', '--access', 'write', '--expires-in', '7d'),
    ).toEqual({
      code: 0,
      // The access ceiling (read-only) caps the write grant: the answer says what the client gets.
      stdout:
        'Approved Consenting Client (match code KQ7-PX2): read-only to all connectors, expires in 7 days.\n' +
        'The access ceiling is read-only, so it gets read-only for now (you chose read & write).\n' +
        'Raise the ceiling with: gatehouse settings set accessCeiling write\n' +
        'There are no connectors yet, so an approved client sees no tools until you add one (gatehouse connectors add, or gatehouse catalog add); it then gets each connector you add.\n',
      stderr: '',
    });
    const [grant] = engineParts(cli.engine).grants.forClient(clientId);
    expect(grant).toMatchObject({ access: 'write', connectors: '*' });
    expect(grant!.expiresAt! - grant!.createdAt).toBe(7 * 24 * 3_600_000);

    // The access ceiling (read) caps the write grant; show says so and lists the grant.
    const shown = await run('clients', 'show', clientId);
    expect(shown.stdout).toMatch(/^Access now: +read-only$/m);
    expect(shown.stdout).toMatch(
      /^ {2}read-only \(granted read & write; the access ceiling is read-only\) to all connectors, granted just now, expires in 6 days \(\S+\)$/m,
    );

    expect((await run('clients', 'revoke', clientId)).stdout).toContain(
      ': 1 grant and 0 tokens revoked, 0 sessions closed.',
    );
    expect(engineParts(cli.engine).grants.forClient(clientId)).toEqual([]);
  });

  it('approves chosen connectors read-only by default, and only connectors that exist', async () => {
    const { clientId } = await registerClient(cli, 'Narrow Client');
    raiseConsent(cli, 'consent-narrow', clientId, 'Narrow Client', 'AB1-CD2');
    for (const name of ['github', 'files']) {
      await cli.engine.call('connectors.add', {
        name,
        settings: { kind: 'stdio', command: process.execPath },
        enabled: false,
      });
    }
    expect(await run('consents', 'approve', 'consent-narrow', '--connectors', 'github,nosuch')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: There is no connector named nosuch; the connectors are files, github. The request is still waiting.\n',
    });
    expect(engineParts(cli.engine).authorization.consents.get('consent-narrow')?.decision).toBeUndefined();
    const result = await run('consents', 'approve', 'consent-narrow', '--connectors', 'github, files');
    expect(result.stdout).toBe(
      'Approved Narrow Client (match code AB1-CD2): read-only to github, files, no expiry.\n',
    );
    expect(engineParts(cli.engine).grants.forClient(clientId)[0]).toMatchObject({
      access: 'read',
      connectors: ['github', 'files'],
      expiresAt: null,
    });
  });

  it('denies a waiting request', async () => {
    const { clientId } = await registerClient(cli, 'Denied Client');
    raiseConsent(cli, 'consent-deny', clientId, 'Denied Client', 'ZZ9-YY8');
    expect(await run('consents', 'deny', 'consent-deny')).toEqual({
      code: 0,
      stdout: 'Denied Denied Client (match code ZZ9-YY8).\n',
      stderr: '',
    });
    expect(engineParts(cli.engine).authorization.consents.get('consent-deny')?.decision).toEqual({
      outcome: 'denied',
    });
    expect(await run('consents', 'deny', 'consent-deny')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gatehouse: That consent request was already answered.\n',
    });
  });

  it('refuses bad approval options before asking the engine', async () => {
    expect(await run('consents', 'approve', 'whatever', '--access', 'admin')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: --access is read or write (got "admin").\n${USAGE_HINT}`,
    });
    expect((await run('consents', 'approve', 'whatever', '--expires-in', 'soon')).stderr).toBe(
      `gatehouse: --expires-in is a duration like 30m, 12h or 7d, or never (got "soon").\n${USAGE_HINT}`,
    );
    expect((await run('consents', 'approve', 'whatever', '--expires-in', '30s')).stderr).toBe(
      `gatehouse: --expires-in must be at least 1 minute (got "30s").\n${USAGE_HINT}`,
    );
  });

  it('takes an id that starts with - after --', async () => {
    const { clientId } = await registerClient(cli, 'Dashing Client');
    raiseConsent(cli, '-dash-consent', clientId, 'Dashing Client', 'DA5-H00');
    expect((await run('consents', 'approve', '-dash-consent')).stderr).toBe(
      `gatehouse: The consents approve command has no option -d.\n${USAGE_HINT}`,
    );
    expect(await gatehouse(['--data-dir', cli.dataDir, 'consents', 'deny', '--', '-dash-consent'])).toEqual({
      code: 0,
      stdout: 'Denied Dashing Client (match code DA5-H00).\n',
      stderr: '',
    });
  });

  it('reports an unknown consent request as a bad value (exit 2)', async () => {
    expect(await run('consents', 'approve', 'gone')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: No consent request with id gone is waiting (it may have expired).\n',
    });
  });
});

describe('gatehouse consents deny --all', () => {
  it('denies one client’s requests with --client, then every other one', async () => {
    for (const n of [1, 2, 3]) raiseConsent(cli, `flood-${n}`, 'gh_flood', 'Flood', 'AAA-BBB');
    raiseConsent(cli, 'other-1', 'gh_other', 'Other', 'CCC-DDD');
    expect(await run('consents', 'deny', '--all', '--client', 'gh_flood')).toEqual({
      code: 0,
      stdout: 'Denied 3 consent requests from gh_flood.\n',
      stderr: '',
    });
    expect(
      engineParts(cli.engine)
        .authorization.consents.pending()
        .map((consent) => consent.id),
    ).toEqual(['other-1']);
    expect(await run('consents', 'deny', '--all', '--json')).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ denied: ['other-1'] }, null, 2)}\n`,
      stderr: '',
    });
  });

  it('says what is wrong with the command line', async () => {
    expect(await run('consents', 'deny')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: Give the id of the consent request to deny, or --all.\n${USAGE_HINT}`,
    });
    expect((await run('consents', 'deny', 'some-id', '--all')).stderr).toBe(
      `gatehouse: Give a consent id or --all, not both.\n${USAGE_HINT}`,
    );
    expect((await run('consents', 'deny', 'some-id', '--client', 'gh_x')).stderr).toBe(
      `gatehouse: --client goes with --all.\n${USAGE_HINT}`,
    );
  });
});
