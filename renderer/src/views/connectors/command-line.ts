// A whole command line pasted into the Command field ("npx -y @scope/server ~/dir") split the way a
// POSIX shell would split it, with npm's shell-quote: quotes, escapes and $VARIABLES (kept as
// written, never expanded here) as a shell reads them. A connector runs one program, so pipes, lists
// and redirections are refused with a sentence rather than passed on as arguments.
import { parse } from 'shell-quote';

export type SplitCommandLine = { command: string; args: string[] } | { error: string };

/** The program and its arguments, or why the line is not one program with arguments. */
export function splitCommandLine(line: string): SplitCommandLine {
  // Variables stay as typed ($HOME): the connector's own environment decides them at start.
  const words = parse(line, (name) => `$${name}`);
  const args: string[] = [];
  for (const word of words) {
    if (typeof word === 'string') args.push(word);
    else if ('op' in word && word.op === 'glob') args.push(word.pattern);
    else if ('comment' in word) break;
    else {
      return {
        error: `The command line has "${word.op}", which a shell handles: a connector runs one program. Put the pipeline in a script and run the script.`,
      };
    }
  }
  const [command, ...rest] = args;
  if (command === undefined) return { error: 'The command line is empty.' };
  return { command, args: rest };
}
