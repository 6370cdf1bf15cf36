// The shared words (main/core/text.ts): what the window, the tray and the CLI all say.
import { describe, expect, it } from 'vitest';
import {
  sandboxMarkText,
  tookText,
  grantAccessText,
  accessText,
  ago,
  connectorsLabel,
  connectorsText,
  count,
  durationText,
  localTime,
  redirectHost,
  timeLeft,
} from '../../main/core/text.js';
import { KOLKATA, useTimeZone } from '../support/time-zone.js';

// One time zone for every run, so a local date can be written out.
useTimeZone(KOLKATA);
const NOW = Date.UTC(2026, 10, 22, 6, 30, 0); // 2026-11-22 12:00 in Kolkata
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('shared words', () => {
  it.each([
    [null, 'never'],
    [NOW - 20_000, 'just now'],
    [NOW - 5 * MINUTE, '5 min ago'],
    [NOW - 3 * HOUR, '3 h ago'],
    [NOW - 30 * HOUR, 'yesterday'],
    [NOW - 4 * DAY, '4 days ago'],
    [NOW - 45 * DAY, '2026-10-08'],
    // A clock a little ahead of ours is not "in the future".
    [NOW + 2_000, 'just now'],
  ])('ago(%s) says %s', (at, words) => {
    expect(ago(at, NOW)).toBe(words);
  });

  it('writes local timestamps in the zone the process runs in', () => {
    expect(localTime(NOW)).toBe('2026-11-22 12:00:00');
    expect(localTime(Date.UTC(2026, 0, 1, 18, 29, 59))).toBe('2026-01-01 23:59:59');
    expect(localTime(Date.UTC(2026, 0, 1, 18, 30, 0))).toBe('2026-01-02 00:00:00');
  });

  it('says time left as a running clock, and "expired" once passed', () => {
    expect(timeLeft(NOW + 118_000, NOW)).toBe('1:58');
    expect(timeLeft(NOW + 2 * HOUR + 5 * MINUTE, NOW)).toBe('2 h 5 min');
    expect(timeLeft(NOW + 3 * DAY, NOW)).toBe('3 days');
    expect(timeLeft(NOW, NOW)).toBe('expired');
  });

  it('names access, connectors and hosts one way', () => {
    expect([accessText('read'), accessText('write'), accessText('none'), accessText('off')]).toEqual([
      'read-only',
      'read & write',
      'none',
      'none',
    ]);
    expect(connectorsText('*')).toBe('all connectors');
    expect(connectorsLabel('*')).toBe('All connectors');
    expect(connectorsText(['github', 'linear'])).toBe('github, linear');
    expect(count(1, 'token')).toBe('1 token');
    expect(count(2048, 'token')).toBe('2,048 tokens');
    expect(redirectHost('http://127.0.0.1:53682/callback')).toBe('127.0.0.1:53682');
    expect(redirectHost('myapp:/oauth')).toBe('myapp://');
  });

  it.each([
    [500, '1 second'],
    [1_000, '1 second'],
    [45_000, '45 seconds'],
    [60_000, '1 minute'],
    [10 * MINUTE, '10 minutes'],
    [90_000, '2 minutes'],
  ])('a time limit of %i ms reads "%s"', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});

describe('how long a call took', () => {
  it('reads in the unit that fits, never as thousands of ms', () => {
    expect([12, 999, 1_000, 4_250, 59_400, 60_000, 120_000, 125_000, 3_599_999].map(tookText)).toEqual([
      '12 ms',
      '999 ms',
      '1 s',
      '4.3 s',
      '59 s',
      '1 min',
      '2 min',
      '2 min 5 s',
      '60 min',
    ]);
  });
});

describe('a grant under the access ceiling', () => {
  it('says the level it works at now, and what was granted when the ceiling narrows it', () => {
    expect(grantAccessText('write', 'write', 'label')).toBe('Read & write');
    expect(grantAccessText('read', 'read', 'sentence')).toBe('read-only');
    expect(grantAccessText('write', 'read', 'label')).toBe(
      'Read-only (granted Read & write; the access ceiling is read-only)',
    );
    expect(grantAccessText('write', 'none', 'sentence')).toBe('none (granted read & write; access is off)');
    expect(grantAccessText('read', 'none', 'label')).toBe('No access (granted Read-only; access is off)');
  });
});

describe('sandboxMarkText', () => {
  it('says what the sandbox refused during a call, in the Activity row and the CLI alike', () => {
    expect(sandboxMarkText({ outcome: 'ok' })).toBe('');
    expect(
      sandboxMarkText({
        sandbox: { refused: 1, named: [{ kind: 'write', target: '/home/me/.bashrc' }] },
      }),
    ).toBe('refused 1: a write to /home/me/.bashrc');
    expect(
      sandboxMarkText({
        sandbox: {
          refused: 5,
          named: [
            { kind: 'host', target: 'blocked.example:443' },
            { kind: 'bound', target: 'its memory bound' },
          ],
        },
      }),
    ).toBe('refused 5: blocked.example:443, its memory bound, …');
  });
});
