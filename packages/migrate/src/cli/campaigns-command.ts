import { writeFile } from 'node:fs/promises';
import { createResolutionsTemplate, formatReportCsv, formatReportMarkdown } from '@app/campaign-migrator';
import { InvalidOptionError } from '../errors.js';
import { runCampaignMigration } from '../run-campaign-migration.js';
import { type CliIo, count, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { checkTakeover, takeOverLease, withTakeoverHint } from './lease-takeover.js';
import { batchTimeoutsOption } from './batch-timeouts-option.js';
import { openStore } from './open-store.js';
import { ownerOptionsOf } from './owner-options.js';
import { batchSizeOption, positiveIntegerOption, readJsonOption } from './option-values.js';
import { createProgressPrinter } from './progress-printer.js';
import { replicationLagOption } from './replication-lag-option.js';
import { throttledSummary } from './throttled-summary.js';
import { watchReplicas } from './watch-replicas.js';

/** Options of `app-migrate campaigns`, as parsed from the command line. */
export interface CampaignsCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  apply?: boolean | undefined;
  resolutions?: string | undefined;
  'resolutions-template'?: string | undefined;
  report?: string[] | undefined;
  'owner-key'?: string | undefined;
  'single-owner'?: boolean | undefined;
  'batch-size'?: string | undefined;
  limit?: string | undefined;
  resume?: boolean | undefined;
  takeover?: boolean | undefined;
  'max-replication-lag'?: string[] | undefined;
}

/**
 * `app-migrate campaigns`: plan, review and apply the data_sources_v2 migration. Exits with
 * `PROBLEMS_FOUND` when ambiguous or invalid campaigns are (or, in a dry run, would be) left
 * undecided, as `events` does for rows that fail, and `INTERRUPTED` when stopped before the end.
 */
