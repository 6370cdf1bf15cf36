// The audit log as files people open elsewhere: JSON Lines (one event a line, as the engine gives
// it) and CSV as RFC 4180 writes it (CRLF between records; a field quoted when it holds a comma, a
// quote or a line break, quotes inside doubled). A field a spreadsheet would run as a formula (=, +,
// -, @, tab, CR first) gets a leading apostrophe: client names and reasons come from clients.
// Pure text, shared by the CLI's --export and the window's Export.
import type { AuditEventView } from '../api/contract.js';

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

function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvFields(event: AuditEventView): string[] {
  return [
    new Date(event.at).toISOString(),
    event.type,
    event.decision,
    event.clientId ?? '',
    event.clientName ?? '',
    event.connector ?? '',
    event.tool ?? '',
    event.reason,
    JSON.stringify(event.detail),
  ];
}

/** Events in the order given, as CSV with a header row. */
export function auditCsv(events: readonly AuditEventView[]): string {
  return [CSV_HEADER, ...events.map(csvFields)].map(csvRecord).join('');
}

/** Events in the order given, one JSON object a line. */
export function auditJsonLines(events: readonly AuditEventView[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}
