// The last step: what the chosen way of running a server needs — required values first, secrets
// masked — and the connector's name. Problems show beside their field before anything is sent; if
// the engine still refuses (a name taken, a server that would not start), its sentence shows above
// the button and every answer stays as typed.
import { useId, useState, type FormEvent } from 'react';
import type { CatalogOptionView, CatalogServerDetail } from '@core/api/catalog-contract.js';
import { useStores } from '../../app/stores-context.js';
import { errorMessage } from '../../stores/load-state.js';
import type { CatalogAddResult } from '../../stores/catalog-store.js';
import { TextField } from '../../components/text-field.js';
import { CatalogInputField } from './catalog-input-field.js';
import {
  answersFrom,
  blankCatalogForm,
  catalogFormErrors,
  type CatalogFormErrors,
  type CatalogFormValues,
} from './catalog-form-model.js';

export function CatalogAddForm({
  server,
  option,
  onAdded,
}: {
  server: CatalogServerDetail;
  option: CatalogOptionView;
  onAdded: (result: CatalogAddResult) => void;
}) {
  const { catalog } = useStores();
  const formId = useId();
  const [values, setValues] = useState<CatalogFormValues>(() =>
    blankCatalogForm(option, server.suggestedConnectorName),
  );
  const [errors, setErrors] = useState<CatalogFormErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldId = (id: string) => `${formId}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const clear = (key: string) =>
    setErrors((current) => {
      if (!current[key] && !current.form) return current;
      const { [key]: _cleared, form: _form, ...rest } = current;
      return rest;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = catalogFormErrors(option, values);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      // Focus the first field with a problem, so keyboard and screen-reader users land on it.
      const first = [
        ...option.inputs.map((input) => input.id),
        'connector',
        'acceptGrants',
        'acceptRisks',
      ].find((id) => problems[id]);
      if (first) {
        const own = first === 'connector' || first === 'acceptRisks' || first === 'acceptGrants';
        document.getElementById(own ? `${formId}-${first}` : fieldId(first))?.focus();
      }
      return;
    }
    setBusy(true);
    try {
      const result = await catalog.getState().add({
        name: server.name,
        version: server.version,
        option: option.id,
        connector: values.connector.trim(),
        answers: answersFrom(option, values),
        auth: option.kind === 'remote' && values.oauth ? 'oauth' : 'none',
        enabled: values.enabled,
        reviewed: option.reviewed,
        acceptRisks: values.acceptRisks,
        acceptGrants: values.acceptGrants,
        // The details say it is already added; this button says "Add another connector".
        again: server.addedAs.length > 0,
      });
      onAdded(result);
    } catch (failure) {
      setErrors({ form: errorMessage(failure) });
      setBusy(false);
    }
  };

  const required = option.inputs.filter((input) => input.required);
  const optional = option.inputs.filter((input) => !input.required);
  const field = (input: CatalogOptionView['inputs'][number]) => (
    <CatalogInputField
      key={input.id}
      input={input}
      fieldId={fieldId(input.id)}
      value={values.inputs[input.id] ?? ''}
      error={errors[input.id]}
      onChange={(value) => {
        setValues((current) => ({ ...current, inputs: { ...current.inputs, [input.id]: value } }));
        clear(input.id);
      }}
    />
  );
  return (
    <form
      className="catalog-add-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label="Add as a connector"
    >
      <TextField
        id={`${formId}-connector`}
        label="Connector name"
        error={errors.connector}
        hint={
          <>
            Its tools reach clients as <code>{values.connector || 'name'}__tool</code>; the name cannot change
            later.
          </>
        }
        value={values.connector}
        onChange={(connector) => {
          setValues((current) => ({ ...current, connector }));
          clear('connector');
        }}
      />
      {option.inputs.length === 0 ? <p className="muted">This server needs nothing more from you.</p> : null}
      {required.length > 0 ? (
        <fieldset className="catalog-inputs">
          <legend>What it needs</legend>
          {required.map(field)}
        </fieldset>
      ) : null}
      {optional.length > 0 ? (
        <fieldset className="catalog-inputs">
          <legend>Optional</legend>
          {optional.map(field)}
        </fieldset>
      ) : null}
      {option.kind === 'remote' ? (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={values.oauth}
            onChange={(event) => setValues((current) => ({ ...current, oauth: event.target.checked }))}
          />
          <span>
            Sign in with OAuth{' '}
            <span className="muted">(if the server asks you to sign in; you connect after adding)</span>
          </span>
        </label>
      ) : null}
      {option.grants.some((grant) => grant.refused === null) ? (
        <div className="field">
          <label className="checkbox">
            <input
              id={`${formId}-acceptGrants`}
              type="checkbox"
              checked={values.acceptGrants}
              aria-invalid={errors.acceptGrants ? true : undefined}
              aria-describedby={errors.acceptGrants ? `${formId}-acceptGrants-error` : undefined}
              onChange={(event) => {
                const acceptGrants = event.target.checked;
                setValues((current) => ({ ...current, acceptGrants }));
                clear('acceptGrants');
              }}
            />
            <span>Give it what its entry asks its sandbox to grant (listed above)</span>
          </label>
          {errors.acceptGrants ? (
            <p id={`${formId}-acceptGrants-error`} className="field-error">
              {errors.acceptGrants}
            </p>
          ) : null}
        </div>
      ) : null}
      {option.risks.length > 0 ? (
        <div className="field">
          <label className="checkbox">
            <input
              id={`${formId}-acceptRisks`}
              type="checkbox"
              checked={values.acceptRisks}
              aria-invalid={errors.acceptRisks ? true : undefined}
              aria-describedby={errors.acceptRisks ? `${formId}-acceptRisks-error` : undefined}
              onChange={(event) => {
                const acceptRisks = event.target.checked;
                setValues((current) => ({ ...current, acceptRisks }));
                clear('acceptRisks');
              }}
            />
            <span>I understand what the flagged settings above do, and I trust this publisher</span>
          </label>
          {errors.acceptRisks ? (
            <p id={`${formId}-acceptRisks-error`} className="field-error">
              {errors.acceptRisks}
            </p>
          ) : null}
        </div>
      ) : null}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={values.enabled}
          onChange={(event) => setValues((current) => ({ ...current, enabled: event.target.checked }))}
        />
        <span>Start it now</span>
      </label>
      {errors.form ? (
        <p className="notice notice-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      {Object.keys(errors).length > 0 && !errors.form ? (
        <p className="field-error" role="alert">
          {Object.keys(errors).length === 1 ? 'One field needs' : `${Object.keys(errors).length} fields need`}{' '}
          your attention.
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy
            ? values.enabled
              ? 'Adding and starting…'
              : 'Adding…'
            : server.addedAs.length > 0
              ? 'Add another connector'
              : 'Add connector'}
        </button>
      </div>
    </form>
  );
}
