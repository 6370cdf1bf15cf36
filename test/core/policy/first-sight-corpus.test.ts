// The first-sight corpus: real definitions listed by popular MCP servers from npm (collected by
// scripts/collect-tool-corpus.mjs, package and version recorded with each) and poisoned ones written
// from the public write-ups. The targets of issue 18: at least 95 % of poisoned definitions held, at
// most 2 % of real ones (the measured rates are in docs/benchmarks.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanDefinition, type FirstSightKind } from '../../../main/core/policy/first-sight.js';
import { POISONED } from '../../fixtures/first-sight/poisoned-definitions.js';
import { FIXTURES } from '../../support/paths.js';

interface RealServer {
  package: string;
  version: string;
  instructions: string | null;
  tools: unknown[];
  prompts: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
}

const real = JSON.parse(readFileSync(join(FIXTURES, 'first-sight', 'real-definitions.json'), 'utf8')) as {
  servers: RealServer[];
};

interface Scanned {
  label: string;
  kind: FirstSightKind;
  held: boolean;
  reasons: string[];
}

function scanReal(): Scanned[] {
  const out: Scanned[] = [];
  const scan = (label: string, kind: FirstSightKind, definition: unknown) => {
    const findings = scanDefinition(kind, definition);
    out.push({ label, kind, held: findings.length > 0, reasons: findings.map((f) => f.reason) });
  };
  for (const server of real.servers) {
    const from = `${server.package}@${server.version}`;
    for (const tool of server.tools) scan(`${from} tool ${(tool as { name: string }).name}`, 'tool', tool);
    for (const prompt of server.prompts)
      scan(`${from} prompt ${(prompt as { name: string }).name}`, 'prompt', prompt);
    for (const resource of server.resources)
      scan(`${from} resource ${(resource as { uri: string }).uri}`, 'resource', resource);
    for (const template of server.resourceTemplates)
      scan(
        `${from} template ${(template as { uriTemplate: string }).uriTemplate}`,
        'resource-template',
        template,
      );
    if (server.instructions) scan(`${from} instructions`, 'instructions', server.instructions);
  }
  return out;
}

const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;

describe('the first-sight corpus', () => {
  it('holds at least 95 % of poisoned definitions and at most 2 % of real ones', () => {
    const realScans = scanReal();
    const tools = realScans.filter((s) => s.kind === 'tool');
    expect(tools.length).toBeGreaterThanOrEqual(300);
    const realHeld = realScans.filter((s) => s.held);
    const poisonedMissed = POISONED.filter((p) => scanDefinition(p.kind, p.definition).length === 0);
    const realRate = percent(realHeld.length, realScans.length);
    const poisonedRate = percent(POISONED.length - poisonedMissed.length, POISONED.length);
    console.info(
      [
        `real: ${realScans.length} definitions (${tools.length} tools) from ${real.servers.length} servers; held ${realHeld.length} (${realRate} %)`,
        ...realHeld.map((s) => `  held real: ${s.label}: ${s.reasons.join(' | ')}`),
        `poisoned: ${POISONED.length}; held ${POISONED.length - poisonedMissed.length} (${poisonedRate} %)`,
        ...poisonedMissed.map((p) => `  missed poisoned: ${p.id}`),
      ].join('\n'),
    );
    expect(poisonedRate).toBeGreaterThanOrEqual(95);
    expect(realRate).toBeLessThanOrEqual(2);
  });

  it('has poisoned examples of every class, across every kind of definition', () => {
    const classes = new Set(POISONED.map((p) => p.class));
    expect([...classes].sort()).toEqual(
      [
        'encoded-payload',
        'exfiltration',
        'hidden-characters',
        'look-alike',
        'model-instruction',
        'shadowing',
        'terminal-escape',
        'whitespace-run',
      ].sort(),
    );
    expect(new Set(POISONED.map((p) => p.kind))).toEqual(
      new Set(['tool', 'prompt', 'resource', 'resource-template', 'instructions']),
    );
    expect(new Set(POISONED.map((p) => p.id)).size).toBe(POISONED.length);
  });

  it('records the package and version of every real server', () => {
    for (const server of real.servers) {
      expect(server.package).toMatch(/^(@[\w.-]+\/)?[\w.-]+$/);
      expect(server.version).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});
