// Which protocol era an upstream spoke on its last connection (a 2026-07-28 server/discover result, or
// the 2025-era initialize), remembered so a reconnect costs no probe; a 2025-era verdict is probed
// again after a while, since a server that upgraded would never say so.
import type { Client, PriorDiscovery, ServerCapabilities } from '@modelcontextprotocol/client';
import type { Clock } from '../../effects.js';

/** A 2025-era verdict is probed again after a day: a server that upgraded would never say so. */
export const LEGACY_VERDICT_MAX_AGE_MS = 24 * 60 * 60_000;

/** One upstream's era, as learned from its connections. */
export class EraMemory {
  readonly #clock: Clock;
  readonly #legacyMaxAgeMs: number;
  /** The era the server spoke on its last connection, and when that was learned. */
  #verdict: { prior: PriorDiscovery; at: number } | undefined;
  #lastCapabilities: ServerCapabilities | undefined;

  constructor(clock: Clock, legacyMaxAgeMs: number) {
    this.#clock = clock;
    this.#legacyMaxAgeMs = legacyMaxAgeMs;
  }

  /** The remembered era, unless it is a 2025-era verdict old enough to probe again. */
  fresh(): PriorDiscovery | undefined {
    if (!this.#verdict) return undefined;
    if (this.#verdict.prior.kind === 'legacy' && this.#clock.now() - this.#verdict.at > this.#legacyMaxAgeMs)
      return undefined;
    return this.#verdict.prior;
  }

  /** The era last learned, if any. */
  kind(): 'legacy' | 'modern' | undefined {
    return this.#verdict?.prior.kind;
  }

  /** What the server offered on its last connection (shown while it is away). */
  lastCapabilities(): ServerCapabilities | undefined {
    return this.#lastCapabilities;
  }

  /** Keeps the connection's era (with its discover result) for the next connection. */
  remember(client: Client, prior: PriorDiscovery | undefined): void {
    this.#lastCapabilities = client.getServerCapabilities();
    if (prior?.kind === 'legacy' && client.getProtocolEra() === 'legacy') return; // Keeps its age.
    const discover = client.getDiscoverResult();
    this.#verdict = {
      prior: discover ? { kind: 'modern', discover } : { kind: 'legacy' },
      at: this.#clock.now(),
    };
  }

  /** A remembered era that did not connect is not trusted again: the next attempt probes. */
  distrust(prior: PriorDiscovery | undefined): void {
    if (prior && this.#verdict?.prior === prior) this.#verdict = undefined;
  }
}
