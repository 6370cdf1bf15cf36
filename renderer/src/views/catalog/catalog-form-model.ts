// The catalog form's values and their translation to the answers `catalog.add` takes. The values are
// checked with the engine's own rules (answer-check.ts, connector-config.ts) before anything is sent,
// so the form shows beside each field the sentence the engine would give.
import type { CatalogAnswers, CatalogInputView, CatalogOptionView } from '@core/api/catalog-contract.js';
import { checkAnswers } from '@core/catalog/answer-check.js';
import { connectorName } from '@core/api/connector-config.js';

export interface CatalogFormValues {
  connector: string;
  /** Text per input id; a repeated input holds one value per line. */
  inputs: Record<string, string>;
  /** A remote server signs in with OAuth. */
  oauth: boolean;
  /** Start the connector now. */
  enabled: boolean;
  /** The user read what changes how its runtime behaves and wants it anyway. */
  acceptRisks: boolean;
  /** The user agrees to the grants the entry's own words ask of the sandbox. */
  acceptGrants: boolean;
}

/**
 * Problems by input id, plus `connector` for the name, `acceptGrants` for the grants its entry asks
 * for, `acceptRisks` for the confirmation a risky
 * option needs, and `form` for the engine's refusal.
 */
export type CatalogFormErrors = Record<string, string>;

/** The starting value of an input: its default (never for a secret), else empty or "false". */
function initialValue(input: CatalogInputView): string {
  if (input.secret) return '';
  if (input.default !== null) return input.default;
  return input.format === 'boolean' && input.choices === null ? 'false' : '';
}

export function blankCatalogForm(option: CatalogOptionView, connector: string): CatalogFormValues {
  return {
    connector,
    inputs: Object.fromEntries(option.inputs.map((input) => [input.id, initialValue(input)])),
    oauth: false,
    enabled: true,
    acceptRisks: false,
    acceptGrants: false,
  };
}

/** The answers for the engine: empty fields left out (so defaults apply), repeated ones as lists. */
export function answersFrom(option: CatalogOptionView, values: CatalogFormValues): CatalogAnswers {
  const answers: CatalogAnswers = {};
  for (const input of option.inputs) {
    const text = values.inputs[input.id] ?? '';
    if (input.repeated) {
      const lines = text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      if (lines.length > 0) answers[input.id] = lines;
    } else if (text.trim() !== '') {
      answers[input.id] = text;
    }
  }
  return answers;
}

/** Every problem in the form, by field; empty when it can be sent. */
export function catalogFormErrors(option: CatalogOptionView, values: CatalogFormValues): CatalogFormErrors {
  const errors: CatalogFormErrors = {};
  const name = connectorName.safeParse(values.connector.trim());
  if (!name.success) errors.connector = name.error.issues[0]?.message ?? 'not a valid connector name';
  for (const problem of checkAnswers(option.inputs, answersFrom(option, values)).problems) {
    errors[problem.inputId] ??= sentence(problem.message);
  }
  if (option.grants.some((grant) => grant.refused === null) && !values.acceptGrants) {
    errors.acceptGrants =
      'Agree to what its entry asks its sandbox to grant, or choose another way to run it.';
  }
  if (option.risks.length > 0 && !values.acceptRisks) {
    errors.acceptRisks = 'Confirm that you understand the flagged settings, or choose another way to run it.';
  }
  return errors;
}

/** "WEATHER_API_KEY is required" → "WEATHER_API_KEY is required." */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
