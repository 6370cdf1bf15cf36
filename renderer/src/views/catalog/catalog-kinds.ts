// How a catalog server runs, in the window's words.
import type { CatalogOptionKind } from '@core/api/catalog-contract.js';

const KIND_TEXT: Record<CatalogOptionKind, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  oci: 'Docker',
  remote: 'Remote',
  other: 'Other',
};

/** "npm, Remote", or a dash when it lists nothing. */
export function kindsText(kinds: readonly CatalogOptionKind[]): string {
  return kinds.length === 0 ? '—' : kinds.map((kind) => KIND_TEXT[kind]).join(', ');
}
