// Renders the whole window against a FakeGatehouse, on the page the test names, with the stores
// loaded and the event router subscribed, as main.tsx does.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/src/app/app.js';
import { StoresProvider } from '../../../renderer/src/app/stores-context.js';
import { createAppStores, loadAppStores } from '../../../renderer/src/stores/app-stores.js';
import { routeEngineEvents } from '../../../renderer/src/stores/event-router.js';
import type { FakeGatehouse } from './fake-gatehouse.js';

export async function renderApp(fake: FakeGatehouse, hash = '#/overview') {
  window.location.hash = hash;
  const stores = createAppStores(fake);
  const unsubscribe = routeEngineEvents(fake, stores);
  await loadAppStores(stores);
  const user = userEvent.setup({ delay: null });
  const view = render(
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>,
  );
  // The status strip appears once status.get answered: the window is ready.
  await screen.findByText('MCP URL');
  return { stores, user, unsubscribe, ...view };
}

/** Matches the innermost element whose whole text (across inline children) matches `pattern`. */
export function wholeText(pattern: RegExp) {
  return (_content: string, element: Element | null): boolean => {
    if (!element) return false;
    const text = (element.textContent ?? '').replace(/\s+/g, ' ');
    if (!pattern.test(text)) return false;
    return ![...element.children].some((child) =>
      pattern.test((child.textContent ?? '').replace(/\s+/g, ' ')),
    );
  };
}
