// The worker thread behind first-sight-off-thread.ts: it is handed the raw line of a tools/list
// response, parses it itself and runs the first-sight rules on every tool in it, while the main
// thread parses and checks the same line. It answers with the findings by tool name. Left
// out, for the main thread to scan as the SDK checked it: a name listed twice (its findings could
// belong to either definition), and a definition too large to read whole (which part is read then
// depends on the order of its keys, and the SDK's checked object orders them otherwise).
import { parentPort, workerData } from 'node:worker_threads';
import { HeardStrings, scanWholeDefinition, type FirstSightFinding } from '../../policy/first-sight.js';

/** What the main thread sends: a job number and the response's line as the upstream wrote it. */
export interface ScanJob {
  id: number;
  text: string;
}

/** The answer: each tool name read once with its findings (empty: clean); null when the line is no tools/list result. */
export interface ScanAnswer {
  id: number;
  findings: Array<[string, FirstSightFinding[]]> | null;
}

/** The findings for each tool of a tools/list response's line, by name; null when it lists none. */
export function scanListingLine(text: string): ScanAnswer['findings'] {
  let tools: unknown;
  try {
    tools = (JSON.parse(text) as { result?: { tools?: unknown } } | null)?.result?.tools;
  } catch {
    return null;
  }
  if (!Array.isArray(tools)) return null;
  const byName = new Map<string, FirstSightFinding[]>();
  const leftOut = new Set<string>();
  // Tools of one listing share many strings (a parameter's description, a property's name): one that
  // held nothing is not read again when it comes again.
  const heard = new HeardStrings();
  for (const tool of tools) {
    const name = (tool as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') continue;
    if (byName.has(name) || leftOut.has(name)) {
      leftOut.add(name);
      continue;
    }
    const { findings, whole } = scanWholeDefinition('tool', tool, heard);
    if (whole) byName.set(name, findings);
    else leftOut.add(name);
  }
  for (const name of leftOut) byName.delete(name);
  return [...byName];
}

/** What ScanThread starts this module with: only then does it answer messages (a test imports it too). */
export const THREAD_DATA = { gatehouseFirstSight: true } as const;

if ((workerData as typeof THREAD_DATA | null)?.gatehouseFirstSight === true) {
  parentPort?.on('message', ({ id, text }: ScanJob) => {
    const answer: ScanAnswer = { id, findings: scanListingLine(text) };
    parentPort!.postMessage(answer);
  });
}
