// The pooled Random the engine's effects use: one draw serves many small requests,
// every byte is handed out once, callers get copies, and large requests bypass the pool.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pooledRandom } from '../../main/core/effects.js';

/** A draw that counts its calls and returns the bytes 0, 1, 2 … continuing across draws. */
function countingDraw() {
  let next = 0;
  const lengths: number[] = [];
  const draw = (length: number) => {
    lengths.push(length);
    return Buffer.from(Array.from({ length }, () => next++ % 256));
  };
  return { draw, lengths };
}

describe('pooledRandom', () => {
  it('hands out consecutive bytes of one 4 KiB draw, each byte once', () => {
    const { draw, lengths } = countingDraw();
    const random = pooledRandom(draw);
    const ids = Array.from({ length: 341 }, () => random.bytes(12));
    expect(lengths).toEqual([4096]);
    expect(Buffer.concat(ids)).toEqual(Buffer.from(Array.from({ length: 341 * 12 }, (_, i) => i % 256)));
    // The 342nd id does not fit in what is left (4 bytes): a fresh draw, the leftover is never used.
    expect(random.bytes(12)).toEqual(Buffer.from(Array.from({ length: 12 }, (_, i) => (4096 + i) % 256)));
    expect(lengths).toEqual([4096, 4096]);
  });

  it('gives copies, and wipes what it handed out from the pool', () => {
    const drawn: Buffer[] = [];
    const { draw } = countingDraw();
    const random = pooledRandom((length) => {
      drawn.push(draw(length));
      return drawn.at(-1)!;
    });
    const first = random.bytes(8);
    expect([...first]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...drawn[0]!.subarray(0, 10)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 8, 9]);
    first.fill(0xff);
    expect([...random.bytes(4)]).toEqual([8, 9, 10, 11]);
  });

  it('draws large requests directly', () => {
    const { draw, lengths } = countingDraw();
    const random = pooledRandom(draw);
    expect(random.bytes(2048)).toHaveLength(2048);
    expect(random.bytes(32)).toHaveLength(32);
    expect(lengths).toEqual([2048, 4096]);
  });

  it('over node:crypto, 12-byte ids do not repeat', () => {
    const random = pooledRandom(randomBytes);
    const ids = new Set(Array.from({ length: 5_000 }, () => random.bytes(12).toString('base64url')));
    expect(ids.size).toBe(5_000);
  });
});
