// The catalog's schemas: what the window and the CLI see of the MCP Registry's servers (a summary per
// search result, the details of one server with the ways it can be added and the inputs each needs),
// the registry URL setting, and the catalog's operations (operations/catalog.ts answers them).
// Imports nothing from Node, so the renderer uses these too.
import { z } from 'zod';
import { connectorName } from './connector-config.js';
import { connectorView, grantProposalView } from './connectors-contract.js';

/** The official MCP Registry, which the catalog searches unless the settings name another. */
export const DEFAULT_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A registry URL Gatehouse will search: https, or plain http only to this computer (a registry under
 * test or behind a local proxy). Every answer it gives is turned into commands this machine runs, so
 * it must not be readable or changeable on the way.
 */
export function registryUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return 'the registry URL must be an absolute URL, e.g. ' + DEFAULT_REGISTRY_URL;
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return 'the registry URL must use https (plain http only to 127.0.0.1 or localhost)';
  }
  if (url.search !== '' || url.hash !== '') return 'the registry URL takes no ?query or #fragment';
  if (url.username !== '' || url.password !== '') return 'the registry URL takes no user name or password';
  return null;
}

/** The `registryUrl` setting. */
export const registryUrl = z
  .string()
  .trim()
  .superRefine((value, context) => {
    const problem = registryUrlProblem(value);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });

/** The registry's lifecycle status of a server version; a deleted one cannot be added. */
const catalogStatus = z.enum(['active', 'deprecated', 'deleted']);
/** A server version's status in the registry (see `catalogStatus`). */
export type CatalogStatus = z.infer<typeof catalogStatus>;

/** How a server can be added: a package run on this machine, or a remote server reached by URL. */
const catalogOptionKind = z.enum(['npm', 'pypi', 'oci', 'remote', 'other']);
/**
 * How a catalog option runs: an npm, PyPI or OCI package on this machine, a remote server, or another
 * kind.
 */
export type CatalogOptionKind = z.infer<typeof catalogOptionKind>;

/** One server as a search lists it (its latest version). */
const catalogServerSummary = z.object({
  /** The registry's name, reverse-DNS: `io.github.user/weather`. */
  name: z.string(),
  /**
   * Who published it, from the namespace the registry checked they own: "the GitHub account acme",
   * "the domain example.com". Publishing needs no review, so this is whom the user trusts.
   */
  publisher: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  version: z.string(),
  status: catalogStatus,
  /** The publisher's reason for the status (e.g. what replaces a deprecated server). */
  statusMessage: z.string().nullable(),
  /** Only http(s) links; anything else the registry sent is dropped. */
  repositoryUrl: z.string().nullable(),
  websiteUrl: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** The kinds of packages and remotes it offers, in its own order, each once. */
  kinds: z.array(catalogOptionKind),
  /**
   * Connectors that already run this server (one of its packages, or one of its URLs), so the catalog
   * says "Already added as …" and adding it again needs `again`.
   */
  addedAs: z.array(z.string()),
});
/** One server as a search result lists it (see `catalogServerSummary`). */
export type CatalogServerSummary = z.infer<typeof catalogServerSummary>;

