// Upstream TLS trusts what the OS trusts, beside Node's bundled Mozilla roots. Behind a
// TLS-inspecting corporate proxy the proxy's root certificate is in the OS store (put there by the
// company's device management), not in Node's list, so every HTTPS upstream would fail with
// "unable to get local issuer certificate". The desktop app cannot be told NODE_EXTRA_CA_CERTS or
// --use-system-ca either: its nodeOptions fuse is off, and Electron then drops NODE_EXTRA_CA_CERTS too
// (shell/common/node_bindings.cc). So both front ends (the app and `gatehouse serve`) call this once
// at start: it makes the process's default CA list the default one plus the OS store's, which every
// TLS client that names no `ca` of its own uses — undici's fetch (the engine's fetch effect, the
// MCP SDK's HTTP transports, oauth4webapi) included. See docs/decisions.md ("Outbound HTTP: the OS's roots
// and the machine's proxy").
import * as tls from 'node:tls';
import type { Logger } from './effects.js';

/** Node's CA functions (node:tls; Node 22.19+ and 24.5+, so Electron 45's Node 24 has them). */
export interface CertificateAuthorities {
  getCACertificates?(type: 'default' | 'system'): string[];
  setDefaultCACertificates?(certs: readonly string[]): void;
}

/** What trustSystemCertificates did. */
export type SystemTrust =
  { trusted: true; systemCertificates: number; added: number } | { trusted: false; reason: string };

/**
 * Adds the OS store's certificates to the default CA list of this process (idempotent: already
 * trusted certificates are not added twice). Never throws: without the OS store the bundled roots
 * still work, so the reason is logged as a warning and start-up goes on. Success is silent (the
 * command line's stderr stays clean); the result says what was added.
 */
export function trustSystemCertificates(
  logger: Logger,
  authorities: CertificateAuthorities = tls,
): SystemTrust {
  const { getCACertificates, setDefaultCACertificates } = authorities;
  if (!getCACertificates || !setDefaultCACertificates) {
    return untrusted(logger, 'this Node.js has no tls.setDefaultCACertificates (it needs 22.19 or newer)');
  }
  let system: string[];
  let current: string[];
  try {
    system = getCACertificates('system');
    current = getCACertificates('default');
  } catch (error) {
    return untrusted(logger, `the OS certificate store could not be read (${(error as Error).message})`);
  }
  const known = new Set(current.map(normalized));
  const added = system.filter((pem) => !known.has(normalized(pem)));
  if (added.length > 0) {
    try {
      setDefaultCACertificates([...current, ...added]);
    } catch (error) {
      return untrusted(logger, `its certificates were refused (${(error as Error).message})`);
    }
  }
  return { trusted: true, systemCertificates: system.length, added: added.length };
}

function untrusted(logger: Logger, why: string): SystemTrust {
  const reason = `Upstream TLS does not use the OS certificate store: ${why}. HTTPS upstreams behind a proxy that inspects TLS will fail.`;
  logger.warn(reason);
  return { trusted: false, reason };
}

/** The same certificate reads the same whatever line endings or trailing space a source used. */
function normalized(pem: string): string {
  return pem.replace(/\r\n/g, '\n').trim();
}
