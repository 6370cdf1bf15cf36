// Runs the user's connectors: one live Upstream per enabled connector, started with the engine,
// restarted on edit, stopped on disable, delete and quit. Keeps the tool store in step with each
// upstream's offering (pinning new tools, holding changed ones) and tells listeners what changed.
// First sight loads on first need (policy/first-sight-loader.ts): a connector's event that brings
// something to judge (a new tool; a prompt, resource, template or instructions not recorded clean for
// its exact definition, gateway/held-items.ts) waits for the load before the tool store syncs what
// needed judging and listeners are told, and its later events wait in line behind it; everything else
// is synced and told at once, as before. Each complete listing of a connector's lists is passed on as
// it comes (`listed`: first sight's clean and told records forget the items it no longer holds).
import type { Tool } from '@modelcontextprotocol/client';
import type { Logger } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import type { ConnectorSettings } from '../../api/connector-config.js';
import type { FirstSightLoader } from '../../policy/first-sight-loader.js';
import type { ConnectorRecord, ConnectorStore } from '../../store/connector-store.js';
import type { ToolStore, ToolSyncHooks, ToolSyncResult } from '../../store/tool-store.js';
import {
  idleStatus,
  type CompleteLists,
  type Upstream,
  type UpstreamOffering,
  type UpstreamStatus,
} from './upstream.js';

/**
 * Whether first sight must judge some of a connector's prompts, resources, templates or instructions:
 * one not judged in this run nor recorded clean for its exact definition (HeldItems.toJudge).
 */
export type ItemsToJudge = (
  connector: string,
  offering: Pick<UpstreamOffering, 'prompts' | 'resources' | 'resourceTemplates'>,
  instructions: string | undefined,
) => boolean;

/** Makes the live upstream for a connector's settings (injected so tests can pass fakes). */
export type UpstreamFactory = (name: string, settings: ConnectorSettings) => Upstream | Promise<Upstream>;

/** What the manager tells its listeners: a connector's status, offering changes, forwarded notifications. */
export type ConnectorEvent =
  | { type: 'status'; connector: string; status: UpstreamStatus }
  | { type: 'offering'; connector: string; changed: Array<'tools' | 'resources' | 'prompts'> }
  | { type: 'notification'; connector: string; method: string; params: unknown }
  /** What the connector listed waits for first sight to load: meanwhile it is shown as being checked. */
  | { type: 'checking'; connector: string }
  /** Tools held for a change to review, each with what first sight reads in the change (none: nothing new). */
  | { type: 'tools-held'; connector: string; tools: Array<{ name: string; reasons: string[] }> }
  | {
      type: 'tools-held-on-first-sight';
      connector: string;
      tools: Array<{ name: string; reasons: string[] }>;
    };

const emptyOffering: UpstreamOffering = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

/** The user's connectors at run time: one live upstream per enabled connector, kept in step with the store. */
export class ConnectorManager {
  readonly #store: ConnectorStore;
  readonly #tools: ToolStore;
  readonly #createUpstream: UpstreamFactory;
  readonly #toolHooks: ToolSyncHooks;
  readonly #firstSight: Pick<FirstSightLoader, 'settled' | 'load'>;
  readonly #itemsToJudge: ItemsToJudge;
  readonly #listed: (connector: string, lists: CompleteLists) => void;
  readonly #logger: Logger;
  readonly #running = new Map<string, { upstream: Upstream; unsubscribe: () => void }>();
  readonly #listeners = new Set<(event: ConnectorEvent) => void>();
  readonly #starting = new Set<string>();
  /** Per connector, its last event still waiting (for first sight to load, or behind one that does). */
  readonly #waiting = new Map<string, Promise<void>>();
  // The stderr of connectors that were added, did not start and were not kept, newest last, so the
  // add dialog and the CLI can still show all of it (at most 16 names; gone when the name is added).
  readonly #notKeptStderr = new Map<string, string[]>();

