#!/usr/bin/env node
import { EXIT_CODES } from './exit-codes.js';
import { printable } from './printable.js';
import { runCli } from './run-cli.js';

// The only place that exits the process. The first SIGINT (Ctrl-C) or SIGTERM stops the command:
// a run after the batch in flight (its checkpoint written), anything else at once — connecting,
// waiting on a query — and closes the connections; exit 130. A second signal exits at once.
const controller = new AbortController();
const stop = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) {
    process.stderr.write(`\nStopped by a second ${signal}: exiting now.\n`);
    process.exit(EXIT_CODES.INTERRUPTED);
  }
  process.stderr.write(`\nStopping (${signal})… (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit now)\n`);
  controller.abort(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, env: process.env }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`app-migrate: ${printable(String(error))}\n`);
    process.exit(EXIT_CODES.FAILURE);
  },
);
