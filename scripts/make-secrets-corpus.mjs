// Builds the tuning corpus of the call inspection (test/fixtures/secrets/): secret material of every
// kind, in tool-call arguments and results, at depth (test/fixtures/secrets/planted-secrets.mjs makes
// the secrets), and benign values from real data shapes: the results and arguments of the real MCP
// servers the tests run (server-everything, server-filesystem reading this repository), UUIDs, git
// SHAs and hashes from this repository, base64 images and files, random ids, code from node_modules
// that names passwords and tokens, the documentation's example keys (vendors' published ones, and
// README snippets from node_modules), public keys and certificates. The format is the held-out
// corpus's (docs/decisions.md, "Hold the arguments, mask the results, one list"; figures in docs/measurements.md).
//
//   npm run build && node scripts/make-secrets-corpus.mjs && npx prettier --write test/fixtures/secrets/
//
// Made once and committed; nothing here runs on CI.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import * as planted from '../test/fixtures/secrets/planted-secrets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures', 'secrets');
const require = createRequire(join(root, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');

/** A payload no larger than this many characters of text (cut at a line). */
const MAX_TEXT = 8_000;
const cut = (text) =>
  text.length <= MAX_TEXT ? text : text.slice(0, text.lastIndexOf('\n', MAX_TEXT) + 1 || MAX_TEXT);
const pick = (items) => items[Math.floor(Math.random() * items.length)];
const words = ['deploy', 'notes', 'report', 'backup', 'staging', 'invoice', 'draft', 'summary'];

// ---- Secrets ---------------------------------------------------------------------------------------

/** Each kind's ways of appearing: as text, or as an object (a credentials file read as JSON). */
const SECRET_MAKERS = {
  'private-key-pem': [
    () => planted.pemPrivateKey('pkcs8-rsa'),
    () => planted.pemPrivateKey('pkcs1-rsa'),
    () => planted.pemPrivateKey('sec1-ec'),
    () => planted.pemPrivateKey('encrypted'),
    () => planted.pemPrivateKey('pkcs8-ec'),
  ],
  'private-key-openssh': [() => planted.opensshPrivateKey(), () => planted.opensshPrivateKey('deploy@ci')],
  'private-key-putty': [() => planted.puttyPrivateKey(3), () => planted.puttyPrivateKey(2)],
  'aws-credentials': [
    () => {
      const k = planted.awsKeyPair();
      return `[default]\naws_access_key_id = ${k.id}\naws_secret_access_key = ${k.secret}\nregion = eu-west-1\n`;
    },
    () => {
      const k = planted.awsKeyPair();
      return `export AWS_ACCESS_KEY_ID=${k.id}\nexport AWS_SECRET_ACCESS_KEY=${k.secret}\n`;
    },
    () => {
      const k = planted.awsKeyPair();
      return { AccessKeyId: k.id, SecretAccessKey: k.secret, Expiration: '2026-12-01T00:00:00Z' };
    },
    () => {
      const k = planted.awsKeyPair();
      return `aws configure set aws_access_key_id ${k.id} && aws configure set aws_secret_access_key ${k.secret}`;
    },
  ],
  'gcp-service-account': [
    () => planted.gcpServiceAccount(),
    () => JSON.stringify(planted.gcpServiceAccount('analytics-42'), null, 2),
    () => JSON.stringify(planted.gcpServiceAccount('ml-pipeline-7')),
  ],
  'azure-connection-string': [
    () => planted.azureSecret('storage'),
    () => planted.azureSecret('service-bus'),
    () => planted.azureSecret('cosmos'),
    () => planted.azureSecret('sas'),
  ],
  'github-token': ['ghp', 'gho', 'ghs', 'ghu', 'ghr', 'github_pat'].map((p) => () => planted.githubToken(p)),
  'gitlab-token': ['glpat', 'gldt', 'glrt', 'glptt', 'GR1348941'].map((p) => () => planted.gitlabToken(p)),
  'slack-token': ['bot', 'user', 'app', 'webhook'].map((v) => () => planted.slackToken(v)),
  'stripe-live-key': [() => planted.stripeLiveKey('sk'), () => planted.stripeLiveKey('rk')],
  'npm-token': [
    () => planted.npmToken(),
    () => `//registry.npmjs.org/:_authToken=${planted.npmToken()}\nregistry=https://registry.npmjs.org/\n`,
  ],
  'openai-key': ['project', 'service', 'admin', 'legacy'].map((v) => () => planted.openaiKey(v)),
  'anthropic-key': [() => planted.anthropicKey('api03'), () => planted.anthropicKey('admin01')],
  'huggingface-token': [() => planted.huggingFaceToken('hf'), () => planted.huggingFaceToken('api_org')],
  jwt: [() => planted.signedJwt('HS256'), () => planted.signedJwt('RS256'), () => planted.signedJwt('ES256')],
  'env-dump': [
    () => planted.envDump(),
    () =>
      `DB_HOST=db.internal\nDB_USER=app\nDB_PASSWORD=${planted.randomChars('ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 20)}\nJWT_SECRET=${randomBytes(32).toString('base64')}\n`,
    () => ({
      DATABASE_URL: `postgres://app:${planted.randomChars('abcdefghijkmnopqrstuvwxyz23456789', 16)}@db:5432/app`,
      SECRET_KEY: randomBytes(24).toString('hex'),
      SMTP_PASSWORD: `${planted.randomChars('ABCDEFGHJKMNPQRSTUVWXYZabcdefghijk', 10)}!9`,
    }),
  ],
};

/** Where a secret goes in a tools/call's arguments: the payload, and the field path. */
const ARGUMENT_PLACES = [
  (v) => ({ payload: { title: pick(words), body: v }, where: 'body' }),
  (v) => ({
    payload: {
      message: pick(words),
      files: [
        { path: 'README.md', content: '# notes' },
        { path: 'conf', content: v },
      ],
    },
    where: 'files[1].content',
  }),
  (v) => ({
    payload: { config: { deploy: { target: 'prod', credentials: v } } },
    where: 'config.deploy.credentials',
  }),
  (v) => ({
    payload: {
      text: `Please keep this for me:\n\n${typeof v === 'string' ? v : JSON.stringify(v)}\n\nthanks`,
    },
    where: 'text',
  }),
  (v) => ({ payload: { request: JSON.stringify({ op: 'save', value: v }) }, where: 'request' }),
];

/** Where a secret goes in a CallToolResult: the payload, and the field path. */
const RESULT_PLACES = [
  (v) => ({
    payload: { content: [{ type: 'text', text: typeof v === 'string' ? v : JSON.stringify(v, null, 2) }] },
    where: 'content[0].text',
  }),
  (v) => ({
    payload: {
      content: [{ type: 'text', text: JSON.stringify({ secret: v }) }],
      structuredContent: { secret: v },
    },
    where: 'structuredContent.secret',
  }),
  (v) => ({
    payload: {
      content: [
        { type: 'text', text: 'Read 1 file' },
        {
          type: 'resource',
          resource: {
            uri: 'file:///home/me/.config/app/creds',
            mimeType: 'text/plain',
            text: typeof v === 'string' ? v : JSON.stringify(v),
          },
        },
      ],
    },
    where: 'content[1].resource.text',
  }),
  (v) => ({
    payload: {
      isError: true,
      content: [
        { type: 'text', text: `Error: request failed with ${typeof v === 'string' ? v : JSON.stringify(v)}` },
      ],
    },
    where: 'content[0].text',
  }),
  (v) => ({
    payload: {
      content: [{ type: 'text', text: 'ok' }],
      structuredContent: { items: [{ id: 1 }, { id: 2, env: v }] },
    },
    where: 'structuredContent.items[1].env',
  }),
];

function secretItems() {
  const items = [];
  for (const [kind, makers] of Object.entries(SECRET_MAKERS)) {
    for (let i = 0; i < 24; i++) {
      const direction = i % 2 === 0 ? 'arguments' : 'result';
      const value = makers[i % makers.length]();
      const places = direction === 'arguments' ? ARGUMENT_PLACES : RESULT_PLACES;
      const { payload, where } = places[Math.floor(i / 2) % places.length](value);
      items.push({
        id: `s-${String(items.length + 1).padStart(4, '0')}`,
        kind,
        direction,
        payload,
        where,
        why: `${kind} (${typeof value === 'string' ? 'as text' : 'as an object'}) at ${where}`,
      });
    }
  }
  return items;
}

// ---- Benign values -----------------------------------------------------------------------------------

const benign = [];
function addBenign(shape, direction, payload) {
  benign.push({ id: `b-${String(benign.length + 1).padStart(4, '0')}`, shape, direction, payload });
}
const asText = (text) => ({ content: [{ type: 'text', text }] });
const asArgument = (key, value) => ({ [key]: value });

/** Both directions of one value: in a result's text, and as an argument. */
function both(shape, value, key = 'value') {
  addBenign(shape, 'result', asText(value));
  addBenign(shape, 'arguments', asArgument(key, value));
}

/** Fills a tool's input schema with ordinary values. */
function sampleArguments(schema) {
  const args = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if (property.enum) args[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') args[name] = 3;
    else if (property.type === 'boolean') args[name] = false;
    else if (property.type === 'array') args[name] = [];
    else if (property.type === 'object') args[name] = {};
    else
      args[name] =
        name === 'uri' ? 'demo://resource/static/document/architecture.md' : `${pick(words)} ${name}`;
  }
  return args;
}

async function connected(command, args) {
  const client = new Client({ name: 'secrets-corpus', version: '1.0.0' }, { capabilities: {} });
  await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
  return client;
}

/** Real results of server-everything's tools and resources (those that answer at once). */
async function everythingResults() {
  const client = await connected(process.execPath, [
    require.resolve('@modelcontextprotocol/server-everything/dist/index.js'),
    'stdio',
  ]);
  const skip = /env|elicit|sampling|long-running|roots|logging|subscriber|research/i;
  for (const tool of (await client.listTools()).tools) {
    if (skip.test(tool.name)) continue;
    const args = sampleArguments(tool.inputSchema);
    const result = await client
      .callTool({ name: tool.name, arguments: args }, undefined, { timeout: 10_000 })
      .catch(() => undefined);
    if (!result) continue;
    for (let i = 0; i < 3; i++) addBenign(`server-everything ${tool.name} result`, 'result', result);
    addBenign(`server-everything ${tool.name} arguments`, 'arguments', args);
  }
  const { resources } = await client.listResources();
  for (const resource of resources.slice(0, 40)) {
    const read = await client.readResource({ uri: resource.uri }).catch(() => undefined);
    if (!read) continue;
    const content = read.contents[0];
    addBenign('server-everything resource as a result', 'result', {
      content: [
        { type: 'resource', resource: { ...content, ...(content.text ? { text: cut(content.text) } : {}) } },
      ],
    });
  }
  await client.close();
}

/** The repository's own files, as the filesystem server reads, lists and searches them. */
const repoFiles = execFileSync(
  'git',
  ['ls-files', 'docs', 'main', 'renderer/src', 'README.md', 'package.json'],
  { cwd: root, encoding: 'utf8' },
)
  .split('\n')
  .filter((file) => file && !file.includes('secrets'));

async function filesystemResults() {
  const client = await connected(process.execPath, [
    require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'),
    root,
  ]);
  const call = (name, args) =>
    client.callTool({ name, arguments: args }, undefined, { timeout: 20_000 }).catch(() => undefined);
  const chosen = repoFiles.filter((_, i) => i % 4 === 0).slice(0, 90);
  for (const file of chosen) {
    const result = await call('read_text_file', { path: join(root, file) });
    if (!result) continue;
    result.content = result.content.map((part) =>
      part.type === 'text' ? { ...part, text: cut(part.text) } : part,
    );
    addBenign('server-filesystem read_text_file result', 'result', result);
  }
  for (const dir of ['docs', 'main/core', 'main/core/gateway', 'renderer/src', 'test/core', 'bench']) {
    const listed = await call('list_directory', { path: join(root, dir) });
    if (listed) addBenign('server-filesystem list_directory result', 'result', listed);
    const info = await call('get_file_info', { path: join(root, dir) });
    if (info) addBenign('server-filesystem get_file_info result', 'result', info);
  }
  for (const pattern of ['token', 'password', 'secret', '*.md']) {
    const found = await call('search_files', { path: join(root, 'main'), pattern });
    if (found) addBenign('server-filesystem search_files result', 'result', found);
  }
  // What a client writes with it: real source files and edits as arguments.
  for (const file of repoFiles
    .filter((f) => /\.(ts|tsx|md)$/.test(f))
    .filter((_, i) => i % 6 === 1)
    .slice(0, 70)) {
    addBenign('server-filesystem write_file arguments', 'arguments', {
      path: join('/home/me/projects/gatehouse', file),
      content: cut(readFileSync(join(root, file), 'utf8')),
    });
  }
  await client.close();
}

function identifiers() {
  const shas = execFileSync('git', ['log', '--format=%H %h', '-n', '120'], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n');
  for (const line of shas) {
    const [full, short] = line.split(' ');
    addBenign(
      'git-sha',
      'result',
      asText(`commit ${full}\nAuthor: Gatehouse contributors\n\n    ${pick(words)}`),
    );
    addBenign('git-sha', 'arguments', { ref: full, base: short });
  }
  for (let i = 0; i < 60; i++) both('uuid', randomUUID(), 'id');
  for (let i = 0; i < 40; i++) {
    const bytes = randomBytes(64);
    both('sha256-hex', createHash('sha256').update(bytes).digest('hex'), 'digest');
    both('sha1-hex', createHash('sha1').update(bytes).digest('hex'), 'checksum');
    both('md5-hex', createHash('md5').update(bytes).digest('hex'), 'etag');
  }
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const integrities = Object.entries(lock.packages)
    .filter(([, p]) => p.integrity)
    .slice(0, 80);
  for (const [name, pkg] of integrities) {
    addBenign(
      'npm integrity (sha512 base64)',
      'result',
      asText(`${name}: ${pkg.integrity}\nresolved ${pkg.resolved}`),
    );
  }
  const ids = [
    ['mongo-objectid', () => randomBytes(12).toString('hex')],
    ['ulid', () => planted.randomChars('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 26)],
    [
      'nanoid',
      () => planted.randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 21),
    ],
    [
      'stripe-object-id',
      () =>
        `${pick(['cus', 'pi', 'ch', 'in', 'sub', 'price'])}_${planted.randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 24)}`,
    ],
    ['w3c-traceparent', () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`],
    ['docker-digest', () => `ghcr.io/acme/api@sha256:${randomBytes(32).toString('hex')}`],
    ['aws-arn', () => `arn:aws:iam::${planted.randomChars('0123456789', 12)}:role/${pick(words)}-runner`],
    ['aws-request-id', () => randomUUID().toUpperCase()],
    [
      'azure-resource-id',
      () =>
        `/subscriptions/${randomUUID()}/resourceGroups/rg-${pick(words)}/providers/Microsoft.Web/sites/app-${pick(words)}`,
    ],
    ['random-id-base64url', () => randomBytes(24).toString('base64url')],
    [
      'session-less request id',
      () => `req_${planted.randomChars('abcdefghijklmnopqrstuvwxyz0123456789', 24)}`,
    ],
    ['ipfs-cid', () => `bafybei${planted.randomChars('abcdefghijklmnopqrstuvwxyz234567', 52)}`],
    ['slack-channel-id', () => `C0${planted.randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 9)}`],
    [
      'github-node-id',
      () =>
        `MDQ6VXNlcj${planted.randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 10)}`,
    ],
  ];
  for (const [shape, make] of ids) for (let i = 0; i < 12; i++) both(shape, make(), 'id');
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: randomUUID() })).toString('base64url')}.`;
  both('unsigned-jwt', unsigned, 'token');
}

function binaries() {
  for (const file of ['build/icon.png', 'build/icon.ico', 'renderer/public/favicon.png'].filter((f) => {
    try {
      return statSync(join(root, f)).isFile();
    } catch {
      return false;
    }
  })) {
    const data = readFileSync(join(root, file)).toString('base64');
    addBenign('base64-png', 'result', { content: [{ type: 'image', data, mimeType: 'image/png' }] });
    addBenign('base64-file', 'arguments', { filename: file, contentBase64: data });
  }
  // Small images and files as tools pass them: random pixels, gzip, wasm-like, PDF-like bytes.
  for (let i = 0; i < 40; i++) {
    const bytes = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      randomBytes(2_000 + i * 37),
    ]);
    both('base64-png', bytes.toString('base64'), 'image');
    both(
      'base64-file',
      Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1_500)]).toString('base64'),
      'file',
    );
  }
  for (let i = 0; i < 20; i++)
    both('data-url', `data:image/png;base64,${randomBytes(900).toString('base64')}`, 'src');
}

