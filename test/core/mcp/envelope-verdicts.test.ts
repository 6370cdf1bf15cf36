// A 2026-07-28 tools/call whose envelope the SDK's classifier has accepted before is taken without
// classifying it again (envelope-verdicts.ts): every request must still be decided exactly as
// `classifyInboundRequest` decides it, before and after the accepted envelopes are remembered, for
// valid, malformed and hostile envelopes and headers.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  classifyInboundRequest,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/server';
import { clearCutToolCall } from '../../../main/core/mcp/clear-cut-call.js';
import { isPlainRequest } from '../../../main/core/mcp/request-era.js';
import {
  envelopeAccepted,
  envelopeKey,
  rememberAcceptedEnvelope,
} from '../../../main/core/mcp/envelope-verdicts.js';

const REVISION = '2026-07-28';
const envelope: Record<string, unknown> = {
  [PROTOCOL_VERSION_META_KEY]: REVISION,
  [CLIENT_INFO_META_KEY]: { name: 'client', version: '1.0.0' },
  [CLIENT_CAPABILITIES_META_KEY]: { elicitation: { form: {} } },
};
const headers = {
  'content-type': 'application/json',
  'mcp-protocol-version': REVISION,
  'mcp-method': 'tools/call',
  'mcp-name': 'echo',
};
const call = (meta: Record<string, unknown>, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 3,
  method: 'tools/call',
  params: { name: 'echo', arguments: { text: 'hi' }, _meta: meta, ...params },
});
const without = (key: string) => Object.fromEntries(Object.entries(envelope).filter(([k]) => k !== key));

/** [what, header changes, body] */
const cases: Array<[string, Record<string, string | undefined>, unknown]> = [
  ['a plain call', {}, call(envelope)],
  ['with a progress token', {}, call({ ...envelope, progressToken: 'p-1' })],
  ['with a log level', {}, call({ ...envelope, [LOG_LEVEL_META_KEY]: 'debug' })],
  ['with a foreign _meta key', {}, call({ ...envelope, 'example.com/trace': { any: ['thing'] } })],
  ['without client info', {}, call(without(CLIENT_INFO_META_KEY))],
  [
    'headers with optional whitespace',
    { 'mcp-protocol-version': ' 2026-07-28\t', 'mcp-method': '\ttools/call ' },
    call(envelope),
  ],
  ['client info null', {}, call({ ...envelope, [CLIENT_INFO_META_KEY]: null })],
  [
    'client info with a numeric name',
    {},
    call({ ...envelope, [CLIENT_INFO_META_KEY]: { name: 5, version: '1' } }),
  ],
  ['client info as a string', {}, call({ ...envelope, [CLIENT_INFO_META_KEY]: 'client' })],
  ['no capabilities', {}, call(without(CLIENT_CAPABILITIES_META_KEY))],
  ['capabilities null', {}, call({ ...envelope, [CLIENT_CAPABILITIES_META_KEY]: null })],
  ['capabilities as an array', {}, call({ ...envelope, [CLIENT_CAPABILITIES_META_KEY]: [] })],
  [
    'a malformed capability',
    {},
    call({ ...envelope, [CLIENT_CAPABILITIES_META_KEY]: { elicitation: 'yes' } }),
  ],
  ['an unknown log level', {}, call({ ...envelope, [LOG_LEVEL_META_KEY]: 'loud' })],
  ['log level null', {}, call({ ...envelope, [LOG_LEVEL_META_KEY]: null })],
  [
    'a numeric protocol version',
    { 'mcp-protocol-version': '7' },
    call({ ...envelope, [PROTOCOL_VERSION_META_KEY]: 7 }),
  ],
  [
    'another revision, both places',
    { 'mcp-protocol-version': '2026-08-01' },
    call({ ...envelope, [PROTOCOL_VERSION_META_KEY]: '2026-08-01' }),
  ],
  ['a 2025 version header', { 'mcp-protocol-version': '2025-11-25' }, call(envelope)],
  ['a header naming another modern revision', { 'mcp-protocol-version': '2026-08-01' }, call(envelope)],
  ['a method header naming another method', { 'mcp-method': 'tools/list' }, call(envelope)],
  ['no method header', { 'mcp-method': undefined }, call(envelope)],
  ['no version header', { 'mcp-protocol-version': undefined }, call(envelope)],
  ['an Mcp-Name naming another tool', { 'mcp-name': 'other' }, call(envelope)],
  ['not JSON', { 'content-type': 'text/plain' }, call(envelope)],
  ['no envelope claim', {}, call(without(PROTOCOL_VERSION_META_KEY))],
  ['a fractional progress token', {}, call({ ...envelope, progressToken: 1.5 })],
  ['a related-task key', {}, call({ ...envelope, 'io.modelcontextprotocol/related-task': { taskId: 't' } })],
  ['an extra top-level key', {}, { ...call(envelope), result: {} }],
  ['a batch', {}, [call(envelope)]],
  ['a notification', {}, { jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo', _meta: envelope } }],
];

function requestOf(changes: Record<string, string | undefined>, method = 'POST'): IncomingMessage {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...headers, ...changes }))
    if (value !== undefined) merged[name] = value;
  return { method, headers: merged } as unknown as IncomingMessage;
}

