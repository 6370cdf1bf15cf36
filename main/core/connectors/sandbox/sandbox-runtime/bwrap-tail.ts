// The bubblewrap arguments Gatehouse adds after the runtime's own mounts. The runtime hides a denied
// folder under a writable tmpfs, where a write outside the grant would land and vanish; Gatehouse
// makes each such tmpfs read-only once every grant is mounted beneath it, so the write fails at once
// (`--remount-ro` touches that one mount, not the grants under it). The runtime has no option for
// this, so the words go into its command line right before `--dev /dev --unshare-pid`, which it
// always writes after the last mount, on the line itself even when the mounts are passed through a
// file. Every word Gatehouse puts into the command is quoted, so that text cannot come from it.
// test/core/connectors/sandbox/sandbox-runtime-pins.test.ts holds that shape.

const INSERT_BEFORE = ' --dev /dev --unshare-pid ';

/** POSIX shell quoting: single quotes, each quote inside as '\''. */
export const shellQuote = (words: readonly string[]): string =>
  words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');

/**
 * `wrapped` (the runtime's bubblewrap command) with `words` after its mounts. Throws when the command
 * has not the one place they belong: a runtime that writes it differently must not run unconfined.
 */
export function addAfterMounts(wrapped: string, words: readonly string[]): string {
  const at = wrapped.indexOf(INSERT_BEFORE);
  if (at === -1 || wrapped.indexOf(INSERT_BEFORE, at + 1) !== -1) {
    throw new Error(
      'the sandbox runtime wrote its bubblewrap command in a shape Gatehouse does not know (no single "--dev /dev --unshare-pid" after its mounts)',
    );
  }
  if (words.length === 0) return wrapped;
  return `${wrapped.slice(0, at)} ${shellQuote(words)}${wrapped.slice(at)}`;
}
