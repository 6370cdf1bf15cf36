// DNS-rebinding and drive-by protection for every request (MCP spec 2025-11-25, Security Best
// Practices: servers on localhost MUST validate Origin). Host must name Gatehouse's own loopback
// authority and any Origin must be Gatehouse's own; anything else is refused before routing.
import type { IncomingMessage } from 'node:http';

/** The guard's answer: let the request through, or refuse it with a reason in words. */
export interface GuardVerdict {
  ok: boolean;
  reason?: string;
}

/** The Host values Gatehouse answers to on `port`: its loopback address and `localhost`. */
export function allowedAuthorities(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/**
 * Refuses a request whose Host is not one of `authorities`, or whose Origin is not Gatehouse's own (DNS
 * rebinding, drive-by pages).
 */
export function checkLoopbackRequest(req: IncomingMessage, authorities: ReadonlySet<string>): GuardVerdict {
  const host = req.headers.host?.toLowerCase();
  if (!host || !authorities.has(host)) {
    return {
      ok: false,
      reason: `Gatehouse only answers requests addressed to ${[...authorities].join(' or ')}; this one was addressed to ${host ?? '(no Host header)'}.`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originAuthority: string | undefined;
    try {
      const url = new URL(origin);
      originAuthority = url.protocol === 'http:' ? url.host.toLowerCase() : undefined;
    } catch {
      originAuthority = undefined;
    }
    if (!originAuthority || !authorities.has(originAuthority)) {
      return {
        ok: false,
        reason: `Requests from web pages are refused: Origin ${origin} is not Gatehouse's own.`,
      };
    }
  }
  return { ok: true };
}
