// The preload script of every Gatehouse window (sandboxed, so built to one CommonJS file,
// dist/preload/preload.cjs, by scripts/build-preload.mjs). It exposes `window.gatehouse` =
// `{ call, onEvent }` and nothing else — never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from './bridge.js';
import { createBridgeApi } from './bridge-api.js';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridgeApi(ipcRenderer));
