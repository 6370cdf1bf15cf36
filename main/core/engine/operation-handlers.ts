// The table of contract handlers (operations/engine-api.ts dispatches through it), built from operations/:
// each domain's handlers get the engine as the narrow context they name, never Engine itself, so no
// operation imports engine.ts. `ui.link` is the one handler that is the engine's own.
import type { OperationHandlers } from '../operations/engine-api.js';
import type { UiAccess } from './ui-access.js';
import type { Catalog } from '../catalog/catalog.js';
import { GatehouseError } from '../errors.js';
import { catalogOperations } from '../operations/catalog.js';
import {
  clientSetupOperations,
  type ClientSetupContext,
  type ClientSetupOptions,
} from '../operations/client-setup.js';
import { clientOperations, type ClientsContext } from '../operations/clients.js';
import { connectorOperations, viewConnector, type ConnectorsContext } from '../operations/connectors.js';
import { consentOperations, type ConsentsContext } from '../operations/consents.js';
import { settingsOperations, type SettingsContext } from '../operations/settings.js';
import { heldItemOperations, type HeldItemsContext } from '../operations/held-items.js';
import { ruleOperations, type RulesContext } from '../operations/rules.js';
import { toolOperations, type ToolsContext } from '../operations/tools.js';

/** Every operation's context at once: what the engine offers its handlers. */
export type HandlerContext = ClientsContext &
  ConsentsContext &
  SettingsContext &
  ConnectorsContext &
  ToolsContext &
  RulesContext &
  HeldItemsContext &
  ClientSetupContext & {
    readonly ui: Pick<UiAccess, 'available' | 'mintLink'>;
  };

/** The handler of every contract operation. */
export function operationHandlers(
  engine: HandlerContext,
  options: { catalog: Catalog; clientSetup?: ClientSetupOptions },
): OperationHandlers {
  return {
    ...clientOperations(engine),
    ...consentOperations(engine),
    ...settingsOperations(engine),
    ...connectorOperations(engine),
    ...toolOperations(engine),
    ...ruleOperations(engine),
    ...heldItemOperations(engine),
    ...clientSetupOperations(engine, options.clientSetup),
    ...catalogOperations({
      catalog: options.catalog,
      connectors: engine.connectors,
      audit: engine.audit,
      emit: (event) => engine.emit(event),
      viewConnector: (name) => viewConnector(engine, name),
    }),
    'ui.link': () => {
      if (!engine.ui.available) {
        throw new GatehouseError(
          'not_found',
          'This Gatehouse has no browser user interface (build it with `npm run build`).',
        );
      }
      return { url: engine.ui.mintLink(engine.issuer) };
    },
  };
}
