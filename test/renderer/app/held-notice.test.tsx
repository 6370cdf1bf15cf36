// A tool or item held for review while another page is in front is told: a toast names the connector
// and says what was held (first sight or a change upstream), and the tab title counts it while the
// page is hidden. On the Tools page, which shows them, no toast; nothing held before the window opened
// is announced again.
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { heldToast } from '../../../renderer/src/app/held-notice.js';
import { FakeGatehouse } from '../../support/renderer/fake-gatehouse.js';
import { makeClient, makeConnector } from '../../support/renderer/fake-views.js';
import { renderApp } from '../../support/renderer/render-app.js';

/** The fake engine's connector `name` now holds what is given, and says so as the engine does. */
function hold(
  fake: FakeGatehouse,
  name: string,
  held: { heldTools: number; heldOnFirstSight: number; heldItems: number },
) {
  act(() => {
    fake.state.connectors = fake.state.connectors.map((one) =>
      one.name === name ? { ...one, ...held } : one,
    );
    fake.emit({ type: 'tools.changed', connector: name });
    fake.emit({ type: 'connectors.changed', name });
  });
}

describe('telling of what is held for review', () => {
  it('shows a toast on another page when a tool is held on first sight, and not again for the same', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient()],
      connectors: [makeConnector({ name: 'notes' })],
    });
    await renderApp(fake, '#/activity');
    hold(fake, 'notes', { heldTools: 1, heldOnFirstSight: 1, heldItems: 0 });
    expect(
      await screen.findByText('notes: 1 new item held on first sight. Review on the Tools page.'),
    ).toBeTruthy();
    hold(fake, 'notes', { heldTools: 1, heldOnFirstSight: 1, heldItems: 0 });
    await waitFor(() =>
      expect(screen.getAllByText(/held on first sight\. Review on the Tools page/)).toHaveLength(1),
    );
  });

  it('shows no toast on the Tools page, which lists the held tool itself', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient()],
      connectors: [makeConnector({ name: 'notes' })],
    });
    await renderApp(fake, '#/tools');
    hold(fake, 'notes', { heldTools: 1, heldOnFirstSight: 1, heldItems: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByText(/Review on the Tools page/)).toBeNull();
  });

  it('counts held tools and items in the title while the page is hidden', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient()],
      connectors: [makeConnector({ name: 'notes', heldTools: 1, heldOnFirstSight: 1, heldItems: 1 })],
    });
    const hidden = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden');
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    try {
      await renderApp(fake, '#/overview');
      await waitFor(() => expect(document.title).toBe('(2) Waiting for you — Gatehouse'));
    } finally {
      if (hidden) Object.defineProperty(document, 'hidden', hidden);
      else delete (document as { hidden?: boolean }).hidden;
    }
  });

  it('says what is new, by kind', () => {
    const none = { firstSight: 0, changed: 0 };
    expect(heldToast('notes', none, { firstSight: 2, changed: 1 })).toBe(
      'notes: 2 new items held on first sight, 1 tool changed upstream and held. Review on the Tools page.',
    );
    expect(heldToast('notes', { firstSight: 2, changed: 1 }, { firstSight: 1, changed: 1 })).toBeUndefined();
  });
});
