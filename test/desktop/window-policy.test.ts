// The windows' security policy as values: every webPreferences switch, the CSP (parsed, not just
// compared as a string), the navigation and new-window decisions, and the header rewrite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  appUrl,
  CONTENT_SECURITY_POLICY,
  decisionWindowOptions,
  isAppUrl,
  mainWindowOptions,
  navigationAllowed,
  newWindowDecision,
  routes,
  webPreferences,
  withContentSecurityPolicy,
} from '../../main/desktop/window-policy.js';

const PRELOAD = '/app/dist/preload/preload.cjs';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The CSP as directive → sources. */
function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(directives.has(name), `directive ${name} appears once`).toBe(false);
    directives.set(name, sources);
  }
  return directives;
}

describe('webPreferences', () => {
  it('isolates, sandboxes and strips Node from every window', () => {
    expect(webPreferences({ preload: PRELOAD, devTools: false })).toEqual({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it.each([
    ['main', mainWindowOptions],
    ['decision', decisionWindowOptions],
  ] as const)('the %s window uses exactly those preferences and starts hidden', (_name, options) => {
    const built = options({ preload: PRELOAD, devTools: true });
    expect(built.webPreferences).toEqual(webPreferences({ preload: PRELOAD, devTools: true }));
    expect(built.show).toBe(false);
  });

  it('the decision window stays in front and cannot be minimised out of sight', () => {
    const options = decisionWindowOptions({ preload: PRELOAD, devTools: false });
    expect(options).toMatchObject({ alwaysOnTop: true, minimizable: false, fullscreenable: false });
    expect(mainWindowOptions({ preload: PRELOAD, devTools: false })).not.toHaveProperty('alwaysOnTop');
  });

  it('the main window keeps its menu bar (Quit, Pause, Copy MCP URL) in sight on Windows and Linux', () => {
    expect(mainWindowOptions({ preload: PRELOAD, devTools: false }).autoHideMenuBar).toBe(false);
    expect(decisionWindowOptions({ preload: PRELOAD, devTools: false }).autoHideMenuBar).toBe(true);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it('is exactly this policy', () => {
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'connect-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('says what the renderer’s own meta tag says, plus frame-ancestors', () => {
    const page = readFileSync(join(repoRoot, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page);
    expect(meta, 'renderer/index.html has a CSP meta tag').not.toBeNull();
    const fromMeta = Object.fromEntries(parseCsp(meta![1]!));
    const { 'frame-ancestors': frameAncestors, ...rest } = Object.fromEntries(csp);
    expect(rest).toEqual(fromMeta);
    expect(frameAncestors).toEqual(["'none'"]);
  });

  it('allows no eval, no inline code and no remote host anywhere', () => {
    for (const [directive, sources] of csp) {
      for (const source of sources) {
        expect(source, `${directive} ${source}`).not.toMatch(/unsafe|\*|https?:|wss?:|blob:|nonce|sha\d/);
        // Quoted keywords, or the data: scheme for images only.
        if (source === 'data:') expect(directive).toBe('img-src');
        else expect(["'self'", "'none'"]).toContain(source);
      }
    }
  });
});

describe('withContentSecurityPolicy', () => {
  it('replaces a CSP in any letter case and keeps the other headers', () => {
    expect(
      withContentSecurityPolicy({
        'content-type': ['text/html'],
        'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
        'Content-Security-Policy': ['default-src https:'],
        'CONTENT-SECURITY-POLICY-REPORT-ONLY': ['default-src *'],
      }),
    ).toEqual({
      'content-type': ['text/html'],
      'CONTENT-SECURITY-POLICY-REPORT-ONLY': ['default-src *'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('adds the CSP when a response has no headers at all', () => {
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});

describe('navigation', () => {
  it.each([
    ['app://gatehouse/index.html', true],
    ['app://gatehouse/index.html#/consents/abc', true],
    ['app://gatehouse/assets/index-1234.js', true],
    ['app://evil/index.html', false],
    ['app://gatehouse.evil.example/index.html', false],
    ['app://user@gatehouse/index.html', false],
    ['app://gatehouse:8080/index.html', false],
    ['file:///etc/passwd', false],
    ['http://127.0.0.1:42830/', false],
    ['https://example.com/', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['not a url', false],
    ['', false],
  ])('%s → allowed %s', (url, allowed) => {
    expect(navigationAllowed(url)).toBe(allowed);
    expect(isAppUrl(url)).toBe(allowed);
  });
});

describe('newWindowDecision', () => {
  it.each([
    ['https://github.com/settings/tokens', true],
    ['http://example.com/', false],
    ['app://gatehouse/index.html', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['mailto:someone@example.com', false],
    ['not a url', false],
  ])('%s → deny, open in the browser: %s', (url, external) => {
    expect(newWindowDecision(url)).toEqual({ action: 'deny', openExternally: external });
  });
});

describe('routes', () => {
  it('builds app URLs with hash routes, encoding ids', () => {
    expect(appUrl()).toBe('app://gatehouse/index.html#/');
    expect(appUrl(routes.consent('k1'))).toBe('app://gatehouse/index.html#/consents/k1');
    expect(appUrl(routes.approval('a/b?c#d'))).toBe('app://gatehouse/index.html#/approvals/a%2Fb%3Fc%23d');
  });
});
