// One side of a held tool's change with the words that differ marked: the before side shows what was
// taken out, the after side what was put in, so the few words slipped into a long definition stand out.
import { Fragment } from 'react';
import { spacedWords, wordDiff } from '@core/word-diff.js';

/** A `<pre>` of one side of `before` → `after`, its own changed words marked (`<del>` or `<ins>`). */
export function DiffText({
  before,
  after,
  side,
  className,
}: {
  before: string;
  after: string;
  side: 'before' | 'after';
  className: string;
}) {
  const parts = wordDiff(before, after);
  if (!parts) return <pre className={className}>{side === 'before' ? before : after}</pre>;
  const shown = side === 'before' ? 'removed' : 'added';
  return (
    <pre className={className}>
      {parts.map((part, index) => {
        if (part.kind === 'same') return part.text;
        if (part.kind !== shown) return null;
        // The spaces around a change are not part of it: only the words are marked.
        const { lead, words, trail } = spacedWords(part.text);
        const Mark = side === 'before' ? 'del' : 'ins';
        return (
          <Fragment key={index}>
            {lead}
            <Mark className="diff-word">{words}</Mark>
            {trail}
          </Fragment>
        );
      })}
    </pre>
  );
}
