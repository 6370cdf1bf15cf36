// Export of the events on screen, built in the window, in the same formats as `gatehouse activity
// --export` (main/core/audit/audit-export.ts).
import type { AuditEventView } from '@core/api/contract.js';
import { auditCsv, auditJsonLines } from '@core/audit/audit-export.js';

/** Oldest first, like a log file (the window holds them newest first). */
export function activityJsonLines(events: readonly AuditEventView[]): string {
  return auditJsonLines([...events].reverse());
}

export function activityCsv(events: readonly AuditEventView[]): string {
  return auditCsv([...events].reverse());
}

/** Saves text as a file through the browser's (or Electron's) download. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
