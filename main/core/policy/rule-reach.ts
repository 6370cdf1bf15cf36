// Rules that can never match: a connector glob no connector's name fits (`fils` for `files`), or a
// tool glob no tool of the connectors it names fits (`write_*` where the tools are `edit_file`…, or a
// tool named as clients see it, `files__write_file`, where rules take the server's own name). Such a
// rule is saved — connectors and tools come and go — but marked, with the name probably meant.
import { closestWord } from '../closest-word.js';
import type { CompiledRule } from './rules.js';

/** What rules are checked against: every connector's name, and the tools each has listed. */
export interface KnownNames {
  connectors: readonly string[];
  /** The server's own names of the tools a connector has listed (empty: none listed yet). */
  toolsOf(connector: string): readonly string[];
}

/** One rule that matches nothing, with why and the name probably meant. */
export interface RuleProblem {
  /** The rule's place in the list, from 0. */
  index: number;
  id: string;
  field: 'connector' | 'tool';
  /** A sentence: "matches no connector: there is no connector named fils. Did you mean files?" */
  problem: string;
  /** The name probably meant, or null. */
  suggestion: string | null;
}

const WILDCARD = /[*?]/;

/**
 * The rules that can never match what Gatehouse knows now. A tool glob is judged only against
 * connectors that have listed tools: before a connector first connects, nothing is known of its tools.
 */
export function rulesMatchingNothing(rules: readonly CompiledRule[], known: KnownNames): RuleProblem[] {
  const problems: RuleProblem[] = [];
  rules.forEach(({ rule, connector, tool }, index) => {
    const connectors = connector ? known.connectors.filter((name) => connector.test(name)) : known.connectors;
    if (connector && connectors.length === 0) {
      const written = connector.source;
      const suggestion = WILDCARD.test(written) ? undefined : closestWord(written, known.connectors);
      const why =
        known.connectors.length === 0
          ? 'there are no connectors yet'
          : WILDCARD.test(written)
            ? `no connector's name fits ${written} (the connectors are ${known.connectors.join(', ')})`
            : `there is no connector named ${written}`;
      problems.push(problem(index, rule.id, 'connector', `matches no connector: ${why}.`, suggestion));
      return;
    }
    if (!tool) return;
    const names = [...new Set(connectors.flatMap((name) => known.toolsOf(name)))];
    if (names.length === 0 || names.some((name) => tool.test(name))) return;
    const written = tool.source;
    const where = connector ? ` of ${connectors.join(', ')}` : '';
    const exposed = exposedToolName(written, connectors, known);
    if (exposed) {
      problems.push({
        index,
        id: rule.id,
        field: 'tool',
        problem: `matches no tool${where}: rules name a tool by the server's own name, ${exposed.tool} (with connector ${exposed.connector}), not as clients see it.`,
        suggestion: exposed.tool,
      });
      return;
    }
    const suggestion = WILDCARD.test(written) ? undefined : closestWord(written, names);
    const why = WILDCARD.test(written)
      ? `no tool's name fits ${written}`
      : `there is no tool named ${written}`;
    problems.push(problem(index, rule.id, 'tool', `matches no tool${where}: ${why}.`, suggestion));
  });
  return problems;
}

function problem(
  index: number,
  id: string,
  field: RuleProblem['field'],
  sentence: string,
  suggestion: string | undefined,
): RuleProblem {
  return {
    index,
    id,
    field,
    problem: suggestion === undefined ? sentence : `${sentence} Did you mean ${suggestion}?`,
    suggestion: suggestion ?? null,
  };
}

/** `files__write_file` written for a tool: the connector and tool it names, when both exist. */
function exposedToolName(
  written: string,
  connectors: readonly string[],
  known: KnownNames,
): { connector: string; tool: string } | undefined {
  const at = written.indexOf('__');
  if (at <= 0) return undefined;
  const connector = written.slice(0, at);
  const tool = written.slice(at + 2);
  return connectors.includes(connector) && known.toolsOf(connector).includes(tool)
    ? { connector, tool }
    : undefined;
}
