import type { MigrationProgress } from '../migration-progress.js';
import { type CliIo, count } from './cli-io.js';

const BAR_WIDTH = 28;

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * Draws runner progress: a bar redrawn in place on a terminal, plain lines at most every
 * `intervalMs` (and at the end) when stdout is a file or a pipe, so CI logs stay readable.
 */
export function createProgressPrinter(io: CliIo, intervalMs = 2_000): { update(p: MigrationProgress): void; finish(): void } {
  const now = io.now ?? Date.now;
  const tty = io.stdout.isTTY === true;
  let lastLine = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let last: MigrationProgress | undefined;
  const text = (p: MigrationProgress) => {
    const share = p.total > 0 ? Math.min(1, p.processed / p.total) : 1;
    const rate = `${count(Math.round(p.ratePerSecond))}/s`;
    return { share, tail: `${count(p.processed)}/${count(p.total)} ${p.migration}  ${rate}  ETA ${formatEta(p.etaSeconds)}  failed ${count(p.failed)}` };
  };
  return {
    update(p) {
      last = p;
      const { share, tail } = text(p);
      if (tty) {
        const filled = Math.round(share * BAR_WIDTH);
        io.stdout.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${tail}\x1b[K`);
        drawn = true;
      } else if (now() - lastLine >= intervalMs) {
        io.stdout.write(`progress: ${(share * 100).toFixed(1)}%  ${tail}\n`);
        lastLine = now();
      }
    },
    finish() {
      if (tty && drawn) io.stdout.write('\n');
      else if (!tty && last && lastLine !== now()) io.stdout.write(`progress: done  ${text(last).tail}\n`);
      drawn = false;
    },
  };
}
