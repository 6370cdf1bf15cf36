// server.json → connector: the published fixtures (npm, PyPI, OCI, remotes with headers and URL
// variables) and hand-written edge cases become exact commands, environments and headers; the inputs
// each asks for come out required first with their secrets marked; answers are checked with one
// sentence per problem; what Gatehouse cannot run says why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogAnswers } from '../../../main/core/api/catalog-contract.js';
import { checkAnswers } from '../../../main/core/catalog/answer-check.js';
import { suggestConnectorName } from '../../../main/core/catalog/connector-name.js';
import { installOptions, type InstallOption } from '../../../main/core/catalog/install-options.js';
import { serverResponse, type ServerDetail } from '../../../main/core/catalog/server-json.js';
import { serverSummary } from '../../../main/core/catalog/catalog-views.js';
import { REGISTRY_FIXTURES } from '../../support/registry-server.js';

function fixture(file: string) {
  return serverResponse.parse(JSON.parse(readFileSync(join(REGISTRY_FIXTURES, file), 'utf8')));
}

function option(server: ServerDetail, id: string): InstallOption {
  const found = installOptions(server).find((candidate) => candidate.view.id === id);
  if (!found) throw new Error(`no option ${id}`);
  return found;
}

/** The connector settings for these answers, or the problems as one string. */
function settingsFor(found: InstallOption, answers: CatalogAnswers, auth: 'none' | 'oauth' = 'none') {
  const checked = checkAnswers(found.view.inputs, answers);
  if (checked.problems.length > 0) return checked.problems.map((problem) => problem.message).join('; ');
  return found.settings(checked.values, auth);
}

function server(detail: Partial<ServerDetail>): ServerDetail {
  return { name: 'io.github.test/edge', description: 'Edge case', version: '1.0.0', ...detail };
}

describe('npm packages', () => {
  const weather = option(fixture('weather-1.4.0.json').server, 'npm');

  it('runs npx -y <package>@<version> with the environment as the connector’s', () => {
    expect(weather.view).toMatchObject({
      kind: 'npm',
      runtime: 'npx',
      label: 'npm package @acme/weather-mcp 1.4.0',
      problem: null,
      preview: 'npx -y @acme/weather-mcp@1.4.0 --cache-dir {cache-dir}',
    });
    expect(settingsFor(weather, { 'environment:WEATHER_API_KEY': 'wk-123' })).toEqual({
      kind: 'stdio',
      command: 'npx',
      args: ['-y', '@acme/weather-mcp@1.4.0'],
      env: { WEATHER_API_KEY: 'wk-123', WEATHER_UNITS: 'metric' },
      cwd: null,
    });
  });

  it('asks for required inputs first, secrets marked, with defaults and choices', () => {
    expect(weather.view.inputs).toEqual([
      {
        id: 'environment:WEATHER_API_KEY',
        kind: 'environment',
        name: 'WEATHER_API_KEY',
        description: 'Your Acme Weather API key',
        required: true,
        secret: true,
        default: null,
        placeholder: null,
        choices: null,
        format: 'string',
        repeated: false,
      },
      expect.objectContaining({ id: 'argument:--cache-dir', format: 'filepath', required: false }),
      expect.objectContaining({
        id: 'environment:WEATHER_UNITS',
        default: 'metric',
        choices: ['metric', 'imperial'],
        secret: false,
      }),
    ]);
  });

  it('adds a named argument as flag and value when it is answered', () => {
    expect(
      settingsFor(weather, {
        'environment:WEATHER_API_KEY': 'wk-123',
        'environment:WEATHER_UNITS': 'imperial',
        'argument:--cache-dir': '/tmp/weather cache',
      }),
    ).toMatchObject({
      args: ['-y', '@acme/weather-mcp@1.4.0', '--cache-dir', '/tmp/weather cache'],
      env: { WEATHER_API_KEY: 'wk-123', WEATHER_UNITS: 'imperial' },
    });
  });

  it('says what is missing or wrong, one sentence each, never echoing a secret', () => {
    expect(settingsFor(weather, { 'environment:WEATHER_UNITS': 'kelvin', 'environment:NOPE': 'x' })).toBe(
      'this server does not ask for "environment:NOPE" (it asks for: WEATHER_API_KEY, --cache-dir, WEATHER_UNITS); ' +
        'WEATHER_API_KEY is required (Your Acme Weather API key); ' +
        'WEATHER_UNITS must be one of metric, imperial (got "kelvin")',
    );
    const secretChoice = { ...weather.view.inputs[0]!, choices: ['a', 'b'] };
    expect(checkAnswers([secretChoice], { [secretChoice.id]: 'hunter2' }).problems).toEqual([
      { inputId: 'environment:WEATHER_API_KEY', message: 'WEATHER_API_KEY must be one of a, b' },
    ]);
    expect(settingsFor(weather, { 'environment:WEATHER_API_KEY': 'line one\nline two' })).toBe(
      'WEATHER_API_KEY must be one line',
    );
    expect(settingsFor(weather, { 'environment:WEATHER_API_KEY': ['a', 'b'] })).toBe(
      'WEATHER_API_KEY takes one value',
    );
    expect(settingsFor(weather, { 'environment:WEATHER_API_KEY': '   ' })).toBe(
      'WEATHER_API_KEY is required (Your Acme Weather API key)',
    );
  });

  it('passes a private npm registry to npx', () => {
    const found = option(
      server({
        packages: [
          {
            registryType: 'npm',
            registryBaseUrl: 'https://npm.corp.example/',
            identifier: 'corp-mcp',
            version: '2.0.0',
          },
        ],
      }),
      'npm',
    );
    expect(settingsFor(found, {})).toMatchObject({
      args: ['-y', '--registry', 'https://npm.corp.example/', 'corp-mcp@2.0.0'],
    });
  });

  it('runs only a pinned, well-formed package', () => {
    const problems = (pkg: Record<string, unknown>) =>
      option(server({ packages: [{ registryType: 'npm', ...pkg } as never] }), 'npm').view.problem;
    expect(problems({ identifier: 'weather-mcp' })).toBe(
      'The registry gives no version for weather-mcp, so Gatehouse cannot pin what would run.',
    );
    expect(problems({ identifier: '--eval=process.exit()', version: '1.0.0' })).toBe(
      '"--eval=process.exit()" is not an npm package name.',
    );
    expect(problems({ identifier: 'weather-mcp', version: '^1.2.0' })).toBe(
      'The version "^1.2.0" of weather-mcp is not a single published version.',
    );
  });
});

