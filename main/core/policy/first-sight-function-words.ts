// The commonest short function words of the Latin-script languages first sight reads: any sentence in
// them has a few, and text written so that no reader knows it (shifted along the alphabet, written
// backwards) has none as written. The gate looks for them as rot13, Atbash and backwards spell them
// (first-sight-gate-table.ts), and the readings that undo those check for them (first-sight-shifts.ts);
// both spell them with the letter substitutions below.

/**
 * Per language, its function words: two to four letters, ASCII only (a shift leaves "ä" or "é" as it
 * is).
 */
export const FUNCTION_WORDS: Readonly<Record<string, string>> = {
  en: 'the and you your to of is it for with this that all from are not be on as an any its by was',
  es: 'el la los las de del que en un una por con para se al es su sus lo como mas',
  pt: 'os as de do da dos das que em no na um uma para com por se ao seu sua',
  fr: 'le la les de des du et un une est que qui pour dans par sur au aux ce il ne pas vous',
  de: 'der die das und ist zu den dem des ein eine mit von sie auf an im es auch bei oder wird zur zum',
  it: 'il lo la le gli di del che un una per con non da in al si',
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
