// Calling a client-setup operation the way dispatch does: the input parsed by its schema, the output
// checked by its schema, so a test sees what the window and the CLI would.
import {
  clientSetupContract,
  type ClientSetupHandlers,
  type ClientSetupInput,
  type ClientSetupOperationName,
  type ClientSetupOutput,
} from '../../main/core/api/client-setup-contract.js';

/** `handlers()` is read at each call, so a test may make new handlers per test. */
export function clientSetupCaller(handlers: () => ClientSetupHandlers) {
  return async function call<N extends ClientSetupOperationName>(
    name: N,
    input: ClientSetupInput<N>,
  ): Promise<ClientSetupOutput<N>> {
    const parsed = clientSetupContract[name].input.parse(input);
    const handler = handlers()[name] as (input: unknown) => Promise<unknown>;
    return clientSetupContract[name].output.parse(await handler(parsed)) as ClientSetupOutput<N>;
  };
}
