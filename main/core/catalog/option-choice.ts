// Which way to add a server: the option the user named — by id (`remote-2`) or by kind for the first
// of it (`remote`) — or else the first that works on this machine. The engine decides with it, and
// the CLI uses it to know which inputs the user's flags answer before it asks the engine.
import type { CatalogOptionView } from '../api/catalog-contract.js';
import { GatehouseError } from '../errors.js';

/** The option named `wanted` (an id, or a kind for the first of it), if the server offers it. */
export function findOption(
  options: readonly CatalogOptionView[],
  wanted: string,
): CatalogOptionView | undefined {
  return options.find((option) => option.id === wanted) ?? options.find((option) => option.kind === wanted);
}

/**
 * The option to add `about` (a "name version" for messages) with; a bad_request sentence when the
 * named one is not offered or cannot run here, or when none can.
 */
export function chooseOption(
  about: string,
  options: readonly CatalogOptionView[],
  wanted: string | undefined,
): CatalogOptionView {
  if (options.length === 0) {
    throw new GatehouseError(
      'bad_request',
      `${about} lists no package and no remote server, so there is nothing Gatehouse can run.`,
    );
  }
  if (wanted !== undefined) {
    const option = findOption(options, wanted);
    if (!option) {
      const offered = options.map((candidate) => candidate.id).join(', ');
      throw new GatehouseError('bad_request', `${about} has no ${wanted} option; it offers ${offered}.`);
    }
    if (option.problem !== null) {
      throw new GatehouseError('unsupported', `Cannot add ${about} as ${option.label}: ${option.problem}`);
    }
    return option;
  }
  const usable = options.find((option) => option.problem === null);
  if (usable) return usable;
  const reasons = options.map((option) => `${option.label}: ${option.problem}`).join(' ');
  throw new GatehouseError('unsupported', `Gatehouse cannot add ${about} on this machine. ${reasons}`);
}