describe('PyPI packages', () => {
  const notes = option(fixture('notes.json').server, 'pypi');

  it('runs uvx <package>==<version> with positional and boolean arguments', () => {
    expect(notes.view).toMatchObject({
      runtime: 'uvx',
      label: 'PyPI package acme-notes-mcp 0.5.0',
      preview: 'uvx acme-notes-mcp==0.5.0 {notes_dir} --read-only',
    });
    expect(settingsFor(notes, { 'argument:notes_dir': '/home/me/notes' })).toEqual({
      kind: 'stdio',
      command: 'uvx',
      args: ['acme-notes-mcp==0.5.0', '/home/me/notes'],
      env: { NOTES_LOG_LEVEL: 'info' },
      cwd: null,
    });
    expect(
      settingsFor(notes, { 'argument:notes_dir': '/home/me/notes', 'argument:--read-only': 'true' }),
    ).toMatchObject({ args: ['acme-notes-mcp==0.5.0', '/home/me/notes', '--read-only'] });
    expect(settingsFor(notes, { 'argument:notes_dir': '/n', 'argument:--read-only': 'yes' })).toBe(
      '--read-only must be true or false (got "yes")',
    );
  });

  it('repeats a repeated argument once per value', () => {
    const found = option(
      server({
        packages: [
          {
            registryType: 'pypi',
            identifier: 'multi-dir',
            version: '1.0',
            packageArguments: [
              { type: 'positional', valueHint: 'dir', isRepeated: true, isRequired: true },
              { type: 'named', name: '--allow', isRepeated: true },
            ],
          },
        ],
      }),
      'pypi',
    );
    expect(
      settingsFor(found, { 'argument:dir': ['/a', '/b'], 'argument:--allow': ['x', 'y'] }),
    ).toMatchObject({
      args: ['multi-dir==1.0', '/a', '/b', '--allow', 'x', '--allow', 'y'],
    });
  });
});