/** Code in node_modules that names passwords, tokens and secrets — never holds one. */
function codeNamingSecrets() {
  const candidates = [
    'oidc-provider/lib',
    'oauth4webapi/build',
    'undici/lib',
    '@modelcontextprotocol/sdk/dist/esm/client',
    '@modelcontextprotocol/sdk/dist/esm/server/auth',
    'zod/v4/core',
  ];
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|mjs|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const dir of candidates) {
    try {
      walk(join(root, 'node_modules', dir));
    } catch {
      // not installed
    }
  }
  let taken = 0;
  for (const file of files) {
    if (taken >= 160) break;
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((line) => /password|secret|token|apiKey|api_key|credential/i.test(line));
    if (at === -1) continue;
    const snippet = lines.slice(Math.max(0, at - 8), at + 16).join('\n');
    if (snippet.length > 6_000) continue;
    taken++;
    const shape = 'code-naming-password';
    if (taken % 2)
      addBenign(shape, 'arguments', { path: relative(join(root, 'node_modules'), file), content: snippet });
    else addBenign(shape, 'result', asText(snippet));
  }
}

/** The documentation's example keys: vendors' published ones, and README snippets from node_modules. */
function documentationExamples() {
  const published = [
    'AKIAIOSFODNN7EXAMPLE',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
    'curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:',
    'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'export OPENAI_API_KEY="sk-..."',
    'ANTHROPIC_API_KEY=sk-ant-api03-...',
    'SLACK_BOT_TOKEN=xoxb-your-bot-token',
    'HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'NPM_TOKEN=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
    '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----',
    'glpat-xxxxxxxxxxxxxxxxxxxx',
    'API_KEY=your-api-key-here\nDATABASE_PASSWORD=changeme\nJWT_SECRET=replace-me\n',
    'DB_PASSWORD=<your password>\nSECRET_KEY=${SECRET_KEY}\nAPI_TOKEN=%API_TOKEN%\n',
    'postgres://postgres:postgres@localhost:5432/postgres',
    'Authorization: Bearer <token>',
    // Configuration as documentation and tutorials write it.
    'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n      POSTGRES_USER: app\n  cache:\n    image: redis:7\n    command: redis-server --requirepass ${REDIS_PASSWORD}\n',
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysecret\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: MWYyZDFlMmU2N2Rm\n',
    '# .env.example\nDATABASE_URL=postgres://user:password@localhost:5432/mydb\nNEXTAUTH_SECRET=\nGITHUB_ID=\nGITHUB_SECRET=\nOPENAI_API_KEY=\n',
    'DB_PASSWORD=test1234\nAPI_KEY=demo-key-123\nSESSION_SECRET=changeit\n',
    "it('logs in', async () => {\n  const password = 'correct horse battery staple';\n  const token = await login('alice', password);\n  expect(token).toMatch(/^eyJ/);\n});\n",
    "const config = {\n  user: process.env.PGUSER,\n  password: process.env.PGPASSWORD,\n  apiKey: options.apiKey ?? '',\n  token: getToken(),\n};\n",
    'class Credentials:\n    password: str\n    token: Optional[str] = None\n    api_key: SecretStr\n',
    'mysql -u root -p$MYSQL_ROOT_PASSWORD -e "show databases"',
    '{"max_tokens": 1024, "temperature": 0.2, "token_count": 512, "stop_tokens": ["</s>"]}',
    'password_min_length=12\npassword_reset_ttl=3600\ntoken_url=https://auth.example.com/token\nauth_endpoint=/oauth/authorize\n',
  ];
  for (const text of published)
    for (const direction of ['result', 'arguments'])
      addBenign('doc-example-key', direction, direction === 'result' ? asText(text) : { snippet: text });
  const readmes = [];
  const modules = join(root, 'node_modules');
  for (const name of readdirSync(modules)) {
    const dirs = name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => join(name, n)) : [name];
    for (const dir of dirs) {
      try {
        readmes.push([dir, readFileSync(join(modules, dir, 'README.md'), 'utf8')]);
      } catch {
        // no README
      }
    }
  }
  let taken = 0;
  for (const [dir, text] of readmes) {
    if (taken >= 140) break;
    const lines = text.split('\n');
    const at = lines.findIndex((line) =>
      /api[_-]?key|token|secret|password|credential|BEGIN .*KEY/i.test(line),
    );
    if (at === -1) continue;
    taken++;
    addBenign(
      'readme-snippet',
      taken % 2 ? 'result' : 'arguments',
      taken % 2
        ? asText(lines.slice(Math.max(0, at - 6), at + 14).join('\n'))
        : { package: dir, excerpt: lines.slice(Math.max(0, at - 6), at + 14).join('\n') },
    );
  }
}

