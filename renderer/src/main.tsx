// Entry point: the API the desktop app's preload puts on the window when there is one, else the browser-mode HTTP API;
// then the stores, the one event subscription, the first fetch, and the window.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WINDOW_API_GLOBAL } from '../../preload/ipc-channels.js';
import { gatehouseApiFromWindow } from './api/window-api-adapter.js';
import type { GatehouseApi } from './api/gatehouse-api.js';
import { createHttpApi } from './api/http-api.js';
import { takePageToken } from './api/page-token.js';
import { App } from './app/app.js';
import { StoresProvider } from './app/stores-context.js';
import { createAppStores, loadAppStores } from './stores/app-stores.js';
import { routeEngineEvents } from './stores/event-router.js';
import './styles/app.css';

const windowApi = window[WINDOW_API_GLOBAL as 'gatehouse'];
// In the browser, the sign-in's page token is taken out of the address before the window routes by it.
const api: GatehouseApi = windowApi
  ? gatehouseApiFromWindow(windowApi)
  : createHttpApi({ pageToken: takePageToken(window) });
const stores = createAppStores(api);
// Subscribed before the first fetch, so no change falls between the two.
routeEngineEvents(api, stores);
void loadAppStores(stores);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);