/** What clearCutToolCall decided before it remembered envelopes: the SDK's classifier, every time. */
function classifierDecision(req: IncomingMessage, body: unknown) {
  // The gate before the classifier, unchanged: one plain tools/call (request-era.test.ts holds it
  // to the SDK's schema).
  if (!isPlainRequest(body) || body.method !== 'tools/call') return undefined;
  const header = (name: string) => req.headers[name] as string | undefined;
  const params = (body as { params?: { name?: unknown } }).params;
  const nameHeader = header('mcp-name')?.replace(/^[ \t]+|[ \t]+$/g, '');
  if (header('mcp-protocol-version') === undefined || header('mcp-method') === undefined) return undefined;
  if (nameHeader !== params?.name || header('content-type') !== 'application/json') return undefined;
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader: header('mcp-protocol-version'),
    mcpMethodHeader: header('mcp-method'),
    mcpNameHeader: header('mcp-name'),
    body,
  });
  if (outcome.kind !== 'modern' || outcome.messageKind !== 'request') return undefined;
  return outcome.classification.revision === REVISION ? outcome.classification : undefined;
}

/** Each case decided by clearCutToolCall and by the classifier alone: [what, ours, the SDK's]. */
function decideAll() {
  return cases.map(([what, changes, body]) => {
    const req = requestOf(changes);
    const ours = clearCutToolCall(req, body);
    const theirs = classifierDecision(req, body);
    if (ours) expect(ours.message).toBe(body);
    return [what, ours?.classification, theirs];
  });
}

describe('remembered envelopes', () => {
  it('decide every request as the SDK classifier does, before and after they are remembered', () => {
    const first = decideAll();
    for (const [what, ours, theirs] of first) expect([what, ours]).toEqual([what, theirs]);
    // The accepted envelopes are now remembered: the plain call's is among them.
    expect(envelopeAccepted(envelopeKey(envelope)!)).toBe(true);
    // Every case again, now answered from what was remembered wherever it applies.
    const second = decideAll();
    expect(second).toEqual(first);
    // Reverse order, so a rejected request never follows only its own accepted twin.
    cases.reverse();
    expect(decideAll()).toEqual([...first].reverse());
    cases.reverse();
  });

  it('take an accepted envelope without the classifier only when its headers still say so', () => {
    rememberAcceptedEnvelope(envelopeKey(envelope)!);
    expect(clearCutToolCall(requestOf({}), call(envelope))?.classification).toEqual({
      era: 'modern',
      revision: REVISION,
    });
    expect(
      clearCutToolCall(requestOf({ 'mcp-protocol-version': '2025-11-25' }), call(envelope)),
    ).toBeUndefined();
    expect(clearCutToolCall(requestOf({ 'mcp-method': 'tools/list' }), call(envelope))).toBeUndefined();
    expect(clearCutToolCall(requestOf({}, 'GET'), call(envelope))).toBeUndefined();
  });

  it('key an envelope by what the SDK checks of it: absent and null differ, foreign keys do not count', () => {
    const base = envelopeKey(envelope);
    expect(envelopeKey({ ...envelope, progressToken: 9, 'example.com/x': 1 })).toBe(base);
    expect(envelopeKey({ ...envelope, [CLIENT_INFO_META_KEY]: null })).not.toBe(
      envelopeKey(without(CLIENT_INFO_META_KEY)),
    );
    expect(envelopeKey({ ...envelope, [LOG_LEVEL_META_KEY]: 'info' })).not.toBe(base);
    expect(envelopeKey(without(CLIENT_CAPABILITIES_META_KEY))).toBeUndefined();
    // A large envelope is not remembered (memory a hostile client could fill).
    expect(
      envelopeKey({
        ...envelope,
        [CLIENT_CAPABILITIES_META_KEY]: { experimental: { x: 'y'.repeat(5_000) } },
      }),
    ).toBeUndefined();
  });
});
