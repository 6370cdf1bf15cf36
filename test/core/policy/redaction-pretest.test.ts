// Every shape the audit's redaction has always hidden is hidden still, now that its shapes come from
// the secrets layer (secrets/secret-shapes.ts): generated samples of each shape, alone and inside other
// text, are redacted through redactText and through redactArguments (a tool call's audit row), and
// ordinary text passes through both the same way. The generator is seeded, so a failure names a
// sample that can be made again.
import { describe, expect, it } from 'vitest';
import { redactArguments, redactText } from '../../../main/core/policy/redaction.js';

/** What stands in for a redacted value (redaction.ts). */
const REDACTED = '[redacted]';

/** A small seeded generator (mulberry32), so a failure names a sample that can be found again. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chars = (alphabet: string, min: number, max: number) =>
    Array.from({ length: int(min, max) }, () => pick([...alphabet])).join('');
  const mixCase = (word: string) => [...word].map((c) => (next() < 0.5 ? c.toUpperCase() : c)).join('');
  return { next, int, pick, chars, mixCase };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const B64URL = `${ALNUM}_-`;

type Rng = ReturnType<typeof seeded>;

/** One generator per shape the redaction hid before the shapes moved to the secrets layer. */
const GENERATORS: Array<[string, (r: Rng) => string]> = [
  [
    'PEM private key',
    (r) => {
      const kind = r.pick(['', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED ', 'DSA ']);
      const body = r.chars(`${ALNUM}+/=\n`, 0, 300);
      return `-----BEGIN ${kind}PRIVATE KEY-----\n${body}${r.next() < 0.5 ? `\n-----END ${kind}PRIVATE KEY-----` : ''}`;
    },
  ],
  [
    'password in a URL',
    (r) =>
      `${r.mixCase(r.pick(['https', 'postgres', 'redis', 'mongodb+srv', 'amqp', 'ftp']))}://${r.chars(`${ALNUM}._-`, 0, 20)}:${r.chars(`${ALNUM}!$%^*()~:`, 1, 40)}@${r.chars(LOWER, 1, 10)}.example`,
  ],
  [
    'secret query parameter',
    (r) =>
      `/x${r.pick(['?', '&'])}${r.mixCase(r.pick(['access_token', 'refresh_token', 'id_token', 'token', 'api_key', 'api-key', 'apikey', 'key', 'password', 'secret', 'client_secret', 'sig', 'signature', 'code']))}=${r.chars(`${ALNUM}%._~-`, 1, 60)}`,
  ],
  [
    'key = value in text',
    (r) => {
      const word = r.mixCase(
        r.pick([
          'password',
          'passwd',
          'passphrase',
          'secret',
          'token',
          'api_key',
          'api-key',
          'apikey',
          'authorization',
          'cookie',
          'credential',
          'credentials',
          'private_key',
          'privatekey',
          'session_id',
          'session-key',
          'sessiontoken',
        ]),
      );
      const separator = `${r.pick(['', '"', "'"])}${' '.repeat(r.int(0, 4))}${r.pick([':', '='])}${' '.repeat(r.int(0, 4))}`;
      const value = r.pick([
        () => `"${r.chars(`${ALNUM} !#$`, 1, 60)}"`,
        () => `'${r.chars(`${ALNUM} !#$`, 1, 60)}'`,
        () => `${r.pick(['', 'Bearer ', 'Basic ', 'Token ', 'Bot '])}${r.chars(`${ALNUM}+/=.-_~`, 1, 60)}`,
      ])();
      return `${r.chars(`${ALNUM}_.-`, 0, 10)}${word}${separator}${value}`;
    },
  ],
  [
    'Authorization scheme',
    (r) =>
      `${r.mixCase(r.pick(['Bearer', 'Basic', 'Digest']))}${' '.repeat(r.int(1, 3))}${r.chars(`${ALNUM}._~+/=-`, 7, 60)}${r.pick([...DIGITS, '=', '.'])}`,
  ],
  [
    'JSON Web Token',
    (r) => `eyJ${r.chars(B64URL, 8, 60)}.${r.chars(B64URL, 8, 120)}.${r.chars(B64URL, 0, 60)}`,
  ],
  [
    'GitHub token',
    (r) =>
      r.next() < 0.7
        ? `gh${r.pick(['p', 'o', 'u', 's', 'r'])}_${r.chars(ALNUM, 20, 50)}`
        : `github_pat_${r.chars(`${ALNUM}_`, 20, 90)}`,
  ],
  ['sk- key', (r) => `sk-${r.chars(`${ALNUM}_-`, 15, 60)}${r.pick([...DIGITS])}`],
  ['Stripe key', (r) => `${r.pick(['s', 'r'])}k_${r.pick(['live', 'test'])}_${r.chars(ALNUM, 10, 40)}`],
  ['AWS access key id', (r) => `${r.pick(['AKIA', 'ASIA'])}${r.chars(UPPER + DIGITS, 16, 16)}`],
  ['Slack token', (r) => `xox${r.pick(['a', 'b', 'p', 'r'])}-${r.chars(`${ALNUM}-`, 10, 60)}`],
  ['Google API key', (r) => `AIza${r.chars(B64URL, 35, 35)}`],
  ['long run', (r) => r.chars(`${ALNUM}+=_-`, 32, 120)],
];

const SURROUNDINGS = (r: Rng, sample: string) =>
  r.pick([
    sample,
    `${r.chars(`${LOWER} `, 0, 30)} ${sample} ${r.chars(`${LOWER} .,`, 0, 30)}`,
    `{"value": "${sample}"}`,
    `${r.chars(`${LOWER}/`, 0, 20)}\n${sample}\n`,
  ]);

describe('the audit redaction of every shape it hid before', () => {
  GENERATORS.forEach(([name, generate], index) => {
    it(`redacts every generated ${name}, alone and inside other text`, () => {
      const r = seeded(1_000 + index);
      for (let i = 0; i < 400; i++) {
        const sample = SURROUNDINGS(r, generate(r));
        const redacted = redactText(sample);
        expect(redacted, `${name} in ${JSON.stringify(sample)}`).toContain(REDACTED);
        // Under a key, as a tool call's audit row is made, it is redacted the same way.
        const key = r.pick(['message', 'path', 'query']);
        expect((redactArguments({ [key]: sample }) as Record<string, string>)[key]).toBe(redacted);
      }
    });
  });

  it('lets text with no shape in it through untouched, and still redacts a shape next to it', () => {
    const plain = 'Read the file at /home/user/notes.md and summarise it in three lines';
    expect(redactText(plain)).toBe(plain);
    expect(redactText(`${plain} with ghp_${'a1B2'.repeat(6)}`)).toBe(`${plain} with ${REDACTED}`);
  });
});

/** Ordinary text a tool's arguments carry: words, paths, URLs without credentials, numbers, JSON. */
function ordinaryText(r: Rng): string {
  const words = ['read', 'the', 'file', 'summarise', 'notes', 'tokenizer', 'max_tokens', 'secretary', 'key'];
  return r.pick([
    () => Array.from({ length: r.int(1, 12) }, () => r.pick(words)).join(' '),
    () => `/home/${r.chars(LOWER, 3, 8)}/${r.chars(`${LOWER}_-`, 1, 20)}.${r.pick(['md', 'ts', 'json'])}`,
    () => `https://${r.chars(LOWER, 3, 10)}.example/${r.chars(`${LOWER}/-`, 0, 30)}?page=${r.int(1, 99)}`,
    () => String(r.int(0, 1_000_000)),
    () => `{"query": "${r.chars(`${LOWER} `, 0, 40)}", "limit": ${r.int(1, 50)}}`,
    () => r.chars(`${ALNUM} .,:;/_-=?&@'"\n`, 0, 120),
    () => `${r.pick(['sha', 'commit'])} ${r.chars('0123456789abcdef', 7, 40)}`,
    () => `node_modules_typescript_lib_es${r.int(2015, 2024)} HKEY_LOCAL_MACHINE ${r.chars(LOWER, 32, 40)}`,
  ])();
}

describe('ordinary text', () => {
  it('passes redaction the same way alone and under an ordinary key, and mostly unchanged', () => {
    const r = seeded(23);
    let changed = 0;
    for (let i = 0; i < 4_000; i++) {
      const text = ordinaryText(r);
      const redacted = redactText(text);
      const keyed = (redactArguments({ message: text }) as Record<string, string>).message;
      expect(keyed, `under a key: ${JSON.stringify(text)}`).toBe(redacted);
      if (redacted !== text) changed++;
    }
    // Only the generator's character soup (which may spell a shape) and its random runs change.
    expect(changed).toBeLessThan(800);
  });
});
