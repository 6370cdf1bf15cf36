// The connector actions shared by its row and its details panel, each ending in a toast.
import { useStores } from '../../app/stores-context.js';
import type { ConnectorTestResult } from '../../stores/connectors-store.js';
import { count } from '@core/text.js';

export function testResultText(name: string, result: ConnectorTestResult): string {
  return result.ok
    ? `${name}: answered in ${Math.round(result.latencyMs)} ms with ${count(result.toolCount, 'tool')}`
    : `${name}: test failed — ${result.error ?? 'no answer'}`;
}

export function useConnectorActions(name: string) {
  const { connectors, toasts } = useStores();
  return {
    async test() {
      const result = await connectors.getState().test(name);
      toasts.getState().show(testResultText(name, result), result.ok ? 'info' : 'error');
    },
    async connect() {
      await connectors.getState().connect(name);
      toasts.getState().show(`${name}: opened the sign-in page in your browser`);
    },
    async setEnabled(enabled: boolean) {
      await connectors.getState().setEnabled(name, enabled);
      toasts
        .getState()
        .show(enabled ? `Enabled ${name}` : `Disabled ${name}: its tools are gone from every client`);
    },
  };
}
