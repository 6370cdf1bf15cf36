// The catalog's operations over a real engine and the local registry over loopback HTTP: search with
// paging and the registry's statuses, a server's versions and options with runtimes found (or not) on
// a login-shell PATH, adding as a connector with secrets sealed and nothing saved on a bad answer, and
// every way the registry can fail, each in one sentence.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogServerSummary } from '../../../main/core/api/catalog-contract.js';
import {
  createCommandResolver,
  type LaunchHost,
} from '../../../main/core/connectors/processes/stdio-launch.js';
import type { Engine } from '../../../main/core/engine/engine.js';
import { startEngine, type EngineFixture, connectorNames } from '../../support/engine-fixture.js';
import {
  addReviewed,
  fillerEntry,
  startLocalRegistry,
  type LocalRegistry,
} from '../../support/registry-server.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

/**
 * A Mac whose app was started without a terminal: Gatehouse's own PATH has no npx, the login shell's
 * has it in Homebrew; docker is in /usr/local/bin; uv is not installed.
 */
const launchHost: LaunchHost = {
  platform: 'darwin',
  env: { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin', HOME: '/Users/me' },
  homedir: '/Users/me',
  cwd: '/',
  isExecutableFile: async (file) => ['/opt/homebrew/bin/npx', '/usr/local/bin/docker'].includes(file),
  isDirectory: async (dir) => dir === '/usr/local/bin',
  readText: async () => null,
  listDirectory: async () => [],
  runLoginShell: async () => '__GATEHOUSE_PATH__/opt/homebrew/bin:/usr/bin:/bin__GATEHOUSE_PATH__',
};

let registry: LocalRegistry;
let fixture: EngineFixture;
let engine: Engine;

beforeAll(async () => {
  registry = await startLocalRegistry({
    extra: Array.from({ length: 24 }, (_, i) =>
      fillerEntry(`io.github.filler/tool-${String(i).padStart(2, '0')}`),
    ),
  });
  fixture = await startEngine({
    // Every registry request of this file must answer within it, so two seconds (not 0.5) on a
    // loaded 2-core machine; the silent registry's test waits it out once.
    catalog: { resolveCommand: createCommandResolver(launchHost), timeoutMs: 2_000 },
  });
  engine = fixture.engine;
  await engine.call('settings.set', { registryUrl: registry.url });
});

afterEach(() => {
  registry.fault = null;
});

afterAll(async () => {
  await fixture.stop();
  await registry.close();
});

const names = (servers: CatalogServerSummary[]) => servers.map((server) => server.name);

describe('catalog.search', () => {
  it('finds servers by name, latest versions only, deleted ones left out', async () => {
    const result = await engine.call('catalog.search', { query: 'ACME' });
    expect(result.registryUrl).toBe(registry.url);
    expect(names(result.servers)).toEqual([
      'io.github.acme/dotnet-weather',
      'io.github.acme/notes',
      'io.github.acme/old-weather',
      'io.github.acme/postgres',
      'io.github.acme/weather',
    ]);
    expect(result.servers.find((server) => server.name === 'io.github.acme/weather')?.version).toBe('1.4.0');
    expect(result.servers.find((server) => server.name === 'io.github.acme/old-weather')).toMatchObject({
      status: 'deprecated',
      statusMessage: 'Use io.github.acme/weather instead.',
    });
    expect(result.nextCursor).toBeNull();
    expect(registry.requests.at(-1)).toBe('/v0.1/servers?limit=30&version=latest&search=ACME');
  });

  it('pages through every server with the registry’s cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await engine.call('catalog.search', { limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...names(page.servers));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(31);
    expect(new Set(seen).size).toBe(31);
    expect(seen).toContain('io.github.filler/tool-22');
    expect(seen).not.toContain('io.github.acme/free-prizes');
  });

  it('leaves out entries that are not valid server.json documents, and counts them', async () => {
    // No description, and a package whose identifier is a number: not a server.json.
    const broken = fillerEntry('io.github.acme/broken');
    delete broken.server.description;
    const odd = fillerEntry('io.github.acme/bad-package');
    odd.server.packages = [{ registryType: 'npm', identifier: 42 }];
    registry.entries.push(broken, odd);
    try {
      const result = await engine.call('catalog.search', { query: 'acme/b' });
      expect(result).toMatchObject({ servers: [], skipped: 2 });
    } finally {
      registry.entries.splice(-2);
    }
  });

  it('refuses a search that is too long, naming the limit', async () => {
    await expect(engine.call('catalog.search', { query: 'x'.repeat(201) })).rejects.toThrow(
      'A search is at most 200 characters.',
    );
  });
});