  readonly #onEdited: ((name: string) => Promise<void>) | undefined;
  readonly #onRemoved: ((name: string) => Promise<void>) | undefined;
  readonly #removed: ((name: string) => void) | undefined;

  constructor(options: {
    store: ConnectorStore;
    tools: ToolStore;
    createUpstream: UpstreamFactory;
    toolHooks: ToolSyncHooks;
    /** First sight's load, which a listing with something to judge waits for. */
    firstSight: Pick<FirstSightLoader, 'settled' | 'load'>;
    /** Whether a listing's prompts, resources, templates or instructions bring something to judge. */
    itemsToJudge: ItemsToJudge;
    /**
     * Told each listing's complete lists (every page; not a failed listing, nor a list the server does
     * not offer), changed or not.
     */
    listed: (connector: string, lists: CompleteLists) => void;
    logger: Logger;
    /** Called after a connector's settings change and before it restarts (e.g. to drop its OAuth client). */
    onEdited?: (name: string) => Promise<void>;
    /** Called when a connector is removed, before its secrets are deleted. */
    onRemoved?: (name: string) => Promise<void>;
    /**
     * Called once a connector is removed, its rows gone (by cascade): what is kept of it beside them
     * goes too (memory, files, rows with no foreign key to it: its sandbox's scratch folder and record,
     * its "always allow" answers), so one added later under the same name starts with nothing of it.
     * On every removal, also of a connector that did not start and was not kept (`removeNotKept`).
     */
    removed?: (name: string) => void;
  }) {
    this.#onEdited = options.onEdited;
    this.#onRemoved = options.onRemoved;
    this.#removed = options.removed;
    this.#store = options.store;
    this.#tools = options.tools;
    this.#createUpstream = options.createUpstream;
    this.#toolHooks = options.toolHooks;
    this.#firstSight = options.firstSight;
    this.#itemsToJudge = options.itemsToJudge;
    this.#listed = options.listed;
    this.#logger = options.logger;
  }

