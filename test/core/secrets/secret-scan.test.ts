// The secrets layer on its own: each kind found where it is and named by field path at any depth,
// the sealed values in every encoding and nothing else, what only an object's shape shows, the masked
// copy (only the way to a secret copied, the input untouched), the documentation's examples passing,
// and hostile text read in linear time.
import { describe, expect, it } from 'vitest';
import {
  connectorCredentials,
  isCredentialSetting,
} from '../../../main/core/secrets/connector-credentials.js';
import { NO_SEALED_VALUES, SealedValues } from '../../../main/core/secrets/sealed-values.js';
import { scanResult, scanValue } from '../../../main/core/secrets/secret-scan.js';
import { findSecretShapes, looksLikeExample } from '../../../main/core/secrets/secret-shapes.js';
import { SECRET_KIND_WORDS } from '../../../main/core/text.js';
import {
  awsKeyPair,
  azureSecret,
  gcpServiceAccount,
  githubToken,
  oneOfEach,
  pemPrivateKey,
  signedJwt,
  slackToken,
} from '../../fixtures/secrets/planted-secrets.mjs';

const held = (text: string) =>
  findSecretShapes(text)
    .filter((span) => span.kind !== null && !span.example)
    .map((span) => span.kind);

describe('secret shapes', () => {
  it.each(Object.entries(oneOfEach()))('finds %s alone, inside prose and inside JSON text', (kind, value) => {
    expect(held(value)).toContain(kind);
    expect(held(`Here you go:\n${value}\nthanks`)).toContain(kind);
    expect(held(JSON.stringify({ note: value }))).toContain(kind);
  });

  it.each([
    ['a PKCS#1 RSA key', pemPrivateKey('pkcs1-rsa'), 'private-key-pem'],
    ['an encrypted PKCS#8 key', pemPrivateKey('encrypted'), 'private-key-pem'],
    ['a SEC1 EC key', pemPrivateKey('sec1-ec'), 'private-key-pem'],
    [
      'a key without its armor',
      pemPrivateKey('pkcs8-rsa').split('\n').slice(1, -2).join(''),
      'private-key-pem',
    ],
    ['a Service Bus connection string', azureSecret('service-bus'), 'azure-connection-string'],
    ['a Cosmos DB connection string', azureSecret('cosmos'), 'azure-connection-string'],
    ['a blob SAS URL', azureSecret('sas'), 'azure-connection-string'],
    ['a fine-grained GitHub token', githubToken('github_pat'), 'github-token'],
    ['a Slack webhook', slackToken('webhook'), 'slack-token'],
    ['an RS256 JWT', signedJwt('RS256'), 'jwt'],
    ['an npmrc line', `//registry.npmjs.org/:_authToken=${crypto.randomUUID()}`, 'npm-token'],
    ['a named AWS secret alone', `aws_secret_access_key=${awsKeyPair().secret}`, 'aws-credentials'],
  ])('finds %s', (_name, value, kind) => {
    expect(held(value)).toContain(kind);
  });

  it('names a PEM key in a service account’s JSON as the service account’s', () => {
    expect(held(JSON.stringify(gcpServiceAccount()))).toEqual(['gcp-service-account']);
  });

  it.each([
    ['a UUID', crypto.randomUUID()],
    ['a git SHA', 'commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b'],
    ['a SHA-256 in base64', 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='],
    ['a lone AWS key id', 'AKIA2E3A8F3B244C9986 is the id'],
    ['AWS’s documented example pair', 'AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    [
      'jwt.io’s example',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ],
    ['an unsigned JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMifQ.'],
    ['a Stripe test key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['a placeholder token', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['an elided PEM', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg...\n-----END PRIVATE KEY-----'],
    [
      'code that names a password',
      'const password = req.body.password;\nconst token = await getToken(user);\n',
    ],
    ['an .env.example', 'API_KEY=your-api-key-here\nDB_PASSWORD=changeme\nSECRET_TOKEN=<token>\n'],
    [
      'a public key',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop',
    ],
    ['sk- in a word', 'pip install sk-learn-tutorial-for-beginners'],
    [
      'a base64 PNG',
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)).toString('base64'),
    ],
  ])('passes %s', (_name, text) => {
    expect(held(text)).toEqual([]);
  });

  it('says which documentation examples are examples', () => {
    expect(looksLikeExample('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(true);
    expect(looksLikeExample('1234567890abcdef')).toBe(true);
    expect(looksLikeExample('Zq8xW2mN4pL6Zq8x')).toBe(false);
  });

  it('reads hostile text in linear time', () => {
    for (const text of [
      '-----BEGIN PRIVATE KEY-----'.repeat(20_000),
      'ghp_'.repeat(100_000),
      'A=\n'.repeat(200_000),
      `${'sk-'.repeat(50_000)}${'a'.repeat(100_000)}`,
      'PuTTY-User-Key-File-3: x\n'.repeat(20_000),
      'AKIAAAAAAAAAAAAAAAAA '.repeat(20_000),
    ]) {
      const started = performance.now();
      findSecretShapes(text, 'all');
      expect(performance.now() - started, text.slice(0, 30)).toBeLessThan(3_000);
    }
  });
});

describe('sealed values', () => {
  const value = 'Vx9/k2+Lq7m4Nn8p';
  const sealed = new SealedValues([value, 'short']);

  it.each([
    ['as it is', `token=${value}`],
    ['URL-encoded', `https://x.example/?k=${encodeURIComponent(value)}`],
    ['base64', Buffer.from(value).toString('base64')],
    ['base64 after one byte', Buffer.from(`a${value}`).toString('base64')],
    ['base64 after two bytes', `Basic ${Buffer.from(`ab${value}`).toString('base64')}`],
    ['base64url inside a longer value', Buffer.from(`user:${value}:more`).toString('base64url')],
  ])('are found %s', (_how, text) => {
    const spans: Array<{ kind: unknown }> = [];
    sealed.find(text, spans as never);
    expect(spans.map((span) => span.kind)).toEqual(['sealed-value']);
  });

  it('are exact: nothing else, and nothing shorter than six characters', () => {
    const spans: unknown[] = [];
    sealed.find(
      `Vx9/k2+Lq7m4Nn8 short shorts ${Buffer.from('Vx9/k2+Lq7m4Nn8').toString('base64')}`,
      spans as never,
    );
    expect(spans).toEqual([]);
    expect(sealed.size).toBe(1);
  });

  it('are found in one pass exactly where a search for each encoding finds them', () => {
    // Values of several lengths (the shortest sets how sparsely the text is read), planted at every
    // alignment, back to back, overlapping themselves, at the text's two ends and in each encoding.
    const values = ['pw-123', 'Zq8xW2mN4pL6/Vx9k2+Lq7m4Nn8pRt5', 'aaaaaaaaaaaa', `n${'t'.repeat(40)}_x`];
    const many = new SealedValues(values);
    const needles = values.flatMap((v) => [
      v,
      encodeURIComponent(v),
      Buffer.from(v).toString('base64'),
      Buffer.from(`a${v}`).toString('base64'),
      Buffer.from(`ab${v}`).toString('base64url'),
    ]);
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 48271) + 11) % 2147483647) / 2147483647;
    const filler = 'the quick brown fox 0123456789 aaaa tttt / + = pw-12 ';
    for (let round = 0; round < 200; round++) {
      let text = '';
      while (text.length < 400) {
        text +=
          random() < 0.3
            ? needles[Math.floor(random() * needles.length)]!
            : filler.slice(0, Math.floor(random() * filler.length));
      }
      const spans: Array<{ kind: string; start: number; end: number }> = [];
      many.find(text, spans as never);
      expect(spans).toEqual(searchEachEncoding(values, text));
    }
  });
});

