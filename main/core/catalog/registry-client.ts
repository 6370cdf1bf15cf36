// A client of the MCP Registry's REST API (`/v0.1`, the stable version): search with cursor paging,
// one server's versions, one version (or `latest`). It reads through the engine's fetch effect with a
// deadline and a size cap, and turns every way a registry can fail — offline, slow, not a registry,
// an HTTP error, a malformed answer — into one sentence that says what to do.
import type { Fetch } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { REGISTRY_URL_IN_SETTINGS } from '../text.js';
import { visibleText } from '../visible-text.js';
import { serverList, serverResponse, type ServerResponse } from './server-json.js';

/** How long one request to the registry may take. */
const REGISTRY_TIMEOUT_MS = 10_000;
/** The most one answer may weigh; a page of 100 servers is a few hundred KB. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** One page of search results: the entries that parsed, how many did not, and the next cursor. */
export interface RegistryPage {
  entries: ServerResponse[];
  /** Entries that were not valid server.json documents and were left out. */
  skipped: number;
  nextCursor: string | null;
}

/** Which registry to ask and how: the engine's fetch and a deadline per request. */
export interface RegistryClientOptions {
  fetch: Fetch;
  /** The registry's base URL, e.g. https://registry.modelcontextprotocol.io (a trailing / is fine). */
  baseUrl: string;
  timeoutMs?: number;
}

/**
 * Reads the MCP Registry's REST API (`/v0.1`); every failure becomes a GatehouseError with a sentence that
 * says what to do.
 */
export class RegistryClient {
  readonly baseUrl: string;
  readonly #fetch: Fetch;
  readonly #timeoutMs: number;

  constructor(options: RegistryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs ?? REGISTRY_TIMEOUT_MS;
  }

  /**
   * Latest versions of the servers whose name contains `query` (every server when it is empty), one
   * page at a time. Deleted servers are left out by the registry.
   */
  async search(query: { text: string; cursor?: string | undefined; limit: number }): Promise<RegistryPage> {
    const params = new URLSearchParams({ limit: String(query.limit), version: 'latest' });
    if (query.text !== '') params.set('search', query.text);
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    const body = await this.#get(`/v0.1/servers?${params}`, 'list');
    return this.#page(body);
  }

  /** Every version of one server, newest first, deleted ones included (their status says so). */
  async versions(name: string): Promise<RegistryPage> {
    const body = await this.#get(`/v0.1/servers/${encodeURIComponent(name)}/versions?include_deleted=true`, {
      server: name,
    });
    return this.#page(body);
  }

  /** One version of a server (`latest` by default), deleted ones included so their status can be shown. */
  async get(name: string, version = 'latest'): Promise<ServerResponse> {
    const body = await this.#get(
      `/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}?include_deleted=true`,
      { server: name, version },
    );
    const parsed = serverResponse.safeParse(body);
    if (!parsed.success) {
      throw new GatehouseError(
        'registry_unavailable',
        `The registry's entry for ${name} is not a valid server.json (${firstIssue(parsed.error)}), so Gatehouse cannot add it.`,
      );
    }
    return parsed.data;
  }

  #page(body: unknown): RegistryPage {
    const list = serverList.safeParse(body);
    if (!list.success) throw this.#notARegistry('its answer is not a list of servers');
    const entries: ServerResponse[] = [];
    let skipped = 0;
    for (const raw of list.data.servers) {
      const entry = serverResponse.safeParse(raw);
      if (entry.success) entries.push(entry.data);
      else skipped++;
    }
    const next = list.data.metadata?.nextCursor;
    return { entries, skipped, nextCursor: typeof next === 'string' && next !== '' ? next : null };
  }

  /**
   * GETs a path and parses the JSON answer. `about` says what a 404 means: for the list, that this is
   * no registry; for a server, that it has no such server (or version).
   */
  async #get(path: string, about: 'list' | { server: string; version?: string }): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'follow',
      });
    } catch (error) {
      throw this.#unreachable(error);
    }
    if (response.status === 404 && about !== 'list') {
      await response.body?.cancel();
      const what = about.version && about.version !== 'latest' ? `version ${about.version} of ` : '';
      throw new GatehouseError(
        'not_found',
        `The registry at ${this.baseUrl} has no ${what}${about.server}. Check the name with \`gatehouse catalog search\`.`,
      );
    }
    if (!response.ok) {
      const detail = await errorDetail(response);
      if (response.status === 404) throw this.#notARegistry('it has no /v0.1/servers');
      if (response.status === 429) {
        throw new GatehouseError(
          'registry_unavailable',
          `The registry at ${this.baseUrl} is limiting requests (HTTP 429); try again in a minute.`,
        );
      }
      throw new GatehouseError(
        'registry_unavailable',
        `The registry at ${this.baseUrl} answered HTTP ${response.status}${detail ? ` (${detail})` : ''}; ` +
          (response.status >= 500 ? 'try again later.' : `check ${REGISTRY_URL_IN_SETTINGS}.`),
      );
    }
    let body: string;
    try {
      body = await readCapped(response, MAX_ANSWER_BYTES);
    } catch (error) {
      if (error instanceof GatehouseError) throw error;
      throw this.#unreachable(error);
    }
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw this.#notARegistry('its answer is not JSON');
    }
  }

  #unreachable(error: unknown): GatehouseError {
    const name = (error as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new GatehouseError(
        'registry_unavailable',
        `The registry at ${this.baseUrl} did not answer within ${seconds(this.#timeoutMs)}; check your connection and try again.`,
        { cause: error },
      );
    }
    return new GatehouseError(
      'registry_unavailable',
      `Cannot reach the registry at ${this.baseUrl} (${networkReason(error)}). You may be offline; check your connection, or ${REGISTRY_URL_IN_SETTINGS}.`,
      { cause: error },
    );
  }

  #notARegistry(why: string): GatehouseError {
    return new GatehouseError(
      'registry_unavailable',
      `${this.baseUrl} does not look like an MCP Registry: ${why}. Check ${REGISTRY_URL_IN_SETTINGS} (the official one is https://registry.modelcontextprotocol.io).`,
    );
  }
}

/** "10 seconds", "1 second", "0.5 seconds". */
function seconds(ms: number): string {
  const value = Number((ms / 1000).toFixed(1));
  return `${value} second${value === 1 ? '' : 's'}`;
}

/** The network failure in a few words: fetch hides the system error in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its name could not be looked up';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    default:
      if (typeof cause?.code === 'string') return cause.code;
      if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
      return error instanceof Error ? error.message : String(error);
  }
}

/** The registry's `{ "error": "…" }` on a failed request, shortened; never more than a line. */
async function errorDetail(response: Response): Promise<string | null> {
  try {
    const body = await readCapped(response, 4096);
    const parsed = JSON.parse(body) as { error?: unknown; detail?: unknown; title?: unknown };
    const message = [parsed.error, parsed.detail, parsed.title].find((value) => typeof value === 'string');
    return typeof message === 'string' ? visibleText(message.replace(/\s+/g, ' ').slice(0, 200)) : null;
  } catch {
    return null;
  }
}

/** The body as text, refusing (and cancelling) one larger than `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new GatehouseError(
        'registry_unavailable',
        `The registry's answer is larger than ${Math.round(limit / 1024 / 1024)} MB; Gatehouse stopped reading it.`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function firstIssue(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown problem';
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}
