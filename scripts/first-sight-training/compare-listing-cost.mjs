// The ship rule's listing cost on a machine slower than the one the bench's 50 ms was set on (docs/decisions.md,
// "One score: signals, a small learned model, and a layer over both"): first sight's scan of one real listing by two
// or more builds, rounds interleaved (the order turned each round), each round on a freshly parsed listing with a
// fresh HeardStrings, as the engine scans a first listing. Two builds that differ only in first-sight-model.json
// compare models in the same code. The listing is a real server's tools from the corpora, chosen by its package
// name as the corpora record it (the bench names its p99 listing).
//
//   cp -r dist /tmp/dist-shipped   # before the new model is built
//   node scripts/first-sight-training/compare-listing-cost.mjs mcp-dataverse@0.7.8 300 /tmp/dist-shipped dist
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WARMUP = 5;
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/fixtures/first-sight');
const [server, roundsArg, ...dists] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!server || !Number.isInteger(rounds) || rounds < 1 || dists.length < 2)
  throw new Error('usage: compare-listing-cost.mjs SERVER@VERSION ROUNDS DIST DIST [DIST…]');

/** The server's tools as a corpus's real half lists them (the folder that lists the most of them). */
function listing() {
  let tools = [];
  for (const folder of readdirSync(fixtures)) {
    const file = join(fixtures, folder, 'real.json');
    if (!existsSync(file)) continue;
    const listed = JSON.parse(readFileSync(file, 'utf8'))
      .items.filter((item) => item.kind === 'tool' && item.server === server)
      .map((item) => item.definition);
    if (listed.length > tools.length) tools = listed;
  }
  if (tools.length === 0) throw new Error(`no corpus lists tools of ${server}`);
  return JSON.stringify(tools);
}

const text = listing();
const builds = [];
for (const dist of dists) {
  const folder = resolve(dist);
  const { scanListedDefinition } = await import(join(folder, 'main/core/policy/first-sight.js'));
  const { HeardStrings } = await import(join(folder, 'main/core/policy/first-sight-scan.js'));
  builds.push({ folder, scanListedDefinition, HeardStrings, wall: [], held: 0 });
}
for (let round = 0; round < WARMUP + rounds; round++)
  for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
    const tools = JSON.parse(text);
    const start = performance.now();
    const heard = new build.HeardStrings();
    let held = 0;
    for (const tool of tools) if (build.scanListedDefinition('tool', tool, heard).length > 0) held++;
    if (round >= WARMUP) build.wall.push(performance.now() - start);
    build.held = held;
  }

const at = (sorted, share) => sorted[Math.floor(sorted.length * share)];
console.log(
  `${server}: ${JSON.parse(text).length} tools, ${Math.round(text.length / 1024)} KB, ${rounds} rounds`,
);
for (const build of builds) {
  const sorted = [...build.wall].sort((a, b) => a - b);
  console.log(
    `${build.folder}: median ${at(sorted, 0.5).toFixed(1)} ms, p25 ${at(sorted, 0.25).toFixed(1)}, p75 ${at(sorted, 0.75).toFixed(1)}; ${build.held} held`,
  );
}
