// The browser UI's page token: taken out of the sign-in redirect's fragment before the window routes
// by the fragment, kept in this origin's storage, and followed when another tab signs in anew.
import { describe, expect, it, vi } from 'vitest';
import { takePageToken, type PageTokenWindow } from '../../../renderer/src/api/page-token.js';

function fakeWindow(
  hash: string,
  storage: Map<string, string> | null,
): PageTokenWindow & { replaced: string[] } {
  const replaced: string[] = [];
  return {
    replaced,
    location: { hash, pathname: '/ui/', search: '' },
    history: { replaceState: (_data, _title, url) => void replaced.push(String(url)) },
    ...(storage
      ? {
          localStorage: {
            getItem: (key) => storage.get(key) ?? null,
            setItem: (key, value) => void storage.set(key, value),
          },
        }
      : {}),
  };
}

describe('takePageToken', () => {
  it('takes the token out of the address and keeps it', () => {
    const storage = new Map<string, string>();
    const win = fakeWindow('#gatehouse-session=abc-123_XYZ', storage);
    const token = takePageToken(win);
    expect(token()).toBe('abc-123_XYZ');
    expect(win.replaced).toEqual(['/ui/']);
    // A reload finds it kept; a sign-in in another tab replaces it, and this page follows.
    expect(takePageToken(fakeWindow('#clients', storage))()).toBe('abc-123_XYZ');
    storage.set('gatehouse.pageToken', 'newer');
    expect(token()).toBe('newer');
  });

  it('leaves a route in the address alone, and has no token without a sign-in', () => {
    const win = fakeWindow('#clients', new Map());
    expect(takePageToken(win)()).toBeNull();
    expect(win.replaced).toEqual([]);
  });

  it('keeps the token for this page when storage is refused', () => {
    const win = fakeWindow('#gatehouse-session=only-here', null);
    win.localStorage = {
      getItem: vi.fn(() => {
        throw new DOMException('denied', 'SecurityError');
      }),
      setItem: vi.fn(() => {
        throw new DOMException('denied', 'SecurityError');
      }),
    };
    expect(takePageToken(win)()).toBe('only-here');
  });
});
