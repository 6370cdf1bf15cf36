// What the call inspection finds in both corpora (test/fixtures/secrets/ and its held-out/), item by
// item, kept as a file: a change to how the scan reads (its speed, its passes) must find exactly what
// it found before — the same kinds at the same field paths, the same masked copies, the same spans
// (positions and kinds, the audit's looser shapes included). A change meant to find more or less
// updates the file (`npx vitest run -u`) and shows the difference in review.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_SEALED_VALUES } from '../../../main/core/secrets/sealed-values.js';
import { scanResult, scanValue } from '../../../main/core/secrets/secret-scan.js';
import { findSecretShapes } from '../../../main/core/secrets/secret-shapes.js';

const CORPORA = join(import.meta.dirname, '..', '..', 'fixtures', 'secrets');

interface Item {
  id: string;
  direction: 'arguments' | 'result';
  payload: unknown;
}

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** One line per item where anything is found: its findings, its masked copy's digest, its spans' digest. */
function findingsOf(file: string): string {
  const items = (JSON.parse(readFileSync(join(CORPORA, file), 'utf8')) as { items: Item[] }).items;
  const lines: string[] = [];
  for (const { id, direction, payload } of items) {
    const scan =
      direction === 'arguments'
        ? scanValue(payload, NO_SEALED_VALUES)
        : scanResult(payload, NO_SEALED_VALUES);
    const spans = findSecretShapes(JSON.stringify(payload), 'all');
    if (scan.findings.length === 0 && spans.length === 0) continue;
    const findings = scan.findings.map((finding) => `${finding.kind} at ${finding.path}`).join(', ');
    lines.push(
      `${id} ${direction}: ${findings || 'nothing'}; masked ${digest(scan.masked())}; spans ${digest(spans)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('the scan on the corpora', () => {
  it.each(['secrets.json', 'benign.json', 'held-out/secrets.json', 'held-out/benign.json'])(
    'finds in %s what it found before',
    async (file) => {
      await expect(findingsOf(file)).toMatchFileSnapshot(
        join('__findings__', `${file.replace('/', '-').replace('.json', '')}.txt`),
      );
    },
  );
});
