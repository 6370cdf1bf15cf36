// A local MCP Registry for tests: the `/v0.1` read API over real loopback HTTP, serving server.json
// documents in the registry's own envelope (`{ server, _meta }`) from test/fixtures/registry/ (written
// from the published schema) plus any a test adds. Search is a case-insensitive substring of the name
// as the official registry does it, `version=latest`, deleted entries hidden unless asked for, and
// opaque cursors over pages. A test can make it fail (an HTTP status, not-JSON, silence) and read the
// requests it got. Never the network.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { OperationInput, OperationName, OperationOutput } from '../../main/core/api/contract.js';
import { findOption } from '../../main/core/catalog/option-choice.js';

export const REGISTRY_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'registry');

/** One entry as the API serves it: the server.json and the registry's metadata. */
export interface RegistryEntry {
  server: { name: string; version: string; [key: string]: unknown };
  _meta?: Record<string, unknown>;
}

/** How the registry misbehaves, for the failure tests. */
export type RegistryFault =
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'not-json' }
  | { kind: 'silent' }
  /** Answers as usual, but hands out this cursor for the next page, whatever it holds. */
  | { kind: 'cursor'; nextCursor: string };

export interface LocalRegistry {
  url: string;
  entries: RegistryEntry[];
  /** Paths with query of every request, in order. */
  requests: string[];
  /** Set to make every request fail this way; null answers normally. */
  fault: RegistryFault | null;
  close(): Promise<void>;
}

/** The fixture files, each one entry. */
export function fixtureEntries(): RegistryEntry[] {
  return readdirSync(REGISTRY_FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(REGISTRY_FIXTURES, file), 'utf8')) as RegistryEntry);
}

/** The version of `@modelcontextprotocol/server-everything` this project has installed. */
export const EVERYTHING_VERSION = (
  createRequire(import.meta.url)('@modelcontextprotocol/server-everything/package.json') as {
    version: string;
  }
).version;

/**
 * The fixture files with server-everything's entry naming the installed version, as a publisher's
 * server.json would, so that `npx` runs what is already here.
 */
export function fixtureEntriesPinned(): RegistryEntry[] {
  return fixtureEntries().map((entry) =>
    entry.server.name === 'io.modelcontextprotocol/everything'
      ? {
          ...entry,
          server: {
            ...entry.server,
            version: EVERYTHING_VERSION,
            packages: (entry.server.packages as Array<Record<string, unknown>>).map((pkg) => ({
              ...pkg,
              version: EVERYTHING_VERSION,
            })),
          },
        }
      : entry,
  );
}

const NPM_SETTINGS = [
  'npm_config_registry',
  'npm_config_fetch_retries',
  'npm_config_update_notifier',
] as const;

/**
 * Points npm (and so the connectors' `npx`, which inherit the environment) at no registry, failing at
 * once; returns what puts the environment back as it was.
 */
