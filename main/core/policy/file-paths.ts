// File paths in rule values and tool arguments, compared the way the host's file system would: `~`
// expanded, `.` and `..` resolved (purely, without touching the disk), case folded on Windows.
import path from 'node:path';

/** How paths are written and compared: Windows-style (case-insensitive, `\` or `/`) or POSIX. */
export type PathStyle = 'posix' | 'win32';

/** A home directory written the Windows way (`C:\…` or a `\\server\share` path). */
export function looksLikeWindowsPath(home: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(home) || home.startsWith('\\\\');
}

/** `~` and `~/…` (and `~\…` on Windows) with the user's home in place of the `~`. */
export function expandHome(value: string, home: string, style: PathStyle): string {
  if (value === '~') return home;
  const separators = style === 'win32' ? ['/', '\\'] : ['/'];
  for (const sep of separators) {
    if (value.startsWith(`~${sep}`)) return `${home.replace(/[\\/]+$/, '')}${sep}${value.slice(2)}`;
  }
  return value;
}

/** Resolves `.` and `..` (purely, no file system) and keeps a trailing separator. */
export function normalisePath(value: string, style: PathStyle): string {
  return path[style].normalize(value);
}

/**
 * An argument compared with a path-like rule value: `~` expanded (servers often expand it
 * themselves) and `..` resolved. Relative paths stay relative and so never match an absolute
 * prefix — a `deny … unless prefix` rule denies them. Symbolic links cannot be seen from here.
 */
export function normaliseArgumentPath(value: string, home: string, style: PathStyle): string {
  const expanded = expandHome(value, home, style);
  return path[style].isAbsolute(expanded) ? normalisePath(expanded, style) : expanded;
}

/** Whether two normalised paths name the same file (case-insensitive on Windows). */
export function samePath(a: string, b: string, style: PathStyle): boolean {
  return style === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
