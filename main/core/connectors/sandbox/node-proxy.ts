// A sandboxed server reaches the network only through its proxy (sandbox-network.ts), and Node reads
// the proxy variables only from 22.21 (24.5 on 24) and only when NODE_USE_ENV_PROXY is set, which
// also prints an "EnvHttpProxyAgent is experimental" warning into the server's output. So Gatehouse
// looks at the Node a server runs on: a new one gets NODE_USE_ENV_PROXY with that one warning
// switched off; Node 18 to 22.20 gets a preload (below, no dependencies) that sends http, https and
// fetch through the proxy; an older one is named in one line at start, with what to do.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

/** What a Node server's environment needs to reach its proxy, or why it cannot. */
export interface NodeProxySetup {
  env: Record<string, string>;
  /** One line for the server's output and its status, when its Node cannot use the proxy. */
  problem: string | null;
}

const versions = new Map<string, string | null>();

/** The version of the Node at `file` ("22.23.3"), asked once per binary; null when it does not answer. */
function nodeVersion(file: string): string | null {
  let key: string;
  try {
    const stat = statSync(file);
    key = `${file}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
  if (!versions.has(key)) {
    let version: string | null;
    try {
      version = execFileSync(file, ['-p', 'process.versions.node'], {
        encoding: 'utf8',
        timeout: 5_000,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      version = null;
    }
    versions.set(key, version && /^\d+\.\d+\.\d+/.test(version) ? version : null);
  }
  return versions.get(key) ?? null;
}

const atLeast = (version: string, major: number, minor: number) => {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

/** Whether this Node sends its requests through HTTP(S)_PROXY when NODE_USE_ENV_PROXY is set. */
function readsProxyVariables(version: string): boolean {
  const major = Number(version.split('.')[0]);
  if (major === 22) return atLeast(version, 22, 21);
  if (major === 24) return atLeast(version, 24, 5);
  return major >= 25;
}

/** The Node a launch runs: the command itself, or the `node` its PATH finds first (npx, a script). */
function nodeOf(resolved: string, pathValue: string): string | null {
  if (/^node(js)?(\.exe)?$/.test(path.basename(resolved))) return resolved;
  for (const dir of pathValue.split(':').filter(Boolean)) {
    const full = path.join(dir, 'node');
    try {
      if (statSync(full).isFile()) return full;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The variables that send a Node server's requests through its proxy (with `preload`, the file the
 * preload below is written to), or the line that says why they cannot. A launch with no Node on its
 * PATH needs nothing. `inherited` is the NODE_OPTIONS the connector sets, kept after Gatehouse's.
 */
export function nodeProxySetup(
  name: string,
  launch: { resolved: string; pathValue: string },
  preload: string,
  inherited: string | undefined,
): NodeProxySetup {
  const node = nodeOf(launch.resolved, launch.pathValue);
  if (node === null) return { env: {}, problem: null };
  const version = nodeVersion(node);
  const options = (own: string) => ({ NODE_OPTIONS: inherited ? `${own} ${inherited}` : own });
  if (version !== null && readsProxyVariables(version)) {
    return { env: { NODE_USE_ENV_PROXY: '1', ...options('--disable-warning=UNDICI-EHPA') }, problem: null };
  }
  if (version !== null && Number(version.split('.')[0]) >= 18) {
    return { env: options(`--require ${JSON.stringify(preload)}`), problem: null };
  }
  return {
    env: {},
    problem: `${name} runs on ${version ? `Node ${version}` : `a Node that did not say its version (${node})`}, which cannot send its requests through the sandbox's proxy, so it reaches no host. Install Node 18 or newer (22.21 or newer is best) and put it first on your PATH, or give the connector the full path of a newer node.`,
  };
}

/**
 * The preload for Node 18 to 22.20 (CommonJS, no dependencies): http and https requests go through a
 * CONNECT tunnel to the proxy, and fetch through a dispatcher built on them (Node's fetch reads its
 * global dispatcher from the symbol undici registers). Hosts on NO_PROXY are dialed directly (inside
 * the sandbox that is its own loopback, where granted local services are relayed).
 */
