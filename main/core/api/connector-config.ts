// What a connector is: the user's description of one upstream MCP server. Validated here once, with
// sentences that say what is wrong and how to fix it; secrets (bearer token, env and header values,
// OAuth client secret) are kept apart from the plain configuration and only ever stored encrypted.
import { z } from 'zod';

/** Connector names are URL paths (/mcp/<name>) and tool prefixes (<name>__tool): immutable, URL-safe. */
export const connectorName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,31}$/,
    'a connector name is 1–32 lowercase letters, digits, - or _, starting with a letter or digit',
  )
  .refine(
    (name) => !name.includes('__'),
    'a connector name may not contain "__" (it separates connector and tool)',
  )
  .refine((name) => name !== 'gatehouse', '"gatehouse" is reserved for Gatehouse\'s own tools');

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _');
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'header names are HTTP tokens (letters, digits, -)');

/**
 * Environment variables whose sealed value fills a `${NAME}` argument when the server starts, so a
 * secret argument (`--api-key …`) is never saved on the command line (catalog/package-command.ts,
 * store/connector-store.ts).
 */
export const SEALED_ARGUMENT_PREFIX = 'GATEHOUSE_ARGUMENT_';

/** A folder or file the user lets a sandboxed server write or read: absolute, or under the home folder (~/). */
const grantedPath = z
  .string()
  .trim()
  .refine(
    (folder) => folder.startsWith('/') || folder.startsWith('~/') || /^[a-z]:[\\/]/i.test(folder),
    'a granted folder is an absolute path (or starts with ~/)',
  );

/** A host a sandboxed server may reach: a name, or `*.example.com` for its subdomains. */
const allowedDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    'an allowed domain is a host name such as api.github.com, or *.example.com for its subdomains',
  )
  .refine(
    (host) => host !== 'localhost' && !host.endsWith('.localhost'),
    'this computer is reached as a local service, with its port: --allow-local localhost:PORT',
  );

/**
 * A service on this computer or the local network a sandboxed server may reach: `localhost:5432`,
 * `127.0.0.1:11434`, `[::1]:8080`, `nas.lan:8080`. One host and one port: nothing else there.
 */
const localService = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?):([1-9][0-9]{0,4})$/,
    'a local service is a host and a port, such as localhost:5432 or 192.168.1.20:8080',
  )
  .refine((service) => Number(service.slice(service.lastIndexOf(':') + 1)) <= 65535, 'a port is 1 to 65535');

/**
 * How a local server is confined (connectors/sandbox/sandbox-profile.ts). Absent means the default profile:
 * sandboxed, no workspace, any public host. Grants are explicit: nothing a command line names is
 * given without being listed here.
 */
const sandboxSettings = z
  .object({
    /** false only by the user's explicit choice: the server then runs with the user's full rights. */
    enabled: z.boolean().default(true),
    /** Folders and files it may write (its workspace). */
    folders: z.array(grantedPath).default([]),
    /** Folders and files it may read besides its workspace, its runtime and its package. */
    readFolders: z.array(grantedPath).default([]),
    /** null: any public host; a list: only these hosts, through the sandbox's proxy. */
    allowedDomains: z.array(allowedDomain).nullable().default(null),
    /** Services on this computer or the local network it may reach, each by host and port. */
    localServices: z.array(localService).default([]),
    /** Environment variables that hold secrets besides the ones named like one (a catalog's `isSecret`). */
    secretVariables: z.array(envName).default([]),
    /** Secret variables it gets plainly, by the user's choice, where a stand-in would not work. */
    plainSecrets: z.array(envName).default([]),
  })
  .strict();

/**
 * A local server Gatehouse starts as a child process: command, arguments, environment, folder.
 * @internal Exported for its tests only: tests build one kind's settings with its defaults.
 */
export const stdioSettings = z
  .object({
    kind: z.literal('stdio'),
    command: z.string().trim().min(1, 'a command is required (e.g. npx)'),
    args: z.array(z.string()).default([]),
    /** Values are secrets: stored encrypted, shown masked. */
    env: z.record(envName, z.string()).default({}),
    cwd: z.string().min(1).nullable().default(null),
    sandbox: sandboxSettings.optional(),
  })
  .strict();

const oauthSettings = z
  .object({
    type: z.literal('oauth'),
    /** Pre-registered client; when absent, Gatehouse uses a metadata document or DCR. */
    clientId: z.string().min(1).nullable().default(null),
    /** Secret; stored encrypted. */
    clientSecret: z.string().min(1).nullable().default(null),
    authorizeUrl: z.url().nullable().default(null),
    tokenUrl: z.url().nullable().default(null),
    /** null: the server's default scopes (from its challenge or metadata). */
    scopes: z.array(z.string().min(1)).nullable().default(null),
  })
  .strict();

const httpAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('bearer'), token: z.string().min(1, 'a bearer token is required') }).strict(),
  oauthSettings,
]);

/**
 * A remote server: its URL, transport, request timeout, extra headers and how it authorizes.
 * @internal Exported for its tests only: tests build one kind's settings with its defaults.
 */
export const httpSettings = z
  .object({
    kind: z.literal('http'),
    url: z
      .url('the URL must be an absolute http(s) URL')
      .refine((value) => /^https?:/i.test(value), 'the URL must use http or https'),
    /** 'auto' tries Streamable HTTP first and falls back to legacy SSE. */
    transport: z.enum(['auto', 'streamable-http', 'sse']).default('auto'),
    timeoutSeconds: z.number().int().min(1).max(3600).default(30),
    /** Values are secrets: stored encrypted, shown masked. */
    headers: z.record(headerName, z.string()).default({}),
    auth: httpAuth.default({ type: 'none' }),
    /**
     * The URL itself holds a secret (a catalog URL variable marked secret): it is stored encrypted and
     * shown as `<origin>/[stored]`; an edit that sends that back keeps the stored URL.
     */
    secretUrl: z.boolean().optional(),
  })
  .strict();

/** Either kind of connector, told apart by `kind`; what `connectors.add` and `edit` validate. */
export const connectorSettings = z.discriminatedUnion('kind', [stdioSettings, httpSettings]);
/** A connector's settings, validated (defaults filled in). */
export type ConnectorSettings = z.infer<typeof connectorSettings>;
/** A stdio connector's settings, validated. */
export type StdioSettings = z.infer<typeof stdioSettings>;
/** How a local server is confined, validated (defaults filled in). */
export type SandboxSettings = z.infer<typeof sandboxSettings>;
/** A stdio connector's sandbox settings, the default profile where it has none of its own. */
export function sandboxOf(settings: StdioSettings): SandboxSettings {
  return settings.sandbox ?? DEFAULT_SANDBOX;
}

/** The default profile: sandboxed, nothing granted, any public host. */
export const DEFAULT_SANDBOX: SandboxSettings = {
  enabled: true,
  folders: [],
  readFolders: [],
  allowedDomains: null,
  localServices: [],
  secretVariables: [],
  plainSecrets: [],
};
/** An HTTP connector's settings, validated. */
export type HttpSettings = z.infer<typeof httpSettings>;
/** How an HTTP connector authorizes: none, a fixed bearer token, or OAuth (MCP authorization). */
export type HttpAuth = z.infer<typeof httpAuth>;
