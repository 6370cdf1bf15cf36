// The `gatehouse` command line itself against a real engine on a loopback port: unknown commands,
// options and arguments, help, and what every command says when no engine runs. Each command's own
// tests are in commands/, one file per command.
import { describe, expect, it } from 'vitest';
import { engineForFile, gatehouse, USAGE_HINT } from '../support/cli-fixture.js';

const cli = engineForFile();
const run = cli.run;

describe('the command line itself', () => {
  it('rejects unknown commands, options and arguments with exit code 2', async () => {
    expect(await run('frobnicate')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: There is no command "frobnicate".\n${USAGE_HINT}`,
    });
    expect(await run('clients', 'list', '--bogus')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: The clients list command has no option --bogus.\n${USAGE_HINT}`,
    });
    expect((await run('clients', 'frob')).stderr).toBe(
      `gatehouse: There is no command "clients frob"; clients commands are list, show, grant, register, revoke, stop-refusing, forget.\n${USAGE_HINT}`,
    );
    expect((await run('clients', 'show')).stderr).toBe(
      `gatehouse: The clients show command needs ID (usage: gatehouse clients show ID [--json]).\n${USAGE_HINT}`,
    );
    expect((await run('status', 'now')).stderr).toBe(
      `gatehouse: The status command does not take "now" (usage: gatehouse status [--json]).\n${USAGE_HINT}`,
    );
    expect((await gatehouse(['serve', '--port'])).stderr).toBe(
      `gatehouse: --port needs a value.\n${USAGE_HINT}`,
    );
    expect((await run('pause', '--json=yes')).stderr).toBe(
      `gatehouse: --json takes no value.\n${USAGE_HINT}`,
    );
    expect((await run('serve', '--json')).stderr).toBe(
      `gatehouse: The serve command has no option --json.\n${USAGE_HINT}`,
    );
    expect((await cli.engine.call('settings.get')).paused).toBe(false);
  });

  it('accepts options before the command', async () => {
    const { code, stdout } = await gatehouse(['--data-dir', cli.dataDir, 'settings', 'get', 'port']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '42830\n' });
  });

  it('gives a short overview for help and --help, naming every command', async () => {
    const all = (await gatehouse(['help', 'all'])).stdout;
    const commands = new Set([...all.matchAll(/^ {2}gatehouse ([a-z]+)/gm)].map((match) => match[1]!));
    expect(commands.size).toBeGreaterThan(15);
    for (const argv of [[], ['help'], ['--help'], ['-h']]) {
      const { code, stdout, stderr } = await gatehouse(argv);
      expect({ code, stderr }, argv.join(' ')).toEqual({ code: 0, stderr: '' });
      const lines = stdout.trimEnd().split('\n');
      expect(lines.length, argv.join(' ')).toBeLessThanOrEqual(20);
      expect(lines[0]).toBe('gatehouse: your gate between AI clients and MCP connectors');
      expect(lines.at(-1)).toBe(
        'One command: gatehouse help COMMAND (e.g. gatehouse help connectors); all: gatehouse help all.',
      );
      for (const command of commands) expect(stdout, command).toMatch(new RegExp(`\\b${command}\\b`));
      expect(lines.every((line) => line.length <= 100)).toBe(true);
    }
  });

  it('shows every command for help all, and one group for help GROUP and GROUP --help', async () => {
    for (const argv of [['help', 'all']]) {
      const { code, stdout, stderr } = await gatehouse(argv);
      expect({ code, stderr }, argv.join(' ')).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('  gatehouse clients revoke ID [--refuse-for 1h] [--json]\n');
      for (const group of [
        'connectors add NAME (--stdio',
        'tools review (CONNECTOR TOOL | CONNECTOR__TOOL | CONNECTOR/TOOL)',
        // TOOL is not optional: the tool is named by two words or by one with __.
        'tools approval (CONNECTOR TOOL | CONNECTOR__TOOL | CONNECTOR/TOOL) ask|never',
        'tools class (CONNECTOR TOOL | CONNECTOR__TOOL | CONNECTOR/TOOL) read|write|auto',
        'tools enable (CONNECTOR TOOL | CONNECTOR__TOOL | CONNECTOR/TOOL)',
        'approvals allow ID',
        'rules set FILE',
      ]) {
        expect(stdout).toContain(`  gatehouse ${group}`);
      }
      expect(stdout).toContain(
        'Exit codes: 0 done; 1 the work failed (Gatehouse not running, a test or sign-in that failed,\n' +
          'a connector that does not start, a server that cannot be reached); 2 a bad command line or a value\n' +
          'Gatehouse refused (an unknown name or id, a name already taken, a malformed value).',
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

describe('a slip on the command line', () => {
  it('suggests the command that was probably meant', async () => {
    expect(await run('stauts')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: There is no command "stauts". Did you mean \`gatehouse status\`?\n${USAGE_HINT}`,
    });
    expect((await run('conector', 'list')).stderr).toBe(
      `gatehouse: There is no command "conector". Did you mean \`gatehouse connectors\`?\n${USAGE_HINT}`,
    );
    expect((await run('clients', 'lsit')).stderr).toBe(
      `gatehouse: There is no command "clients lsit"; clients commands are list, show, grant, register, revoke, stop-refusing, forget. Did you mean \`gatehouse clients list\`?\n${USAGE_HINT}`,
    );
    expect((await gatehouse(['help', 'setings'])).stderr).toBe(
      `gatehouse: There is no command "setings" to explain. Did you mean \`gatehouse settings\`?\n${USAGE_HINT}`,
    );
    // Nothing close: no guess.
    expect((await run('xyzzy')).stderr).toBe(`gatehouse: There is no command "xyzzy".\n${USAGE_HINT}`);
  });

  it('suggests an option of the command for a near miss', async () => {
    expect((await run('clients', 'register', '--nmae', 'x')).stderr).toBe(
      `gatehouse: The clients register command has no option --nmae. Did you mean --name?\n${USAGE_HINT}`,
    );
  });
});

describe('help for one command of a group', () => {
  it('prints only that command for `connectors add --help` and `help connectors add`', async () => {
    for (const argv of [
      ['connectors', 'add', '--help'],
      ['help', 'connectors', 'add'],
    ]) {
      const { code, stdout } = await gatehouse(argv);
      expect(code, argv.join(' ')).toBe(0);
      expect(stdout.startsWith('gatehouse connectors add\n\nUsage:\n  gatehouse connectors add NAME')).toBe(
        true,
      );
      expect(stdout).not.toContain('gatehouse connectors remove');
      expect(stdout).not.toContain('gatehouse connectors list');
      expect(stdout).toContain('Exit codes:');
    }
    // The group's own help still lists the group.
    expect((await gatehouse(['connectors', '--help'])).stdout).toContain('gatehouse connectors remove NAME');
  });
});

describe('with no engine running', () => {
  it('says so in one sentence, exit code 1, no stack trace', async () => {
    const empty = cli.makeDir();
    for (const argv of [['status'], ['clients'], ['settings', 'set', 'port', '43000']]) {
      expect(await gatehouse([...argv, '--data-dir', empty]), argv.join(' ')).toEqual({
        code: 1,
        stdout: '',
        stderr: `gatehouse: Gatehouse is not running (no engine record in ${empty}). Start it with \`gatehouse serve\` or open the Gatehouse app.\n`,
      });
    }
  });

  it('still checks the command line first', async () => {
    expect((await gatehouse(['settings', 'set', 'port', '80', '--data-dir', cli.makeDir()])).code).toBe(2);
  });
});
