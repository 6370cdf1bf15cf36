// The preload script of every Gatehouse window (sandboxed, so built to one CommonJS file,
// dist/preload/preload.cjs, by scripts/build-preload.mjs). It exposes `window.gatehouse` =
// `{ call, onEvent }` and nothing else — never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { WINDOW_API_GLOBAL } from './ipc-channels.js';
import { createWindowApi } from './window-api.js';

contextBridge.exposeInMainWorld(WINDOW_API_GLOBAL, createWindowApi(ipcRenderer));
