// Defense in depth for the connector sandbox: saving a local command that would run without it asks
// the user in a native dialog of the main process, so a compromised renderer (which can call any
// operation through the IPC door) cannot turn the sandbox off on its own. The engine decides who may
// turn it off and audits it; this is the app's second lock on the same door.
import type { TranslocationDialog } from './translocation.js';

/** A local (stdio) connector about to be saved with its sandbox off, as the dialog names it. */
export interface UnsandboxedCommand {
  connector: string;
  /** The command line it would run, for the user to read. */
  commandLine: string;
}

/**
 * The unsandboxed local command an operation's input would save: any input whose `settings` are a
 * stdio connector's with `sandbox.enabled` false (connectors.add and connectors.edit today, and any
 * operation that takes connector settings later), or null. Anything else is the engine's to refuse.
 */
export function unsandboxedCommand(input: unknown): UnsandboxedCommand | null {
  if (!isObject(input) || !isObject(input.settings)) return null;
  const { settings } = input;
  if (settings.kind !== 'stdio' || !isObject(settings.sandbox) || settings.sandbox.enabled !== false) {
    return null;
  }
  const words = [settings.command, ...(Array.isArray(settings.args) ? settings.args : [])].map(String);
  const commandLine = words
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word)))
    .join(' ');
  return { connector: String(input.name ?? ''), commandLine: shorten(commandLine, 300) };
}

/** The part of Electron's dialog the confirmation uses: the warning box translocation.ts uses too. */
export type ConfirmationDialog = Pick<TranslocationDialog, 'showMessageBox'>;

/** The button that keeps the sandbox, first and the default: Enter or Escape keep it. */
const KEEP = 0;
/** The button that saves it unsandboxed. */
const RUN_UNSANDBOXED = 1;

/** What the window is told when the user keeps the sandbox: nothing was saved. */
export const SANDBOX_KEPT_MESSAGE =
  'You kept the sandbox on, so nothing was saved. Turn it off only for a server you trust with your files and secrets.';

/** Asks in a native dialog; resolves true only when the user chose to run it without the sandbox. */
export async function confirmUnsandboxed(
  dialog: ConfirmationDialog,
  command: UnsandboxedCommand,
): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    message: `Run "${command.connector}" without the sandbox?`,
    detail: `Gatehouse will start \`${command.commandLine}\` with your full rights: it can read and change every file you can, read your secrets (SSH keys, cloud credentials, browser data) and reach any address. Keep the sandbox on unless you trust this server completely.`,
    buttons: ['Keep the sandbox on', 'Run without the sandbox'],
    defaultId: KEEP,
    cancelId: KEEP,
  });
  return response === RUN_UNSANDBOXED;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
