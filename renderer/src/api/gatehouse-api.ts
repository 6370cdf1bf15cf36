// The renderer's one door to the engine: the same contract (main/core/api/contract.ts) whether the UI
// runs in the desktop app (over the preload bridge) or in a browser against `gatehouse serve` (over
// HTTP with the UI cookie). Stores and components depend on this interface only, so tests pass a fake.
import type { EngineEvent, OperationInput, OperationName, OperationOutput } from '@core/api/contract.js';

export interface GatehouseApi {
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  /** Pushed engine events; returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** An error the engine answered with: a stable code and a sentence for the user. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}
