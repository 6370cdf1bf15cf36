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
  context: HandlerContext,
  options: { catalog: Catalog; clientSetup?: ClientSetupOptions },
): OperationHandlers {
  return {
    ...clientOperations(context),
    ...consentOperations(context),
    ...settingsOperations(context),
    ...connectorOperations(context),
    ...toolOperations(context),
    ...ruleOperations(context),
    ...heldItemOperations(context),
    ...clientSetupOperations(context, options.clientSetup),
    ...catalogOperations({
      catalog: options.catalog,
      connectors: context.connectors,
      audit: context.audit,
      emit: (event) => context.emit(event),
      viewConnector: (name) => viewConnector(context, name),
    }),
    'ui.link': () => {
      if (!context.ui.available) {
        throw new GatehouseError(
          'not_found',
          'This Gatehouse has no browser user interface (build it with `npm run build`).',
        );
      }
      return { url: context.ui.mintLink(context.issuer) };
    },
  };
}
