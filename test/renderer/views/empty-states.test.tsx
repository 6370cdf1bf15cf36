// Every page, on a fresh install, says what it is for and what to do next.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeGatehouse } from '../../support/renderer/fake-gatehouse.js';
import { makeClient, makeConnector, makeSetupClient } from '../../support/renderer/fake-views.js';
import { renderApp, wholeText } from '../../support/renderer/render-app.js';

const pages: Array<[hash: string, heading: string, next: RegExp]> = [
  ['#/clients', 'No clients yet', /Point an AI client .* at/],
  ['#/consents', 'No client is asking for access', /its browser shows a match code/],
  ['#/approvals', 'No tool calls are waiting', /set to Ask/],
  ['#/registrations', 'No client is waiting to register', /Choose ask in Settings/],
  ['#/connectors', 'No connectors yet', /A connector is an MCP server/],
  ['#/tools', 'No tools yet', /Tools come from connectors/],
  ['#/activity', 'No activity matches these filters', /Widen the time range/],
];

describe('empty states', () => {
  it.each(pages)('%s explains itself and the next step', async (hash, heading, next) => {
    await renderApp(new FakeGatehouse(), hash);
    expect(await screen.findByText(heading)).toBeTruthy();
    expect(screen.getByText(wholeText(next))).toBeTruthy();
  });

  it('the overview walks a new user through getting started, with the MCP URL to copy', async () => {
    await renderApp(new FakeGatehouse(), '#/overview');
    expect(screen.getByRole('heading', { name: 'Get started' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Add a connector' }).getAttribute('href')).toBe(
      '#/connectors/new',
    );
    expect(screen.getAllByText('http://127.0.0.1:4640/mcp').length).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Copy MCP URL' })).toBeTruthy();
    // Every recipe is the engine's own, as Connect a client and `connect CLIENT --print` give it:
    // Claude Desktop gets this install's bridge command (a stdio server), never the URL and never a
    // bare `gatehouse` that a checkout does not put on PATH.
    const desktop = makeSetupClient('claude-desktop').snippet;
    expect(desktop).toContain('"/usr/bin/gatehouse"');
    expect(
      await screen.findByText((_, node) => node?.tagName === 'PRE' && node.textContent === desktop),
    ).toBeTruthy();
    expect(
      screen.getByText(
        (_, node) => node?.tagName === 'PRE' && node.textContent === makeSetupClient('vscode').snippet,
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/custom connector/)).toBeNull();
    // Claude Code for every folder (--scope user), as the Connect page sets it up.
    expect(screen.getByText(/^claude mcp add/).textContent).toBe(
      'claude mcp add --transport http --scope user gatehouse http://127.0.0.1:4640/mcp --header "X-Gatehouse-Client: claude-code"',
    );
  });

  it('the overview counts a held tool as waiting, with a link to Tools', async () => {
    await renderApp(
      new FakeGatehouse({ clients: [makeClient()], connectors: [makeConnector({ heldTools: 1 })] }),
      '#/overview',
    );
    expect(screen.queryByText(/Nothing is waiting for you/)).toBeNull();
    expect(
      screen
        .getByRole('link', { name: '1 tool changed upstream and is held for your review' })
        .getAttribute('href'),
    ).toBe('#/tools');
  });

  it('the overview tells a tool held on first sight from one changed upstream', async () => {
    await renderApp(
      new FakeGatehouse({
        clients: [makeClient()],
        connectors: [makeConnector({ heldTools: 2, heldOnFirstSight: 1, heldItems: 1 })],
      }),
      '#/overview',
    );
    expect(screen.getByRole('link', { name: '2 items were held on first sight' }).getAttribute('href')).toBe(
      '#/tools',
    );
    expect(
      screen.getByRole('link', { name: '1 tool changed upstream and is held for your review' }),
    ).toBeTruthy();
  });

  it('the overview says nothing waits when nothing does', async () => {
    await renderApp(
      new FakeGatehouse({ clients: [makeClient()], connectors: [makeConnector()] }),
      '#/overview',
    );
    expect(screen.getByText(/Nothing is waiting for you/)).toBeTruthy();
  });

  it('settings show the current values and an empty rule list', async () => {
    await renderApp(new FakeGatehouse(), '#/settings');
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe('4640');
    expect(screen.getByText('No rules: tool toggles and grants alone decide.')).toBeTruthy();
  });
});