export const NODE_PROXY_PRELOAD = String.raw`'use strict';
// Gatehouse's sandbox: this Node's http, https and fetch requests go through the sandbox's proxy.
(() => {
  const proxyUrl = process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy;
  if (!proxyUrl) return;
  const net = require('net');
  const tls = require('tls');
  const http = require('http');
  const https = require('https');
  const proxy = new URL(proxyUrl);
  const proxyPort = Number(proxy.port || 80);
  const proxyAuth = proxy.username
    ? 'Basic ' + Buffer.from(decodeURIComponent(proxy.username) + ':' + decodeURIComponent(proxy.password)).toString('base64')
    : null;
  const noProxy = (process.env.NO_PROXY || process.env.no_proxy || '')
    .split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  const direct = (host) => {
    const name = String(host).replace(/^\[|\]$/g, '').toLowerCase();
    return noProxy.some((entry) => entry === '*' || name === entry ||
      (entry.startsWith('.') ? name.endsWith(entry) : name.endsWith('.' + entry)));
  };
  const tunnel = (host, port, done) => {
    const socket = net.connect(proxyPort, proxy.hostname);
    let head = Buffer.alloc(0);
    const fail = (error) => { socket.destroy(); done(error); };
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      socket.off('error', fail);
      const status = /^HTTP\/1\.[01] (\d{3})(.*)/.exec(head.subarray(0, end).toString('latin1'));
      if (!status || status[1] !== '200') {
        const error = new Error('The sandbox refused a connection to ' + host + ':' + port + (status ? ' (' + status[1] + status[2] + ')' : ''));
        error.code = 'ECONNREFUSED';
        return fail(error);
      }
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      done(null, socket);
    };
    socket.on('data', onData);
    socket.on('error', fail);
    const authority = (net.isIP(host) === 6 ? '[' + host + ']' : host) + ':' + port;
    socket.write('CONNECT ' + authority + ' HTTP/1.1\r\nHost: ' + authority + '\r\n' +
      (proxyAuth ? 'Proxy-Authorization: ' + proxyAuth + '\r\n' : '') + '\r\n');
  };
  const tunnelling = (Base, secure) => {
    // No keep-alive: an idle tunnel under a TLS socket would hold the process open at its end.
    const agent = new Base({ keepAlive: false });
    const own = agent.createConnection.bind(agent);
    agent.createConnection = (options, callback) => {
      const host = String(options.host || options.hostname || 'localhost').replace(/^\[|\]$/g, '');
      const port = Number(options.port) || (secure ? 443 : 80);
      if (direct(host)) return own(options, callback);
      tunnel(host, port, (error, socket) => {
        if (error) return callback(error);
        if (!secure) return callback(null, socket);
        callback(null, tls.connect({ ...options, socket, servername: options.servername || (net.isIP(host) ? undefined : host) }));
      });
      return undefined;
    };
    return agent;
  };
  http.globalAgent = tunnelling(http.Agent, false);
  https.globalAgent = tunnelling(https.Agent, true);
  const headerList = (headers) => {
    const out = {};
    const add = (key, value) => {
      if (value === undefined) return;
      const k = String(key);
      out[k] = out[k] === undefined ? String(value) : [].concat(out[k], String(value));
    };
    if (Array.isArray(headers)) {
      if (Array.isArray(headers[0])) for (const [k, v] of headers) add(k, v);
      else for (let i = 0; i + 1 < headers.length; i += 2) add(headers[i], headers[i + 1]);
    } else if (headers) for (const [k, v] of Object.entries(headers)) add(k, v);
    return out;
  };
  const dispatcher = {
    dispatch(opts, handler) {
      const url = new URL(opts.path, opts.origin);
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(url, {
        method: opts.method,
        headers: headerList(opts.headers),
        agent: secure ? https.globalAgent : http.globalAgent,
      });
      let done = false;
      const fail = (error) => { if (!done) { done = true; if (handler.onError) handler.onError(error); } };
      if (handler.onConnect) handler.onConnect((error) => { fail(error || new Error('aborted')); request.destroy(); });
      request.on('error', fail);
      request.on('response', (response) => {
        const raw = response.rawHeaders.map((part) => Buffer.from(part, 'latin1'));
        if (handler.onHeaders && handler.onHeaders(response.statusCode, raw, () => response.resume(), response.statusMessage) === false) response.pause();
        response.on('data', (chunk) => { if (handler.onData && handler.onData(chunk) === false) response.pause(); });
        response.on('end', () => { if (!done) { done = true; if (handler.onComplete) handler.onComplete([]); } });
        response.on('error', fail);
      });
      const body = opts.body;
      if (body === null || body === undefined) request.end();
      else if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) request.end(body);
      else (async () => { for await (const chunk of body) request.write(chunk); request.end(); })().catch(fail);
      return true;
    },
    close() { return Promise.resolve(); },
    destroy() { return Promise.resolve(); },
  };
  globalThis[Symbol.for('undici.globalDispatcher.1')] = dispatcher;
})();
`;