  /** Starts every enabled connector without waiting for them to connect. */
  startAll(): void {
    for (const record of this.#store.list()) if (record.enabled) void this.#start(record);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((name) => this.#stop(name)));
  }

  on(listener: (event: ConnectorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The live upstream of a connector, if it is enabled and running. */
  upstream(name: string): Upstream | undefined {
    return this.#running.get(name)?.upstream;
  }

  status(record: ConnectorRecord): UpstreamStatus {
    if (!record.enabled) return idleStatus('disabled');
    return this.#running.get(record.name)?.upstream.status() ?? idleStatus('stopped');
  }

  offering(name: string): UpstreamOffering {
    return this.#running.get(name)?.upstream.offering() ?? emptyOffering;
  }

  /** Names of connectors that are enabled (whatever their connection state). */
  enabledNames(): string[] {
    return this.#store
      .list()
      .filter((record) => record.enabled)
      .map((record) => record.name);
  }

  async add(name: string, settings: ConnectorSettings, enabled: boolean): Promise<ConnectorRecord> {
    this.#notKeptStderr.delete(name);
    const record = this.#store.add(name, settings, enabled);
    if (enabled) await this.#start(record);
    return record;
  }

  async edit(name: string, settings: ConnectorSettings): Promise<ConnectorRecord> {
    const record = this.#store.edit(name, settings);
    await this.#stop(name);
    await this.#onEdited?.(name);
    if (record.enabled) await this.#start(record);
    return record;
  }

  async setEnabled(name: string, enabled: boolean): Promise<ConnectorRecord> {
    const record = this.#store.setEnabled(name, enabled);
    if (enabled && !this.#running.has(name)) await this.#start(record);
    if (!enabled) await this.#stop(name);
    this.#emit({ type: 'status', connector: name, status: this.status(record) });
    return record;
  }

  async remove(name: string): Promise<void> {
    this.#store.require(name);
    await this.#stop(name);
    await this.#onRemoved?.(name);
    this.#store.remove(name);
    this.#tools.drop(name);
    this.#removed?.(name);
    this.#emit({ type: 'offering', connector: name, changed: ['tools', 'resources', 'prompts'] });
  }

  /** Removes a connector that was just added and did not start, keeping its stderr to show (`notKeptStderr`). */
  async removeNotKept(name: string): Promise<void> {
    const stderr = this.upstream(name)?.stderrTail() ?? [];
    await this.remove(name);
    this.#notKeptStderr.delete(name);
    this.#notKeptStderr.set(name, stderr);
    for (const oldest of this.#notKeptStderr.keys()) {
      if (this.#notKeptStderr.size <= 16) break;
      this.#notKeptStderr.delete(oldest);
    }
  }

  /** The stderr of a connector `removeNotKept` took back (and not added since), oldest line first. */
  notKeptStderr(name: string): string[] | undefined {
    return this.#notKeptStderr.get(name);
  }

  /** Restarts a connector (e.g. after OAuth completes). */
  async restart(name: string): Promise<void> {
    const record = this.#store.require(name);
    await this.#stop(name);
    if (record.enabled) await this.#start(record);
  }

  /**
   * Test: connects a fresh, separate upstream with the stored settings, lists its tools and stops
   * it again, so testing never disturbs the running connection.
   */
  async test(
    name: string,
    now: () => number,
  ): Promise<{ ok: boolean; latencyMs: number; toolCount: number; error: string | null }> {
    this.#store.require(name);
    const upstream = await this.#createUpstream(name, this.#store.unsealed(name));
    const started = now();
    try {
      await upstream.start();
      const status = upstream.status();
      const latencyMs = now() - started;
      if (status.connection !== 'connected') {
        return {
          ok: false,
          latencyMs,
          toolCount: 0,
          error: status.lastError ?? `the connection is ${status.connection}`,
        };
      }
      return { ok: true, latencyMs, toolCount: upstream.offering().tools.length, error: null };
    } finally {
      await upstream.stop();
    }
  }

  async #start(record: ConnectorRecord): Promise<void> {
    if (this.#running.has(record.name) || this.#starting.has(record.name)) return;
    this.#starting.add(record.name);
    try {
      await this.#startNow(record);
    } finally {
      this.#starting.delete(record.name);
    }
  }

  async #startNow(record: ConnectorRecord): Promise<void> {
    let upstream: Upstream;
    try {
      upstream = await this.#createUpstream(record.name, this.#store.unsealed(record.name));
    } catch (error) {
      this.#logger.error('connector could not be created', {
        connector: record.name,
        error: (error as Error).message,
      });
      throw new GatehouseError(
        'bad_request',
        `Connector ${record.name} could not be started: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const name = record.name;
    const unsubscribe = upstream.on((event) => {
      if (event.type === 'status')
        // Instructions come with the connection: they are judged before the status is told.
        void this.#inTurn(name, this.#itemsToJudge(name, emptyOffering, upstream.instructions()), () =>
          this.#emit({ type: 'status', connector: name, status: event.status }),
        );
      else if (event.type === 'listed') this.#listed(name, event.lists);
      else if (event.type === 'offering')
        void this.#offeringChanged(name, upstream, event.offering.tools, event.changed);
      else if (event.type === 'notification')
        void this.#inTurn(name, false, () =>
          this.#emit({ type: 'notification', connector: name, method: event.method, params: event.params }),
        );
    });
    this.#running.set(name, { upstream, unsubscribe });
    await upstream.start();
    const offering = upstream.offering();
    if (offering.tools.length > 0)
      void this.#offeringChanged(name, upstream, offering.tools, ['tools', 'resources', 'prompts']);
    // Started means listed and judged: what the start brought is in the tool store, and told.
    await this.#waiting.get(name);
  }

  async #stop(name: string): Promise<void> {
    const running = this.#running.get(name);
    if (!running) return;
    this.#running.delete(name);
    running.unsubscribe();
    await running.upstream.stop();
    this.#emit({ type: 'offering', connector: name, changed: ['tools', 'resources', 'prompts'] });
  }

  /**
   * A connector's offering changed: its tools are synced at once (a changed tool is held before any
   * client lists it again); what first sight must judge — new tools, prompts, resources, templates not
   * recorded clean — waits for its load, then the tools it left are synced and listeners told.
   */
  #offeringChanged(
    name: string,
    upstream: Upstream,
    tools: Tool[],
    changed: Array<'tools' | 'resources' | 'prompts'>,
  ): Promise<void> {
    const synced = changed.includes('tools') ? this.#tools.sync(name, tools, this.#toolHooks) : undefined;
    const offering = upstream.offering();
    const toJudge = (synced?.unjudged.length ?? 0) > 0 || this.#itemsToJudge(name, offering, undefined);
    return this.#inTurn(name, toJudge, () => {
      // Stopped or removed meanwhile: its tools are not written back.
      if (this.#running.get(name)?.upstream !== upstream) return;
      const result =
        synced && synced.unjudged.length > 0
          ? joined(synced, this.#tools.sync(name, tools, this.#toolHooks))
          : synced;
      if (result) this.#tellHeld(name, result);
      this.#emit({ type: 'offering', connector: name, changed });
    });
  }

  /** Tells listeners which tools a sync held: changed ones, and those held on first sight. */
  #tellHeld(name: string, result: ToolSyncResult): void {
    const held = this.#tools.of(name);
    const changed = result.held.filter((tool) => !result.heldOnFirstSight.includes(tool));
    if (changed.length > 0)
      this.#emit({
        type: 'tools-held',
        connector: name,
        tools: changed.map((tool) => ({
          name: tool,
          reasons: (held.get(tool)?.changeFindings ?? []).map((finding) => finding.reason),
        })),
      });
    if (result.heldOnFirstSight.length === 0) return;
    this.#emit({
      type: 'tools-held-on-first-sight',
      connector: name,
      tools: result.heldOnFirstSight.map((tool) => ({
        name: tool,
        reasons: (held.get(tool)?.firstSight ?? []).map((finding) => finding.reason),
      })),
    });
  }

  /**
   * Delivers a connector's event in the order its events came: at once, unless first sight must load
   * for it (`toJudge`, and not loaded yet) or an earlier event of the connector still waits. One that
   * waits for the load is told meanwhile as `checking`, so the views show what it brought as being checked.
   */
  #inTurn(name: string, toJudge: boolean, deliver: () => void): Promise<void> {
    const before = this.#waiting.get(name);
    const load = toJudge && !this.#firstSight.settled;
    if (before === undefined && !load) {
      deliver();
      return Promise.resolve();
    }
    const turn: Promise<void> = (async () => {
      await before;
      if (load) await this.#firstSight.load();
      deliver();
    })()
      .catch((error: unknown) =>
        this.#logger.warn('connector event failed', { connector: name, error: (error as Error).message }),
      )
      .finally(() => {
        if (this.#waiting.get(name) === turn) this.#waiting.delete(name);
      });
    this.#waiting.set(name, turn);
    if (load) this.#emit({ type: 'checking', connector: name });
    return turn;
  }

  #emit(event: ConnectorEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn('connector listener failed', { error: (error as Error).message });
      }
    }
  }
}

/** Two syncs of one listing as one: the one before first sight loaded, and the one after. */
function joined(before: ToolSyncResult, after: ToolSyncResult): ToolSyncResult {
  return {
    added: [...before.added, ...after.added],
    held: [...before.held, ...after.held],
    heldOnFirstSight: [...before.heldOnFirstSight, ...after.heldOnFirstSight],
    unjudged: after.unjudged,
  };
}
