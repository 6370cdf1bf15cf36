// The "Connect a client" page in renderer tests: opening it, and finding a client's card, its list of
// config files and a row of the import dialog by what the user sees.
import { screen, within } from '@testing-library/react';
import type { FakeGatehouse } from './fake-gatehouse.js';
import { renderApp } from './render-app.js';

/** Claude Desktop's user file on the fake's machine. */
export const DESKTOP_FILE = '/home/me/.config/Claude/claude_desktop_config.json';

export const card = (name: string) => within(screen.getByRole('article', { name }));
export const configFiles = (name: string) =>
  within(screen.getByRole('list', { name: `${name} config files` }));

/** The table row whose header cell is `name`. */
export function row(container: ReturnType<typeof within>, name: string) {
  const header = container.getByRole('rowheader', { name });
  return within(header.closest('tr') as HTMLElement);
}

/** Renders the window on Connect a client, once the cards are there. */
export async function openPage(fake: FakeGatehouse) {
  const rendered = await renderApp(fake, '#/client-setup');
  await screen.findByRole('article', { name: 'Claude Desktop' });
  return rendered;
}
