// `npm run bench` entry. Node's SQLite module announces itself with an ExperimentalWarning when
// loaded, so the filter goes in first and the suite is imported after it. `profile`, `segments` and
// `profile-summary` run the profiling tools (docs/profiling.md) instead of the suite, and `compare`
// (sequential calls) and `compare-concurrent` (32 sessions) two builds side by side; `first-sight-eval
// DIR…` measures first sight on corpus directories (bench/first-sight-corpus.bench.ts), and
// `secrets-corpus <folder>` the call inspection on a corpus of secrets and benign values (secrets-corpus.ts).
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /SQLite/.test(warning.message)) return;
  console.warn(warning);
});
const [tool, ...args] = process.argv.slice(2);
if (tool === 'profile') await (await import('./profile-serve.js')).main(args);
else if (tool === 'segments') await (await import('./call-segments.js')).main(args);
else if (tool === 'compare') await (await import('./compare-builds.js')).main(args);
else if (tool === 'first-sight-eval') (await import('./first-sight-corpus.bench.js')).main(args);
else if (tool === 'compare-concurrent') await (await import('./compare-concurrent.js')).main(args);
else if (tool === 'secrets-corpus') (await import('./secrets-corpus.js')).main(args);
else if (tool === 'profile-summary') {
  const { root } = await import('./gateway-support.js');
  (await import('./profile-summary.js')).main(args, root);
} else await import('./bench-suite.js');
