// `npm run bench` entry. Node's SQLite module announces itself with an ExperimentalWarning when
// loaded, so the filter goes in first and the suite is imported after it.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /SQLite/.test(warning.message)) return;
  console.warn(warning);
});
await import('./bench-suite.js');
