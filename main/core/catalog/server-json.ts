// The MCP Registry's documents as Gatehouse reads them: a server.json (`ServerDetail` in the registry's
// OpenAPI, schema 2025-09-29 and later, camelCase) and the API's envelopes around it — `ServerResponse`
// ({ server, _meta }) and `ServerList` ({ servers, metadata.nextCursor }). Parsing is lenient where the
// schema lets publishers add things (unknown fields are kept and ignored) and strict where Gatehouse
// acts on a value: every field it turns into a command, URL or header must have the right type.
import { z } from 'zod';

/** Keys of the registry's own metadata inside a ServerResponse's `_meta`. */
const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';

const text = z.string().max(10_000);

/** An input's common fields (schema `Input`). Defaults as the schema declares them. */
const input = z.looseObject({
  description: text.optional(),
  isRequired: z.boolean().optional(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
  value: text.optional(),
  isSecret: z.boolean().optional(),
  default: text.optional(),
  placeholder: text.optional(),
  choices: z.array(text).max(200).optional(),
});
/**
 * A value a server asks the user for (schema `Input`): description, format, default, whether it is
 * required or secret.
 */
export type Input = z.infer<typeof input>;

/** An input whose `value` may name `{variables}` (schema `InputWithVariables`). */
const withVariables = input.extend({
  variables: z.record(z.string(), input).optional(),
});

/** A command-line argument (schema `Argument`: positional or named). */
const argument = z.discriminatedUnion('type', [
  withVariables.extend({
    type: z.literal('positional'),
    valueHint: z.string().max(200).optional(),
    isRepeated: z.boolean().optional(),
  }),
  withVariables.extend({
    type: z.literal('named'),
    name: z.string().min(1).max(200),
    isRepeated: z.boolean().optional(),
  }),
]);
/** A command-line argument of a package (schema `Argument`), positional or `--name value`. */
export type Argument = z.infer<typeof argument>;

/** An environment variable or header (schema `KeyValueInput`). */
const keyValueInput = withVariables.extend({ name: z.string().min(1).max(200) });
/** A named value a server asks for: an environment variable or an HTTP header (schema `KeyValueInput`). */
export type KeyValueInput = z.infer<typeof keyValueInput>;

const transportType = z.enum(['stdio', 'streamable-http', 'sse']);

/** How a package is talked to (schema `LocalTransport`); only stdio is something Gatehouse can start. */
const packageTransport = z.looseObject({
  type: transportType,
  url: z.string().max(2_000).optional(),
  headers: z.array(keyValueInput).max(100).optional(),
});

/** One package (schema `Package`): what to download, how to run it, what it needs. */
const serverPackage = z.looseObject({
  registryType: z.string().min(1).max(50),
  registryBaseUrl: z.string().max(2_000).optional(),
  identifier: z.string().min(1).max(1_000),
  version: z.string().min(1).max(255).optional(),
  fileSha256: z.string().optional(),
  runtimeHint: z.string().max(100).optional(),
  transport: packageTransport.optional(),
  runtimeArguments: z.array(argument).max(100).optional(),
  packageArguments: z.array(argument).max(100).optional(),
  environmentVariables: z.array(keyValueInput).max(100).optional(),
});
/** One way to run a server from a package registry (npm, PyPI, OCI…; schema `Package`). */
export type ServerPackage = z.infer<typeof serverPackage>;

/** A server reached over the network (schema `RemoteTransport`). */
const serverRemote = z.looseObject({
  type: z.enum(['streamable-http', 'sse']),
  url: z.string().min(1).max(2_000),
  headers: z.array(keyValueInput).max(100).optional(),
  variables: z.record(z.string(), input).optional(),
});
/**
 * One URL the server is reached at, with the headers and URL variables it asks for (schema
 * `RemoteTransport`).
 */
export type ServerRemote = z.infer<typeof serverRemote>;

/** A server.json (schema `ServerDetail`). */
const serverDetail = z.looseObject({
  name: z.string().min(3).max(200),
  description: text,
  title: z.string().max(500).optional(),
  version: z.string().min(1).max(255),
  repository: z.looseObject({ url: z.string().max(2_000), source: z.string().optional() }).optional(),
  websiteUrl: z.string().max(2_000).optional(),
  packages: z.array(serverPackage).max(50).optional(),
  remotes: z.array(serverRemote).max(50).optional(),
});
/** A server.json (schema `ServerDetail`): the server's name, version, and its packages and remotes. */
export type ServerDetail = z.infer<typeof serverDetail>;

/** The registry's own facts about a version (`_meta["io.modelcontextprotocol.registry/official"]`). */
const officialMeta = z.looseObject({
  status: z.enum(['active', 'deprecated', 'deleted']).optional(),
  statusMessage: z.string().max(2_000).optional(),
  statusChangedAt: z.string().optional(),
  publishedAt: z.string().optional(),
  updatedAt: z.string().optional(),
  isLatest: z.boolean().optional(),
});
/** What the registry itself says of a version: its status (active, deprecated, deleted) and dates. */
export type OfficialMeta = z.infer<typeof officialMeta>;

/** One entry of the API (schema `ServerResponse`). */
export const serverResponse = z.looseObject({
  server: serverDetail,
  _meta: z.record(z.string(), z.unknown()).optional(),
});
/** One registry entry: a server.json with the registry's `_meta`. */
export type ServerResponse = z.infer<typeof serverResponse>;

/** A page of `/v0.1/servers` or `/versions` (schema `ServerList`); entries are parsed one by one. */
export const serverList = z.looseObject({
  servers: z.array(z.unknown()),
  metadata: z
    .looseObject({ nextCursor: z.string().nullable().optional(), count: z.number().optional() })
    .optional(),
});

/** The registry's metadata of an entry, or empty when a (private) registry sends none. */
export function officialMetaOf(entry: ServerResponse): OfficialMeta {
  const parsed = officialMeta.safeParse(entry._meta?.[OFFICIAL_META]);
  return parsed.success ? parsed.data : {};
}
