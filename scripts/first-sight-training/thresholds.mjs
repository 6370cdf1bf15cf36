// The thresholds and figures of first sight's trainer (scripts/train-first-sight-model.mjs): the
// lowest thresholds each held-back source can hold at within its false-hold budget, and the figures
// printed for a list of scored definitions (each with its `score`, `top`, `hard` and `found`).

/** The lowest threshold at which at most `target` of the real definitions of `list` are held. */
function lowestWithin(list, target, realCount) {
  const real = list.filter((item) => item.origin === 'real');
  const soft = real
    .filter((item) => !item.hard)
    .map((item) => item.score)
    .sort((a, b) => b - a);
  const room = Math.max(0, Math.floor((realCount ?? real.length) * target) - (real.length - soft.length));
  // Just above the score of the first real definition that must pass, at the file's four decimals.
  return Math.floor(((soft[room] ?? -20) + 1e-4) * 1e4) / 1e4;
}

/**
 * Whether the definition is held at these thresholds: `holdAt` when a signal found anything in it, else
 * `holdAtModelAlone`, or `holdAtModelAloneShort` for a short one (`item.short`).
 */
export const heldAt = (item, at) =>
  item.hard ||
  item.score >= (item.found ? at.holdAt : item.short ? at.holdAtModelAloneShort : at.holdAtModelAlone);

/**
 * The thresholds of a list of held-back definitions (one source's, or several together): each the lowest
 * at which its share of the list's real definitions uses at most its share of the false-hold budget — half
 * for those a signal found something in, half for the rest, which short ones and the others each keep to
 * within their own real definitions.
 */
export function thresholdsWithin(list, target) {
  const realIn = (part) => part.filter((item) => item.origin === 'real').length;
  const alone = list.filter((item) => !item.found);
  const aloneOf = (short) => {
    const part = list.filter((item) => item.short === short);
    return lowestWithin(
      alone.filter((item) => item.short === short),
      target / 2,
      realIn(part),
    );
  };
  const rest = aloneOf(false);
  return {
    holdAt: lowestWithin(
      list.filter((item) => item.found),
      target / 2,
      realIn(list),
    ),
    holdAtModelAlone: rest,
    // Never below the others': one honest string added to a short definition must not raise its bar.
    holdAtModelAloneShort: Math.max(aloneOf(true), rest),
  };
}

/** The thresholds as the trainer prints them. */
export const shown = (at) =>
  `${at.holdAt.toFixed(3)} / ${at.holdAtModelAlone.toFixed(3)} alone / ${at.holdAtModelAloneShort.toFixed(3)} short alone`;
const percent = (n, of) => `${n}/${of} (${((100 * n) / Math.max(1, of)).toFixed(1)} %)`;
/** Caught by class, kind and language, real and written held, at `holdAt`; the signals alone beside. */
export function figures(name, list, at, why = false) {
  const held = (item) => heldAt(item, at);
  const poisoned = list.filter((item) => item.label === 1);
  const real = list.filter((item) => item.origin === 'real');
  const written = list.filter((item) => item.origin === 'written');
  const by = (key) => {
    const groups = new Map();
    for (const item of poisoned) groups.set(item[key], [...(groups.get(item[key]) ?? []), item]);
    return Object.fromEntries(
      [...groups]
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([group, members]) => [group, `${members.filter(held).length}/${members.length}`]),
    );
  };
  const out = {
    caught: percent(poisoned.filter(held).length, poisoned.length),
    caughtBySignalsAlone: percent(poisoned.filter((item) => item.found).length, poisoned.length),
    realHeld: percent(real.filter(held).length, real.length),
    realHeldBySignalsAlone: percent(real.filter((item) => item.found).length, real.length),
    realHeldHard: real.filter((item) => item.hard).length,
    servers: new Set(real.map((item) => item.group)).size,
    ...(written.length > 0
      ? { writtenBenignHeld: percent(written.filter(held).length, written.length) }
      : {}),
    byClass: by('class'),
    byKind: by('kind'),
    byLanguage: by('language'),
  };
  console.log(`\n## ${name} (held at ${shown(at)})\n${JSON.stringify(out, null, 1)}`);
  if (why)
    for (const item of real.filter(held))
      console.log(
        'held real:',
        item.server,
        item.definition.name ?? item.kind,
        item.score.toFixed(2),
        item.top.toFixed(2),
        item.evidence.map((e) => `${e.rule}:${e.weight}@${e.field}~${e.view}${e.hard ? '!' : ''}`).join(' '),
      );
  return out;
}