describe('OCI images', () => {
  const postgres = option(fixture('postgres.json').server, 'oci');

  it('runs docker run -i --rm, passing secrets into the container by name only', () => {
    expect(postgres.view).toMatchObject({
      runtime: 'docker',
      label: 'Docker image docker.io/acme/postgres-mcp:2.1.0',
      problem: null,
      preview:
        'docker run -i --rm --network host -e DATABASE_URL docker.io/acme/postgres-mcp:2.1.0 --max-rows {max-rows}',
    });
    expect(postgres.view.inputs.map((input) => [input.id, input.required, input.secret])).toEqual([
      ['variable:database_url', true, true],
      ['argument:--max-rows', false, false],
    ]);
    const settings = settingsFor(postgres, { 'variable:database_url': 'postgres://u:pw@db/x' });
    expect(settings).toEqual({
      kind: 'stdio',
      command: 'docker',
      args: [
        'run',
        '-i',
        '--rm',
        '--network',
        'host',
        '-e',
        'DATABASE_URL',
        'docker.io/acme/postgres-mcp:2.1.0',
        '--max-rows',
        '500',
      ],
      env: { DATABASE_URL: 'postgres://u:pw@db/x' },
      cwd: null,
    });
    expect(JSON.stringify((settings as { args: string[] }).args)).not.toContain('pw@db');
    expect(settingsFor(postgres, { 'variable:database_url': 'x', 'argument:--max-rows': 'many' })).toBe(
      '--max-rows must be a number (got "many")',
    );
  });

  it('tags an image of the older form with its version and registry host', () => {
    const image = (pkg: Record<string, unknown>) =>
      option(server({ packages: [{ registryType: 'oci', ...pkg } as never] }), 'oci').view;
    expect(
      image({ registryBaseUrl: 'https://docker.io', identifier: 'mcp/filesystem', version: '1.0.2' }).label,
    ).toBe('Docker image mcp/filesystem:1.0.2');
    expect(image({ registryBaseUrl: 'https://ghcr.io', identifier: 'acme/tool', version: '3' }).label).toBe(
      'Docker image ghcr.io/acme/tool:3',
    );
    expect(image({ identifier: 'ghcr.io/acme/tool@sha256:abcd' }).label).toBe(
      'Docker image ghcr.io/acme/tool@sha256:abcd',
    );
    expect(image({ identifier: 'acme/tool' }).problem).toBe(
      'The image acme/tool has no tag or digest, so Gatehouse cannot pin what would run.',
    );
  });
});

describe('remote servers', () => {
  const tickets = fixture('tickets.json').server;

  it('fills URL variables and headers; every header value is kept as a header', () => {
    const http = option(tickets, 'remote');
    expect(http.view).toMatchObject({
      kind: 'remote',
      runtime: null,
      label: 'Remote server (Streamable HTTP)',
      preview: 'https://{tenant}.tickets.example.com/mcp',
      problem: null,
    });
    expect(http.view.inputs.map((input) => [input.id, input.required, input.secret, input.default])).toEqual([
      ['variable:tenant', true, false, null],
      ['variable:api_token', true, true, null],
      ['header:X-Region', false, false, 'eu'],
    ]);
    expect(settingsFor(http, { 'variable:tenant': 'acme', 'variable:api_token': 'tk_live_1' })).toEqual({
      kind: 'http',
      url: 'https://acme.tickets.example.com/mcp',
      transport: 'streamable-http',
      timeoutSeconds: 30,
      headers: { Authorization: 'Bearer tk_live_1', 'X-Region': 'eu' },
      auth: { type: 'none' },
    });
  });

  it('numbers a second remote, uses SSE for it, and signs in with OAuth when asked', () => {
    const sse = option(tickets, 'remote-2');
    expect(sse.view.label).toBe('Remote server (SSE)');
    expect(settingsFor(sse, { 'variable:tenant': 'acme' }, 'oauth')).toEqual({
      kind: 'http',
      url: 'https://acme.tickets.example.com/sse',
      transport: 'sse',
      timeoutSeconds: 30,
      headers: {},
      auth: {
        type: 'oauth',
        clientId: null,
        clientSecret: null,
        authorizeUrl: null,
        tokenUrl: null,
        scopes: null,
      },
    });
  });

  it('refuses a URL that is not http(s), and one the answers make wrong', () => {
    const bad = option(server({ remotes: [{ type: 'sse', url: 'file:///etc/passwd' }] }), 'remote');
    expect(bad.view.problem).toBe('The remote\'s URL "file:///etc/passwd" is not an http(s) URL.');
    const base = option(
      server({
        remotes: [{ type: 'streamable-http', url: '{base}/mcp', variables: { base: { isRequired: true } } }],
      }),
      'remote',
    );
    expect(() => base.settings(new Map([['variable:base', ['ftp://host']]]), 'none')).toThrow(
      'With your values the server\'s URL is "ftp://host/mcp", which is not an http(s) URL.',
    );
  });
});

