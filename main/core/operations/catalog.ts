// Operations of the catalog: search the MCP Registry, show one server, and add one as a connector.
// Adding saves the connector only once its plan is complete and valid (catalog.ts), through the same
// store as the Connectors page, so its secrets are sealed by the vault the same way. A connector that
// then fails to start is taken out again (unless the user asked to keep it), so a mistake in an
// answer costs nothing: the user fixes it and adds again. The audit names the server, version and way
// it was added, never a value the user typed.
import type { ConnectorView, EngineEvent, OperationName, OperationOutput } from '../api/contract.js';
import type { OperationHandlers } from './engine-api.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import { GatehouseError } from '../errors.js';
import { doesNotStart, takeBack } from './connector-add.js';
import { packageNotInRegistry } from '../catalog/missing-package.js';

/** What the catalog's operations use of the engine. */
export interface CatalogContext {
  catalog: Catalog;
  connectors: Pick<ConnectorManager, 'add' | 'removeNotKept'>;
  audit: Pick<AuditLog, 'record'>;
  emit(event: EngineEvent): void;
  viewConnector(name: string): ConnectorView;
}

type CatalogOperation = Extract<OperationName, `catalog.${string}`>;

/** The handlers of catalog.* (search, show, add). */
export function catalogOperations(context: CatalogContext): Pick<OperationHandlers, CatalogOperation> {
  const { catalog } = context;
  return {
    'catalog.search': ({ query, cursor, limit }) => catalog.search(query, cursor, limit),
    'catalog.show': ({ name, version }) => catalog.show(name, version),
    'catalog.add': async (input): Promise<OperationOutput<'catalog.add'>> => {
      const plan = await catalog.plan(input);
      await context.connectors.add(plan.connector, plan.settings, input.enabled);
      const view = context.viewConnector(plan.connector);
      if (doesNotStart(view) && !input.keepIfFailing) {
        const why = await takeBack(
          context,
          view,
          (why) => `Did not add ${plan.server.name} ${plan.server.version}: it did not start (${why})`,
        );
        if (packageNotInRegistry(plan.option.kind, why))
          throw new GatehouseError(
            'broken_entry',
            `${plan.server.name} ${plan.server.version} did not start, so Gatehouse did not add it: its registry entry is broken. It names the ${plan.option.source}, which is not there (${why}). No answer of yours can fix that: tell its publisher, or add it another way if it has one (gatehouse catalog show ${plan.server.name}).`,
          );
        throw new GatehouseError(
          'does_not_start',
          `${plan.server.name} did not start, so Gatehouse did not add it: ${why}. Check your answers and add it again.`,
        );
      }
      context.audit.record({
        type: 'connector.added',
        connector: plan.connector,
        decision: 'info',
        reason: `Added ${plan.connector} from the MCP Registry: ${plan.server.name} ${plan.server.version} (${plan.option.label})`,
        detail: {
          registryServer: plan.server.name,
          registryVersion: plan.server.version,
          option: plan.option.id,
          reviewed: plan.option.reviewed,
          ...(plan.option.risks.length > 0
            ? { acceptedRisks: plan.option.risks.map((risk) => risk.setting) }
            : {}),
          ...(plan.warnings.length > 0 ? { warnings: plan.warnings } : {}),
        },
      });
      context.emit({ type: 'connectors.changed', name: plan.connector });
      return {
        connector: context.viewConnector(plan.connector),
        server: plan.server,
        option: plan.option,
        warnings: plan.warnings,
      };
    },
  };
}
