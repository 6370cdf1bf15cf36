// Checks the user's answers against what a server asks for: required values present, one value unless
// the input repeats, choices respected, numbers and true/false as such, nothing that cannot travel in
// an environment variable or header. The engine checks before it adds a connector; the window checks
// the same way as the user types (this module imports nothing from Node).
import type { CatalogAnswers, CatalogInputView } from '../api/catalog-contract.js';

/** What is wrong with one answer, in a sentence that names the input. */
interface AnswerProblem {
  inputId: string;
  message: string;
}

/** The user's answers ready to use (defaults applied), or the problems that keep them from being used. */
export interface CheckedAnswers {
  /** Values by input id, defaults applied; inputs left out are absent. */
  values: Map<string, string[]>;
  problems: AnswerProblem[];
}

/** How an input is named in a sentence: `BRAVE_API_KEY`, `the header X-Api-Key`, `--port`. */
export function inputLabel(input: CatalogInputView): string {
  return input.kind === 'header' ? `the header ${input.name}` : input.name;
}

function valuesOf(answer: string | string[] | undefined): string[] {
  if (answer === undefined) return [];
  const list = Array.isArray(answer) ? answer : [answer];
  // A value of spaces only is no value; a real value keeps its spaces (a password may have them).
  return list.filter((value) => value.trim() !== '');
}

function problemWith(input: CatalogInputView, value: string): string | null {
  const label = inputLabel(input);
  if (value.includes('\0')) return `${label} cannot contain a NUL character`;
  if ((input.kind === 'header' || input.kind === 'environment') && /[\r\n]/.test(value)) {
    return `${label} must be one line`;
  }
  if (input.choices !== null && !input.choices.includes(value)) {
    return `${label} must be one of ${input.choices.join(', ')}${input.secret ? '' : ` (got "${value}")`}`;
  }
  if (input.format === 'number' && !/^-?\d+(\.\d+)?$/.test(value.trim())) {
    return `${label} must be a number${input.secret ? '' : ` (got "${value}")`}`;
  }
  if (input.format === 'boolean' && value !== 'true' && value !== 'false') {
    return `${label} must be true or false${input.secret ? '' : ` (got "${value}")`}`;
  }
  return null;
}

/** Checks `answers` against `inputs`; every problem is reported, not just the first. */
export function checkAnswers(inputs: readonly CatalogInputView[], answers: CatalogAnswers): CheckedAnswers {
  const values = new Map<string, string[]>();
  const problems: AnswerProblem[] = [];
  const known = new Set(inputs.map((input) => input.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) {
      const asked = inputs.map((input) => input.name).join(', ') || 'nothing';
      problems.push({ inputId: id, message: `this server does not ask for "${id}" (it asks for: ${asked})` });
    }
  }
  for (const input of inputs) {
    let given = valuesOf(answers[input.id]);
    if (given.length === 0 && input.default !== null) given = [input.default];
    if (given.length === 0) {
      if (input.required) {
        const about = input.description ? ` (${input.description.replace(/\.$/, '')})` : '';
        problems.push({ inputId: input.id, message: `${inputLabel(input)} is required${about}` });
      }
      continue;
    }
    if (given.length > 1 && !input.repeated) {
      problems.push({ inputId: input.id, message: `${inputLabel(input)} takes one value` });
      continue;
    }
    const wrong = given.map((value) => problemWith(input, value)).find((problem) => problem !== null);
    if (wrong) problems.push({ inputId: input.id, message: wrong });
    else values.set(input.id, given);
  }
  return { values, problems };
}
