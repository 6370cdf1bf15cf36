// Redaction for the audit log: secret keys and credential shapes hidden, ordinary text and paths
// kept, sizes capped with visible markers, input untouched, hostile shapes handled.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksRandom, redactArguments, redactText } from '../../../main/core/policy/redaction.js';
import { isSensitiveKey } from '../../../main/core/secrets/secret-names.js';

/** What stands in for a redacted value (redaction.ts). */
const REDACTED = '[redacted]';

describe('isSensitiveKey', () => {
  const sensitive = [
    'token',
    'accessToken',
    'refresh_token',
    'ACCESS_TOKEN',
    'secret',
    'client_secret',
    'clientSecret',
    'password',
    'PGPASSWORD',
    'db-passwd',
    'passphrase',
    'Authorization',
    'proxy-authorization',
    'api_key',
    'apiKey',
    'X-Api-Key',
    'APIKEY',
    'apikey',
    'Cookie',
    'set-cookie',
    'session',
    'sessionId',
    'private_key',
    'privateKey',
    'credentials',
    'aws.credential',
    'nextToken',
    'githubtoken',
  ];
  const ordinary = [
    'tokenizer',
    'max_tokens',
    'maxTokens',
    'tokens',
    'path',
    'author',
    'keyboard',
    'key',
    'public_key_id',
    'description',
    'secretary_name',
    'passage',
    'message',
  ];
  it.each(sensitive)('%s is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));
  it.each(ordinary)('%s is not', (key) => expect(isSensitiveKey(key)).toBe(false));
});

describe('redactText', () => {
  const cases: Array<[text: string, expected: string]> = [
    [
      'GET https://api.example.com/x?access_token=abc123&page=2 failed',
      `GET https://api.example.com/x?access_token=${REDACTED}&page=2 failed`,
    ],
    [
      'connect postgres://app:hunter2@db.local:5432/app',
      `connect postgres://app:${REDACTED}@db.local:5432/app`,
    ],
    ['header Authorization: Bearer abc.def-123', `header Authorization: ${REDACTED}`],
    ['sent Bearer eyJhbGciOi.eyJzdWIiOiIx.sig to the server', `sent Bearer ${REDACTED} to the server`],
    ['the bearer of bad news', 'the bearer of bad news'],
    ['Basic configuration is fine', 'Basic configuration is fine'],
    ['password=hunter2; user=bob', `password=${REDACTED}; user=bob`],
    ['{"password":"two words","user":"bob"}', `{"password":"${REDACTED}","user":"bob"}`],
    ["api_key: 'k-123'", `api_key: '${REDACTED}'`],
    ['MYSQL_PWD is unset, DB_PASSWORD=x9', `MYSQL_PWD is unset, DB_PASSWORD=${REDACTED}`],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end',
      `jwt ${REDACTED} end`,
    ],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used', `token ${REDACTED} used`],
    ['github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz', REDACTED],
    ['key sk-proj-abc123def456ghi789jkl here', `key ${REDACTED} here`],
    ['pip install sk-learn-tutorial-for-beginners', 'pip install sk-learn-tutorial-for-beginners'],
    ['stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', `stripe ${REDACTED}`],
    ['aws AKIAIOSFODNN7EXAMPLE region', `aws ${REDACTED} region`],
    ['slack xoxb-123456789012-abcdefghij', `slack ${REDACTED}`],
    ['google AIzaSyA-1234567890abcdefghijklmnopqrstu', `google ${REDACTED}`],
    [
      'key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY----- done',
      `key ${REDACTED} done`,
    ],
    ['cut -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC', `cut ${REDACTED}`],
    ['hex 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', `hex ${REDACTED}`],
    ['random Zx8Kq2LmP9vR4tY7wB3nC6dF1gH5jS0aQe', `random ${REDACTED}`],
    // Ordinary text, paths, identifiers and ids stay.
    [
      '/usr/local/lib/node_modules/typescript/lib/typescript.js',
      '/usr/local/lib/node_modules/typescript/lib/typescript.js',
    ],
    [
      'C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code',
      'C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code',
    ],
    ['call getUserProfileSettingsForAccount2024 now', 'call getUserProfileSettingsForAccount2024 now'],
    ['id 123e4567-e89b-12d3-a456-426614174000', 'id 123e4567-e89b-12d3-a456-426614174000'],
    ['slug my-project-2024-final-version-draft-two', 'slug my-project-2024-final-version-draft-two'],
    [
      'HKEY_LOCAL_MACHINE_SOFTWARE_Microsoft_Windows_CurrentVersion',
      'HKEY_LOCAL_MACHINE_SOFTWARE_Microsoft_Windows_CurrentVersion',
    ],
    ['The quick brown fox jumps over the lazy dog.', 'The quick brown fox jumps over the lazy dog.'],
    ['https://example.com:8080/path?q=1', 'https://example.com:8080/path?q=1'],
    ['max_tokens=100', 'max_tokens=100'],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('cuts long text, after redacting across the cut', () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const text = `${'x '.repeat(990)}${secret}${'y'.repeat(5_000)}`;
    const out = redactText(text, 2_000);
    expect(out).not.toContain('ghp_');
    expect(out.endsWith(`…(+${text.length - 2_000} chars)`)).toBe(true);
  });

  it('does not leave half a surrogate pair at the cut', () => {
    const out = redactText(`${'a'.repeat(1_999)}😀😀`, 2_000);
    expect(out).toBe(`${'a'.repeat(1_999)}…(+3 chars)`);
  });

  it('catches nearly every random token', () => {
    let missed = 0;
    for (let i = 0; i < 500; i++) {
      const token = randomBytes(24 + (i % 12)).toString('base64url');
      if (redactText(`value ${token}`).includes(token)) missed++;
    }
    expect(missed).toBeLessThan(10);
  });

  it('stays fast on hostile text', () => {
    const hostile = [
      'password='.repeat(20_000),
      `${'a'.repeat(200)}:`.repeat(500),
      '-----BEGIN PRIVATE KEY-----'.repeat(2_000),
      'Bearer '.repeat(20_000),
      `${'A1b2'.repeat(20_000)}`,
    ];
    for (const text of hostile) {
      const started = performance.now();
      redactText(text, 100_000);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });
});

describe('looksRandom', () => {
  it.each([
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', true],
    ['0c5b6lnlm0w8n7y1ixn3s0w9m1f3yd7j', true],
    ['internationalization_configuration_v2', false],
    ['XMLHttpRequestFactoryInstance2024V2', false],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl', false],
  ])('%s → %s', (run, expected) => expect(looksRandom(run)).toBe(expected));
});

describe('redactArguments', () => {
  it('redacts by key and by shape, keeps the rest, and never mutates the input', () => {
    const input = {
      path: '/home/me/projects/a.ts',
      accessToken: 'opaque',
      max_tokens: 100,
      tokenizer: 'cl100k_base',
      has_password: true,
      password: null,
      headers: { 'X-Api-Key': 'k', Cookie: 'c=1', Accept: 'application/json' },
      credentials: { user: 'bob', pass: 'x' },
      note: 'use ghp_abcdefghijklmnopqrstuvwxyz0123456789 please',
      sha: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      commits: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      body: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      nested: [{ client_secret: 's' }],
    };
    const before = structuredClone(input);
    expect(redactArguments(input)).toEqual({
      path: '/home/me/projects/a.ts',
      accessToken: REDACTED,
      max_tokens: 100,
      tokenizer: 'cl100k_base',
      has_password: true,
      password: null,
      headers: { 'X-Api-Key': REDACTED, Cookie: REDACTED, Accept: 'application/json' },
      credentials: REDACTED,
      note: `use ${REDACTED} please`,
      sha: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      commits: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      body: REDACTED,
      nested: [{ client_secret: REDACTED }],
    });
    expect(input).toEqual(before);
  });

  it('cuts long strings with the count of what was cut', () => {
    expect(redactArguments({ text: 'x'.repeat(1_500) })).toEqual({
      text: `${'x'.repeat(1_000)}…(+500 chars)`,
    });
    expect(redactArguments('y'.repeat(10_000_000))).toBe(`${'y'.repeat(1_000)}…(+9999000 chars)`);
  });

  it('caps depth, keys per object and items per array', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    let out = redactArguments(deep) as Record<string, unknown>;
    for (let i = 0; i < 8; i++) out = out.d as Record<string, unknown>;
    expect(out).toBe('[nested deeper than 8 levels]');

    const wide = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, i]));
    const wideOut = redactArguments(wide) as Record<string, unknown>;
    expect(Object.keys(wideOut)).toHaveLength(201);
    expect(wideOut['k199']).toBe(199);
    expect(wideOut['…']).toBe('(+50 keys)');

    const long = Array.from({ length: 1_000 }, (_, i) => i);
    expect(redactArguments(long)).toEqual([...long.slice(0, 100), '…(+900 items)']);
  });

  it('caps the total size of an entry', () => {
    const big = Array.from({ length: 100 }, () => ({ a: 'x'.repeat(1_000), b: 'y'.repeat(1_000) }));
    const out = redactArguments(big) as unknown[];
    expect(out).toHaveLength(33);
    expect(out[32]).toBe('…(+68 items)');
    expect(JSON.stringify(out).length).toBeLessThan(70_000);
    const small = { a: 'x'.repeat(1_000), b: 'y', c: 'z' };
    expect(redactArguments(small, { maxTotal: 1_001 })).toEqual({ a: 'x'.repeat(1_000), '…': '(+2 keys)' });
    expect(redactArguments(small, { maxTotal: 1_002 })).toEqual({
      a: 'x'.repeat(1_000),
      b: '[truncated: audit entry size limit]',
      '…': '(+1 keys)',
    });
  });

  it('survives cycles, prototype keys and values JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactArguments(cyclic)).toEqual({ a: 1, self: '[circular]' });

    const proto = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x"}') as object;
    const out = redactArguments(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    expect(
      redactArguments({ n: NaN, i: Infinity, big: 10n, f: () => 1, u: undefined, arr: [undefined, () => 1] }),
    ).toEqual({ n: 'NaN', i: 'Infinity', big: '10', arr: [null, null] });
  });

  it('redacts secrets in keys too', () => {
    expect(redactArguments({ ghp_abcdefghijklmnopqrstuvwxyz0123456789: 1 })).toEqual({ [REDACTED]: 1 });
  });
});
