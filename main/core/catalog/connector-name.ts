// The connector name a catalog server gets unless the user picks one: the part of its registry name
// after the slash (`io.github.user/weather-mcp` → `weather-mcp`), made to fit connector names, with
// `-2`, `-3`… when a connector already has it.
import { connectorName } from '../api/connector-config.js';

const MAX_LENGTH = 32;

/** `name` as a connector name: lowercase, letters, digits, - and _, at most 32 characters. */
function fitted(registryName: string): string {
  const tail = registryName.slice(registryName.lastIndexOf('/') + 1).toLowerCase();
  const cleaned = tail
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^[-_]+/, '')
    .slice(0, MAX_LENGTH)
    .replace(/[-_]+$/, '');
  if (cleaned === '') return 'server';
  return cleaned === 'gatehouse' ? 'gatehouse-server' : cleaned;
}

/** A valid connector name for the server that no connector in `taken` has. */
export function suggestConnectorName(registryName: string, taken: ReadonlySet<string>): string {
  const base = fitted(registryName);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_LENGTH - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
    if (!taken.has(candidate) && connectorName.safeParse(candidate).success) return candidate;
  }
}