describe('catalog.show', () => {
  it('shows a server with its versions, its options and what each needs', async () => {
    const detail = await engine.call('catalog.show', { name: 'io.github.acme/weather' });
    expect(detail).toMatchObject({
      name: 'io.github.acme/weather',
      title: 'Acme Weather',
      version: '1.4.0',
      status: 'active',
      isLatest: true,
      repositoryUrl: 'https://github.com/acme/weather-mcp',
      websiteUrl: 'https://acme.example/weather',
      registryUrl: registry.url,
      suggestedConnectorName: 'weather',
      versions: [
        { version: '1.3.0', status: 'active', isLatest: false, publishedAt: '2026-01-20T14:00:00Z' },
        { version: '1.4.0', status: 'active', isLatest: true, publishedAt: '2026-03-02T09:15:00Z' },
      ],
    });
    expect(detail.options).toHaveLength(1);
    expect(detail.options[0]).toMatchObject({ id: 'npm', runtime: 'npx', problem: null });
  });

  it('shows an older version on request', async () => {
    const detail = await engine.call('catalog.show', { name: 'io.github.acme/weather', version: '1.3.0' });
    expect(detail).toMatchObject({ version: '1.3.0', isLatest: false });
    expect(detail.options[0]?.inputs.map((input) => input.name)).toEqual(['WEATHER_API_KEY']);
  });

  it('says plainly when a runtime is missing on this machine', async () => {
    const notes = await engine.call('catalog.show', { name: 'io.github.acme/notes' });
    expect(notes.options[0]?.problem).toBe(
      "uvx is not installed on this machine (it is not on your login shell's PATH). Install uv (it brings uvx) from https://docs.astral.sh/uv/, then try again.",
    );
    const postgres = await engine.call('catalog.show', { name: 'io.github.acme/postgres' });
    expect(postgres.options[0]?.problem).toBeNull();
  });

  it('shows a deleted server’s status, and names what is unknown', async () => {
    const deleted = await engine.call('catalog.show', { name: 'io.github.acme/free-prizes' });
    expect(deleted).toMatchObject({
      status: 'deleted',
      statusMessage: 'Removed as spam.',
      repositoryUrl: null,
    });
    await expect(engine.call('catalog.show', { name: 'io.github.acme/nothing' })).rejects.toThrow(
      `The registry at ${registry.url} has no io.github.acme/nothing. Check the name with \`gatehouse catalog search\`.`,
    );
    await expect(
      engine.call('catalog.show', { name: 'io.github.acme/weather', version: '9.9.9' }),
    ).rejects.toThrow(`The registry at ${registry.url} has no version 9.9.9 of io.github.acme/weather.`);
    await expect(engine.call('catalog.show', { name: 'weather' })).rejects.toThrow(
      'A registry server name looks like io.github.user/server (one slash).',
    );
  });
});

