import { writeFile } from 'node:fs/promises';
import { verifyMigration } from '../verify-migration.js';
import { type CliIo, count, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';
import { ownerOptionsOf } from './owner-options.js';
import { positiveIntegerOption, readJsonOption } from './option-values.js';

/** Options of `app-migrate verify`, as parsed from the command line. */
export interface VerifyCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  sample?: string | undefined;
  report?: string | undefined;
  resolutions?: string | undefined;
  'owner-key'?: string | undefined;
  'single-owner'?: boolean | undefined;
}

/** How many problems of each kind are printed; `--report` has them all. */
const SHOWN = 20;

/**
 * `app-migrate verify`: event counts and a payload sample, and every campaign checked the way the
 * campaign migration decides it (`verifyCampaigns`); exit 1 when anything is left unexplained.
 */
export async function verifyCommand(options: VerifyCommandOptions, io: CliIo): Promise<number> {
  const sampleSize = positiveIntegerOption('--sample', options.sample) ?? 200;
  const resolutions = options.resolutions === undefined ? undefined : await readJsonOption('--resolutions', options.resolutions);
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    // Read-only: verifyMigration refuses a missing schema (SCHEMA_NOT_READY) rather than create it.
    const result = await verifyMigration(opened.store, {
      sampleSize,
      ...(resolutions === undefined ? {} : { resolutions }),
      ...ownerOptionsOf(options, opened.config),
    });
    const { events, campaigns } = result;
    say(io, `Verify on ${opened.description}`);
    say(io, `  events:    ${count(events.migrated)} migrated, ${count(events.remaining)} remaining (${count(events.failed)} failed and reported), ${count(events.total)} total`);
    say(io, `  campaigns: ${count(campaigns.migrated)} with data_sources_v2, ${count(campaigns.remaining)} without, ${count(campaigns.total)} total; ${count(campaigns.unexplained)} unexplained`);
    for (const problem of campaigns.problems.slice(0, SHOWN)) say(io, `    ${problem.code}: ${problem.message}`);
    if (campaigns.problems.length > SHOWN) say(io, `    … and ${count(campaigns.problems.length - SHOWN)} more (--report <file.json> lists them all)`);
    if (campaigns.problems.some((problem) => problem.code === 'NOT_MIGRATED')) say(io, '  campaigns a run would write: run app-migrate campaigns --apply');
    if (campaigns.problems.some((problem) => problem.code === 'UNDECIDED')) {
      say(io, '  undecided campaigns: decide them in a resolutions file (app-migrate campaigns --resolutions-template), apply it, and pass it to verify with --resolutions');
    }
    say(io, `  payloads:  ${count(result.sampled)} sampled, ${count(result.mismatches.length)} differ from their event_data`);
    for (const m of result.mismatches.slice(0, 10)) say(io, `    ${m.id}: ${m.problem}`);
    const unexplained = events.remaining - events.failed;
    if (unexplained > 0) say(io, `  ${count(unexplained)} events still need migrating: run app-migrate events --apply`);
    say(io, result.ok ? 'OK: every event is migrated or reported, every sampled payload is intact, and every campaign is migrated or explained.' : 'NOT OK.');
    if (options.report !== undefined) await writeFile(options.report, `${JSON.stringify(result, null, 2)}\n`);
    io.report?.(result);
    return result.ok ? EXIT_CODES.OK : EXIT_CODES.PROBLEMS_FOUND;
  } finally {
    await opened.close();
  }
}
