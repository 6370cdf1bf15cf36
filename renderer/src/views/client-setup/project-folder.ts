// The project folder a client is added to: checked with the engine's own schema before anything is
// sent, so the form refuses exactly what the engine would, in a sentence that says what to type.
import { clientSetupContract, type SetupClientName } from '@core/api/client-setup-contract.js';

/** Where each client keeps a project's servers (main/core/client-setup/client-locations.ts). */
export const PROJECT_FILE: Partial<Record<SetupClientName, string>> = {
  'claude-code': '.mcp.json',
  vscode: '.vscode/mcp.json',
  cursor: '.cursor/mcp.json',
};

/** An example path in the style of this machine, judged by where the client's own file is. */
export function exampleFolder(configPath: string | undefined): string {
  return configPath && /^[A-Za-z]:\\/.test(configPath) ? 'C:\\Users\\me\\code\\app' : '/home/me/code/app';
}

/** Why `folder` cannot be used, or null when it can. */
export function projectFolderProblem(
  client: SetupClientName,
  folder: string,
  example: string,
): string | null {
  if (!folder) return `Type the project folder's full path, like ${example}.`;
  const checked = clientSetupContract['setup.connect'].input.safeParse({
    client,
    scope: 'project',
    projectDir: folder,
  });
  return checked.success
    ? null
    : `The project folder must be an absolute path, like ${example}, not a path relative to somewhere.`;
}
