// The per-request SSE streams of the SDK's web-standard Streamable HTTP transport (MCP TypeScript SDK
// 2.4.0, `WebStandardStreamableHTTPServerTransport`), as Gatehouse joins them: its stream tables
// (`_streamMapping`, `_requestToStreamMapping`), its priming event and keep-alive (`writePrimingEvent`,
// `startKeepAlive`) and the step that turns a message into SSE bytes (`writeSSEEvent`), all private in
// its typings. A stream joined here is the SDK's own: its send stores each message in the session's
// event store and writes it with its id, and a client that reconnects with Last-Event-ID is replayed
// what it missed and then the rest. docs/sdk-seam.md: the public API that would remove this.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/server';
import { SSE_HEADERS } from './wire-constants.js';

/** One of the SDK transport's per-request SSE streams, as it keeps them (`_streamMapping`). */
interface SdkStream {
  controller?: StreamController;
  encoder?: { encode(text: string): Uint8Array };
  cleanup(): void;
}
interface StreamController {
  enqueue(chunk: Uint8Array): void;
  close(): void;
}

/** The private parts of the SDK transport a joined stream uses. */
interface SdkStreams {
  _streamMapping: Map<string, SdkStream>;
  _requestToStreamMapping: Map<RequestId, string>;
  writePrimingEvent(
    controller: StreamController,
    encoder: NonNullable<SdkStream['encoder']>,
    streamId: string,
    protocolVersion: string,
  ): Promise<void>;
  startKeepAlive(
    controller: StreamController,
    encoder: NonNullable<SdkStream['encoder']>,
  ): ReturnType<typeof setInterval> | undefined;
}

/**
 * The stream members a transport must have for `joinRequestStream`.
 * @internal Exported for the pins test, which holds it to the installed SDK.
 */
export const SESSION_STREAM_MEMBERS = [
  '_streamMapping',
  '_requestToStreamMapping',
  'writePrimingEvent',
  'startKeepAlive',
] as const;

/** Whether `transport` (an SDK web-standard transport) has the stream parts `joinRequestStream` uses. */
export function hasRequestStreams(transport: object): boolean {
  const sdk = transport as Partial<SdkStreams>;
  return (
    sdk._streamMapping instanceof Map &&
    sdk._requestToStreamMapping instanceof Map &&
    typeof sdk.writePrimingEvent === 'function' &&
    typeof sdk.startKeepAlive === 'function'
  );
}

/** A request's SSE stream on the SDK transport's tables: settles `opened` once primed; `end` drops it. */
export interface JoinedStream {
  /** Settles once the priming event is written (messages sent before may overtake it otherwise). */
  readonly opened: Promise<void>;
  /** Ends the stream and forgets it (the request ended without a response). */
  end(): void;
}

/**
 * Opens request `id`'s SSE stream on `res` as the SDK's handlePostRequest does, on the SDK's own
 * tables (`transport` must pass `hasRequestStreams`): headers, priming event for `version`, keep-alive.
 * From here on the SDK's send writes the request's messages to it, and ends it after the response.
 * A client that goes away drops the stream, as when the SDK's ReadableStream is cancelled: the
 * request's messages are then only stored, for a reconnect with Last-Event-ID.
 */
export function joinRequestStream(
  transport: object,
  id: RequestId,
  res: ServerResponse,
  headers: Record<string, string>,
  version: string,
  onerror: (error: Error) => void,
): JoinedStream {
  const sdk = transport as SdkStreams;
  const streamId = randomUUID();
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  res.flushHeaders();
  const controller: StreamController = {
    enqueue: (chunk) => {
      if (!res.destroyed && !res.writableEnded) res.write(chunk);
    },
    close: () => {
      if (!res.writableEnded) res.end();
    },
  };
  const encoder = new TextEncoder();
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  sdk._streamMapping.set(streamId, {
    controller,
    encoder,
    cleanup: () => {
      clearInterval(keepAlive);
      sdk._streamMapping.delete(streamId);
      controller.close();
    },
  });
  sdk._requestToStreamMapping.set(id, streamId);
  res.once('close', () => {
    clearInterval(keepAlive);
    if (sdk._streamMapping.get(streamId)?.controller === controller) sdk._streamMapping.delete(streamId);
  });
  const opened = sdk
    .writePrimingEvent(controller, encoder, streamId, version)
    .catch((error: unknown) => onerror(error as Error))
    .then(() => {
      if (sdk._streamMapping.get(streamId)?.controller === controller)
        keepAlive = sdk.startKeepAlive(controller, encoder);
    });
  return {
    opened,
    end: () => {
      sdk._streamMapping.get(streamId)?.cleanup();
      if (sdk._requestToStreamMapping.get(id) === streamId) sdk._requestToStreamMapping.delete(id);
    },
  };
}

/** Writes one message as an SSE event on the SDK's stream controller; false when it could not. */
export type SseEventWriter = (
  controller: ReadableStreamDefaultController<Uint8Array>,
  encoder: { encode(text: string): Uint8Array },
  message: JSONRPCMessage,
  eventId?: string,
) => boolean;

/**
 * Puts `hook` in front of the step where the SDK transport turns a message into SSE bytes
 * (`writeSSEEvent`, private): it gets the SDK's own writer to fall back on. False when this SDK has no
 * such step (responses are then serialized as usual: slower, not wrong).
 */
export function hookSseEvents(
  transport: object,
  hook: (write: SseEventWriter, ...args: Parameters<SseEventWriter>) => boolean,
): boolean {
  const self = transport as { writeSSEEvent?: SseEventWriter };
  const write = self.writeSSEEvent;
  if (typeof write !== 'function') return false;
  const own: SseEventWriter = (...args) => write.apply(transport, args);
  self.writeSSEEvent = (...args) => hook(own, ...args);
  return true;
}
