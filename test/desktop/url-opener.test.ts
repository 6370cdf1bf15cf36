// The URL policy behind shell.openExternal: https:// anywhere, plain http only to Gatehouse's own
// loopback port, and nothing else — each refusal with the sentence the user will read.
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../main/core/errors.js';
import { checkOpenableUrl, desktopUrlOpener } from '../../main/desktop/url-opener.js';

const PORT = 42830;
const ALLOWED = `it opens only https:// links and its own pages at http://127.0.0.1:${PORT}`;

describe('checkOpenableUrl', () => {
  it.each([
    [
      'https://auth.example.com/authorize?client_id=x&state=y',
      'https://auth.example.com/authorize?client_id=x&state=y',
    ],
    ['HTTPS://Example.COM', 'https://example.com/'],
    [`http://127.0.0.1:${PORT}/consent/abc`, `http://127.0.0.1:${PORT}/consent/abc`],
    [`http://localhost:${PORT}/`, `http://localhost:${PORT}/`],
  ])('opens %s', (raw, normalized) => {
    expect(checkOpenableUrl(raw, PORT)).toBe(normalized);
  });

  it.each([
    ['javascript:alert(1)', `Gatehouse will not open a javascript: link: ${ALLOWED}.`],
    ['file:///etc/passwd', `Gatehouse will not open a file: link: ${ALLOWED}.`],
    ['smb://server/share', `Gatehouse will not open a smb: link: ${ALLOWED}.`],
    ['vscode://extension/run', `Gatehouse will not open a vscode: link: ${ALLOWED}.`],
    ['http://evil', `Gatehouse will not open http://evil/: ${ALLOWED}.`],
    ['http://evil.example:42830/consent', `Gatehouse will not open http://evil.example:42830/: ${ALLOWED}.`],
    ['http://127.0.0.1:8080/', `Gatehouse will not open http://127.0.0.1:8080/: ${ALLOWED}.`],
    ['http://127.0.0.1/', `Gatehouse will not open http://127.0.0.1/: ${ALLOWED}.`],
    ['http://[::1]:42830/', `Gatehouse will not open http://[::1]:42830/: ${ALLOWED}.`],
    [
      'https://trusted.example@evil.example/',
      'Gatehouse will not open a link that carries a user name or password (evil.example).',
    ],
    ['not a url', 'Gatehouse will not open "not a url": it is not a valid URL.'],
  ])('refuses %s', (raw, message) => {
    let caught: unknown;
    try {
      checkOpenableUrl(raw, PORT);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatehouseError);
    expect((caught as GatehouseError).code).toBe('bad_request');
    expect((caught as GatehouseError).message).toBe(message);
  });

  it('refuses every http:// link before the engine has a port', () => {
    expect(() => checkOpenableUrl(`http://127.0.0.1:${PORT}/`, undefined)).toThrow(
      `Gatehouse will not open http://127.0.0.1:${PORT}/: it opens only https:// links until its engine has started.`,
    );
    expect(checkOpenableUrl('https://example.com/', undefined)).toBe('https://example.com/');
  });
});

describe('desktopUrlOpener', () => {
  function opener(port: number | undefined) {
    const opened: string[] = [];
    const urls = desktopUrlOpener({ openExternal: async (url) => void opened.push(url) }, () => port);
    return { opened, urls };
  }

  it('hands allowed URLs to shell.openExternal, normalized', async () => {
    const { opened, urls } = opener(PORT);
    await urls.open('HTTPS://Example.com/a b');
    await urls.open(`http://localhost:${PORT}/consent/x`);
    expect(opened).toEqual(['https://example.com/a%20b', `http://localhost:${PORT}/consent/x`]);
  });

  it('rejects refused URLs without reaching the shell', async () => {
    const { opened, urls } = opener(PORT);
    await expect(urls.open('http://127.0.0.1:9999/')).rejects.toThrow(
      `Gatehouse will not open http://127.0.0.1:9999/: ${ALLOWED}.`,
    );
    await expect(urls.open('javascript:alert(1)')).rejects.toThrow(GatehouseError);
    expect(opened).toEqual([]);
  });

  it('reads the engine port at each call, so it follows the engine once started', async () => {
    const engine: { port?: number } = {};
    const opened: string[] = [];
    const urls = desktopUrlOpener({ openExternal: async (url) => void opened.push(url) }, () => engine.port);
    await expect(urls.open('http://127.0.0.1:50000/')).rejects.toThrow(GatehouseError);
    engine.port = 50000;
    await urls.open('http://127.0.0.1:50000/');
    expect(opened).toEqual(['http://127.0.0.1:50000/']);
  });
});
