// Pins the process's time zone for one test file, so local times can be written out as literals.
// Node applies a change to process.env.TZ at once; the file's afterAll puts the old zone back.
import { afterAll } from 'vitest';

/** India's zone: +05:30 all year (no daylight saving), a half hour no UTC slip can hide in. */
export const KOLKATA = 'Asia/Kolkata';
/** Kolkata's offset from UTC, for expectations computed without the code under test. */
export const KOLKATA_OFFSET_MS = (5 * 60 + 30) * 60_000;

export function useTimeZone(zone: string): void {
  const previous = process.env.TZ;
  process.env.TZ = zone;
  afterAll(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}
