#!/usr/bin/env node
// Runs a command with its output held back: printed only when the command fails, so `pnpm demo`
// shows the demo, not hundreds of lines of build output. Usage: node scripts/quiet.mjs pnpm build
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const started = Date.now();
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
const output = [];
child.stdout.on('data', (chunk) => output.push(chunk));
child.stderr.on('data', (chunk) => output.push(chunk));
child.on('close', (code, signal) => {
  if (code === 0) {
    process.stderr.write(`${[command, ...args].join(' ')}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return;
  }
  process.stderr.write(Buffer.concat(output));
  process.stderr.write(`${[command, ...args].join(' ')} failed (${signal ?? `exit ${code}`})\n`);
  process.exitCode = code ?? 1;
});
