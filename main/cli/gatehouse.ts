// Entry point of the `gatehouse` command (bin/gatehouse.mjs and `npm run serve` run the compiled
// file). It is separate from run-cli.ts for one reason: node:sqlite prints an ExperimentalWarning as
// it loads, which users should not see on every command, so the filter must be installed before
// anything that imports node:sqlite is loaded — hence the dynamic import after it.
import { installWarningFilter } from '../core/sqlite-warning.js';
import { endCliRunOnFailure } from '../core/run-failures.js';

installWarningFilter(process);
// `gatehouse activity --json | head -1`: a closed stdout ends the run normally, not with a stack trace.
endCliRunOnFailure(process, { stdout: process.stdout, stderr: process.stderr }, (code) => process.exit(code));

const { runCli } = await import('./run-cli.js');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTerminal: process.stderr.isTTY === true,
  stdoutIsTerminal: process.stdout.isTTY === true,
});
// The command has finished. If some handle (a keep-alive socket, a stray timer) would still hold the
// process open, don't make the user wait on it; unref'd, this timer never delays a clean exit.
setTimeout(() => process.exit(), 2_000).unref();
