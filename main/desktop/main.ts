// The Electron entry (package.json "main", built to dist/main/desktop/main.js). Glue only: it hands
// Electron's objects and the preferences file to runDesktop, or runs the CLI for `--cli`; the logic
// lives in modules that take these objects as parameters and are tested with fakes.
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron';
import { cliArguments, runCliInApp } from './cli-mode.js';
import { runDesktop } from './desktop-app.js';
import { installWarningFilter } from '../core/sqlite-warning.js';
import { openPreferencesFile } from '../core/store/preferences-file.js';

installWarningFilter();

const cli = cliArguments(process.argv);
if (cli) {
  void runCliInApp(app, cli);
} else {
  // Not awaited at the top level: Electron emits `ready` only once this module has finished
  // evaluating, so awaiting whenReady here would never return.
  void runDesktop(
    {
      app,
      dialog,
      safeStorage,
      shell,
      Notification,
      Tray,
      Menu,
      nativeImage,
      clipboard,
      protocol,
      session,
      BrowserWindow,
      ipcMain,
    },
    { openPreferences: (dataDir) => openPreferencesFile(dataDir) },
  ).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Gatehouse could not start', message);
    app.exit(1);
  });
}
