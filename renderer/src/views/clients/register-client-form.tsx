// "Register a client by hand", for clients that cannot register themselves: name and redirect URIs in;
// the client id and (once, never again) its secret out.
import { useId, useState, type FormEvent } from 'react';
import { useStores } from '../../app/stores-context.js';
import { CopyButton } from '../../components/copy-button.js';
import { Modal } from '../../components/modal.js';
import type { RegisterResult } from '../../stores/clients-store.js';
import { errorMessage } from '../../stores/load-state.js';
import { TextField } from '../../components/text-field.js';

function redirectUriProblem(lines: string[]): string | null {
  if (lines.length === 0) return 'Add at least one redirect URI, one per line.';
  const bad = lines.find((line) => !URL.canParse(line));
  return bad ? `"${bad}" is not an absolute URL (e.g. http://127.0.0.1:33418/callback).` : null;
}

function RegisteredClient({ result, onDone }: { result: RegisterResult; onDone: () => void }) {
  return (
    <>
      <p>The client is registered. Put these in its configuration.</p>
      <dl className="facts">
        <dt>Client ID</dt>
        <dd className="secret-row">
          <code>{result.clientId}</code>
          <CopyButton text={result.clientId} label="Copy ID" />
        </dd>
        {result.clientSecret ? (
          <>
            <dt>Client secret</dt>
            <dd className="secret-row">
              <code>{result.clientSecret}</code>
              <CopyButton text={result.clientSecret} label="Copy secret" />
            </dd>
          </>
        ) : null}
      </dl>
      {result.clientSecret ? (
        <p className="notice notice-warn" role="note">
          This secret is shown only now: Gatehouse cannot show it again. Copy it before you close this.
        </p>
      ) : (
        <p className="muted">A public client: it authenticates with PKCE alone, no secret.</p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button primary" onClick={onDone} data-autofocus>
          Done
        </button>
      </div>
    </>
  );
}

export function RegisterClientForm({ onClose }: { onClose: () => void }) {
  const { clients } = useStores();
  const titleId = useId();
  const [name, setName] = useState('');
  const [uris, setUris] = useState('');
  const [confidential, setConfidential] = useState(true);
  const [problems, setProblems] = useState<{ name?: string; uris?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RegisterResult | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const redirectUris = uris
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const found = {
      ...(name.trim() ? {} : { name: 'Give the client a name you will recognise.' }),
      ...(redirectUriProblem(redirectUris) ? { uris: redirectUriProblem(redirectUris)! } : {}),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      setResult(await clients.getState().register({ name: name.trim(), redirectUris, confidential }));
    } catch (error) {
      setProblems({ form: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal titleId={titleId} onClose={result ? undefined : onClose}>
      <h2 id={titleId}>Register a client by hand</h2>
      {result ? (
        <RegisteredClient result={result} onDone={onClose} />
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            id="register-name"
            label="Name"
            error={problems.name}
            value={name}
            onChange={setName}
            input={{ 'data-autofocus': true }}
          />
          <div className="field">
            <label htmlFor="register-uris">Redirect URIs (one per line)</label>
            <textarea
              id="register-uris"
              rows={3}
              value={uris}
              placeholder="http://127.0.0.1:33418/callback"
              onChange={(event) => setUris(event.target.value)}
              aria-invalid={problems.uris ? true : undefined}
              aria-describedby={problems.uris ? 'register-uris-error' : 'register-uris-hint'}
            />
            {problems.uris ? (
              <p id="register-uris-error" className="field-error">
                {problems.uris}
              </p>
            ) : (
              <p id="register-uris-hint" className="hint">
                Loopback redirects (http://127.0.0.1/…) match on any port.
              </p>
            )}
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={confidential}
              onChange={(event) => setConfidential(event.target.checked)}
            />
            Confidential client (gets a client secret)
          </label>
          {problems.form ? (
            <p className="field-error" role="alert">
              {problems.form}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Registering…' : 'Register'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
