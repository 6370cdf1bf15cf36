// Hands the window's stores to every component. Each hook reads part of one store and re-renders when
// that part changes; selectors pick single fields (zustand 5 compares them by identity).
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ActivityState } from '../stores/activity-store.js';
import type { AppStores } from '../stores/app-stores.js';
import type { ApprovalsState } from '../stores/approvals-store.js';
import type { CatalogState } from '../stores/catalog-store.js';
import type { ClientSetupState } from '../stores/client-setup-store.js';
import type { ClientsState } from '../stores/clients-store.js';
import type { ConnectorsState } from '../stores/connectors-store.js';
import type { ConsentsState } from '../stores/consents-store.js';
import type { RegistrationsState } from '../stores/registrations-store.js';
import type { SettingsState } from '../stores/settings-store.js';
import type { ToastsState } from '../stores/toasts-store.js';
import type { ToolsState } from '../stores/tools-store.js';

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores() needs a <StoresProvider> above it');
  return stores;
}

export const useSettings = <T,>(select: (state: SettingsState) => T): T =>
  useStore(useStores().settings, select);
export const useClients = <T,>(select: (state: ClientsState) => T): T =>
  useStore(useStores().clients, select);
export const useClientSetup = <T,>(select: (state: ClientSetupState) => T): T =>
  useStore(useStores().clientSetup, select);
export const useConsents = <T,>(select: (state: ConsentsState) => T): T =>
  useStore(useStores().consents, select);
export const useRegistrations = <T,>(select: (state: RegistrationsState) => T): T =>
  useStore(useStores().registrations, select);
export const useApprovals = <T,>(select: (state: ApprovalsState) => T): T =>
  useStore(useStores().approvals, select);
export const useConnectors = <T,>(select: (state: ConnectorsState) => T): T =>
  useStore(useStores().connectors, select);
export const useTools = <T,>(select: (state: ToolsState) => T): T => useStore(useStores().tools, select);
export const useActivity = <T,>(select: (state: ActivityState) => T): T =>
  useStore(useStores().activity, select);
export const useToasts = <T,>(select: (state: ToastsState) => T): T => useStore(useStores().toasts, select);
export const useCatalog = <T,>(select: (state: CatalogState) => T): T =>
  useStore(useStores().catalog, select);
