// The navigation bar in a narrow window: the Menu button opens the page list, and Escape folds it
// again from anywhere, giving the focus back to the button.
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeGatehouse } from '../../support/renderer/fake-gatehouse.js';
import { renderApp } from '../../support/renderer/render-app.js';

describe('NavigationBar', () => {
  it('folds the open menu on Escape and puts the focus back on Menu', async () => {
    const { user } = await renderApp(new FakeGatehouse({}), '#/overview');
    const toggle = screen.getByRole('button', { name: 'Menu' });
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Close menu');
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Overview');
    await user.keyboard('{Escape}');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
    // Closed, Escape does nothing to it.
    await user.keyboard('{Escape}');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('folds the open menu when the page changes some other way (Back, a link in the page)', async () => {
    const { user } = await renderApp(new FakeGatehouse({}), '#/overview');
    const toggle = screen.getByRole('button', { name: 'Menu' });
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await act(async () => {
      window.location.hash = '#/tools';
      await new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false'),
    );
  });
});
