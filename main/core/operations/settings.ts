// Operations on settings, pause and resume, status and the audit log.
import type { SettingsView, StatusView } from '../api/contract.js';
import type { OperationHandlers } from './engine-api.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Settings } from '../store/settings-store.js';

/** What the settings operations use of the engine. */
export interface SettingsContext {
  readonly settings: Settings;
  readonly audit: AuditLog;
  status(): StatusView;
}

/** The handlers of settings.*, pause/resume, status.get and audit.* (the Activity page). */
export function settingsOperations(
  context: SettingsContext,
): Pick<
  OperationHandlers,
  'settings.get' | 'settings.set' | 'access.pause' | 'access.resume' | 'status.get' | 'audit.list'
> {
  const setPaused = (paused: boolean) => {
    if (context.settings.get().paused !== paused) {
      context.settings.update({ paused });
      context.audit.record({
        type: paused ? 'access.paused' : 'access.resumed',
        decision: 'info',
        reason: paused ? 'The user paused all access' : 'The user resumed access',
      });
    }
    return { paused };
  };
  return {
    'status.get': () => context.status(),
    'settings.get': () => context.settings.get(),
    'settings.set': (patch) => {
      const before = context.settings.get();
      const after = context.settings.update(patch);
      const changed = (Object.keys(patch) as Array<keyof SettingsView>).filter(
        (key) => before[key] !== after[key],
      );
      if (changed.length > 0) {
        context.audit.record({
          type: 'settings.changed',
          decision: 'info',
          reason: `Changed ${changed.join(', ')}`,
          detail: Object.fromEntries(changed.map((key) => [key, after[key]])),
        });
      }
      return after;
    },
    'access.pause': () => setPaused(true),
    'access.resume': () => setPaused(false),
    'audit.list': (query) => context.audit.query(query),
  };
}
