// Why a definition was held on first sight: each rule it tripped, in words, and the offending part
// highlighted with invisible characters made visible. Shared by the tool and the prompt/resource cards.
import type { HeldItemView } from '@core/api/contract.js';
import { FIRST_SIGHT_RULE_WORDS } from '@core/text.js';

export function FirstSightFindings({ findings }: { findings: HeldItemView['findings'] }) {
  return (
    <ul className="first-sight-findings">
      {findings.map((finding, index) => (
        <li key={index}>
          <span className="first-sight-rule">{FIRST_SIGHT_RULE_WORDS[finding.rule] ?? finding.rule}</span>{' '}
          {finding.reason}
          {/* A definition held unread (not-judged) has no part to show. */}
          {(finding.excerpt.before || finding.excerpt.match || finding.excerpt.after) && (
            <pre className="code-block first-sight-excerpt">
              {finding.excerpt.before}
              <mark>{finding.excerpt.match}</mark>
              {finding.excerpt.after}
            </pre>
          )}
        </li>
      ))}
    </ul>
  );
}
