// Prompts, resources, templates and server instructions first sight is still checking (its scanner loads
// on its first need): clients do not see them yet, but nothing was found in them, so they are named only —
// no reasons, no answers, not among what is held for review. Judged, each is held for review or shown.
import type { HeldItemView } from '@core/api/contract.js';
import { FIRST_SIGHT_CHECKING_TEXT } from '@core/text.js';
import { HeldItemName } from './held-item-review.js';

export function ItemsBeingChecked({ items }: { items: HeldItemView[] }) {
  return (
    <section className="tool-group" aria-labelledby="tools-checking">
      <h2 id="tools-checking">{FIRST_SIGHT_CHECKING_TEXT.label}</h2>
      <p className="muted">{FIRST_SIGHT_CHECKING_TEXT.detail}</p>
      <ul>
        {items.map((item) => (
          <li key={`${item.connector}-${item.kind}-${item.key}`}>
            <HeldItemName item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}
