// Resource URIs on /mcp: a URI one connector owns passes through, a shared one is shown in a form that
// routes back to its connector (an MCP App's still ui://, as ext-apps' host helper requires), a UI
// resource only a tool names is routed by it, and every form resolves back.
import { describe, expect, it } from 'vitest';
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';
import { buildResourceTable, explicitResourceUri } from '../../../main/core/policy/resource-uris.js';

describe('buildResourceTable', () => {
  const table = buildResourceTable(
    [
      { connector: 'fs', uri: 'file:///home/me/a.txt' },
      { connector: 'fs', uri: 'file:///shared/readme.md' },
      { connector: 'docs', uri: 'file:///shared/readme.md' },
      { connector: 'github', uri: 'repo://octo/hello' },
    ],
    [
      { connector: 'fs', uriTemplate: 'file:///{+path}' },
      { connector: 'docs', uriTemplate: 'file:///shared/{name}' },
      { connector: 'github', uriTemplate: 'repo://{owner}/{repo}' },
      { connector: 'gitlab', uriTemplate: 'repo://{owner}/{repo}' },
    ],
  );

  it('keeps unique URIs and gives shared ones an explicit form', () => {
    expect(table.exposedUri('fs', 'file:///home/me/a.txt')).toBe('file:///home/me/a.txt');
    expect(table.exposedUri('docs', 'file:///shared/readme.md')).toBe(
      'gatehouse://docs/file%3A%2F%2F%2Fshared%2Freadme.md',
    );
    expect(table.renamed.map((r) => r.sentence)).toEqual([
      'docs resource "file:///shared/readme.md" is exposed as gatehouse://docs/file%3A%2F%2F%2Fshared%2Freadme.md: another connector lists the same URI.',
      'fs resource "file:///shared/readme.md" is exposed as gatehouse://fs/file%3A%2F%2F%2Fshared%2Freadme.md: another connector lists the same URI.',
    ]);
  });

  it('lists a template under its connector when another connector could expand the same URIs', () => {
    expect(table.templates).toEqual([
      { connector: 'fs', original: 'file:///{+path}', exposed: 'gatehouse://fs/file:///{+path}' },
      {
        connector: 'docs',
        original: 'file:///shared/{name}',
        exposed: 'gatehouse://docs/file:///shared/{name}',
      },
      {
        connector: 'github',
        original: 'repo://{owner}/{repo}',
        exposed: 'gatehouse://github/repo://{owner}/{repo}',
      },
      {
        connector: 'gitlab',
        original: 'repo://{owner}/{repo}',
        exposed: 'gatehouse://gitlab/repo://{owner}/{repo}',
      },
    ]);
    const alone = buildResourceTable([], [{ connector: 'fs', uriTemplate: 'file:///{+path}' }]);
    expect(alone.templates[0]!.exposed).toBe('file:///{+path}');
  });

  it('shows each URI in the form that routes back to its connector', () => {
    expect(table.shownUri('fs', 'file:///home/me/a.txt')).toBe('file:///home/me/a.txt');
    expect(table.shownUri('fs', 'file:///shared/readme.md')).toBe(
      explicitResourceUri('fs', 'file:///shared/readme.md'),
    );
    expect(table.shownUri('fs', 'file:///etc/hosts')).toBe('file:///etc/hosts');
    expect(table.shownUri('fs', 'file:///shared/other.md')).toBe('gatehouse://fs/file:///shared/other.md');
    expect(table.shownUri('gitlab', 'repo://octo/x')).toBe('gatehouse://gitlab/repo://octo/x');
  });

  it.each([
    ['gatehouse://gitlab/repo://octo/x', { kind: 'routed', connector: 'gitlab', uri: 'repo://octo/x' }],
    ['gatehouse://fs/file:///a%20b', { kind: 'routed', connector: 'fs', uri: 'file:///a%20b' }],
    ['file:///home/me/a.txt', { kind: 'routed', connector: 'fs', uri: 'file:///home/me/a.txt' }],
    [
      explicitResourceUri('fs', 'file:///shared/readme.md'),
      { kind: 'routed', connector: 'fs', uri: 'file:///shared/readme.md' },
    ],
    ['file:///shared/readme.md', { kind: 'ambiguous', connectors: ['docs', 'fs'] }],
    ['file:///shared/other.md', { kind: 'routed', connector: 'docs', uri: 'file:///shared/other.md' }],
    ['file:///etc/hosts', { kind: 'routed', connector: 'fs', uri: 'file:///etc/hosts' }],
    ['repo://octo/other', { kind: 'ambiguous', connectors: ['github', 'gitlab'] }],
    ['repo://octo/hello', { kind: 'routed', connector: 'github', uri: 'repo://octo/hello' }],
    ['https://example.com/', { kind: 'unknown' }],
    ['gatehouse://nobody/x', { kind: 'unknown' }],
    ['gatehouse://fs/%E0%A4%A', { kind: 'unknown' }],
    ['gatehouse://fs', { kind: 'unknown' }],
  ])('resolves %s', (uri, route) => {
    expect(table.resolve(uri)).toEqual(route);
  });
});