/** One value a server needs from the user: an environment variable, header, argument or variable. */
const catalogInputView = z.object({
  /** Unique within its option: `environment:API_KEY`, `header:X-Api-Key`, `argument:--port`, `variable:tenant`. */
  id: z.string(),
  kind: z.enum(['environment', 'header', 'argument', 'variable']),
  /** What the server calls it: the variable or header name, the flag, the value hint. */
  name: z.string(),
  description: z.string().nullable(),
  required: z.boolean(),
  /** Shown masked, asked for from an environment variable on the command line, never logged. */
  secret: z.boolean(),
  default: z.string().nullable(),
  placeholder: z.string().nullable(),
  /** When present, the value must be one of these. */
  choices: z.array(z.string()).nullable(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']),
  /** Takes several values (each its own argument). */
  repeated: z.boolean(),
});
/** One value an option needs from the user (see `catalogInputView`). */
export type CatalogInputView = z.infer<typeof catalogInputView>;

/** A setting of an entry that changes how a runtime or loader behaves, or where the code comes from. */
const catalogRisk = z.object({
  /** The setting as the entry writes it: `NODE_OPTIONS=--require ./x.js`, `--privileged`, a URL. */
  setting: z.string(),
  /** What it can do, in a sentence for a person. */
  explanation: z.string(),
});
/** A setting that changes how a runtime or loader behaves (see `catalogRisk`). */
export type CatalogRisk = z.infer<typeof catalogRisk>;

/** A grant an entry's own fixed arguments or environment ask for (granted only when the user agrees). */
const catalogGrant = grantProposalView;

/** One environment variable an option sets, with the value the entry fixes. */
const catalogEnvironmentView = z.object({
  name: z.string(),
  /** The value the entry fixes ({name} where the user fills a part), or null when the user gives it. */
  value: z.string().nullable(),
  secret: z.boolean(),
});
/** One environment variable an option sets (see `catalogEnvironmentView`). */
export type CatalogEnvironmentView = z.infer<typeof catalogEnvironmentView>;

/** One way to add a server, with what it needs and whether this machine can run it. */
const catalogOptionView = z.object({
  /** `npm`, `pypi`, `oci`, `remote` (then `remote-2`, … when a server offers several). */
  id: z.string(),
  kind: catalogOptionKind,
  /** "npm package @scope/server 1.2.0", "Remote server (Streamable HTTP)". */
  label: z.string(),
  /** The command that runs it (npx, uvx, docker), or null for a remote server. */
  runtime: z.string().nullable(),
  /** Why Gatehouse cannot add it this way on this machine, or null when it can. */
  problem: z.string().nullable(),
  /** The full command line or URL the connector gets, inputs shown as {name}. */
  preview: z.string(),
  /** Where the code comes from: the package and its registry, the image, or the remote's URL. */
  source: z.string(),
  /** Every environment variable it sets, with the values the entry fixes. */
  environment: z.array(catalogEnvironmentView),
  /** Settings that change how its runtime behaves; adding needs `acceptRisks` when there are any. */
  risks: z.array(catalogRisk),
  /**
   * What its fixed arguments and environment would have its sandbox grant; adding needs
   * `acceptGrants` when any can be granted (the user's own answers are theirs to give).
   */
  grants: z.array(catalogGrant),
  /** A digest of what the registry sent for this option; `catalog.add` adds it only if it is unchanged. */
  reviewed: z.string(),
  inputs: z.array(catalogInputView),
});
/** One way to add a server (see `catalogOptionView`). */
export type CatalogOptionView = z.infer<typeof catalogOptionView>;

const catalogVersionView = z.object({
  version: z.string(),
  status: catalogStatus,
  publishedAt: z.string().nullable(),
  isLatest: z.boolean(),
});
/** One of a server's published versions, for the version picker. */
export type CatalogVersionView = z.infer<typeof catalogVersionView>;

/** One server version in full, as `catalog.show` returns it. */
const catalogServerDetail = catalogServerSummary.extend({
  registryUrl: z.string(),
  isLatest: z.boolean(),
  /** Every published version, newest first (empty when the registry would not list them). */
  versions: z.array(catalogVersionView),
  options: z.array(catalogOptionView),
  /** A connector name that is free now, made from the server's name. */
  suggestedConnectorName: z.string(),
});
/** One server version in full (see `catalogServerDetail`). */
export type CatalogServerDetail = z.infer<typeof catalogServerDetail>;

/** The user's answers, by input id; a repeated input takes a list. */
const catalogAnswers = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
/** The user's answers to an option's inputs, by input id. */
export type CatalogAnswers = z.infer<typeof catalogAnswers>;

/** Registry server names, as the server.json schema defines them. */
const catalogServerName = z
  .string()
  .regex(
    /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/,
    'a registry server name looks like io.github.user/server (one slash)',
  )
  .max(200, 'registry server names are at most 200 characters');

const catalogVersion = z
  .string()
  .min(1, 'a version is required')
  .max(255, 'versions are at most 255 characters');

/** Spread into `operations` in contract.ts: servers from the MCP Registry (operations/catalog.ts). */
export const catalogContract = {
  'catalog.search': {
    input: z
      .object({
        /** Words in the server's name; empty lists every server. */
        query: z.string().trim().max(200, 'a search is at most 200 characters').default(''),
        /** The registry's `nextCursor` from the previous page. */
        cursor: z.string().min(1).max(2_000).optional(),
        limit: z.number().int().min(1).max(100).default(30),
      })
      .strict(),
    output: z.object({
      registryUrl: z.string(),
      servers: z.array(catalogServerSummary),
      nextCursor: z.string().nullable(),
      /** Entries on this page the registry sent that were not valid server.json documents. */
      skipped: z.number().int(),
    }),
  },
  'catalog.show': {
    input: z.object({ name: catalogServerName, version: catalogVersion.optional() }).strict(),
    output: catalogServerDetail,
  },
  'catalog.add': {
    /** Waits for the servers it starts to start (a package runner's first start installs it). */
    startsServers: true,
    input: z
      .object({
        name: catalogServerName,
        /** The latest version when absent. */
        version: catalogVersion.optional(),
        /** An option id from catalog.show (`npm`, `remote-2`) or a kind; the first that works when absent. */
        option: z.string().min(1).max(64).optional(),
        /** The connector's name; one made from the server's name when absent. */
        connector: connectorName.optional(),
        answers: catalogAnswers.default({}),
        /** For a remote server: sign in with OAuth (the server.json cannot say whether it needs to). */
        auth: z.enum(['none', 'oauth']).default('none'),
        enabled: z.boolean().default(true),
        /** Keep the connector even when it fails to start (by default it is taken out again). */
        keepIfFailing: z.boolean().default(false),
        /**
         * The `reviewed` digest of the option the user saw (catalog.show); the add is refused when the
         * registry now serves something else.
         */
        reviewed: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'reviewed is the 64-character digest catalog.show gives'),
        /** The user read the option's risks and wants it anyway (needed when it has any). */
        acceptRisks: z.boolean().default(false),
        /** The user agrees to the grants the entry asks for (needed when it asks for any). */
        acceptGrants: z.boolean().default(false),
        /** The server is already a connector (`addedAs`) and the user wants another one for it. */
        again: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      connector: connectorView,
      server: catalogServerSummary,
      option: catalogOptionView,
      /** What the user should know: a deprecated server, a version that is not the latest. */
      warnings: z.array(z.string()),
    }),
  },
} as const;
