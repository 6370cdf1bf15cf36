// The `gatehouse` commands against a real engine on a loopback port: what each prints, what it
// changes in the engine, and the exact sentence and exit code for each kind of mistake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.js';
import { READ_SCOPE, WRITE_SCOPE } from '../../main/core/auth/resources.js';
import { gatehouse, startEngine, tempDirs } from '../support/cli-fixture.js';

const dirs = tempDirs();
let engine: Engine;
let dataDir: string;

/** `gatehouse <words> --data-dir <the test engine's directory>`. */
const run = (...words: string[]) => gatehouse([...words, '--data-dir', dataDir]);

const usageHint = 'Run `gatehouse help` for usage.\n';

beforeAll(async () => {
  dataDir = dirs.make();
  engine = await startEngine(dataDir);
});

afterAll(async () => {
  await engine.stop();
  dirs.removeAll();
});

/** Registers a confidential client through the CLI and returns its id and the secret it printed. */
async function registerClient(name: string): Promise<{ clientId: string; secret: string; stdout: string }> {
  const result = await run(
    'clients',
    'register',
    '--name',
    name,
    '--redirect-uri',
    'http://127.0.0.1:7777/callback',
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const clientId = /confidential client (gh_\S+) /.exec(result.stdout)?.[1];
  const secret = /^Client secret: (\S+)$/m.exec(result.stdout)?.[1];
  expect(clientId, result.stdout).toBeDefined();
  expect(secret, result.stdout).toBeDefined();
  return { clientId: clientId!, secret: secret!, stdout: result.stdout };
}

/** A consent request as the authorization server raises it when a client's browser asks. */
function raiseConsent(id: string, clientId: string, clientName: string, matchCode: string): void {
  engine.authorization.consents.raise(id, {
    clientId,
    clientName,
    kind: 'manual',
    redirectHost: '127.0.0.1:7777',
    matchCode,
    requestedScopes: [READ_SCOPE, WRITE_SCOPE],
    resource: engine.mcpUrl,
  });
}

describe('gatehouse status', () => {
  it('names the version, the MCP endpoint and the issuer', async () => {
    const { code, stdout, stderr } = await run('status');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^Gatehouse 0\\.0\\.0-test is running \\(pid ${process.pid}, started just now\\)\\.$`, 'm'),
    );
    expect(stdout).toMatch(new RegExp(`^MCP endpoint: +${engine.mcpUrl}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^Authorization server: +${engine.issuer}$`, 'm'));
    expect(stdout).toMatch(/^Access: +read-only at most \(the access ceiling\)$/m);
    expect(stdout).toMatch(/^Waiting for you: +nothing$/m);
  });

  it('prints the engine status as JSON with --json', async () => {
    const { code, stdout } = await run('status', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      version: '0.0.0-test',
      pid: process.pid,
      mcpUrl: engine.mcpUrl,
      issuer: engine.issuer,
      dataDir,
      paused: false,
    });
  });
});

describe('gatehouse settings', () => {
  it('lists every setting with its value', async () => {
    const { code, stdout } = await run('settings');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^SETTING +VALUE$/);
    expect(stdout).toMatch(/^port +42830$/m);
    expect(stdout).toMatch(/^accessCeiling +read$/m);
    expect(stdout).toMatch(/^paused +false$/m);
  });

  it('prints one value, plain or as JSON, under its name or its kebab-case spelling', async () => {
    expect(await run('settings', 'get', 'port')).toEqual({ code: 0, stdout: '42830\n', stderr: '' });
    expect(await run('settings', 'get', 'access-ceiling', '--json')).toEqual({
      code: 0,
      stdout: '"read"\n',
      stderr: '',
    });
  });

  it('sets numbers, booleans and enum values, coerced from the text typed', async () => {
    try {
      expect(await run('settings', 'set', 'accessCeiling', 'write')).toEqual({
        code: 0,
        stdout: 'accessCeiling is now write.\n',
        stderr: '',
      });
      expect(engine.settings.get().accessCeiling).toBe('write');
      expect((await run('settings', 'set', 'start-at-login', 'yes')).stdout).toBe(
        'startAtLogin is now true.\n',
      );
      expect(engine.settings.get().startAtLogin).toBe(true);
      expect((await run('settings', 'set', 'accessTokenTtlSeconds', '600')).stdout).toBe(
        'accessTokenTtlSeconds is now 600.\n',
      );
      expect(engine.settings.get().accessTokenTtlSeconds).toBe(600);
      const port = await run('settings', 'set', 'port', '43000');
      expect(port.stdout).toBe(
        'port is now 43000.\nThe new port takes effect when Gatehouse restarts; then point your clients at http://127.0.0.1:43000/mcp.\n',
      );
    } finally {
      engine.settings.update({
        accessCeiling: 'read',
        startAtLogin: false,
        accessTokenTtlSeconds: 3600,
        port: 42830,
      });
    }
  });

  it('refuses a value outside the setting’s bounds with the rule, and changes nothing', async () => {
    expect(await run('settings', 'set', 'port', '80')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: Cannot set port to 80: port must be 1024–65535.\n${usageHint}`,
    });
    expect(await run('settings', 'set', 'accessTokenTtlSeconds', '86400')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: Cannot set accessTokenTtlSeconds to 86400: access tokens live at most 1 hour.\n${usageHint}`,
    });
    expect(engine.settings.get().port).toBe(42830);
  });

  it('refuses values of the wrong type, naming what the setting takes', async () => {
    expect((await run('settings', 'set', 'port', 'high')).stderr).toBe(
      `gatehouse: port takes a whole number (got "high").\n${usageHint}`,
    );
    expect((await run('settings', 'set', 'accessCeiling', 'full')).stderr).toBe(
      `gatehouse: accessCeiling takes one of off, read, write (got "full").\n${usageHint}`,
    );
    expect((await run('settings', 'set', 'startAtLogin', 'maybe')).stderr).toBe(
      `gatehouse: startAtLogin takes true or false (got "maybe").\n${usageHint}`,
    );
    expect(engine.settings.get().accessCeiling).toBe('read');
  });

  it('refuses an unknown key, naming the valid ones', async () => {
    expect(await run('settings', 'set', 'colour', 'blue')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: There is no setting "colour". Settings are: port, accessCeiling, registrationPolicy, ' +
        `accessTokenTtlSeconds, refreshTokenTtlDays, auditRetentionDays, startAtLogin, rateLimitPerMinute, rateLimitPerDay, registryUrl, paused.\n${usageHint}`,
    });
    expect((await run('settings', 'get', 'colour')).code).toBe(2);
  });

  it('sends pausing to its own commands', async () => {
    expect((await run('settings', 'set', 'paused', 'true')).stderr).toBe(
      `gatehouse: paused is changed with \`gatehouse pause\` and \`gatehouse resume\`, not settings set.\n${usageHint}`,
    );
    expect(engine.settings.get().paused).toBe(false);
  });
});