describe('buildResourceTable with MCP Apps', () => {
  const APP = 'ui://pdf-viewer/mcp-app.html';
  const table = buildResourceTable(
    [
      { connector: 'pdf', uri: APP },
      { connector: 'pdf2', uri: APP },
      // Some other server's own URI that is what pdf2's renamed form would be.
      { connector: 'odd', uri: 'ui://pdf2.pdf-viewer/mcp-app.html' },
    ],
    [],
    ['pdf', 'pdf2', 'odd', 'clock', 'weather', 'weather2'],
    [
      { connector: 'pdf', uri: APP },
      { connector: 'pdf2', uri: APP },
      // Named by a tool, left out of resources/list (as MCP Apps allows), by one connector alone.
      { connector: 'clock', uri: 'ui://clock/app.html' },
      // Named by two connectors' tools, listed by neither.
      { connector: 'weather', uri: 'ui://weather/app.html' },
      { connector: 'weather2', uri: 'ui://weather/app.html' },
    ],
  );

  it('renames a shared ui:// URI to a ui:// URI of its connector, which a host built on ext-apps accepts', () => {
    expect(table.exposedUri('pdf', APP)).toBe('ui://pdf.pdf-viewer/mcp-app.html');
    // pdf2's plain form is taken by a URI another connector owns as it is: numbered.
    expect(table.exposedUri('pdf2', APP)).toBe('ui://pdf2-2.pdf-viewer/mcp-app.html');
    expect(table.exposedUri('odd', 'ui://pdf2.pdf-viewer/mcp-app.html')).toBe(
      'ui://pdf2.pdf-viewer/mcp-app.html',
    );
    expect(table.shownUri('weather', 'ui://weather/app.html')).toBe('ui://weather.weather/app.html');
    for (const uri of [
      table.shownUri('pdf', APP),
      table.shownUri('pdf2', APP),
      table.shownUri('weather2', 'ui://weather/app.html'),
    ])
      expect(getToolUiResourceUri({ _meta: { ui: { resourceUri: uri } } })).toBe(uri);
  });

  it("keeps a UI resource only one connector's tool names as it is, and routes it there", () => {
    expect(table.shownUri('clock', 'ui://clock/app.html')).toBe('ui://clock/app.html');
    expect(table.resolve('ui://clock/app.html')).toEqual({
      kind: 'routed',
      connector: 'clock',
      uri: 'ui://clock/app.html',
    });
    // Named, not listed: it is not one of the listed entries.
    expect(table.entries.map((e) => e.original)).not.toContain('ui://clock/app.html');
    expect(table.renamed.map((r) => r.sentence)).toContain(
      'weather2 resource "ui://weather/app.html" is exposed as ui://weather2.weather/app.html: another connector serves the same URI.',
    );
  });

  it.each([
    ['ui://pdf.pdf-viewer/mcp-app.html', { kind: 'routed', connector: 'pdf', uri: APP }],
    ['ui://pdf2-2.pdf-viewer/mcp-app.html', { kind: 'routed', connector: 'pdf2', uri: APP }],
    [
      'ui://pdf2.pdf-viewer/mcp-app.html',
      { kind: 'routed', connector: 'odd', uri: 'ui://pdf2.pdf-viewer/mcp-app.html' },
    ],
    [APP, { kind: 'ambiguous', connectors: ['pdf', 'pdf2'] }],
    ['ui://weather/app.html', { kind: 'ambiguous', connectors: ['weather', 'weather2'] }],
    [
      'ui://weather2.weather/app.html',
      { kind: 'routed', connector: 'weather2', uri: 'ui://weather/app.html' },
    ],
    // A UI resource nobody lists or names, in a connector's form (a link in a result).
    ['ui://clock.other/page.html', { kind: 'routed', connector: 'clock', uri: 'ui://other/page.html' }],
    ['ui://nobody.other/page.html', { kind: 'unknown' }],
    [explicitResourceUri('pdf', APP), { kind: 'routed', connector: 'pdf', uri: APP }],
  ])('resolves %s', (uri, route) => {
    expect(table.resolve(uri)).toEqual(route);
  });

  it("shows a UI resource nobody lists or names in its connector's ui:// form", () => {
    expect(table.shownUri('clock', 'ui://other/page.html')).toBe('ui://clock.other/page.html');
  });
});
