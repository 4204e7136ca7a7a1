import type { MigrationProgress } from '../migration-progress.js';
import { type CliIo, count } from './cli-io.js';

const BAR_WIDTH = 28;

/** How a run ended, as the last progress line says it. */
export type ProgressEnd = 'completed' | 'limited' | 'aborted';

const ENDINGS: Record<ProgressEnd, string> = { completed: 'done', limited: 'stopped at --limit', aborted: 'stopped' };

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

const unit = (p: MigrationProgress) => (p.migration === 'events' ? 'events' : 'campaigns');

/**
 * Draws runner progress: a bar redrawn in place on a terminal, plain lines at most every
 * `intervalMs` when stdout is a file or a pipe, so CI logs stay readable. `finish` ends it with
 * how the run ended in place of the rate and the ETA: a run stopped at `--limit` has no time left.
 */
export function createProgressPrinter(io: CliIo, intervalMs = 2_000): { update(p: MigrationProgress): void; finish(end?: ProgressEnd): void } {
  const now = io.now ?? Date.now;
  const tty = io.stdout.isTTY === true;
  let lastLine = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let last: MigrationProgress | undefined;
  let lastPause: string | undefined;
  const share = (p: MigrationProgress) => (p.total > 0 ? Math.min(1, p.processed / p.total) : 1);
  const counts = (p: MigrationProgress) => `${count(p.processed)}/${count(p.total)} ${unit(p)}`;
  const outcome = (p: MigrationProgress) => (p.migration === 'events' ? `  failed ${count(p.failed)}` : `  written ${count(p.written)}`);
  const bar = (p: MigrationProgress) => {
    const filled = Math.round(share(p) * BAR_WIDTH);
    return `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share(p) * 100)).padStart(3)}%  `;
  };
  return {
    update(p) {
      last = p;
      const tail = p.paused === undefined ? `${counts(p)}  ${count(Math.round(p.ratePerSecond))}/s  ETA ${formatEta(p.etaSeconds)}${outcome(p)}` : `${counts(p)}  paused: ${p.paused}`;
      // A pause is news in a log at once; the same pause again is not.
      const newPause = p.paused !== undefined && p.paused !== lastPause;
      lastPause = p.paused;
      if (tty) {
        io.stdout.write(`${bar(p)}${tail}\x1b[K`);
        drawn = true;
      } else if (newPause || now() - lastLine >= intervalMs) {
        io.stdout.write(`progress: ${(share(p) * 100).toFixed(1)}%  ${tail}\n`);
        lastLine = now();
      }
    },
    finish(end) {
      if (last !== undefined && end !== undefined) {
        const tail = `${ENDINGS[end]}  ${counts(last)}${outcome(last)}`;
        io.stdout.write(tty ? `${bar(last)}${tail}\x1b[K\n` : `progress: ${tail}\n`);
      } else if (tty && drawn) io.stdout.write('\n');
      drawn = false;
      last = undefined;
    },
  };
}
