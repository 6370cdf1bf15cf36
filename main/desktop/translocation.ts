// macOS App Translocation: an app opened where it was downloaded (still quarantined, not moved) runs
// from a random read-only copy under …/AppTranslocation/<id>/d/. Every path Gatehouse hands out
// would point there — Claude Desktop's bridge command, the login item, the app the bridge starts —
// and that copy is gone after a restart. So a translocated Gatehouse starts nothing: it offers to
// move itself to Applications (Electron's app.moveToApplicationsFolder, which relaunches it from
// there), or quits saying what to do. See docs/decisions.md ("The app's menus, tray and start at login").
import type { Logger } from '../core/effects.js';

/** Whether the executable runs from App Translocation's temporary copy. */
export function isTranslocated(executable: string): boolean {
  return executable.includes('/AppTranslocation/');
}

/** The part of Electron's `app` this uses (macOS). */
export interface MovableApp {
  moveToApplicationsFolder(): boolean;
}

/** The part of Electron's `dialog` this uses. */
export interface TranslocationDialog {
  showMessageBox(options: {
    type: 'warning';
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
  }): Promise<{ response: number }>;
  showErrorBox(title: string, content: string): void;
}

/** The title of the dialog that offers to move a translocated app to Applications. */
const MOVE_TITLE = 'Move Gatehouse to your Applications folder';
/** Why the app should move: a translocated copy's path would end up in client configs and the login item. */
const MOVE_DETAIL =
  'macOS is running Gatehouse from a temporary, read-only copy, because it was opened where it was downloaded. The clients you connect and “Start at login” would point at that copy, which is gone after a restart. Gatehouse can move itself to Applications and open again from there.';
/** How to move the app by hand, shown when it was not moved or could not move itself. */
const MOVE_BY_HAND =
  'Quit Gatehouse, drag it from your Downloads folder (or the disk image) into Applications, and open it from there.';

/**
 * Asks the user to let Gatehouse move itself to Applications. Resolves with 'moving' when Electron
 * accepted the move (it quits and relaunches the app), or 'quit' when the user declined or the move
 * failed — in both cases this launch must start nothing.
 */
export async function leaveTranslocation(
  app: MovableApp,
  dialog: TranslocationDialog,
  logger: Logger,
): Promise<'moving' | 'quit'> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    message: MOVE_TITLE,
    detail: MOVE_DETAIL,
    buttons: ['Move to Applications', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  if (response !== 0) return 'quit';
  try {
    // False when the user cancelled the administrator prompt; an error when the copy failed.
    if (app.moveToApplicationsFolder()) return 'moving';
    dialog.showErrorBox('Gatehouse was not moved', MOVE_BY_HAND);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('could not move the app to Applications', { error: message });
    dialog.showErrorBox('Gatehouse could not move itself', `${message}\n\n${MOVE_BY_HAND}`);
  }
  return 'quit';
}
