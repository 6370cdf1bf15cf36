// The catalog: a search of the MCP Registry (page after page), the server the user opened, and adding
// it as a connector. A registry that cannot be reached is its own state ("offline"), not an error
// toast: the window says so in words and offers to try again.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CatalogServerDetail, CatalogServerSummary } from '@core/api/catalog-contract.js';
import type { OperationInput, OperationOutput } from '@core/api/contract.js';
import { ApiError, type GatehouseApi } from '../api/gatehouse-api.js';
import { errorMessage } from './load-state.js';

/** Where a registry request got: not asked yet, waiting, answered, unreachable, or refused. */
type CatalogLoad = 'idle' | 'loading' | 'ready' | 'offline' | 'error';

type CatalogAddInput = OperationInput<'catalog.add'>;
export type CatalogAddResult = OperationOutput<'catalog.add'>;

export interface CatalogState {
  query: string;
  servers: CatalogServerSummary[];
  nextCursor: string | null;
  registryUrl: string | null;
  /** Entries the registry sent that were not valid server.json documents. */
  skipped: number;
  searchLoad: CatalogLoad;
  /** Loading the next page (the list stays as it is meanwhile). */
  loadingMore: boolean;
  searchError: string | null;
  detail: CatalogServerDetail | null;
  detailLoad: CatalogLoad;
  detailError: string | null;
  /** Runs a new search (an empty query lists every server). */
  search(query: string): Promise<void>;
  /** Appends the next page of the current search. */
  loadMore(): Promise<void>;
  /** Opens one server (a version, or the latest). */
  open(name: string, version?: string): Promise<void>;
  /** Back to the results. */
  closeDetail(): void;
  /** Adds the opened server; throws the engine's error so the form can show it beside the fields. */
  add(input: CatalogAddInput): Promise<CatalogAddResult>;
}

export type CatalogStore = StoreApi<CatalogState>;

const PAGE = 30;

/** "offline" when the registry is out of reach, else "error", with the engine's sentence. */
function failure(error: unknown): { load: CatalogLoad; message: string } {
  const offline = error instanceof ApiError && error.code === 'registry_unavailable';
  return { load: offline ? 'offline' : 'error', message: errorMessage(error) };
}

export function createCatalogStore(api: GatehouseApi): CatalogStore {
  return createStore<CatalogState>()((set, get) => {
    // Only the newest request may write its answer: typing fast must not show an older search.
    let searchTicket = 0;
    let detailTicket = 0;
    return {
      query: '',
      servers: [],
      nextCursor: null,
      registryUrl: null,
      skipped: 0,
      searchLoad: 'idle',
      loadingMore: false,
      searchError: null,
      detail: null,
      detailLoad: 'idle',
      detailError: null,
      async search(query) {
        const ticket = ++searchTicket;
        set({ query, searchLoad: 'loading', searchError: null, loadingMore: false });
        try {
          const result = await api.call('catalog.search', { query, limit: PAGE });
          if (ticket !== searchTicket) return;
          set({
            servers: result.servers,
            nextCursor: result.nextCursor,
            registryUrl: result.registryUrl,
            skipped: result.skipped,
            searchLoad: 'ready',
          });
        } catch (error) {
          if (ticket !== searchTicket) return;
          const { load, message } = failure(error);
          set({ servers: [], nextCursor: null, searchLoad: load, searchError: message });
        }
      },
      async loadMore() {
        const { nextCursor, query, loadingMore } = get();
        if (nextCursor === null || loadingMore) return;
        const ticket = searchTicket;
        set({ loadingMore: true, searchError: null });
        try {
          const result = await api.call('catalog.search', { query, limit: PAGE, cursor: nextCursor });
          if (ticket !== searchTicket) return;
          const known = new Set(get().servers.map((server) => server.name));
          set({
            servers: [...get().servers, ...result.servers.filter((server) => !known.has(server.name))],
            nextCursor: result.nextCursor,
            skipped: get().skipped + result.skipped,
            loadingMore: false,
          });
        } catch (error) {
          if (ticket !== searchTicket) return;
          set({ loadingMore: false, searchError: errorMessage(error) });
        }
      },
      async open(name, version) {
        const ticket = ++detailTicket;
        set({
          detailLoad: 'loading',
          detailError: null,
          ...(get().detail?.name === name ? {} : { detail: null }),
        });
        try {
          const detail = await api.call('catalog.show', version === undefined ? { name } : { name, version });
          if (ticket !== detailTicket) return;
          set({ detail, detailLoad: 'ready' });
        } catch (error) {
          if (ticket !== detailTicket) return;
          const { load, message } = failure(error);
          set({ detailLoad: load, detailError: message });
        }
      },
      closeDetail() {
        detailTicket++;
        set({ detail: null, detailLoad: 'idle', detailError: null });
      },
      add: (input) => api.call('catalog.add', input),
    };
  });
}
