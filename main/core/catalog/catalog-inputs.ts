// The pieces of a server.json that take the user's values: arguments (positional or named), environment
// variables and headers, each either asking for its value directly or filling a `{variable}` template
// from its `variables`. Each piece lists the inputs it asks for and renders itself once the answers
// are known: words on a command line, or one environment or header value.
import type { CatalogInputView } from '../api/catalog-contract.js';
import type { Argument, Input, KeyValueInput } from './server-json.js';

/** The checked values of the inputs, by input id (defaults already applied); absent when left out. */
export type InputValues = ReadonlyMap<string, readonly string[]>;

/** One argument, environment variable or header: what it asks for, and what it becomes. */
export interface InputPiece {
  inputs: CatalogInputView[];
  /** Some value of this piece is secret. */
  secret: boolean;
  /** Its command-line words (an argument) or its one value (environment, header); null when left out. */
  render(values: InputValues): string[] | null;
  /** How it reads in a preview, inputs shown as {name}. */
  preview: string[];
}

/** The `{names}` a template refers to, each once, in order. */
export function templateNames(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]!))];
}

/**
 * Fills a template's `{names}`; a name that is not known stays as written, as the server.json schema
 * asks. Returns null when a known name has no value.
 */
export function fillTemplate(
  template: string,
  known: ReadonlySet<string>,
  valueOf: (name: string) => string | undefined,
): string | null {
  let missing = false;
  const filled = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    if (!known.has(name)) return whole;
    const value = valueOf(name);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? null : filled;
}

const SECRET_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'password',
  'passwd',
  'secret',
  'credential',
  'credentials',
]);

/**
 * The name says its value is a secret (`--api-key`, `authToken`, `DB_PASSWORD`, `client_secret`),
 * whatever the entry says: a publisher who forgot `isSecret` must not put a key in clear view.
 */
function nameSaysSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => SECRET_WORDS.has(word));
}

/** A contract input from the registry's description of it. */
export function inputView(
  id: string,
  kind: CatalogInputView['kind'],
  name: string,
  source: Input,
  options: { repeated?: boolean; required?: boolean; secret?: boolean } = {},
): CatalogInputView {
  const choices = source.choices?.filter((choice) => choice !== '') ?? [];
  return {
    id,
    kind,
    name,
    description: source.description?.trim() || null,
    required: options.required ?? source.isRequired ?? false,
    secret: options.secret ?? (source.isSecret || nameSaysSecret(name)),
    default: source.default ?? null,
    placeholder: source.placeholder ?? null,
    choices: choices.length > 0 ? choices : null,
    format: source.format ?? 'string',
    repeated: options.repeated ?? false,
  };
}

/**
 * A value fixed by the publisher, with `{variables}` the user fills. The variables are inputs of their
 * own; one that several templates share is asked for once (its id is `variable:<name>`).
 */
function templatePiece(
  source: Input & { variables?: Record<string, Input> | undefined },
  template: string,
  words: (filled: string) => string[],
  previewWords: (template: string) => string[],
): InputPiece {
  const variables = source.variables ?? {};
  const names = templateNames(template).filter((name) => Object.hasOwn(variables, name));
  const inputs = names.map((name) =>
    inputView(`variable:${name}`, 'variable', name, variables[name]!, {
      required: (variables[name]!.isRequired ?? false) || (source.isRequired ?? false),
      secret: (variables[name]!.isSecret ?? false) || (source.isSecret ?? false) || nameSaysSecret(name),
    }),
  );
  const known = new Set(names);
  return {
    inputs,
    secret: (source.isSecret ?? false) || inputs.some((input) => input.secret),
    render(values) {
      const filled = fillTemplate(template, known, (name) => values.get(`variable:${name}`)?.[0]);
      return filled === null ? null : words(filled);
    },
    preview: previewWords(template),
  };
}

/** One command-line argument; `at` numbers unnamed positionals ("argument 2"). */
export function argumentPiece(argument: Argument, at: number): InputPiece {
  const named = argument.type === 'named' ? argument.name : null;
  if (argument.value !== undefined) {
    const words = (value: string) => (named === null ? [value] : [named, value]);
    return templatePiece(argument, argument.value, words, words);
  }
  const label = argument.type === 'named' ? argument.name : (argument.valueHint ?? `argument ${at}`);
  const input = inputView(`argument:${label}`, 'argument', label, argument, {
    repeated: argument.isRepeated ?? false,
  });
  return {
    inputs: [input],
    secret: input.secret,
    render(values) {
      const given = values.get(input.id);
      if (given === undefined) return null;
      if (named === null) return [...given];
      // A boolean flag stands alone when true and is left out when false.
      if (input.format === 'boolean') return given.some((value) => value === 'true') ? [named] : [];
      return given.flatMap((value) => [named, value]);
    },
    preview:
      named === null
        ? [`{${label}}`]
        : input.format === 'boolean'
          ? [named]
          : [named, `{${named.replace(/^-+/, '')}}`],
  };
}

/** An environment variable or a header: one value, asked for or filled from a template. */
export function keyValuePiece(entry: KeyValueInput, kind: 'environment' | 'header'): InputPiece {
  if (entry.value !== undefined) {
    return templatePiece(
      entry,
      entry.value,
      (filled) => [filled],
      (template) => [template],
    );
  }
  const input = inputView(`${kind}:${entry.name}`, kind, entry.name, entry);
  return {
    inputs: [input],
    secret: input.secret,
    render: (values) => {
      const given = values.get(input.id);
      return given === undefined ? null : [given.join(',')];
    },
    preview: [`{${entry.name}}`],
  };
}

/** Every input of some pieces, each id once (a shared variable is asked for once). */
export function inputsOf(pieces: readonly InputPiece[]): CatalogInputView[] {
  const seen = new Map<string, CatalogInputView>();
  for (const input of pieces.flatMap((piece) => piece.inputs)) {
    const earlier = seen.get(input.id);
    // A variable shared by several templates is required if any of them needs it.
    if (earlier) seen.set(input.id, { ...earlier, required: earlier.required || input.required });
    else seen.set(input.id, input);
  }
  // Required first, so forms and `catalog show` ask for what matters first.
  return [...seen.values()].sort((a, b) => Number(b.required) - Number(a.required));
}
