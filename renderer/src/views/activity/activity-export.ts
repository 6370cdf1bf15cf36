// Export of the events on screen, built in the window: JSON Lines (one event a line, as the engine
// gives it) or CSV (RFC 4180; a cell a spreadsheet would run as a formula gets a leading apostrophe,
// since client names and reasons come from clients).
import type { AuditEventView } from '../../../../main/core/api/contract.js';

const CSV_HEADER = [
  'time',
  'type',
  'decision',
  'client',
  'client name',
  'connector',
  'tool',
  'reason',
  'detail',
];

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvRecord = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;

/** Oldest first, like a log file. */
export function activityJsonLines(events: readonly AuditEventView[]): string {
  return [...events]
    .reverse()
    .map((event) => `${JSON.stringify(event)}\n`)
    .join('');
}

export function activityCsv(events: readonly AuditEventView[]): string {
  return [
    csvRecord(CSV_HEADER),
    ...[...events]
      .reverse()
      .map((event) =>
        csvRecord([
          new Date(event.at).toISOString(),
          event.type,
          event.decision,
          event.clientId ?? '',
          event.clientName ?? '',
          event.connector ?? '',
          event.tool ?? '',
          event.reason,
          JSON.stringify(event.detail),
        ]),
      ),
  ].join('');
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