describe('catalog.add', () => {
  const WEATHER_KEY = 'wk-live-5f3a9c0e7b21';

  it('adds a connector with its secrets sealed, and audits where it came from without them', async () => {
    const result = await addReviewed(engine, {
      name: 'io.github.acme/weather',
      answers: { 'environment:WEATHER_API_KEY': WEATHER_KEY },
      enabled: false,
    });
    expect(result.connector).toMatchObject({
      name: 'weather',
      enabled: false,
      settings: {
        kind: 'stdio',
        command: 'npx',
        args: ['-y', '@acme/weather-mcp@1.4.0'],
        env: { WEATHER_API_KEY: '[stored]', WEATHER_UNITS: '[stored]' },
      },
    });
    expect(result).toMatchObject({ option: { id: 'npm' }, warnings: [] });
    expect(engineParts(engine).connectorStore.unsealed('weather')).toMatchObject({
      env: { WEATHER_API_KEY: WEATHER_KEY, WEATHER_UNITS: 'metric' },
    });
    const [added] = await engine.call('audit.list', { connector: 'weather', limit: 1 });
    expect(added).toMatchObject({
      type: 'connector.added',
      reason:
        'Added weather from the MCP Registry: io.github.acme/weather 1.4.0 (npm package @acme/weather-mcp 1.4.0)',
      detail: { registryServer: 'io.github.acme/weather', registryVersion: '1.4.0', option: 'npm' },
    });
    expect(JSON.stringify(await engine.call('audit.list', { limit: 50 }))).not.toContain(WEATHER_KEY);
    expect(fixture.logs.join('\n')).not.toContain(WEATHER_KEY);
    const again = await engine.call('catalog.show', { name: 'io.github.acme/weather' });
    expect(again.suggestedConnectorName).toBe('weather-2');
  });

  it('saves nothing when an answer is missing or wrong, and says each problem', async () => {
    await expect(
      addReviewed(engine, {
        name: 'io.github.acme/tickets'.replace('io.github.acme', 'com.example'),
        answers: { 'header:X-Region': 'mars' },
      }),
    ).rejects.toThrow(
      'Cannot add com.example/tickets 3.0.1: tenant is required (Your workspace\'s subdomain); api_token is required (An API token from Settings → API); the header X-Region must be one of eu, us (got "mars").',
    );
    expect(await connectorNames(engine)).not.toContain('tickets');
  });

  it('adds a remote with its URL variables and headers, signing in with OAuth when asked', async () => {
    const result = await addReviewed(engine, {
      name: 'com.example/tickets',
      option: 'remote-2',
      connector: 'tickets-sse',
      answers: { 'variable:tenant': 'acme' },
      auth: 'oauth',
      enabled: false,
    });
    expect(result.connector.settings).toMatchObject({
      kind: 'http',
      url: 'https://acme.tickets.example.com/sse',
      transport: 'sse',
      auth: { type: 'oauth' },
    });
    const streamable = await addReviewed(engine, {
      name: 'com.example/tickets',
      answers: { 'variable:tenant': 'acme', 'variable:api_token': 'tk_live_77' },
      enabled: false,
    });
    expect(streamable.connector.name).toBe('tickets');
    expect(streamable.connector.settings).toMatchObject({
      headers: { Authorization: '[stored]', 'X-Region': '[stored]' },
    });
    expect(engineParts(engine).connectorStore.unsealed('tickets')).toMatchObject({
      headers: { Authorization: 'Bearer tk_live_77', 'X-Region': 'eu' },
    });
  });

  it('adds a Docker image with the secret passed into the container by name', async () => {
    const result = await addReviewed(engine, {
      name: 'io.github.acme/postgres',
      answers: { 'variable:database_url': 'postgres://me:pw@db/app' },
      // Its entry asks for --network host.
      acceptRisks: true,
      enabled: false,
    });
    expect(result.connector.settings).toMatchObject({ command: 'docker', env: { DATABASE_URL: '[stored]' } });
    expect(JSON.stringify(await engine.call('connectors.list'))).not.toContain('pw@db');
    expect(engineParts(engine).connectorStore.unsealed('postgres')).toMatchObject({
      env: { DATABASE_URL: 'postgres://me:pw@db/app' },
    });
  });

  it('warns about a deprecated server and refuses a deleted one', async () => {
    const old = await addReviewed(engine, { name: 'io.github.acme/old-weather', enabled: false });
    expect(old.warnings).toEqual([
      'io.github.acme/old-weather 0.9.5 is deprecated: Use io.github.acme/weather instead.',
    ]);
    await expect(addReviewed(engine, { name: 'io.github.acme/free-prizes' })).rejects.toThrow(
      'io.github.acme/free-prizes 1.0.0 was deleted from the registry (Removed as spam.); Gatehouse will not add it.',
    );
  });

  it('refuses what cannot run here, naming the reason and the alternatives', async () => {
    await expect(
      addReviewed(engine, { name: 'io.github.acme/notes', answers: { 'argument:notes_dir': '/n' } }),
    ).rejects.toThrow(
      "Gatehouse cannot add io.github.acme/notes 0.5.0 on this machine. PyPI package acme-notes-mcp 0.5.0: uvx is not installed on this machine (it is not on your login shell's PATH). Install uv (it brings uvx) from https://docs.astral.sh/uv/, then try again.",
    );
    await expect(addReviewed(engine, { name: 'io.github.acme/weather', option: 'remote' })).rejects.toThrow(
      'io.github.acme/weather 1.4.0 has no remote option; it offers npm.',
    );
    await expect(
      addReviewed(engine, {
        name: 'io.github.acme/weather',
        auth: 'oauth',
        answers: { 'environment:WEATHER_API_KEY': 'k' },
      }),
    ).rejects.toThrow(
      'OAuth sign-in is for remote servers; npm package @acme/weather-mcp 1.4.0 runs on this machine.',
    );
    await expect(
      addReviewed(engine, {
        name: 'io.github.acme/weather',
        connector: 'weather',
        answers: { 'environment:WEATHER_API_KEY': 'k' },
        again: true,
      }),
    ).rejects.toThrow(
      'A connector named weather already exists; names are unique (edit it, or choose another name).',
    );
  });
});

