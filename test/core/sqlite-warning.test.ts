// The SQLite ExperimentalWarning filter: drops that one warning, passes every other to the
// listeners that were there before (Node's printer), and wraps only once.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installWarningFilter } from '../../main/core/sqlite-warning.js';

function warning(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('installWarningFilter', () => {
  it('drops the SQLite ExperimentalWarning and forwards everything else', () => {
    const target = new EventEmitter();
    const printed: string[] = [];
    target.on('warning', (w: Error) => printed.push(`${w.name}: ${w.message}`));
    installWarningFilter(target);
    installWarningFilter(target);
    target.emit(
      'warning',
      warning('ExperimentalWarning', 'SQLite is an experimental feature and might change at any time'),
    );
    target.emit('warning', warning('ExperimentalWarning', 'Fetch is experimental'));
    target.emit('warning', warning('ExperimentalWarning', 'WASI is experimental'));
    target.emit('warning', warning('DeprecationWarning', 'SQLite API x is deprecated'));
    expect(printed).toEqual([
      'ExperimentalWarning: Fetch is experimental',
      'ExperimentalWarning: WASI is experimental',
      'DeprecationWarning: SQLite API x is deprecated',
    ]);
    expect(target.listenerCount('warning')).toBe(1);
  });
});
