// The commonest short function words of fifteen Latin-script languages: any sentence in
// them has a few, and text written so that no reader knows it (shifted along the alphabet, written
// backwards) has none as written. The gate looks for them as rot13, Atbash and backwards spell them
// (first-sight-gate-table.ts), and the readings that undo those check for them (first-sight-shifts.ts);
// both spell them with the letter substitutions below.

/**
 * Per language, its function words: two to four letters, ASCII only (a shift leaves "ä" or "é" as it
 * is). Of the languages after the first six, three letters or four only: every language's two-letter
 * words are more chances for a few short words of honest text, shifted, to read as some language's.
 */
export const FUNCTION_WORDS: Readonly<Record<string, string>> = {
  en: 'the and you your to of is it for with this that all from are not be on as an any its by was',
  es: 'el la los las de del que en un una por con para se al es su sus lo como mas',
  pt: 'os as de do da dos das que em no na um uma para com por se ao seu sua',
  fr: 'le la les de des du et un une est que qui pour dans par sur au aux ce il ne pas vous',
  de: 'der die das und ist zu den dem des ein eine mit von sie auf an im es auch bei oder wird zur zum',
  it: 'il lo la le gli di del che un una per con non da in al si',
  nl: 'het een van dat met voor niet aan ook als bij door maar dan naar wat zijn',
  sv: 'och att det som till den har ett med inte kan sig vid var',
  da: 'det som til den har med ikke kan sig for',
  nb: 'det som til den har med ikke kan seg for',
  pl: 'nie jest dla jak ale tak lub przy oraz',
  cs: 'pro jak ale jsou byl tak',
  id: 'dan yang ini itu ada dari pada akan atau bisa anda',
  tr: 'bir ile gibi daha her',
  ro: 'din este sau mai care',
};

/** Every function word as written, of any of the languages. */
export const FORWARDS: ReadonlySet<string> = new Set(
  Object.values(FUNCTION_WORDS).flatMap((words) => words.split(' ')),
);

/** Each letter moved `by` places along the alphabet (case kept; anything else as it is). */
export function shifted(text: string, by: number): string {
  return text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + by) % 26) + base);
  });
}

/** Each letter swapped for the one as far from the alphabet's other end ("a" for "z"; case kept). */
export function atbash(text: string): string {
  return text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(base + 25 - (char.charCodeAt(0) - base));
  });
}

/**
 * The function words of three letters or more as rot13 or Atbash spells them ("gur", "qre"; "gsv",
 * "wvi"), less any that are a function word as written too ("ere" no shift makes): the words that hint
 * such letters, for the gate (first-sight-gate-table.ts) and the readings (first-sight-shifts.ts).
 */
export const SUBSTITUTED_WORDS: readonly string[] = [
  ...new Set(
    [...FORWARDS]
      .filter((word) => word.length >= 3)
      .flatMap((word) => [shifted(word, 13), atbash(word)])
      .filter((word) => !FORWARDS.has(word)),
  ),
];

/**
 * Per function word written backwards ("eht", "ed"): the languages it is one of, by their place in
 * FUNCTION_WORDS. A word that is a function word either way ("el" and "le") says nothing and is left
 * out, as is "no" (which Spanish, Italian and Portuguese write as it is, though their lists leave it
 * out) read as "on". The gate's hint (first-sight-gate-table.ts, its words of three letters or more)
 * and the backwards reading (first-sight-shifts.ts) both read this one map.
 */
export const BACKWARDS_WORDS: ReadonlyMap<string, readonly number[]> = (() => {
  const backwards = new Map<string, number[]>();
  Object.values(FUNCTION_WORDS).forEach((words, index) => {
    for (const word of words.split(' ')) {
      const reversed = [...word].reverse().join('');
      if (FORWARDS.has(reversed) || reversed === 'no') continue;
      const languages = backwards.get(reversed) ?? [];
      languages.push(index);
      backwards.set(reversed, languages);
    }
  });
  return backwards;
})();
