// A registry status in words: active servers are the norm, deprecated ones are a warning, deleted
// ones cannot be added.
import type { CatalogStatus } from '@core/api/catalog-contract.js';
import { Badge } from '../../components/badge.js';

const LOOK: Record<CatalogStatus, { tone: 'ok' | 'warn' | 'error'; text: string }> = {
  active: { tone: 'ok', text: 'Active' },
  deprecated: { tone: 'warn', text: 'Deprecated' },
  deleted: { tone: 'error', text: 'Deleted' },
};

export function CatalogStatusBadge({ status }: { status: CatalogStatus }) {
  const { tone, text } = LOOK[status];
  return <Badge tone={tone}>{text}</Badge>;
}
