// Entry point of the `gatehouse` command (bin/gatehouse.mjs and `npm run serve` run the compiled
// file). It exists apart from commands.ts for one reason: node:sqlite prints an ExperimentalWarning
// when it loads, which users should not see on every command, so the warning filter has to be in
// place before anything that imports node:sqlite is loaded — hence the dynamic import below.

// Node prints warnings through its own 'warning' listener; replace it with one that drops only the
// SQLite notice. With --no-warnings there is no listener to replace, and we print nothing either.
if (process.listenerCount('warning') > 0) {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.name === 'ExperimentalWarning' && /\bSQLite\b/.test(warning.message)) return;
    const code = warning.code ? `[${warning.code}] ` : '';
    process.stderr.write(`(node:${process.pid}) ${code}${warning.name}: ${warning.message}\n`);
  });
}

const { runCli } = await import('./commands.js');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
// The command has finished. If some handle (a keep-alive socket, a stray timer) would still hold the
// process open, don't make the user wait on it; unref'd, this timer never delays a clean exit.
setTimeout(() => process.exit(), 2_000).unref();
