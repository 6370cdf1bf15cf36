// `<input type="datetime-local">` values ↔ epoch ms, in local time (the activity filters' range).

const MINUTE = 60_000;

/** The input's value for a time: "2026-11-22T14:05". */
export function toLocalInput(at: number): string {
  const date = new Date(at - new Date(at).getTimezoneOffset() * MINUTE);
  return date.toISOString().slice(0, 16);
}

/** The time an input's value names; undefined when it is empty or not a time. */
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const at = new Date(value).getTime();
  return Number.isNaN(at) ? undefined : at;
}
