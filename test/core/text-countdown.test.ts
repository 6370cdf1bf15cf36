// The one wording for a decision that answers itself: the countdown as a clock, and the sentence the
// desktop's notifications use (and the window's approval card can share).
import { describe, expect, it } from 'vitest';
import { autoDenyText, timeLeft } from '../../main/core/text.js';

describe('timeLeft', () => {
  it.each([
    [120_000, '2:00'],
    [118_000, '1:58'],
    [117_001, '1:58'], // a started second still counts
    [59_000, '0:59'],
    [1, '0:01'],
    [0, 'expired'],
    [-5_000, 'expired'],
    [3_600_000, '1 h 0 min'],
    [5 * 3_600_000 + 7 * 60_000, '5 h 7 min'],
    [3 * 86_400_000, '3 days'],
  ])('%i ms left → %s', (left, text) => {
    expect(timeLeft(1_000_000 + left, 1_000_000)).toBe(text);
  });
});

describe('autoDenyText', () => {
  it('says what happens, when, and how to stop it', () => {
    expect(autoDenyText(118_000, 0)).toBe('Denied automatically in 1:58 unless you answer');
  });

  it('once the deadline has passed, says it is over', () => {
    expect(autoDenyText(1_000, 1_000)).toBe('Denied automatically: no answer came in time');
  });
});
