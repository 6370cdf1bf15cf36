// The upstream client Gatehouse makes for a connector (upstream-client.ts), with the options a test
// that drives it by hand needs: no server→client requests, list changes and notifications dropped.
import type { Client } from '@modelcontextprotocol/client';
import { newUpstreamClient } from '../../main/core/connectors/runtime/upstream-client.js';

/** A new upstream client as Gatehouse makes one, not yet connected. */
export function testUpstreamClient(): Client {
  return newUpstreamClient({
    clientInfo: { name: 'gatehouse-test', version: '1.0.0' },
    probeTimeoutMs: 2_000,
    serverRequests: undefined,
    listChanged: async () => undefined,
    notification: async () => undefined,
  });
}