describe('what Gatehouse cannot run', () => {
  it('says which package kinds it can add', () => {
    const [dotnet] = installOptions(fixture('dotnet-weather.json').server);
    expect(dotnet!.view).toMatchObject({
      id: 'nuget',
      kind: 'other',
      runtime: null,
      problem:
        'Gatehouse can add npm, PyPI and Docker (OCI) packages and remote servers; this is a nuget package.',
    });
  });

  it('keeps a secret argument off the saved command line: it travels sealed in the environment', () => {
    const found = option(
      server({
        packages: [
          {
            registryType: 'npm',
            identifier: 'token-arg',
            version: '1.0.0',
            // Marked secret by the publisher, and one that only its name says is secret.
            packageArguments: [
              { type: 'named', name: '--token', isSecret: true, isRequired: true },
              { type: 'named', name: '--api-key', isRequired: true },
            ],
          },
        ],
      }),
      'npm',
    );
    expect(found.view.problem).toBeNull();
    expect(found.view.inputs.map((input) => [input.name, input.secret])).toEqual([
      ['--token', true],
      ['--api-key', true],
    ]);
    expect(found.view.environment).toEqual([
      { name: 'GATEHOUSE_ARGUMENT_TOKEN', value: null, secret: true },
      { name: 'GATEHOUSE_ARGUMENT_API_KEY', value: null, secret: true },
    ]);
    expect(settingsFor(found, { 'argument:--token': 'tk-1', 'argument:--api-key': 'ak-2' })).toEqual({
      kind: 'stdio',
      command: 'npx',
      args: [
        '-y',
        'token-arg@1.0.0',
        '--token',
        '${GATEHOUSE_ARGUMENT_TOKEN}',
        '--api-key',
        '${GATEHOUSE_ARGUMENT_API_KEY}',
      ],
      env: { GATEHOUSE_ARGUMENT_TOKEN: 'tk-1', GATEHOUSE_ARGUMENT_API_KEY: 'ak-2' },
      cwd: null,
    });
  });

  it('will not start a package that serves HTTP itself', () => {
    const found = option(
      server({
        packages: [
          {
            registryType: 'npm',
            identifier: 'http-self',
            version: '1.0.0',
            transport: { type: 'streamable-http', url: 'http://localhost:{port}/mcp' },
          },
        ],
      }),
      'npm',
    );
    expect(found.view.problem).toBe(
      'This package runs its own Streamable HTTP server on this machine; Gatehouse can start only packages that speak stdio.',
    );
  });
});

describe('what the catalog shows of an entry', () => {
  it('keeps only http(s) links and the registry’s status', () => {
    expect(serverSummary(fixture('free-prizes.json'))).toMatchObject({
      repositoryUrl: null,
      status: 'deleted',
      statusMessage: 'Removed as spam.',
    });
    expect(serverSummary(fixture('old-weather.json'))).toEqual({
      name: 'io.github.acme/old-weather',
      publisher: 'the GitHub account acme',
      title: null,
      description: 'The first Acme weather server.',
      version: '0.9.5',
      status: 'deprecated',
      statusMessage: 'Use io.github.acme/weather instead.',
      repositoryUrl: 'https://github.com/acme/old-weather',
      websiteUrl: null,
      publishedAt: '2025-10-14T09:00:00Z',
      updatedAt: '2026-03-02T09:20:00Z',
      kinds: ['npm'],
    });
    expect(serverSummary(fixture('tickets.json')).kinds).toEqual(['remote']);
  });

  it('suggests a free connector name from the server’s name', () => {
    expect(suggestConnectorName('io.github.acme/weather', new Set())).toBe('weather');
    expect(suggestConnectorName('io.github.acme/weather', new Set(['weather', 'weather-2']))).toBe(
      'weather-3',
    );
    expect(suggestConnectorName('com.example/My Server__v2!', new Set())).toBe('my-server_v2');
    expect(suggestConnectorName('io.github.x/gatehouse', new Set())).toBe('gatehouse-server');
    expect(suggestConnectorName(`io.github.x/${'a'.repeat(40)}`, new Set([`${'a'.repeat(32)}`]))).toBe(
      `${'a'.repeat(30)}-2`,
    );
  });
});
