// The Gatehouse engine: storage, the authorization server, the MCP endpoint and the local API behind
// one loopback HTTP server. Plain Node — the desktop shell and the headless CLI both run it, handing
// in their own effects (vault, opener, notifier, preferences). Its parts are composed once
// (compose-engine.ts); this file is its lifecycle: what start opens and begins, and the order stop
// closes it in.
import { join } from 'node:path';
import type { EngineEvent, OperationName, OperationOutput, OperationInput } from '../api/contract.js';
import type { Surface } from '../operations/engine-api.js';
import { routeRequest } from './routes.js';
import { GatehouseError } from '../errors.js';
import { sendText } from '../http/http-io.js';
import { startLoopbackServer, type LoopbackServer } from '../http/loopback-server.js';
import { clientMetadataUrlRefusal } from '../connectors/oauth/protocol.js';
import { openDatabase } from '../store/database.js';
import { resealOutdatedSecrets } from '../store/outdated-secrets.js';
import { Settings } from '../store/settings-store.js';
import { DATABASE_FILE, removeEngineRecord, writeEngineRecord } from './engine-record.js';
import type { EngineOptions } from './engine-options.js';
import { claimDataDir, explicitLegacyGrants, reapLeftoverConnectors } from './engine-startup.js';
import { composeEngine } from './compose-engine.js';
import { registerEngineParts, type EngineParts } from './engine-parts.js';
import { loadApiSecret, loadSecrets } from './engine-secrets.js';
import { startSweeps } from './periodic-sweeps.js';

/**
 * One running Gatehouse: the stores, the authorization server, the MCP endpoint and gateway, the
 * connectors and the local API behind one loopback port. Made by `Engine.start`; every trusted
 * surface drives it through `call` (the contract) and hears it through `subscribe`. Its parts are
 * private: a shell holds only where it listens, `call`, `subscribe` and `stop` (engine-parts.ts).
 */
export class Engine {
  readonly issuer: string;
  readonly mcpUrl: string;
  readonly port: number;
  /** Everything it is made of (engine-parts.ts), for its lifecycle, its routes and tests. */
  readonly #parts: EngineParts;
  #stopSweeps: (() => void) | undefined;
  #server: LoopbackServer | undefined;
  #stopped = false;

  private constructor(parts: EngineParts) {
    this.#parts = parts;
    this.issuer = parts.issuer;
    this.mcpUrl = parts.mcpUrl;
    this.port = parts.port;
    registerEngineParts(this, parts);
  }

  /** Opens the data directory and database, binds the port, and starts serving. */
  static async start(options: EngineOptions): Promise<Engine> {
    const metadataUrlRefusal =
      options.upstreamClientMetadataUrl === undefined
        ? undefined
        : clientMetadataUrlRefusal(options.upstreamClientMetadataUrl);
    if (metadataUrlRefusal) throw new GatehouseError('bad_request', metadataUrlRefusal);
    claimDataDir(options.dataDir);
    const database = openDatabase(join(options.dataDir, DATABASE_FILE));
    const auditDatabase = openDatabase(join(options.dataDir, DATABASE_FILE), 'normal');
    let engine: Engine | undefined;
    let server: LoopbackServer | undefined;
    try {
      const port = options.port ?? new Settings(options.preferences).get().port;
      // Before anything reads a secret: those an earlier vault format holds are read once, here.
      await resealOutdatedSecrets(database, options.effects.vault, options.effects.logger);
      const secrets = loadSecrets(database, options.effects);
      const apiSecret = loadApiSecret(options.dataDir, options.effects);
      // Bind first: the issuer URL embeds the port, and port 0 (tests) is only known once bound.
      server = await startLoopbackServer(
        port,
        async (req, res) => {
          if (engine) return routeRequest(engine.#parts, req, res);
          sendText(res, 503, 'Gatehouse is starting; try again in a moment.\n');
        },
        options.effects.logger,
        {
          onRefused: (reason, req) =>
            engine &&
            engine.#parts.audit.record({
              type: 'http.request_refused',
              decision: 'deny',
              reason,
              detail: { method: req.method, path: req.url?.split('?')[0] },
            }),
          ...(options.httpTimeouts ? { timeouts: options.httpTimeouts } : {}),
        },
      );
      const trees = await reapLeftoverConnectors(
        options.dataDir,
        options.effects.logger,
        options.effects.clock,
      );
      engine = new Engine(
        composeEngine({ options, database, auditDatabase, port: server.port, apiSecret, secrets, trees }),
      );
      engine.#begin(server);
      return engine;
    } catch (error) {
      await server?.close();
      database.close();
      auditDatabase.close();
      throw error;
    }
  }

  /**
   * Calls a contract operation (validating its input) — the path every trusted surface takes; the
   * app's window by default (the HTTP API names the command line or the browser).
   */
  async call<N extends OperationName>(
    name: N,
    input?: OperationInput<N>,
    surface?: Surface,
  ): Promise<OperationOutput<N>> {
    return this.#parts.call(name, input, surface);
  }

  /** Hears every engine event (SSE, IPC, the tray); returns the function that stops listening. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.#parts.subscribe(listener);
  }

  /** Stops serving and closes everything, in order: streams, sessions, connectors, the port, storage. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const parts = this.#parts;
    this.#stopSweeps?.();
    parts.api.closeStreams();
    await parts.mcp.closeAll();
    parts.gateway.close();
    await parts.connectors.stopAll();
    await parts.outbound.close();
    await parts.sandbox.close();
    // Waits for a forgetting of unused registrations under way: it writes to the database.
    await parts.authorization.close();
    await this.#server?.close();
    parts.clients.flushLastUsed();
    parts.audit.close();
    parts.database.close();
    parts.auditDatabase.close();
    removeEngineRecord(parts.dataDir);
  }

  #begin(server: LoopbackServer): void {
    this.#server = server;
    const parts = this.#parts;
    writeEngineRecord(parts.dataDir, {
      pid: process.pid,
      port: server.port,
      version: parts.version,
      startedAt: parts.startedAt,
    });
    this.#stopSweeps = startSweeps(parts);
    explicitLegacyGrants(parts.connectorStore, parts.sandbox.place, parts.audit);
    // What an earlier Gatehouse left of its sandboxes goes before a server starts.
    const reaped = parts.sandbox.reapLeftovers(parts.connectorStore.list().map((record) => record.name));
    if (reaped.length > 0) parts.logger.info('removed what earlier sandboxes left', { removed: reaped });
    parts.connectors.startAll();
    parts.audit.record({
      type: 'engine.started',
      decision: 'info',
      reason: `Gatehouse ${parts.version} listening on 127.0.0.1:${server.port}`,
    });
  }
}
