// The Electron entry (package.json "main", built to dist/main/desktop/main.js). Glue only: it hands
// Electron's objects and electron-store to runDesktop, where the logic lives and is tested.
import { app, clipboard, dialog, Menu, nativeImage, Notification, safeStorage, shell, Tray } from 'electron';
import Store from 'electron-store';
import { runDesktop } from './desktop-app.js';
import { installWarningFilter } from '../core/sqlite-warning.js';

installWarningFilter();

// Not awaited at the top level: Electron emits `ready` only once this module has finished
// evaluating, so awaiting whenReady here would never return.
void runDesktop(
  { app, dialog, safeStorage, shell, Notification, Tray, Menu, nativeImage, clipboard },
  { openPreferences: (dataDir) => new Store({ name: 'preferences', cwd: dataDir }) },
).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Gatehouse could not start', message);
  app.exit(1);
});
