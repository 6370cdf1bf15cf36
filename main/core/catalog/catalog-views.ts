// What the window and the CLI are shown of a registry entry: its name, title, description, version,
// status and dates, and links — only http(s) ones, since a server.json is anyone's text and a link is
// something the user clicks. Text is kept as sent (React and the CLI's tables make it safe to show).
import type {
  CatalogOptionKind,
  CatalogServerSummary,
  CatalogStatus,
  CatalogVersionView,
} from '../api/catalog-contract.js';
import { officialMetaOf, type ServerResponse } from './server-json.js';

/** An http(s) URL as written, or null for anything else (javascript:, file:, not a URL). */
function webLink(value: string | undefined): string | null {
  if (value === undefined || !URL.canParse(value)) return null;
  return /^https?:$/.test(new URL(value).protocol) ? value : null;
}

/** The status the registry gives; a registry that gives none is treated as listing active servers. */
function statusOf(entry: ServerResponse): CatalogStatus {
  return officialMetaOf(entry).status ?? 'active';
}

function kindsOf(entry: ServerResponse): CatalogOptionKind[] {
  const kinds = (entry.server.packages ?? []).map((pkg): CatalogOptionKind => {
    const type = pkg.registryType;
    return type === 'npm' || type === 'pypi' || type === 'oci' ? type : 'other';
  });
  if ((entry.server.remotes ?? []).length > 0) kinds.push('remote');
  return [...new Set(kinds)];
}

/** One registry entry as a search result. */
export function serverSummary(entry: ServerResponse): CatalogServerSummary {
  const { server } = entry;
  const meta = officialMetaOf(entry);
  return {
    name: server.name,
    title: server.title?.trim() || null,
    description: server.description.trim(),
    version: server.version,
    status: statusOf(entry),
    statusMessage: meta.statusMessage?.trim() || null,
    repositoryUrl: webLink(server.repository?.url),
    websiteUrl: webLink(server.websiteUrl),
    publishedAt: meta.publishedAt ?? null,
    updatedAt: meta.updatedAt ?? null,
    kinds: kindsOf(entry),
  };
}

/** One entry of a server's version list. */
export function versionView(entry: ServerResponse): CatalogVersionView {
  const meta = officialMetaOf(entry);
  return {
    version: entry.server.version,
    status: statusOf(entry),
    publishedAt: meta.publishedAt ?? null,
    isLatest: meta.isLatest ?? false,
  };
}
