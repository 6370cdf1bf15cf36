// Serves the renderer (dist/renderer/) on app://gatehouse/. A web-standard Request → Response
// handler for Electron's protocol.handle, so tests call it with real Requests and no Electron. Only
// files under the renderer folder, only GET and HEAD, every answer with the CSP and nosniff.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './window-policy.js';

/** The part of Electron's `protocol` module this uses. */
export interface ProtocolModule {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/**
 * `standard` gives the scheme real origins and relative URLs; `secure` makes it a secure context;
 * `supportFetchAPI` and `corsEnabled` let module scripts (Vite's output) load from it. Not granted:
 * bypassCSP, service workers, streaming, extensions. Must run before the app is ready.
 * @internal Exported for its tests only: the scheme's privileges, checked without Electron.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  codeCache: true,
} as const;

/** Registers `app://` as a privileged (standard, secure) scheme; Electron requires it before `ready`. */
export function registerAppScheme(protocol: Pick<ProtocolModule, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

/** The protocol handler for app://gatehouse/, serving files under `rendererDir`. */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return answer(405, 'Only GET and HEAD are served here.', { allow: 'GET, HEAD' });
    }
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
      return answer(404, 'Not found.');
    }
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      return answer(400, 'The path is not valid percent-encoding.');
    }
    // A decoded path with a NUL, a backslash or a dot segment is not one of our files; refusing
    // these outright beats trusting path.resolve to normalise them safely on every OS.
    if (/[\0\\]/.test(relative) || relative.split('/').some((part) => part === '..' || part === '.')) {
      return answer(404, 'Not found.');
    }
    if (relative === '/' || relative === '') relative = '/index.html';
    const file = resolve(root, `.${relative}`);
    if (!file.startsWith(root + sep)) return answer(404, 'Not found.');
    try {
      if (!(await stat(file)).isFile()) return answer(404, 'Not found.');
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: {
          'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
          ...SECURITY_HEADERS,
        },
      });
    } catch {
      if (relative === '/index.html') {
        return answer(
          404,
          `The Gatehouse window is not built: ${file} is missing. Build it with npm run build.`,
        );
      }
      return answer(404, 'Not found.');
    }
  };
}

function answer(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  });
}
