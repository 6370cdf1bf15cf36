// What `gatehouse catalog show` and `catalog add` print of one way to run a server before anything
// starts: who published it, where the code comes from, the full command line (or URL), every
// environment value the entry fixes, each setting that changes how a runtime behaves, and each grant
// its fixed words ask of the sandbox (system and login places called out), in words.
// And the question `catalog add` asks before it adds (never without a terminal to ask in).
import { createInterface } from 'node:readline/promises';
import type { CatalogOptionView, CatalogServerDetail } from '../../core/api/catalog-contract.js';
import { UsageError, type CommandContext } from '../command-context/command.js';
import { printable } from '../output/table.js';
import { proposalText } from '../../core/connectors/sandbox/grant-proposals.js';

/** The sentence every review ends with: publishing to a registry needs no review by anyone. */
const TRUST_CUE =
  'Only add servers you trust: anyone can publish to a registry, and a server runs with your rights.';

/** The review of one option, indented under its heading. */
export function reviewLines(option: CatalogOptionView, indent = '    '): string[] {
  const lines = [
    `${indent}from: ${option.source}`,
    `${indent}${option.runtime === null ? 'URL' : 'runs'}: ${option.preview}`,
  ];
  if (option.environment.length > 0) {
    lines.push(`${indent}environment:`);
    for (const variable of option.environment) {
      const value =
        variable.value !== null
          ? `${variable.name}=${variable.value}${variable.secret ? '  (secret)' : ''}`
          : `${variable.name}  (${variable.secret ? 'a secret ' : ''}you give it)`;
      lines.push(`${indent}  ${value}`);
    }
  }
  if (option.risks.length > 0) {
    lines.push(`${indent}changes how it runs (needs --accept-risks):`);
    for (const risk of option.risks) lines.push(`${indent}  ! ${risk.setting}: ${risk.explanation}`);
  }
  if (option.grants.length > 0) {
    lines.push(`${indent}asks its sandbox to grant (needs --accept-grants):`);
    for (const grant of option.grants)
      lines.push(`${indent}  ${grant.refused || grant.warning ? '!' : '+'} ${proposalText(grant)}`);
  }
  lines.push(`${indent}review code: ${option.reviewed}`);
  return lines.map(printable);
}

/** The server's publisher and the trust cue, for the top of a review. */
export function publisherLines(detail: CatalogServerDetail): string[] {
  return [printable(`Published by ${detail.publisher} (${detail.name}). ${TRUST_CUE}`)];
}

/**
 * Asks before `catalog add` adds: `--yes` answers for the user (with `--accept-risks` when the option
 * changes how its runtime behaves); otherwise the question goes to the terminal, and with no terminal
 * to ask in, the command refuses and names the flag.
 */
export async function confirmAdd(context: CommandContext, option: CatalogOptionView): Promise<void> {
  const risky = option.risks.length > 0;
  const granting = option.grants.some((grant) => grant.refused === null);
  if (risky && context.flag('yes') && !context.flag('accept-risks')) {
    throw new UsageError(
      `${option.label} changes how its runtime behaves (see above); add --accept-risks to add it anyway.`,
    );
  }
  if (granting && context.flag('yes') && !context.flag('accept-grants')) {
    throw new UsageError(
      `${option.label} asks its sandbox to grant what its entry names (see above); add --accept-grants to give it that.`,
    );
  }
  if (context.flag('yes')) return;
  const terminal = context.io.stdinIsTerminal ?? process.stdin.isTTY === true;
  if (!terminal || context.json) {
    throw new UsageError(
      `gatehouse catalog add asks before it adds, and there is no terminal to ask in. Read what it will run (above) and pass --yes${risky ? ' --accept-risks' : ''}${granting ? ' --accept-grants' : ''} to add it.`,
    );
  }
  const question =
    risky || granting
      ? `It ${[risky ? 'changes how its runtime behaves' : '', granting ? 'asks for grants its entry names' : ''].filter(Boolean).join(' and ')} (see above). Add it anyway? Type "yes" to add it: `
      : 'Add it? [y/N] ';
  const readline = createInterface({ input: context.io.stdin?.() ?? process.stdin, terminal: false });
  let answer: string;
  try {
    context.io.stderr(question);
    answer = (await readline.question('')).trim().toLowerCase();
  } catch {
    answer = '';
  } finally {
    readline.close();
  }
  const agreed = risky || granting ? answer === 'yes' : answer === 'y' || answer === 'yes';
  if (!agreed) throw new UsageError('Nothing was added.');
}
