// Who the app is to the OS, declared once: its name (the data folder's and the menus'), and the
// application id electron-builder writes into the installers (electron-builder.yml `appId`; a test
// keeps the two equal).

/** The product name: menus, dialogs, and the data folder `<appData>/Gatehouse`. */
export const APP_NAME = 'Gatehouse';

/**
 * electron-builder's `appId`. On Windows the NSIS installer stamps it on the Start menu shortcut as
 * the AppUserModelID, and a toast is shown only when the running app uses the same id.
 */
export const APP_ID = 'dev.gatehouse.app';
