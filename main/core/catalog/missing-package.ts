// Whether a catalog server failed to start because its registry entry names a package its package
// registry does not have — npm's 404 or "No matching version", uv's "not found in the package
// registry" or "no version of", docker's "manifest unknown" — read from the line of stderr that
// explains the failure. Then no answer of the user's can fix it: the entry is broken.
import type { CatalogOptionKind } from '../api/catalog-contract.js';

/** What each package registry's client says when the package or version is not there. */
const NOT_THERE: Partial<Record<CatalogOptionKind, RegExp>> = {
  npm: /\bE404\b|\b404\b|is not in this registry|could not be found|No matching version found/i,
  pypi: /not found in the package registry|there is no version of|no versions? of .+ (?:match|available)/i,
  oci: /manifest unknown|repository does not exist|pull access denied|not found: manifest/i,
};

/** Whether `why` (a failed start's explaining line) says the option's package is not in its registry. */
export function packageNotInRegistry(kind: CatalogOptionKind, why: string): boolean {
  return NOT_THERE[kind]?.test(why) ?? false;
}