export function npmWithoutRegistry(): () => void {
  const saved = Object.fromEntries(NPM_SETTINGS.map((key) => [key, process.env[key]]));
  process.env.npm_config_registry = 'http://127.0.0.1:9/';
  process.env.npm_config_fetch_retries = '0';
  process.env.npm_config_update_notifier = 'false';
  return () => {
    for (const key of NPM_SETTINGS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };
}

/**
 * Points npm at a package registry on loopback that has no package at all — every one answered 404
 * Not Found, as registry.npmjs.org answers a name it does not know — so npx fails as it does for a
 * package that was never published; resolves to what stops it and puts the environment back.
 */
export async function npmWithNoPackages(): Promise<() => Promise<void>> {
  const server = createServer((_req, res) => send(res, 404, { error: 'Not found' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const saved = Object.fromEntries(NPM_SETTINGS.map((key) => [key, process.env[key]]));
  process.env.npm_config_registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  process.env.npm_config_fetch_retries = '0';
  process.env.npm_config_update_notifier = 'false';
  return async () => {
    for (const key of NPM_SETTINGS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** A valid active entry with an npm package, for filling pages. */
export function fillerEntry(name: string, version = '1.0.0'): RegistryEntry {
  return {
    server: {
      name,
      description: `Filler server ${name}.`,
      version,
      packages: [
        {
          registryType: 'npm',
          identifier: `filler-${name.split('/')[1]}`,
          version,
          transport: { type: 'stdio' },
        },
      ],
    },
    _meta: {
      'io.modelcontextprotocol.registry/official': {
        status: 'active',
        publishedAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
        isLatest: true,
      },
    },
  };
}

function official(entry: RegistryEntry): { status?: string; isLatest?: boolean } {
  return (entry._meta?.['io.modelcontextprotocol.registry/official'] ?? {}) as {
    status?: string;
    isLatest?: boolean;
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts the registry on a free loopback port with the fixture entries and `extra` ones. */
export async function startLocalRegistry(
  options: { entries?: RegistryEntry[]; extra?: RegistryEntry[] } = {},
): Promise<LocalRegistry> {
  const registry: Omit<LocalRegistry, 'url' | 'close'> = {
    entries: [...(options.entries ?? fixtureEntries()), ...(options.extra ?? [])],
    requests: [],
    fault: null,
  };
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    registry.requests.push(req.url ?? '/');
    const fault = registry.fault;
    if (fault?.kind === 'silent') {
      hanging.add(res);
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(fault.body ?? JSON.stringify({ error: 'Something went wrong' }));
      return;
    }
    if (fault?.kind === 'not-json') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome to our homepage</body></html>');
      return;
    }
    answer(registry.entries, req, res, fault?.kind === 'cursor' ? fault.nextCursor : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(registry, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function answer(
  entries: RegistryEntry[],
  req: IncomingMessage,
  res: ServerResponse,
  nextCursor?: string,
): void {
  const url = new URL(req.url ?? '/', 'http://registry.test');
  const includeDeleted = url.searchParams.get('include_deleted') === 'true';
  const visible = (entry: RegistryEntry) => includeDeleted || official(entry).status !== 'deleted';
  if (req.method !== 'GET') return send(res, 405, { error: 'Method not allowed' });
  if (url.pathname === '/v0.1/servers') return list(entries.filter(visible), url, res, nextCursor);
  const match = /^\/v0\.1\/servers\/([^/]+)\/versions(?:\/([^/]+))?$/.exec(url.pathname);
  if (!match) return send(res, 404, { error: 'Not found' });
  const name = decodeURIComponent(match[1]!);
  const versions = entries.filter((entry) => entry.server.name === name && visible(entry));
  if (versions.length === 0) return send(res, 404, { error: 'Server not found' });
  if (match[2] === undefined) {
    return send(res, 200, { servers: versions, metadata: { count: versions.length } });
  }
  const wanted = decodeURIComponent(match[2]);
  const found =
    wanted === 'latest'
      ? versions.find((entry) => official(entry).isLatest === true)
      : versions.find((entry) => entry.server.version === wanted);
  return found ? send(res, 200, found) : send(res, 404, { error: 'Server not found' });
}

/** `/v0.1/servers`: search, version=latest, limit and cursor (the last name:version of a page). */
function list(entries: RegistryEntry[], url: URL, res: ServerResponse, nextCursor?: string): void {
  const search = url.searchParams.get('search')?.toLowerCase() ?? '';
  const latest = url.searchParams.get('version') === 'latest';
  const limit = Math.min(Number(url.searchParams.get('limit') ?? '30') || 30, 100);
  const matching = entries
    .filter((entry) => entry.server.name.toLowerCase().includes(search))
    .filter((entry) => !latest || official(entry).isLatest === true)
    .sort((a, b) =>
      `${a.server.name}:${a.server.version}`.localeCompare(`${b.server.name}:${b.server.version}`),
    );
  const cursor = url.searchParams.get('cursor');
  const start =
    cursor === null
      ? 0
      : matching.findIndex((entry) => `${entry.server.name}:${entry.server.version}` === cursor) + 1;
  if (cursor !== null && start === 0) return send(res, 400, { error: 'Invalid cursor' });
  const page = matching.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < matching.length;
  send(res, 200, {
    servers: page,
    metadata: {
      count: page.length,
      ...(more && last ? { nextCursor: nextCursor ?? `${last.server.name}:${last.server.version}` } : {}),
    },
  });
}

/** What can call the engine's operations (an Engine, or a client of it). */
interface CatalogCaller {
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
}

/**
 * `catalog.add` as the window and the CLI make it: with the `reviewed` digest `catalog.show` gave the
 * option about to be added (the one named, else the first that can run here).
 */
export async function addReviewed(
  engine: CatalogCaller,
  input: Omit<OperationInput<'catalog.add'>, 'reviewed'>,
): Promise<OperationOutput<'catalog.add'>> {
  const detail = await engine
    .call('catalog.show', { name: input.name, ...(input.version ? { version: input.version } : {}) })
    .catch(() => null);
  const options = detail?.options ?? [];
  const option =
    (input.option !== undefined ? findOption(options, input.option) : undefined) ??
    options.find((candidate) => candidate.problem === null) ??
    options[0];
  return engine.call('catalog.add', { ...input, reviewed: option?.reviewed ?? '0'.repeat(64) });
}
