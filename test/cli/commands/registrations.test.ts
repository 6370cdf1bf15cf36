// `gatehouse registrations` against a real engine: approving and denying waiting registrations.
import { describe, expect, it } from 'vitest';
import { engineForFile } from '../../support/cli-fixture.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse registrations', () => {
  it('lists, approves and denies registrations held for approval', async () => {
    expect((await run('registrations')).stdout).toBe('No registrations are waiting.\n');
    engineParts(cli.engine).authorization.registrations.raise('reg-1', {
      clientName: 'Asking Client',
      redirectUris: ['http://127.0.0.1:5000/cb'],
    });
    engineParts(cli.engine).authorization.registrations.raise('reg-2', {
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
    expect(engineParts(cli.engine).authorization.registrations.get('reg-1')?.decision).toBe('approved');
    expect(engineParts(cli.engine).authorization.registrations.get('reg-2')?.decision).toBe('denied');
  });
});