describe('gatehouse pause and resume', () => {
  it('pauses all access and resumes it', async () => {
    expect(await run('pause')).toEqual({
      code: 0,
      stdout: 'Paused: every client is refused until you run `gatehouse resume`.\n',
      stderr: '',
    });
    expect(engine.settings.get().paused).toBe(true);
    expect((await run('status')).stdout).toMatch(
      /^Access: +PAUSED: every client is refused \(gatehouse resume\)$/m,
    );
    expect(await run('resume', '--json')).toEqual({
      code: 0,
      stdout: '{\n  "paused": false\n}\n',
      stderr: '',
    });
    expect(engine.settings.get().paused).toBe(false);
  });
});

describe('gatehouse clients', () => {
  it('registers a confidential client and shows its secret exactly once', async () => {
    const { clientId, secret, stdout } = await registerClient('Secret Keeper');
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
      `gatehouse: --redirect-uri URI is required (repeat it for each redirect URI the client uses).\n${usageHint}`,
    );
  });

  it('lists clients in an aligned table, and as raw JSON', async () => {
    const { clientId } = await registerClient('Table Client');
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
    expect(json).toEqual(await engine.call('clients.list'));
  });

  it('shows one client', async () => {
    const { clientId } = await registerClient('Shown Client');
    const { code, stdout } = await run('clients', 'show', clientId);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Client: +Shown Client \\(${clientId}\\)$`, 'm'));
    expect(stdout).toMatch(/^Registered: +Manual, just now$/m);
    expect(stdout).toMatch(/^Access now: +none$/m);
    expect(stdout).toMatch(/^Grants: +none$/m);
  });

  it('revokes and then forgets a client', async () => {
    const { clientId } = await registerClient('Doomed Client');
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

  it('reports an unknown client with the engine’s sentence and exit code 2', async () => {
    expect(await run('clients', 'revoke', 'nope')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: No client with id nope is known to Gatehouse (see gatehouse clients list).\n',
    });
  });
});

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
    const { clientId } = await registerClient('Consenting Client');
    raiseConsent('consent-approve', clientId, 'Consenting Client', 'KQ7-PX2');
    const listed = await run('consents');
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +CLIENT +REDIRECT HOST +MATCH CODE +REQUESTED ACCESS +EXPIRES IN$/);
    expect(lines[1]).toMatch(
      /^consent-approve +Consenting Client +127\.0\.0\.1:7777 +KQ7-PX2 +read & write +\d+:\d\d$/,
    );

    expect(
      await run('consents', 'approve', 'consent-approve', '--access', 'write', '--expires-in', '7d'),
    ).toEqual({
      code: 0,
      // The access ceiling (read-only) caps the write grant: the answer says what the client gets.
      stdout:
        'Approved Consenting Client (match code KQ7-PX2): read-only to all connectors, expires in 7 days.\n' +
        'The access ceiling is read-only, so it gets read-only for now (you chose read & write).\n' +
        'Raise the ceiling with: gatehouse settings set accessCeiling write\n',
      stderr: '',
    });
    const [grant] = engine.grants.forClient(clientId);
    expect(grant).toMatchObject({ access: 'write', connectors: '*' });
    expect(grant!.expiresAt! - grant!.createdAt).toBe(7 * 24 * 3_600_000);

    // The access ceiling (read) caps the write grant; show says so and lists the grant.
    const shown = await run('clients', 'show', clientId);
    expect(shown.stdout).toMatch(/^Access now: +read-only$/m);
    expect(shown.stdout).toMatch(
      /^ {2}read & write to all connectors, granted just now, expires in 6 days \(\S+\)$/m,
    );

    expect((await run('clients', 'revoke', clientId)).stdout).toContain(
      ': 1 grant and 0 tokens revoked, 0 sessions closed.',
    );
    expect(engine.grants.forClient(clientId)).toEqual([]);
  });

  it('approves chosen connectors read-only by default, and only connectors that exist', async () => {
    const { clientId } = await registerClient('Narrow Client');
    raiseConsent('consent-narrow', clientId, 'Narrow Client', 'AB1-CD2');
    for (const name of ['github', 'files']) {
      await engine.call('connectors.add', {
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
    expect(engine.authorization.consents.get('consent-narrow')?.decision).toBeUndefined();
    const result = await run('consents', 'approve', 'consent-narrow', '--connectors', 'github, files');
    expect(result.stdout).toBe(
      'Approved Narrow Client (match code AB1-CD2): read-only to github, files, no expiry.\n',
    );
    expect(engine.grants.forClient(clientId)[0]).toMatchObject({
      access: 'read',
      connectors: ['github', 'files'],
      expiresAt: null,
    });
  });

  it('denies a waiting request', async () => {
    const { clientId } = await registerClient('Denied Client');
    raiseConsent('consent-deny', clientId, 'Denied Client', 'ZZ9-YY8');
    expect(await run('consents', 'deny', 'consent-deny')).toEqual({
      code: 0,
      stdout: 'Denied Denied Client (match code ZZ9-YY8).\n',
      stderr: '',
    });
    expect(engine.authorization.consents.get('consent-deny')?.decision).toEqual({ outcome: 'denied' });
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
      stderr: `gatehouse: --access is read or write (got "admin").\n${usageHint}`,
    });
    expect((await run('consents', 'approve', 'whatever', '--expires-in', 'soon')).stderr).toBe(
      `gatehouse: --expires-in is a duration like 30m, 12h or 7d, or never (got "soon").\n${usageHint}`,
    );
    expect((await run('consents', 'approve', 'whatever', '--expires-in', '30s')).stderr).toBe(
      `gatehouse: --expires-in must be at least 1 minute (got "30s").\n${usageHint}`,
    );
  });

  it('takes an id that starts with - after --', async () => {
    const { clientId } = await registerClient('Dashing Client');
    raiseConsent('-dash-consent', clientId, 'Dashing Client', 'DA5-H00');
    expect((await run('consents', 'approve', '-dash-consent')).stderr).toBe(
      `gatehouse: The consents approve command has no option -d.\n${usageHint}`,
    );
    expect(await gatehouse(['--data-dir', dataDir, 'consents', 'deny', '--', '-dash-consent'])).toEqual({
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
    for (const n of [1, 2, 3]) raiseConsent(`flood-${n}`, 'gh_flood', 'Flood', 'AAA-BBB');
    raiseConsent('other-1', 'gh_other', 'Other', 'CCC-DDD');
    expect(await run('consents', 'deny', '--all', '--client', 'gh_flood')).toEqual({
      code: 0,
      stdout: 'Denied 3 consent requests from gh_flood.\n',
      stderr: '',
    });
    expect(engine.authorization.consents.pending().map((consent) => consent.id)).toEqual(['other-1']);
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
      stderr: `gatehouse: Give the id of the consent request to deny, or --all.\n${usageHint}`,
    });
    expect((await run('consents', 'deny', 'some-id', '--all')).stderr).toBe(
      `gatehouse: Give a consent id or --all, not both.\n${usageHint}`,
    );
    expect((await run('consents', 'deny', 'some-id', '--client', 'gh_x')).stderr).toBe(
      `gatehouse: --client goes with --all.\n${usageHint}`,
    );
  });
});

describe('gatehouse registrations', () => {
  it('lists, approves and denies registrations held for approval', async () => {
    expect((await run('registrations')).stdout).toBe('No registrations are waiting.\n');
    engine.authorization.registrations.raise('reg-1', {
      clientName: 'Asking Client',
      redirectUris: ['http://127.0.0.1:5000/cb'],
    });
    engine.authorization.registrations.raise('reg-2', {
      clientName: 'Refused Client',
      redirectUris: ['https://app.example/cb'],
    });
    const lines = (await run('registrations', 'list')).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +CLIENT +REDIRECT HOSTS +EXPIRES IN$/);
    expect(lines[1]).toMatch(/^reg-1 +Asking Client +127\.0\.0\.1:5000 +\d+:\d\d$/);
    expect(lines[2]).toMatch(/^reg-2 +Refused Client +app\.example +\d+:\d\d$/);
    expect((await run('registrations', 'approve', 'reg-1')).stdout).toBe(
      'Approved registration reg-1; the client can now ask for your consent.\n',
    );
    expect((await run('registrations', 'deny', 'reg-2')).stdout).toBe('Denied registration reg-2.\n');
    expect(engine.authorization.registrations.get('reg-1')?.decision).toBe('approved');
    expect(engine.authorization.registrations.get('reg-2')?.decision).toBe('denied');
  });
});

describe('gatehouse activity', () => {
  it('shows the audit log oldest first, filtered, and raw JSON newest first', async () => {
    await run('pause');
    await run('resume');
    const { code, stdout } = await run('activity', '--since', '1h');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +DECISION +EVENT +CLIENT +TOOL +REASON$/);
    const paused = lines.findLastIndex((line) => / access\.paused /.test(line));
    const resumed = lines.findLastIndex((line) => / access\.resumed /.test(line));
    expect(paused).toBeGreaterThan(0);
    expect(resumed).toBe(lines.length - 1);
    expect(lines[paused]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +info +access\.paused +- +- +The user paused all access$/,
    );

    const filtered = await run('activity', '--type', 'engine.started', '--decision', 'info');
    expect(filtered.stdout.trimEnd().split('\n')).toHaveLength(2);
    const newest = JSON.parse((await run('activity', '--json', '--limit', '1')).stdout) as Array<{
      type: string;
    }>;
    expect(newest.map((event) => event.type)).toEqual(['access.resumed']);
    expect((await run('activity', '--client', 'nobody')).stdout).toBe('No activity matches.\n');
  });

  it('refuses bad filters', async () => {
    expect((await run('activity', '--decision', 'maybe')).stderr).toBe(
      `gatehouse: --decision is one of allow, deny, info (got "maybe").\n${usageHint}`,
    );
    expect((await run('activity', '--since', 'yesterday')).code).toBe(2);
    expect((await run('activity', '--limit', '0')).stderr).toBe(
      `gatehouse: --limit is a whole number from 1 to 10000 (got "0").\n${usageHint}`,
    );
  });
});

describe('the command line itself', () => {
  it('rejects unknown commands, options and arguments with exit code 2', async () => {
    expect(await run('frobnicate')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: There is no command "frobnicate".\n${usageHint}`,
    });
    expect(await run('clients', 'list', '--bogus')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: The clients list command has no option --bogus.\n${usageHint}`,
    });
    expect((await run('clients', 'frob')).stderr).toBe(
      `gatehouse: There is no command "clients frob"; clients commands are list, show, register, revoke, forget.\n${usageHint}`,
    );
    expect((await run('clients', 'show')).stderr).toBe(
      `gatehouse: The clients show command needs ID (usage: gatehouse clients show ID [--json]).\n${usageHint}`,
    );
    expect((await run('status', 'now')).stderr).toBe(
      `gatehouse: The status command does not take "now" (usage: gatehouse status [--json]).\n${usageHint}`,
    );
    expect((await gatehouse(['serve', '--port'])).stderr).toBe(
      `gatehouse: --port needs a value.\n${usageHint}`,
    );
    expect((await run('pause', '--json=yes')).stderr).toBe(`gatehouse: --json takes no value.\n${usageHint}`);
    expect((await run('serve', '--json')).stderr).toBe(
      `gatehouse: The serve command has no option --json.\n${usageHint}`,
    );
    expect(engine.settings.get().paused).toBe(false);
  });

  it('accepts options before the command', async () => {
    const { code, stdout } = await gatehouse(['--data-dir', dataDir, 'settings', 'get', 'port']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '42830\n' });
  });

  it('shows usage for help, --help and a group', async () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) {
      const { code, stdout, stderr } = await gatehouse(argv);
      expect({ code, stderr }, argv.join(' ')).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('  gatehouse clients revoke ID [--json]\n');
      for (const group of [
        'connectors add NAME (--stdio',
        'tools review CONNECTOR [TOOL]',
        'approvals allow ID',
        'rules set FILE',
      ]) {
        expect(stdout).toContain(`  gatehouse ${group}`);
      }
      expect(stdout).toContain(
        'Exit codes: 0 done; 1 the work failed (Gatehouse not running, a test or sign-in that failed);\n' +
          '2 a bad command line or a value Gatehouse refused (an unknown name or id, a malformed value).',
      );
      // Ids that start with "-" can be passed after --.
      expect(stdout).toContain('that starts with - (e.g. `approve -- -C_Fy…`)');
    }
    const group = await gatehouse(['clients', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('gatehouse clients register --name NAME --redirect-uri URI');
    expect(group.stdout).not.toContain('gatehouse consents');
    expect((await gatehouse(['help', 'consents'])).stdout).toContain('gatehouse consents approve ID');
    expect((await gatehouse(['help', 'nope'])).code).toBe(2);
  });
});

describe('with no engine running', () => {
  it('says so in one sentence, exit code 1, no stack trace', async () => {
    const empty = dirs.make();
    for (const argv of [['status'], ['clients'], ['settings', 'set', 'port', '43000']]) {
      expect(await gatehouse([...argv, '--data-dir', empty]), argv.join(' ')).toEqual({
        code: 1,
        stdout: '',
        stderr: `gatehouse: Gatehouse is not running (no engine record in ${empty}). Start it with \`gatehouse serve\` or open the Gatehouse app.\n`,
      });
    }
  });

  it('still checks the command line first', async () => {
    expect((await gatehouse(['settings', 'set', 'port', '80', '--data-dir', dirs.make()])).code).toBe(2);
  });
});