function publicKeys() {
  for (let i = 0; i < 10; i++) {
    const { publicKey } = generateKeyPairSync(i % 2 ? 'ec' : 'ed25519', i % 2 ? { namedCurve: 'P-256' } : {});
    both('public-key-pem', publicKey.export({ format: 'pem', type: 'spki' }), 'publicKey');
    const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    both('public-key-jwk', JSON.stringify(raw), 'jwk');
  }
  for (const cert of rootCertificates.filter((_, i) => i % 6 === 0))
    both('x509-certificate', cert, 'certificate');
}

/** Prose and markdown as tools pass them: this repository's docs, a paragraph at a time. */
function prose() {
  const docs = ['docs/security-model.md', 'docs/decisions.md', 'README.md'];
  for (const doc of docs) {
    const paragraphs = readFileSync(join(root, doc), 'utf8')
      .split(/\n\n+/)
      .filter((p) => p.length > 200);
    for (const paragraph of paragraphs.filter((_, i) => i % 7 === 0).slice(0, 40)) {
      addBenign(
        'prose',
        pick(['result', 'arguments']),
        Math.random() < 0.5 ? asText(paragraph) : { text: paragraph },
      );
    }
  }
}

const secrets = secretItems();
await everythingResults();
await filesystemResults();
identifiers();
binaries();
codeNamingSecrets();
documentationExamples();
publicKeys();
prose();

