// Coalesces refetches: events often come in bursts (a connector restarting emits several), and each
// one asks its store to fetch again. At most one fetch runs, and at most one more follows it.

export function singleFlight(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again: Promise<void> | null = null;
  return function run(): Promise<void> {
    if (!running) {
      running = load().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running
      .catch(() => undefined)
      .then(() => {
        again = null;
        return run();
      });
    return again;
  };
}
