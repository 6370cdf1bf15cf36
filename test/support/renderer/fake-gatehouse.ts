// A fake engine for renderer tests: in-memory state behind the real contract. Every call goes through
// the engine's own `dispatch`, so inputs are parsed by the contract's schemas exactly as the engine
// parses them (a wrong input fails here as it would there), and handlers emit the events the engine
// emits. Tests read `calls` to see what the UI sent, and `emit` to push events. The operations are
// faked one domain per file (fake-access, fake-connectors, fake-client-setup, and fake-catalog for the
// tests that install it); status, settings, rules and the audit log are here.
import {
  operations,
  type EngineEvent,
  type OperationName,
  type OperationOutput,
} from '@core/api/contract.js';
import { dispatch, type OperationHandlers } from '@core/operations/engine-api.js';
import { GatehouseError, isGatehouseError } from '@core/errors.js';
import { rulesMatchingNothing } from '@core/policy/rule-reach.js';
import { parseRules, withRuleIds } from '@core/policy/rules.js';
import { ApiError, type GatehouseApi } from '../../../renderer/src/api/gatehouse-api.js';
import { accessOperations } from './fake-access.js';
import { setupOperations } from './fake-client-setup.js';
import { connectorOperations } from './fake-connectors.js';
import { initialState, type FakeOperations, type FakeState } from './fake-state.js';
import { NOW } from './fake-views.js';

/** The home folder the fake's rules expand `~` to. */
const HOME = '/home/me';

/** status.get, settings.*, access.*, rules.* and audit.list. */
const engineOperations: FakeOperations = (s, emit) => {
  const pause = (paused: boolean) => () => {
    s.settings = { ...s.settings, paused };
    emit({ type: 'settings.changed' });
    return { paused };
  };
  return {
    'status.get': () => ({
      version: '0.1.0',
      pid: 1,
      mcpUrl: `http://127.0.0.1:${s.settings.port}/mcp`,
      issuer: `http://127.0.0.1:${s.settings.port}`,
      uiUrl: null,
      dataDir: '/tmp/gatehouse',
      paused: s.settings.paused,
      accessCeiling: s.settings.accessCeiling,
      registrationPolicy: s.settings.registrationPolicy,
      clients: s.clients.length,
      connectedClients: s.clients.filter((one) => one.openSessions > 0).length,
      openSessions: s.clients.reduce((sum, one) => sum + one.openSessions, 0),
      pendingConsents: s.consents.length,
      pendingRegistrations: s.registrations.length,
      pendingApprovals: s.approvals.length,
      heldForReview: s.connectors.reduce((sum, c) => sum + c.heldTools + c.heldItems, 0),
      connectors: s.connectors.length,
      connectorsNeedingAction: s.connectors.filter((one) => one.status.auth === 'action-required').length,
      startedAt: NOW - 3_600_000,
      secretProtection: s.secretProtection,
    }),
    'settings.get': () => s.settings,
    'settings.set': (patch) => {
      s.settings = { ...s.settings, ...patch };
      emit({ type: 'settings.changed' });
      return s.settings;
    },
    'access.pause': pause(true),
    'access.resume': pause(false),
    'rules.list': () => s.rules,
    // The engine's own rule code: ids made up where missing, every rule checked, nothing saved if one
    // is wrong; and the rules that match nothing, against the fake's connectors and tools.
    'rules.set': ({ rules }) => {
      const { rules: named, madeUp } = withRuleIds(rules);
      const parsed = parseRules(named, { home: HOME, madeUpIds: madeUp });
      if (!parsed.ok)
        throw new GatehouseError('bad_request', `The rules were not saved: ${parsed.errors.join('; ')}`);
      s.rules = named as Array<Record<string, unknown>>;
      return s.rules;
    },
    'rules.problems': () => {
      const parsed = parseRules(s.rules, { home: HOME });
      return parsed.ok
        ? rulesMatchingNothing(parsed.rules, {
            connectors: s.connectors.map((connector) => connector.name),
            toolsOf: (connector) =>
              s.tools.filter((tool) => tool.connector === connector).map((tool) => tool.name),
          })
        : [];
    },
    'audit.list': (query) =>
      s.audit
        .filter(
          (event) =>
            (!query.clientId || event.clientId === query.clientId) &&
            (!query.connector || event.connector === query.connector) &&
            (!query.tool || event.tool === query.tool) &&
            (!query.decision || event.decision === query.decision) &&
            (query.since === undefined || event.at >= query.since) &&
            (query.until === undefined || event.at < query.until),
        )
        .sort((a, b) => b.id - a.id)
        .slice(0, query.limit),
  };
};

interface RecordedCall {
  name: OperationName;
  input: unknown;
}

export class FakeGatehouse implements GatehouseApi {
  readonly state: FakeState;
  readonly calls: RecordedCall[] = [];
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  /** Replace one operation's behaviour for a test (after the contract has parsed the input). */
  readonly overrides: Partial<Record<OperationName, (input: never) => unknown>> = {};
  /** Every operation of the contract: the fake's, or one that says the fake lacks it. */
  readonly #handlers: OperationHandlers;

  constructor(state: Partial<FakeState> = {}) {
    this.state = { ...initialState(), ...state };
    const emit = (event: EngineEvent) => this.emit(event);
    const domains = [engineOperations, accessOperations, connectorOperations, setupOperations];
    const faked: Partial<OperationHandlers> = Object.assign({}, ...domains.map((d) => d(this.state, emit)));
    const missing = (name: string) => () => {
      throw new Error(`The fake Gatehouse does not implement ${name}`);
    };
    this.#handlers = Object.fromEntries(
      Object.keys(operations).map((name) => [name, faked[name as OperationName] ?? missing(name)]),
    ) as OperationHandlers;
  }

  callsTo(name: OperationName): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input);
  }

  emit(event: EngineEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
    this.calls.push({ name, input });
    await Promise.resolve();
    try {
      const handlers = { ...this.#handlers, ...this.overrides } as OperationHandlers;
      const answer = await dispatch(handlers, name, input);
      // What the engine's contract does not allow it to send, the fake may not send either.
      const checked = operations[name].output.safeParse(answer);
      if (!checked.success)
        throw new Error(`The fake's answer to ${name} breaks the contract: ${checked.error}`);
      return answer as OperationOutput<N>;
    } catch (error) {
      if (isGatehouseError(error)) throw new ApiError(error.code, error.message);
      throw error;
    }
  }
}