writeFileSync(join(out, 'secrets.json'), JSON.stringify({ items: secrets }, null, 2));
writeFileSync(join(out, 'benign.json'), JSON.stringify({ items: benign }, null, 2));
const counts = (items, key) =>
  Object.entries(items.reduce((all, item) => ({ ...all, [item[key]]: (all[item[key]] ?? 0) + 1 }), {}))
    .map(([name, count]) => `| ${name} | ${count} |`)
    .join('\n');
writeFileSync(
  join(out, 'README.md'),
  `# The call inspection's tuning corpus

Made by \`scripts/make-secrets-corpus.mjs\` (how, and from what, is said at its top), in the format of
the held-out corpus (\`/work/briefs/heldout-formats.md\`): \`secrets.json\` holds secret material in
tool-call arguments and results with the field path it is at; \`benign.json\` holds values that must
pass. \`node dist/bench/run.js secrets-corpus <folder>\` reads any folder in this format; the
\`secrets\` benchmark reads this one and \`held-out/\` when it is there. The secrets are made fresh and
are nobody's; the benign values are real data shapes.

## Secrets: ${secrets.length}, by kind

| kind | items |
| --- | --- |
${counts(secrets, 'kind')}

## Benign: ${benign.length}, by shape

| shape | items |
| --- | --- |
${counts(benign, 'shape')}
`,
);
console.log(`${secrets.length} secrets, ${benign.length} benign values written to ${relative(root, out)}`);
