// Settings and status: the header's MCP URL, pause state and pending counts, the Settings page and the
// rules. Refetched on settings.changed and whenever a count the status shows may have moved.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RuleProblemView, SettingsPatch, SettingsView, StatusView } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { errorMessage, type LoadState } from './load-state.js';
import { singleFlight } from './single-flight.js';

export type Rule = Record<string, unknown>;

export interface SettingsState {
  status: StatusView | null;
  settings: SettingsView | null;
  rules: Rule[] | null;
  /** The saved rules that can never match the connectors and tools there are now. */
  ruleProblems: RuleProblemView[];
  loadState: LoadState;
  loadError: string | null;
  refreshStatus(): Promise<void>;
  refreshSettings(): Promise<void>;
  refreshRules(): Promise<void>;
  /** Checks the rules again (a connector or its tools changed); only once the rules have loaded. */
  refreshRuleProblems(): Promise<void>;
  saveSettings(patch: SettingsPatch): Promise<SettingsView>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  saveRules(rules: unknown[]): Promise<Rule[]>;
}

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(api: GatehouseApi): SettingsStore {
  return createStore<SettingsState>()((set, get) => {
    const refreshStatus = singleFlight(async () => {
      try {
        const status = await api.call('status.get', {});
        set({ status, loadState: 'ready', loadError: null });
      } catch (error) {
        set({ loadState: get().status ? 'ready' : 'error', loadError: errorMessage(error) });
      }
    });
    const refreshSettings = singleFlight(async () => {
      try {
        set({ settings: await api.call('settings.get', {}) });
      } catch (error) {
        set({ loadError: errorMessage(error) });
      }
    });
    const refreshRules = singleFlight(async () => {
      try {
        const [rules, ruleProblems] = await Promise.all([
          api.call('rules.list', {}),
          api.call('rules.problems', {}),
        ]);
        set({ rules, ruleProblems });
      } catch (error) {
        set({ loadError: errorMessage(error) });
      }
    });
    const refreshRuleProblems = singleFlight(async () => {
      if (get().rules === null) return;
      try {
        set({ ruleProblems: await api.call('rules.problems', {}) });
      } catch (error) {
        set({ loadError: errorMessage(error) });
      }
    });
    const setPaused = async (paused: boolean) => {
      await api.call(paused ? 'access.pause' : 'access.resume', {});
      const { status, settings } = get();
      // Shown at once; the refetch confirms it.
      set({
        status: status ? { ...status, paused } : status,
        settings: settings ? { ...settings, paused } : settings,
      });
      void refreshStatus();
      void refreshSettings();
    };
    return {
      status: null,
      settings: null,
      rules: null,
      ruleProblems: [],
      loadState: 'loading',
      loadError: null,
      refreshStatus,
      refreshSettings,
      refreshRules,
      refreshRuleProblems,
      async saveSettings(patch) {
        const settings = await api.call('settings.set', patch);
        set({ settings });
        void refreshStatus();
        return settings;
      },
      pause: () => setPaused(true),
      resume: () => setPaused(false),
      async saveRules(rules) {
        const saved = await api.call('rules.set', { rules });
        set({ rules: saved, ruleProblems: await api.call('rules.problems', {}) });
        return saved;
      },
    };
  });
}