/** What SealedValues.find must give: per encoding (longest first) its non-overlapping occurrences. */
function searchEachEncoding(
  values: string[],
  text: string,
): Array<{ kind: string; start: number; end: number }> {
  // The encodings as sealed-values.ts makes them (RFC 4648 §4 and §5 at the three alignments).
  const encodings = new Set<string>();
  for (const value of values) {
    encodings.add(value);
    const uri = encodeURIComponent(value);
    encodings.add(uri).add(uri.replace(/%20/g, '+'));
    const bytes = Buffer.from(value, 'utf8');
    for (const offset of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      const own = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
      encodings.add(own).add(own.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  const spans: Array<{ kind: string; start: number; end: number }> = [];
  const sorted = [...encodings].filter((e) => e.length >= 6).sort((a, b) => b.length - a.length);
  for (const needle of sorted) {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length))
      spans.push({ kind: 'sealed-value', start: at, end: at + needle.length });
  }
  return spans;
}

describe('connector credentials', () => {
  it('are the tokens, the secrets and the settings whose name or value says so', () => {
    const token = githubToken();
    expect(
      connectorCredentials({
        kind: 'stdio',
        command: 'npx',
        args: [],
        cwd: null,
        env: {
          GITHUB_PERSONAL_ACCESS_TOKEN: token,
          DB_PASSWORD: 'hunter2!',
          OPAQUE: 'b6c7d8e9f0a1b2c3d4e5',
          LOG_LEVEL: 'debug',
          NODE_ENV: 'production',
          GATEHOUSE_ARGUMENT_KEY: 'plainword',
        },
      }).sort(),
    ).toEqual([token, 'hunter2!', 'b6c7d8e9f0a1b2c3d4e5', 'plainword'].sort());
    expect(
      connectorCredentials({
        kind: 'http',
        url: 'https://mcp.example/v1/abcdefghij0123456789?key=Zz9-secret-value',
        transport: 'auto',
        timeoutSeconds: 30,
        headers: { Authorization: 'Bearer tok-1234567890', 'X-Region': 'eu-west-1' },
        auth: { type: 'bearer', token: 'bearer-token-1' },
        secretUrl: true,
      }),
    ).toEqual([
      'Bearer tok-1234567890',
      'tok-1234567890',
      'bearer-token-1',
      'https://mcp.example/v1/abcdefghij0123456789?key=Zz9-secret-value',
      'Zz9-secret-value',
      'abcdefghij0123456789',
    ]);
    expect(isCredentialSetting('X-Region', 'eu-west-1')).toBe(false);
  });

  it('are not the places a setting names, however random their parts look', () => {
    // A temporary folder's random suffix, a project URL: masked, they would blank every result naming them.
    expect(isCredentialSetting('HOSTILE_HOME', '/tmp/gatehouse-sandbox-f8dTeV/home')).toBe(false);
    expect(isCredentialSetting('NOTES', '~/notes/2026-run-7Qx9')).toBe(false);
    expect(isCredentialSetting('DATA', 'C:\\Users\\dana\\data-7Qx9aB3k')).toBe(false);
    expect(isCredentialSetting('BASE_URL', 'https://api.example.com/v2/tenant7Qx9aB3k')).toBe(false);
    // A password in a URL is still one (its shape), and so is an unnamed random value.
    expect(isCredentialSetting('DATABASE', 'postgres://app:S3cr3tPa55w0rd@db.internal/app')).toBe(true);
    expect(isCredentialSetting('OPAQUE', 'b6c7d8e9f0a1b2c3d4e5')).toBe(true);
  });
});

describe('reading a value', () => {
  it('names each finding by its field path, keys that are secrets included, never by value', () => {
    const token = githubToken();
    const key = pemPrivateKey();
    const args = {
      files: [
        { path: 'a', content: 'ok' },
        { path: 'b', content: key },
      ],
      'odd key': { [token]: 1 },
      nested: { deeper: { list: [[`x ${token}`]] } },
    };
    const scan = scanValue(args, NO_SEALED_VALUES);
    expect(scan.findings).toEqual(
      expect.arrayContaining([
        { kind: 'private-key-pem', path: 'files[1].content' },
        { kind: 'github-token', path: '["odd key"][secret key]' },
        { kind: 'github-token', path: 'nested.deeper.list[0][0]' },
      ]),
    );
    expect(scan.findings).toHaveLength(3);
    const masked = scan.masked() as typeof args;
    expect(JSON.stringify(masked)).not.toContain(token);
    expect(masked.files[1]!.content).toBe(`${SECRET_KIND_WORDS['private-key-pem'].marker}\n`);
    // Only the way to a secret is copied; the input is untouched.
    expect(masked.files[0]).toBe(args.files[0]);
    expect(args.files[1]!.content).toBe(key);
  });

  it('sees what only an object shows: an AWS pair, several credentials under their names', () => {
    const aws = awsKeyPair();
    expect(scanValue({ id: aws.id, secret: aws.secret }, NO_SEALED_VALUES).findings).toEqual([
      { kind: 'aws-credentials', path: 'id' },
      { kind: 'aws-credentials', path: 'secret' },
    ]);
    expect(
      scanValue({ env: { DB_PASSWORD: 'Zx8Kq2LmP9', API_TOKEN: 'abc123def456' } }, NO_SEALED_VALUES).findings,
    ).toEqual([
      { kind: 'env-dump', path: 'env.DB_PASSWORD' },
      { kind: 'env-dump', path: 'env.API_TOKEN' },
    ]);
    // One password under its name is a form, not a dump.
    expect(scanValue({ user: 'bob', password: 'Zx8Kq2LmP9' }, NO_SEALED_VALUES).findings).toEqual([]);
  });

  it('reads a result’s text, structured content and resource blobs, not its images', () => {
    const token = githubToken();
    const sealed = new SealedValues(['vault-token-123456']);
    const result = {
      content: [
        { type: 'text', text: 'ok' },
        { type: 'image', mimeType: 'image/png', data: Buffer.from(`png ${token}`).toString('base64') },
        {
          type: 'resource',
          resource: { uri: 'file:///k', blob: Buffer.from(`k=${token}`).toString('base64') },
        },
      ],
      structuredContent: { vault: { token: 'vault-token-123456' } },
    };
    const scan = scanResult(result, sealed);
    expect(scan.findings).toEqual(
      expect.arrayContaining([
        { kind: 'github-token', path: 'content[2].resource.blob' },
        { kind: 'sealed-value', path: 'structuredContent.vault.token' },
      ]),
    );
    expect(scan.findings).toHaveLength(2);
    const masked = scan.masked() as typeof result;
    expect(
      Buffer.from((masked.content[2] as { resource: { blob: string } }).resource.blob, 'base64').toString(),
    ).toBe(`k=${SECRET_KIND_WORDS['github-token'].marker}`);
    expect(masked.content[1]).toBe(result.content[1]);
  });

  it('reads an image’s data as text outside the result’s content blocks', () => {
    // Only a content block's image or sound is media; structured content that calls itself an image
    // (or an image block nested in another block) is read like any value.
    const token = githubToken();
    const result = {
      content: [
        { type: 'text', text: 'ok' },
        { type: 'image', mimeType: 'image/png', data: token },
      ],
      structuredContent: {
        preview: { type: 'image', data: token },
        blocks: [{ type: 'audio', data: token }],
      },
    };
    const scan = scanResult(result, NO_SEALED_VALUES);
    expect(scan.findings).toHaveLength(2);
    expect(scan.findings).toEqual(
      expect.arrayContaining([
        { kind: 'github-token', path: 'structuredContent.preview.data' },
        { kind: 'github-token', path: 'structuredContent.blocks[0].data' },
      ]),
    );
    const masked = scan.masked() as typeof result;
    expect(masked.structuredContent.preview.data).toBe(SECRET_KIND_WORDS['github-token'].marker);
    expect(masked.content[1]).toBe(result.content[1]);
    // Arguments have no content blocks: an image there is read too.
    expect(scanValue({ content: [{ type: 'image', data: token }] }, NO_SEALED_VALUES).findings).toEqual([
      { kind: 'github-token', path: 'content[0].data' },
    ]);
  });

  it('masks a secret the structure showed wherever else it appears, the result’s text included', () => {
    const structuredContent = { env: { DB_PASSWORD: 'Zx8Kq2LmP9', API_TOKEN: 'abc123def456' } };
    const scan = scanResult(
      { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent },
      NO_SEALED_VALUES,
    );
    expect(scan.findings).toContainEqual({ kind: 'env-dump', path: 'content[0].text' });
    expect(JSON.stringify(scan.masked())).not.toMatch(/Zx8Kq2LmP9|abc123def456/);
  });

  it('finds a dump inside JSON text, its line breaks escaped', () => {
    const dump = 'DB_PASSWORD=Zx8Kq2LmP9\nAPI_TOKEN=abc123def456\nDEBUG=1';
    expect(scanValue({ text: JSON.stringify({ file: dump }) }, NO_SEALED_VALUES).findings).toEqual([
      { kind: 'env-dump', path: 'text' },
    ]);
  });

  it('finds nothing in nothing', () => {
    for (const value of [undefined, null, 3, {}, [], '']) {
      const scan = scanValue(value, NO_SEALED_VALUES);
      expect(scan.findings).toEqual([]);
      expect(scan.masked()).toBe(value);
    }
  });
});
