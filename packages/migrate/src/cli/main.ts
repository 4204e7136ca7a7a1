#!/usr/bin/env node
import type { CliIo } from './cli-io.js';
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

/**
 * A stream the reader may close early (`app-migrate status | head -1`): once it has, further
 * output is dropped and the command goes on to its own end and exit code. An unhandled EPIPE
 * would print a stack trace and exit 1, in the middle of a batch for a run.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): CliIo['stdout'] {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    write: (text: string) => closed || stream.write(text),
    get isTTY() {
      return stream.isTTY;
    },
  };
}

runCli(process.argv.slice(2), { stdout: quietWhenClosed(process.stdout), stderr: quietWhenClosed(process.stderr), signal: controller.signal, env: process.env }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`app-migrate: ${printable(String(error))}\n`);
    process.exit(EXIT_CODES.FAILURE);
  },
);
