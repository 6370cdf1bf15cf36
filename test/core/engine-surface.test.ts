// The Engine's public surface stays what the shells use: a new public member fails here
// and has to be argued for; its parts are reached through engineParts() by tests only (lint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/core/engine/engine.js';
import { engineParts } from '../../main/core/engine/engine-parts.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(async () => fixture.stop());

describe("the Engine's public surface", () => {
  it('is start, call, subscribe, stop, issuer, mcpUrl and port', () => {
    const { engine } = fixture;
    expect(
      Object.getOwnPropertyNames(Engine).filter((name) => !['length', 'name', 'prototype'].includes(name)),
    ).toEqual(['start']);
    expect(Object.getOwnPropertyNames(Engine.prototype).sort()).toEqual([
      'call',
      'constructor',
      'stop',
      'subscribe',
    ]);
    expect(Object.keys(engine).sort()).toEqual(['issuer', 'mcpUrl', 'port']);
    expect(engine.mcpUrl).toBe(`${engine.issuer}/mcp`);
    expect(engine.issuer).toBe(`http://127.0.0.1:${engine.port}`);
  });

  it('keeps its parts where only engineParts() reaches them', () => {
    const { engine } = fixture;
    expect((engine as unknown as Record<string, unknown>).audit).toBeUndefined();
    expect(engineParts(engine).issuer).toBe(engine.issuer);
    expect(() => engineParts({})).toThrow('not an engine made by Engine.start');
  });
});
