// The SDK's HTTP client transports hand one long-lived AbortSignal (theirs, aborted on close) to
// every request. Gatehouse gives each request its own controller (for its answer deadline) and links
// the two; the link must go when the request is over, or every call leaves a listener — holding its
// controller — on the long-lived signal for as long as the connector is connected.

/** Aborts `inner` when `outer` aborts, until the returned function unlinks them. */
export function linkAbort(outer: AbortSignal | null | undefined, inner: AbortController): () => void {
  if (!outer) return () => undefined;
  if (outer.aborted) {
    inner.abort(outer.reason);
    return () => undefined;
  }
  const forward = () => inner.abort(outer.reason);
  outer.addEventListener('abort', forward, { once: true });
  return () => outer.removeEventListener('abort', forward);
}

/**
 * Calls `done` once the request is over: at once for an answer read in one go (JSON, empty, an
 * error), or when an SSE body ends, fails or is cancelled — a stream stays linked while it is open,
 * so closing the transport still ends it.
 */
export function whenRead(response: Response, done: () => void): Response {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.toLowerCase().startsWith('text/event-stream')) {
    done();
    return response;
  }
  // A redirected stream keeps its link (its url and redirected flag cannot be carried over to a new
  // Response, and the legacy SSE client resolves its endpoint against them); streams are few.
  if (response.redirected) return response;
  const reader = response.body.getReader();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
