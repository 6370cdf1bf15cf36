// What the window and the CLI are shown of a registry entry: its name, title, description, version,
// status and dates, its publisher, and links — only http(s) ones, since a server.json is anyone's text
// and a link is something the user clicks. Hidden characters (terminal escapes, bidi overrides,
// zero-width and tag characters) are made visible here, before any surface shows the text.
import type {
  CatalogOptionKind,
  CatalogServerSummary,
  CatalogStatus,
  CatalogVersionView,
} from '../api/catalog-contract.js';
import { visibleText, visibleValue } from '../visible-text.js';
import { officialMetaOf, type ServerResponse } from './server-json.js';

/** An http(s) URL as written, or null for anything else (javascript:, file:, not a URL). */
function webLink(value: string | undefined): string | null {
  if (value === undefined || !URL.canParse(value)) return null;
  return /^https?:$/.test(new URL(value).protocol) ? visibleValue(value) : null;
}

/**
 * Who published the server, from its namespace (the part of the name the registry checked the
 * publisher owns): `io.github.acme/x` → "the GitHub account acme", `com.example/x` → "the domain
 * example.com".
 */
function publisherOf(name: string): string {
  const namespace = name.slice(0, Math.max(0, name.indexOf('/')));
  const github = /^io\.github\.(.+)$/i.exec(namespace);
  if (github) return `the GitHub account ${github[1]}`;
  if (namespace === '') return 'an unnamed publisher';
  return `the domain ${namespace.split('.').reverse().join('.')}`;
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
export function serverSummary(entry: ServerResponse): Omit<CatalogServerSummary, 'addedAs'> {
  const { server } = entry;
  const meta = officialMetaOf(entry);
  const title = server.title?.trim();
  const statusMessage = meta.statusMessage?.trim();
  return {
    name: visibleValue(server.name),
    publisher: visibleValue(publisherOf(server.name)),
    title: title ? visibleText(title) : null,
    description: visibleText(server.description.trim()),
    version: visibleValue(server.version),
    status: statusOf(entry),
    statusMessage: statusMessage ? visibleText(statusMessage) : null,
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
    version: visibleValue(entry.server.version),
    status: statusOf(entry),
    publishedAt: meta.publishedAt ?? null,
    isLatest: meta.isLatest ?? false,
  };
}
