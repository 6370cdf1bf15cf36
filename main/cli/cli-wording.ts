// Engine messages are written for the window ("the registry URL in Settings"); on the command line the
// same sentence names the command that changes the setting.
import { REGISTRY_URL_IN_SETTINGS } from '../core/text.js';

/** The window's pointers to Settings and what the CLI says in their place. */
const SETTINGS_POINTERS: ReadonlyArray<readonly [string, string]> = [
  [REGISTRY_URL_IN_SETTINGS, 'the registry URL (`gatehouse settings set registryUrl URL`)'],
];

/** An engine message as the command line should say it: settings pointed at by their command. */
export function forCommandLine(message: string): string {
  let text = message;
  for (const [window, cli] of SETTINGS_POINTERS) text = text.split(window).join(cli);
  return text;
}
