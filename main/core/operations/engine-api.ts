// Dispatches the contract's operations: parses input with the operation's schema (a bad payload is
// a bad_request naming the field in words), runs the handler, and returns its output. Every trusted surface —
// HTTP API, CLI, desktop IPC — goes through here.
import { GatehouseError } from '../errors.js';
import { operations, type OperationName, type OperationOutput, type ParsedInput } from '../api/contract.js';
import { describeInputError, inputIssueText } from '../api/input-errors.js';

/**
 * Which of the user's own surfaces asked, in words for Activity: the command line (it holds the API
 * secret), the browser UI (its session), or the window (the app's own process, and tests).
 */
export type Surface = 'the command line' | 'the browser' | 'the window';

/**
 * One handler per contract operation, taking its parsed input and the surface that asked; the
 * engine's operations/ build them.
 */
export type OperationHandlers = {
  [N in OperationName]: (
    input: ParsedInput<N>,
    surface: Surface,
  ) => Promise<OperationOutput<N>> | OperationOutput<N>;
};

/** Whether `name` names an operation of the contract. */
export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}

/**
 * Runs the operation `name` on `rawInput`: refuses an unknown name (`not_found`) or an input its schema
 * refuses (`bad_request`, in words), else returns its handler's answer.
 */
export async function dispatch(
  handlers: OperationHandlers,
  name: string,
  rawInput: unknown,
  surface: Surface = 'the window',
): Promise<unknown> {
  if (!isOperationName(name)) {
    throw new GatehouseError('not_found', `There is no operation named ${name}.`);
  }
  const parsed = operations[name].input.safeParse(rawInput ?? {}, { error: inputIssueText });
  if (!parsed.success) throw new GatehouseError('bad_request', describeInputError(parsed.error));
  const handler = handlers[name] as (input: unknown, surface: Surface) => unknown;
  return await handler(parsed.data, surface);
}
