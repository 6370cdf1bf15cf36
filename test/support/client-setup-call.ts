// Calling a client-setup operation through the engine's one door (`call`, as the window and the CLI
// do: the input parsed by its schema), with the output checked by its schema too.
import {
  clientSetupContract,
  type ClientSetupInput,
  type ClientSetupOperationName,
  type ClientSetupOutput,
} from '../../main/core/api/client-setup-contract.js';
import type { Engine } from '../../main/core/engine/engine.js';

/** `engine()` is read at each call, so a test may start a new engine per test. */
export function clientSetupCaller(engine: () => Pick<Engine, 'call'>) {
  return async function call<N extends ClientSetupOperationName>(
    name: N,
    input: ClientSetupInput<N>,
  ): Promise<ClientSetupOutput<N>> {
    return clientSetupContract[name].output.parse(await engine().call(name, input)) as ClientSetupOutput<N>;
  };
}