describe('when the registry fails', () => {
  it('says so when it cannot be reached (offline)', async () => {
    const closed = await startLocalRegistry({ entries: [] });
    await closed.close();
    await engine.call('settings.set', { registryUrl: closed.url });
    try {
      await expect(engine.call('catalog.search', {})).rejects.toMatchObject({
        code: 'registry_unavailable',
        message: `Cannot reach the registry at ${closed.url} (connection refused). You may be offline; check your connection, or the registry URL in Settings.`,
      });
    } finally {
      await engine.call('settings.set', { registryUrl: registry.url });
    }
  });

  it('gives up on a registry that does not answer, after the deadline', async () => {
    registry.fault = { kind: 'silent' };
    await expect(engine.call('catalog.search', { query: 'weather' })).rejects.toThrow(
      `The registry at ${registry.url} did not answer within 2 seconds; check your connection and try again.`,
    );
  });

  it('reports an HTTP error with the registry’s own words', async () => {
    registry.fault = { kind: 'status', status: 503, body: JSON.stringify({ error: 'Database unavailable' }) };
    await expect(engine.call('catalog.search', {})).rejects.toThrow(
      `The registry at ${registry.url} answered HTTP 503 (Database unavailable); try again later.`,
    );
    registry.fault = { kind: 'status', status: 429 };
    await expect(engine.call('catalog.search', {})).rejects.toThrow(
      `The registry at ${registry.url} is limiting requests (HTTP 429); try again in a minute.`,
    );
  });

  it('tells a web page from a registry', async () => {
    registry.fault = { kind: 'not-json' };
    await expect(engine.call('catalog.show', { name: 'io.github.acme/weather' })).rejects.toThrow(
      `${registry.url} does not look like an MCP Registry: its answer is not JSON. Check the registry URL in Settings (the official one is https://registry.modelcontextprotocol.io).`,
    );
    registry.fault = null;
    await engine.call('settings.set', { registryUrl: `${registry.url}/elsewhere` });
    try {
      await expect(engine.call('catalog.search', {})).rejects.toThrow(
        `${registry.url}/elsewhere does not look like an MCP Registry: it has no /v0.1/servers.`,
      );
    } finally {
      await engine.call('settings.set', { registryUrl: registry.url });
    }
  });
});

describe('the registry URL setting', () => {
  it('defaults to the official registry and takes only https (http only to this computer)', async () => {
    const fresh = await startEngine();
    try {
      expect((await fresh.engine.call('settings.get')).registryUrl).toBe(
        'https://registry.modelcontextprotocol.io',
      );
      await expect(
        fresh.engine.call('settings.set', { registryUrl: 'http://registry.corp.example' }),
      ).rejects.toThrow('The registry URL must use https (plain http only to 127.0.0.1 or localhost).');
      await expect(fresh.engine.call('settings.set', { registryUrl: 'registry' })).rejects.toThrow(
        'The registry URL must be an absolute URL, e.g. https://registry.modelcontextprotocol.io.',
      );
      const set = await fresh.engine.call('settings.set', {
        registryUrl: 'https://mcp.corp.example/registry',
      });
      expect(set.registryUrl).toBe('https://mcp.corp.example/registry');
    } finally {
      await fresh.stop();
    }
  });
});
