// First sight reads Chinese in one script: a Traditional character (Taiwan's and Hong Kong's forms among
// them) is read as its Simplified form, so that the lexicon's Chinese and the model's character pairs,
// learned mostly from Simplified text, read "讀取您的憑證" as they read "读取您的凭证". One character for
// one, so a finding's place in the text stays where it was; a phrase table's rewrites are not used. A
// text with kana in it is Japanese, whose kanji are left as written.
import type { DictGroup } from 'opencc-js/core';
import { configs } from 'opencc-js/preset/t2cn';

/** Per code unit, the Simplified form's code unit (0: none, or not one BMP character for one). */
let table: Uint16Array | undefined;

/**
 * OpenCC's Taiwan-variant and Traditional-to-Simplified character tables as one map, applied in that
 * order (a Taiwan form to the standard Traditional one, that to Simplified): built on the first text
 * with a character of the CJK blocks in it.
 */
function simplifiedTable(): Uint16Array {
  const built = new Uint16Array(65536);
  const chain: readonly DictGroup[] | undefined = configs.tw2s?.conversionChain;
  if (chain === undefined) throw new Error("opencc-js's t2cn preset has no tw2s conversion chain");
  const steps = chain.map((group) => {
    const step = new Map<number, number>();
    for (const dict of group) {
      const entries =
        typeof dict === 'string'
          ? dict.split('|').map((entry) => entry.split(' ') as [string, string])
          : dict.map(([from, to]): [string, string] => [from, to.split(' ')[0]!]);
      for (const [from, to] of entries) {
        if (from.length !== 1 || to === undefined || to.length < 1) continue;
        const target = to.charCodeAt(0);
        if (to.length !== 1 || target >= 0xd800) continue;
        if (!step.has(from.charCodeAt(0))) step.set(from.charCodeAt(0), target);
      }
    }
    return step;
  });
  for (let code = 0x2e80; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xf8ff) continue;
    let mapped = code;
    for (const step of steps) mapped = step.get(mapped) ?? mapped;
    if (mapped !== code) built[code] = mapped;
  }
  return built;
}

/** Whether a code unit is kana (hiragana, katakana and their extensions, half-width katakana). */
function isKana(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x31f0 && code <= 0x31ff) ||
    (code >= 0xff66 && code <= 0xff9f)
  );
}

/**
 * The text with its Traditional Chinese characters read as Simplified, the same length; the text itself
 * when it has none, or has kana (Japanese).
 */
export function simplifiedHan(text: string): string {
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x2e80) continue;
    if (isKana(code)) return text;
    if (first < 0) {
      table ??= simplifiedTable();
      if (table[code] !== 0) first = i;
    }
  }
  if (first < 0) return text;
  const mapped = table!;
  let out = text.slice(0, first);
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const simplified = code >= 0x2e80 ? mapped[code]! : 0;
    out += simplified === 0 ? text[i] : String.fromCharCode(simplified);
  }
  return out;
}
