// Toasts: short sentences saying what just happened ("Revoked Claude Code: 3 tokens, 1 session
// closed"). Local to this window; the Toasts component dismisses each after a while.
import { createStore, type StoreApi } from 'zustand/vanilla';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface ToastsState {
  toasts: Toast[];
  show(text: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}

export type ToastsStore = StoreApi<ToastsState>;

export function createToastsStore(): ToastsStore {
  let nextId = 1;
  return createStore<ToastsState>()((set, get) => ({
    toasts: [],
    show(text, tone = 'info') {
      // Keep the last few: a burst of actions should not bury the screen.
      set({ toasts: [...get().toasts, { id: nextId++, text, tone }].slice(-4) });
    },
    dismiss(id) {
      set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
    },
  }));
}
