#!/usr/bin/env node
import { EXIT_CODES } from './exit-codes.js';
import { runCli } from './run-cli.js';

// The only place that exits the process. The first Ctrl-C stops after the current batch (the
// checkpoint stays consistent); a second one exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT_CODES.INTERRUPTED);
  process.stderr.write('\nStopping after the current batch… (Ctrl-C again to quit now)\n');
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, env: process.env }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`app-migrate: ${String(error)}\n`);
    process.exit(EXIT_CODES.FAILURE);
  },
);
