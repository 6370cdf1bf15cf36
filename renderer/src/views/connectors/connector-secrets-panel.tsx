// Whether a connector handles secrets on purpose (a password manager, a secrets vault), on its details
// panel: if so, calls carrying secret material reach it without asking and its results are not masked
// (both still audited); one click changes it.
import type { ConnectorView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';

export function SecretsPanel({ connector }: { connector: ConnectorView }) {
  const { connectors, toasts } = useStores();
  const [change, changing] = useAction(async () => {
    const handlesSecrets = !connector.handlesSecrets;
    await connectors.getState().setHandlesSecrets(connector.name, handlesSecrets);
    toasts
      .getState()
      .show(
        handlesSecrets
          ? `${connector.name} handles secrets on purpose: its calls and results pass, audited`
          : `${connector.name}: calls carrying secrets wait for you again, and its results are masked`,
      );
  });
  return (
    <section aria-labelledby="secrets-title">
      <h3 id="secrets-title">Secrets in its calls</h3>
      {connector.handlesSecrets ? (
        <p>
          <strong>Handles secrets on purpose.</strong> Calls whose arguments carry a private key, a token or
          another secret reach it without asking, and its results are not masked; Activity records each.
        </p>
      ) : (
        <p>
          A call whose arguments carry a private key, a token or another secret waits for you; secrets in its
          results are masked before the client sees them.
        </p>
      )}
      <button type="button" className="button small" onClick={() => void change()} disabled={changing}>
        {connector.handlesSecrets ? 'Stop treating it as a secrets handler' : 'It handles secrets on purpose'}
      </button>
    </section>
  );
}
