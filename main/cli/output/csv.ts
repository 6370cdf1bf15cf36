// CSV as RFC 4180 writes it: CRLF between records, a field quoted when it holds a comma, a quote or a
// line break, quotes inside doubled. A field a spreadsheet would run as a formula (=, +, -, @, tab,
// CR first) is prefixed with an apostrophe: client names and reasons come from clients, not the user.

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
