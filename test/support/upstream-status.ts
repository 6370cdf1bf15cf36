// Waits for an upstream's status to match: at once if it already does, else on its next status
// event that does, failing after `ms` with the last status seen.
import type { Upstream, UpstreamStatus } from '../../main/core/connectors/runtime/upstream.js';

export function until(
  upstream: Upstream,
  test: (status: UpstreamStatus) => boolean,
  ms = 10_000,
): Promise<UpstreamStatus> {
  if (test(upstream.status())) return Promise.resolve(upstream.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`status never matched; last: ${JSON.stringify(upstream.status())}`));
    }, ms);
    const off = upstream.on((event) => {
      if (event.type === 'status' && test(event.status)) {
        clearTimeout(timer);
        off();
        resolve(event.status);
      }
    });
  });
}