export async function campaignsCommand(options: CampaignsCommandOptions, io: CliIo): Promise<number> {
  const batchSize = batchSizeOption(options['batch-size']);
  const limit = positiveIntegerOption('--limit', options.limit);
  const resolutions = options.resolutions === undefined ? undefined : await readJsonOption('--resolutions', options.resolutions);
  for (const file of options.report ?? []) {
    if (!/\.(json|md|csv)$/i.test(file)) throw new InvalidOptionError('--report', `${file}: the file name must end in .json, .md or .csv`);
  }
  const apply = options.apply === true;
  const takeover = checkTakeover(options.takeover, apply);
  const lagLimits = replicationLagOption(options['max-replication-lag']);
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    // Checked before any DDL: a run that cannot be throttled as asked changes nothing.
    const throttle = lagLimits !== undefined && apply ? await watchReplicas(lagLimits, opened, io, 'the run') : undefined;
    // Only a run that writes may change the schema; the runner refuses a dry run on a missing one (SCHEMA_NOT_READY).
    if (apply) await opened.store.ensureSchema();
    say(io, `Campaigns: ${apply ? 'APPLY' : 'dry run (nothing is written; add --apply to write)'} on ${opened.description}`);
    const holder = takeover ? await takeOverLease(opened.store, 'campaigns', io) : undefined;
    const progress = createProgressPrinter(io);
    const batchTimeouts = batchTimeoutsOption(opened.config);
    const run = await runCampaignMigration({
      // A run that writes stops on the signal itself, after the batch in flight, with its checkpoint
      // written; a dry run writes nothing, so a signal may cut any of its reads short.
      store: apply ? opened.storeForRunners : opened.store,
      apply,
      resolutions,
      resume: options.resume === true,
      signal: io.signal,
      onProgress: progress.update,
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(limit === undefined ? {} : { limit }),
      ...(holder === undefined ? {} : { holder }),
      ...(throttle === undefined ? {} : { throttle }),
      ...(batchTimeouts === undefined ? {} : { batchTimeouts }),
      ...ownerOptionsOf(options, opened.config),
      // The report's messages name this CLI's flags, not the library's options.
      optionNames: { ownerKey: '--owner-key (or ownerKey in the --config file)', singleOwner: '--single-owner' },
    }).catch((error: unknown) => {
      progress.finish();
      throw withTakeoverHint(error);
    });
    progress.finish(run.status);
    if (run.resumedFrom !== null) say(io, `Resumed after campaign ${run.resumedFrom}.`);
    const { summary } = run.report;
    const outcomes = Object.entries(summary.outcomes)
      .filter(([, n]) => n > 0)
      .map(([outcome, n]) => `${outcome} ${count(n)}`);
    say(io, `${count(summary.total)} campaigns: ${outcomes.join(', ') || 'none'}`);
    if (summary.resolutionsApplied > 0) say(io, `${count(summary.resolutionsApplied)} decided by the resolutions file.`);
    const ambiguous = run.report.items.filter((item) => item.outcome === 'ambiguous');
    if (ambiguous.length > 0) {
      say(io, 'Ambiguous (a person must decide; see --resolutions-template):');
      for (const item of ambiguous.slice(0, 20)) {
        const choices = item.candidates.map((c) => (c.type === 'native' ? 'native' : `integration ${c.integration_id}`)).join(', ');
        say(io, `  ${item.campaignId}  ${item.reasons.join(', ')}${choices ? `  candidates: ${choices}` : ''}`);
      }
      if (ambiguous.length > 20) say(io, `  … and ${count(ambiguous.length - 20)} more`);
    }
    for (const item of run.report.items.filter((i) => i.outcome === 'invalid').slice(0, 10)) say(io, `  invalid ${item.campaignId ?? '(no id)'}: ${item.message}`);
    for (const error of run.report.resolutionErrors) say(io, `  resolutions: ${error.message}`);
    say(io, apply ? `Wrote data_sources_v2 of ${count(run.written)} campaigns.` : `${count(summary.writes)} campaigns would be written.`);
    for (const item of run.rejected.slice(0, 20)) say(io, `  refused ${item.id}: ${item.reason}`);
    if (run.rejected.length > 20) say(io, `  … and ${count(run.rejected.length - 20)} more refused`);
    if (run.totalWritten !== run.written) say(io, `${count(run.totalWritten)} written in all, with the runs this one resumed.`);
    if (run.throttle !== undefined && run.throttle.pauses > 0) say(io, throttledSummary(run.throttle));
    if (run.status === 'limited') say(io, apply ? 'Stopped at --limit (run again with --resume to continue).' : 'Stopped at --limit.');
    if (run.status === 'aborted') say(io, 'Stopped (run again with --resume to continue).');
    for (const file of options.report ?? []) {
      const text = file.endsWith('.md') ? formatReportMarkdown(run.report) : file.endsWith('.csv') ? formatReportCsv(run.report) : `${JSON.stringify(run.report, null, 2)}\n`;
      await writeFile(file, text);
      say(io, `Report written to ${file}`);
    }
    if (options['resolutions-template'] !== undefined) {
      await writeFile(options['resolutions-template'], `${JSON.stringify(createResolutionsTemplate(run.report), null, 2)}\n`);
      say(io, `Resolutions template written to ${options['resolutions-template']}: fill it in, then run with --resolutions`);
    }
    io.report?.(run);
    if (run.status === 'aborted') return EXIT_CODES.INTERRUPTED;
    if (summary.resolutionErrors > 0) return EXIT_CODES.USAGE;
    // The rule of every run, dry or not: exit 1 when it leaves (or would leave) rows unmigrated that
    // nothing explains. A "skip" resolution explains a campaign; an ambiguous or invalid one is not.
    const undecided = summary.outcomes.ambiguous + summary.outcomes.invalid;
    if (run.rejected.length > 0 && undecided === 0) {
      say(io, `${count(run.rejected.length)} campaigns the database refused are left without data_sources_v2 (exit 1).`);
      return EXIT_CODES.PROBLEMS_FOUND;
    }
    if (undecided > 0) {
      say(io, `${count(undecided)} campaigns ${apply ? 'are left' : 'would be left'} without data_sources_v2 and undecided (exit 1): decide them with --resolutions, "skip" included.`);
      return EXIT_CODES.PROBLEMS_FOUND;
    }
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
