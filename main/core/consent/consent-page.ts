// The page the user's browser shows while Gatehouse's trusted window asks for consent. It carries no
// approve button by design: a page (or a script posting to it) cannot grant anything. It waits, and
// once the user has answered in Gatehouse, a reload carries the browser onward — with JavaScript by
// long-polling, without it by a meta refresh.
import type { ServerResponse } from 'node:http';

/**
 * What the waiting page shows: who asks, where it sends the browser back, the match code and the access
 * asked for.
 */
export interface ConsentPageModel {
  clientName: string;
  redirectHost: string;
  matchCode: string;
  requestedAccess: 'read' | 'write';
  waitUrl: string;
  nonce: string;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const styles = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 30rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 12px; }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .5rem 1rem; margin: 1rem 0; }
  dt { opacity: .7; } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
  .code { font: 700 1.75rem ui-monospace, monospace; letter-spacing: .15em; padding: .5rem 1rem; border-radius: 8px;
          background: color-mix(in srgb, CanvasText 8%, transparent); display: inline-block; }
  p { line-height: 1.5; } .muted { opacity: .7; font-size: .9rem; }`;

/** The waiting page's HTML: the request and its match code, no way to answer it here. */
export function renderConsentWaitingPage(model: ConsentPageModel): string {
  const access = model.requestedAccess === 'write' ? 'read & write' : 'read-only';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waiting for approval in Gatehouse</title>
<noscript><meta http-equiv="refresh" content="3"></noscript>
<style>${styles}</style>
</head>
<body>
<main>
  <h1>Approve this request in Gatehouse</h1>
  <p><strong>${escapeHtml(model.clientName)}</strong> is asking for access to your MCP connectors.</p>
  <dl>
    <dt>Returns to</dt><dd>${escapeHtml(model.redirectHost)}</dd>
    <dt>Asks for</dt><dd>${access}</dd>
  </dl>
  <p>Gatehouse shows the same code beside the request. Approve only if they match:</p>
  <p class="code" aria-label="match code">${escapeHtml(model.matchCode)}</p>
  <p id="status" class="muted" role="status">Waiting for your answer in Gatehouse… this page continues on its own.</p>
</main>
<script nonce="${model.nonce}">
(async () => {
  const status = document.getElementById('status');
  for (;;) {
    try {
      const res = await fetch(${JSON.stringify(model.waitUrl)}, { cache: 'no-store' });
      if (res.ok && (await res.json()).decided) { status.textContent = 'Answered — continuing…'; location.reload(); return; }
      if (res.status === 404) { location.reload(); return; }
    } catch { await new Promise((r) => setTimeout(r, 2000)); }
  }
})();
</script>
</body>
</html>`;
}

/** A plain page with a title and one message (an expired request, too many waiting). */
export function renderMessagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${styles}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body>
</html>`;
}

/** Answers with a plain titled message page (errors, confirmations) under the pages' CSP. */
export function sendMessagePage(res: ServerResponse, status: number, title: string, message: string): void {
  const html = renderMessagePage(title, message);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    ...pageSecurityHeaders(),
  });
  res.end(html);
}

/**
 * The headers every Gatehouse page carries: a strict CSP (scripts only with `nonce`), no framing, no
 * referrer, no caching.
 */
export function pageSecurityHeaders(nonce?: string): Record<string, string> {
  const script = nonce ? `'nonce-${nonce}'` : "'none'";
  return {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}
