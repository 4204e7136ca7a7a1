import { assertSchemaReady } from '../assert-schema-ready.js';
import { InvalidOptionError } from '../errors.js';
import type { FlagReference } from '../find-flag-references.js';
import { findFlagReferences } from './find-flag-references-in-files.js';
import { isFlagMetricsStore } from '../flag-metrics-store.js';
import { staleFlags } from '../stale-flags.js';
import { type CliIo, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';
import { positiveIntegerOption } from './option-values.js';

/** Options of `app-migrate flags stale`. */
export interface FlagsStaleOptions {
  db?: string | undefined;
  config?: string | undefined;
  days?: string | undefined;
  'unused-days'?: string | undefined;
  code?: string[] | undefined;
}

/** `file:line:column  text` lines of the references to one flag. */
export function describeReferences(references: readonly FlagReference[]): string[] {
  return references.map((reference) => `    ${reference.file}:${reference.line}:${reference.column}  ${reference.text}`);
}

/**
 * `app-migrate flags stale [--days 14] [--unused-days N] [--code <dir>…]`: the flags fully on (or
 * off) and unchanged for `--days` days (the seed's cleanup), and those never evaluated in the last
 * `--unused-days` days (default `--days`) when the store keeps flag telemetry (every SQL adapter
 * and the memory store do), each with every reference to its name in the source files under the
 * `--code` directories (file:line:column), so a person can remove the checks before `flags delete`.
 * Only reads.
 */
export async function flagsStaleCommand(positionals: string[], options: FlagsStaleOptions, io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new InvalidOptionError('flags stale', `unexpected argument "${positionals[0]}"`);
  const days = positiveIntegerOption('--days', options.days) ?? 14;
  const unusedDays = positiveIntegerOption('--unused-days', options['unused-days']) ?? days;
  const now = new Date(io.now?.() ?? Date.now());
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const store = opened.store;
    await assertSchemaReady(store);
    const flags = await store.listFlags();
    const histories = new Map<string, Awaited<ReturnType<typeof store.readFlagHistory>>>();
    for (const flag of flags) histories.set(flag.name, await store.readFlagHistory({ name: flag.name, limit: 20 }));
    const since = new Date(now.getTime() - unusedDays * 86_400_000).toISOString();
    const totals = isFlagMetricsStore(store) ? await store.readFlagMetrics({ since }) : undefined;
    const stale = staleFlags(flags, (name) => histories.get(name) ?? [], now, days, totals);
    const references = options.code === undefined || options.code.length === 0 ? undefined : await findFlagReferences(options.code, stale.map((flag) => flag.flagName));
    if (totals === undefined) say(io, 'This store keeps no flag telemetry: unused flags are not listed.');
    if (stale.length === 0) say(io, `No flag is fully on or off and unchanged for ${days} days${totals === undefined ? '' : `, and every flag was evaluated in the last ${unusedDays} days`}.`);
    for (const flag of stale) {
      const why = [
        flag.settled ? `fully ${flag.state} since ${flag.since} (${days}+ days)` : undefined,
        flag.unused ? `never evaluated in ${unusedDays} days (unused)` : undefined,
      ].filter(Boolean);
      const mine = references?.filter((reference) => reference.flagName === flag.flagName);
      const where = mine === undefined ? '' : mine.length === 0 ? '; no references in the code: ready for flags delete' : `; ${mine.length} reference${mine.length === 1 ? '' : 's'} to remove:`;
      say(io, `${flag.flagName}: ${why.join(', ')}${where}`);
      for (const line of describeReferences(mine ?? [])) say(io, line);
    }
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
