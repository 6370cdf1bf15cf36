// First sight reads Chinese in one script: a Traditional character (Taiwan's and Hong Kong's forms among
// them) is read as its Simplified form, so that the lexicon's Chinese and the model's character pairs,
// learned mostly from Simplified text, read "讀取您的憑證" as they read "读取您的凭证". One character for
// one, so a finding's place in the text stays where it was; a phrase table's rewrites are not used. A
// text with kana in it is Japanese, whose kanji are left as written.
import type { DictGroup } from 'opencc-js/core';
import { configs } from 'opencc-js/preset/t2cn';

/** The CJK blocks the tables map from (Extension A and the Unified Ideographs): no other text is read twice. */
const HAN = /[\u3400-\u9fff]/;
const FIRST_HAN = 0x3400;
const LAST_HAN = 0x9fff;

/** Kana (hiragana, katakana and their extensions, half-width katakana): the text is Japanese. */
const KANA = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/;

/** Per character of the CJK blocks (from FIRST_HAN), its Simplified form's code (0: the character itself). */
let table: Uint16Array | undefined;

/**
 * OpenCC's Taiwan-variant and Traditional-to-Simplified character tables as one map, applied in that
 * order (a Taiwan form to the standard Traditional one, that to Simplified): built on the first Chinese
 * text.
 */
function simplifiedTable(): Uint16Array {
  const chain: readonly DictGroup[] | undefined = configs.tw2s?.conversionChain;
  if (chain === undefined) throw new Error("opencc-js's t2cn preset has no tw2s conversion chain");
  const steps = chain.map((group) => {
    const step = new Map<number, number>();
    for (const dict of group) {
      const entries =
        typeof dict === 'string'
          ? dict.split('|').map((entry) => entry.split(' ') as [string, string])
          : dict.map(([from, to]): [string, string] => [from, to.split(' ')[0]!]);
      // One BMP character for one: a character outside the BMP (two code units) would move what follows.
      for (const [from, to] of entries)
        if (from.length === 1 && to?.length === 1 && !step.has(from.charCodeAt(0)))
          step.set(from.charCodeAt(0), to.charCodeAt(0));
    }
    return step;
  });
  const built = new Uint16Array(LAST_HAN - FIRST_HAN + 1);
  for (let code = FIRST_HAN; code <= LAST_HAN; code++) {
    let mapped = code;
    for (const step of steps) mapped = step.get(mapped) ?? mapped;
    if (mapped !== code) built[code - FIRST_HAN] = mapped;
  }
  return built;
}

/**
 * The text with its Traditional Chinese characters read as Simplified, the same length; the text itself
 * when it has none, or has kana (Japanese). Two native scans decide that for nearly every text.
 */
export function simplifiedHan(text: string): string {
  if (!HAN.test(text) || KANA.test(text)) return text;
  table ??= simplifiedTable();
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < FIRST_HAN || code > LAST_HAN) continue;
    const simplified = table[code - FIRST_HAN]!;
    if (simplified === 0) continue;
    out += text.slice(from, i) + String.fromCharCode(simplified);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
