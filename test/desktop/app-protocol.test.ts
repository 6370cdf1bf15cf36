// The app:// handler with real web Requests against a real folder: the renderer's files with their
// types and the CSP, and nothing outside that folder however the path is spelled.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  registerAppScheme,
} from '../../main/desktop/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../main/desktop/window-policy.js';

let root: string;
let rendererDir: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gatehouse-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Gatehouse</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(rendererDir, 'assets', 'blob.bin'), 'x');
  // Beside the renderer folder: what a traversal would be after.
  writeFileSync(join(root, 'secret.txt'), 'api-secret');
  writeFileSync(join(root, 'renderer-evil.txt'), 'sibling with a shared prefix');
  handler = appProtocolHandler(rendererDir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('appProtocolHandler', () => {
  it.each([
    ['app://gatehouse/', 'text/html; charset=utf-8', '<!doctype html><title>Gatehouse</title>'],
    ['app://gatehouse/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Gatehouse</title>'],
    [
      'app://gatehouse/index.html?x=1#/consent/k1',
      'text/html; charset=utf-8',
      '<!doctype html><title>Gatehouse</title>',
    ],
    ['app://gatehouse/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://gatehouse/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://gatehouse/assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ['app://gatehouse/assets/blob.bin', 'application/octet-stream', 'x'],
  ])('serves %s as %s', async (url, type, body) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(body);
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://gatehouse/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    'app://gatehouse/../secret.txt',
    'app://gatehouse/%2e%2e/secret.txt',
    'app://gatehouse/..%2fsecret.txt',
    'app://gatehouse/..%5csecret.txt',
    'app://gatehouse/assets/..%2f..%2fsecret.txt',
    'app://gatehouse/%2e%2e%2fsecret.txt',
    'app://gatehouse/..%252fsecret.txt',
    'app://gatehouse/%00index.html',
    'app://gatehouse/index.html%00.js',
    'app://gatehouse/..%2frenderer-evil.txt',
    'app://gatehouse/assets',
    'app://gatehouse/missing.js',
    'app://other/index.html',
    'app://gatehouse.evil/index.html',
  ])('refuses %s with 404 and no file content', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toContain('api-secret');
    expect(text).not.toContain('shared prefix');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses a path that is not valid percent-encoding', async () => {
    const response = await get('app://gatehouse/%E0%A4%A.js');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('The path is not valid percent-encoding.');
  });

  it.each(['POST', 'PUT', 'DELETE'])('refuses %s with 405', async (method) => {
    const response = await get('app://gatehouse/index.html', method);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says how to build the window when the renderer is not built', async () => {
    const missing = join(root, 'not-built');
    const response = await appProtocolHandler(missing)(new Request('app://gatehouse/index.html'));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(
      `The Gatehouse window is not built: ${join(missing, 'index.html')} is missing. Build it with npm run build.`,
    );
  });
});

describe('registerAppScheme', () => {
  it('registers app:// as standard and secure, without bypassing CSP or service workers', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => void registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'app', privileges: { ...APP_SCHEME_PRIVILEGES } }]);
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
      codeCache: true,
    });
  });
});
