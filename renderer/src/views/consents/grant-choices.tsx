// What a grant gives, as the user chooses it: which connectors (all, or the ones chosen), read-only or
// read & write, and for how long. The consent dialog chooses a new grant with it; the client's page
// changes one with it.
import type { ReactNode } from 'react';
import type { ConnectorSelection } from '@core/api/contract.js';
import { RadioOption } from '../../components/radio-option.js';

/** The expiries offered, in seconds from now (null: never). */
const EXPIRY_CHOICES = [
  { label: 'Never', seconds: null },
  { label: '1 hour', seconds: 3_600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
] as const;

/** The choices as the form holds them; `expiry` indexes EXPIRY_CHOICES, or -1 for "keep as it is". */
export interface GrantChoice {
  scope: 'all' | 'chosen';
  chosen: string[];
  access: 'read' | 'write';
  expiry: number;
}

/** The connectors the choice names, or null while "only the ones I choose" has none chosen. */
export function chosenConnectors(choice: GrantChoice): ConnectorSelection | null {
  if (choice.scope === 'all') return '*';
  return choice.chosen.length > 0 ? choice.chosen : null;
}

/** The expiry the choice names: seconds from now, null for never, undefined to keep it. */
export function chosenExpiry(choice: GrantChoice): number | null | undefined {
  return choice.expiry < 0 ? undefined : (EXPIRY_CHOICES[choice.expiry]?.seconds ?? null);
}

export function GrantChoices({
  id,
  clientName,
  connectors,
  choice,
  onChange,
  keepExpiry,
  writeRefused,
  accessNote,
  connectorsFixed,
}: {
  /** Prefix of the inputs' names and ids (unique on the page). */
  id: string;
  clientName: string;
  connectors: readonly string[];
  choice: GrantChoice;
  onChange: (choice: GrantChoice) => void;
  /** When changing a grant: the first expiry choice keeps the one it has, said in these words. */
  keepExpiry?: string;
  /** Why read & write cannot be chosen (a grant approved read-only), or undefined when it can. */
  writeRefused?: string;
  /** Shown under the access choice (the consent dialog's note on the access ceiling). */
  accessNote?: ReactNode;
  /** The connectors cannot be chosen (a grant for one connector's own URL): no connector choice. */
  connectorsFixed?: boolean;
}) {
  const set = (change: Partial<GrantChoice>) => onChange({ ...choice, ...change });
  const toggle = (name: string, on: boolean) =>
    set({ chosen: on ? [...choice.chosen, name] : choice.chosen.filter((other) => other !== name) });
  return (
    <>
      {connectorsFixed ? null : (
        <fieldset className="choice-group">
          <legend>Connectors</legend>
          {connectors.length === 0 ? (
            // Nothing to choose from: no empty choice, and say what the grant gives for now.
            <p className="consent-no-connectors">
              There are no connectors yet, so {clientName} will see no tools until you add one.{' '}
              {keepExpiry ? 'With this grant' : 'If you approve'}, it gets each connector you add later, with
              the access you choose below.
            </p>
          ) : (
            <>
              <RadioOption
                name={`${id}-scope`}
                checked={choice.scope === 'all'}
                onSelect={() => set({ scope: 'all' })}
              >
                All connectors, including ones added later
              </RadioOption>
              <RadioOption
                name={`${id}-scope`}
                checked={choice.scope === 'chosen'}
                onSelect={() => set({ scope: 'chosen' })}
              >
                Only the ones I choose
              </RadioOption>
              {choice.scope === 'chosen' ? (
                <div className="checkbox-list" role="group" aria-label="Chosen connectors">
                  {connectors.map((name) => (
                    <label className="checkbox" key={name}>
                      <input
                        type="checkbox"
                        checked={choice.chosen.includes(name)}
                        onChange={(event) => toggle(name, event.target.checked)}
                      />
                      {name}
                    </label>
                  ))}
                  {choice.chosen.length === 0 ? <p className="hint">Choose at least one connector.</p> : null}
                </div>
              ) : null}
            </>
          )}
        </fieldset>
      )}
      <fieldset className="choice-group">
        <legend>Access</legend>
        <RadioOption
          name={`${id}-access`}
          checked={choice.access === 'read'}
          onSelect={() => set({ access: 'read' })}
        >
          Read-only <span className="muted">— tools that only read; write tools stay invisible</span>
        </RadioOption>
        {writeRefused ? (
          <p className="hint">{writeRefused}</p>
        ) : (
          <RadioOption
            name={`${id}-access`}
            checked={choice.access === 'write'}
            onSelect={() => set({ access: 'write' })}
          >
            Read &amp; write <span className="muted">— also tools that change things</span>
          </RadioOption>
        )}
      </fieldset>
      {accessNote}
      <div className="field inline-field">
        <label htmlFor={`${id}-expiry`}>Access expires</label>
        <select
          id={`${id}-expiry`}
          value={choice.expiry}
          onChange={(event) => set({ expiry: Number(event.target.value) })}
        >
          {keepExpiry ? <option value={-1}>{keepExpiry}</option> : null}
          {EXPIRY_CHOICES.map((expiry, index) => (
            <option key={expiry.label} value={index}>
              {expiry.label === 'Never' ? 'Never' : `After ${expiry.label}`}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
