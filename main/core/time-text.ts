// Times as people read them ("2 min ago", "in 5 h", "2025-11-21 14:03:07") and durations as people
// type them ("30m", "12h", "7d").

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const unitMs: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** Parses "90s", "30m", "12h", "7d", "2w" into milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smhdw])$/i.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (unitMs[match[2]!.toLowerCase()] ?? 0);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** A length of time, rounded down to its largest sensible unit: "45 s", "2 min", "5 h", "3 days". */
export function span(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)} s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)} min`;
  if (abs < 2 * DAY) return `${Math.floor(abs / HOUR)} h`;
  const days = Math.floor(abs / DAY);
  return `${days} days`;
}

/** When something happened, relative to now: "just now", "2 min ago", "3 days ago". */
export function ago(at: number | null, now: number): string {
  if (at === null) return 'never';
  const elapsed = now - at;
  if (elapsed < MINUTE) return 'just now';
  if (elapsed >= 60 * DAY) return localTime(at).slice(0, 10);
  return `${span(elapsed)} ago`;
}

/** How long until a deadline: "4 min", or "expired" once it has passed. */
export function remaining(until: number, now: number): string {
  return until <= now ? 'expired' : span(until - now);
}

/** A timestamp in local time, sortable and unambiguous: "2025-11-21 14:03:07". */
export function localTime(at: number): string {
  const date = new Date(at);
  const two = (value: number): string => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** Time left as a running clock: "1:58" under an hour, then "2 h 5 min", then "3 days"; "0:00" once passed. */
export function countdown(until: number, now: number): string {
  const left = Math.max(0, until - now);
  if (left < HOUR) {
    const seconds = Math.ceil(left / SECOND);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
  if (left < DAY) return `${Math.floor(left / HOUR)} h ${Math.floor((left % HOUR) / MINUTE)} min`;
  return `${Math.floor(left / DAY)} days`;
}

/**
 * The one wording for a decision that answers itself when nobody does (a consent, an approval):
 * "Denied automatically in 1:58 unless you answer" — never "Denied in 1:58", which reads as if it
 * already were.
 */
export function autoDenyText(until: number, now: number): string {
  if (until <= now) return 'Denied automatically: no answer came in time';
  return `Denied automatically in ${countdown(until, now)} unless you answer`;
}
