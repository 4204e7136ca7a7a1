import { z } from 'zod';
import { checkShape } from './check-shape.js';
import { DataSourceV2Schema } from './data-source-v2-schema.js';
import { canonicalJson, isSameJson } from './json-value.js';
import { type MigrationReport, type MigrationReportItem, MigrationReportSchema } from './migration-report-schema.js';
import { isPlainObject, readOwnProperty } from './own-property.js';
import { campaignLabel } from './read-campaign.js';
import { rowIdText } from './row-id.js';
import { unreadableWhy } from './unreadable.js';

/** Stable codes of {@link VerificationProblem}. */
export const VERIFICATION_PROBLEM_CODES = [
  'INVALID_REPORT',
  'UNREADABLE_ROW',
  'UNIDENTIFIABLE_ROW',
  'DUPLICATE_ID',
  'MISSING_CAMPAIGN',
  'UNEXPECTED_CAMPAIGN',
  'FIELD_REMOVED',
  'FIELD_ADDED',
  'FIELD_CHANGED',
  'INVALID_DATA_SOURCES_V2',
  'DATA_SOURCES_V2_CHANGED',
  'PATCH_MISMATCH',
  'NOT_MIGRATED',
] as const;

/** One of {@link VERIFICATION_PROBLEM_CODES}. */
export type VerificationProblemCode = (typeof VERIFICATION_PROBLEM_CODES)[number];

/** Something wrong with the migrated rows. The message names the campaign and the field. */
export interface VerificationProblem {
  code: VerificationProblemCode;
  campaignId: string | null;
  field: string | null;
  message: string;
}

/** The verdict of {@link verifyCampaignMigration}. */
export interface CampaignMigrationVerification {
  /** `true` when there is no problem. */
  ok: boolean;
  counts: {
    /** Campaign rows in `before` with a readable id (rows sharing an id each count). */
    campaigns: number;
    /** Campaigns that had no `data_sources_v2` before and have one now. */
    migrated: number;
    /** Campaigns that already had `data_sources_v2` before, unchanged. */
    alreadyMigrated: number;
    /**
     * Campaign rows left without `data_sources_v2` that the report lists as ambiguous, skipped or
     * invalid (rows sharing an id included, when they come back unchanged).
     */
    accountedFor: number;
  };
  problems: VerificationProblem[];
}

/** Options of {@link verifyCampaignMigration}. */
export interface VerifyCampaignMigrationOptions {
  /**
   * The report that was applied. With it, each written `data_sources_v2` must equal the item's
   * patch, and a campaign left unmigrated is accounted for when its item is ambiguous, skipped or
   * invalid. Without it, every campaign must end up with `data_sources_v2`. A value that is not a
   * report (`MigrationReportSchema`) gives one `INVALID_REPORT` problem and nothing else is checked.
   */
  report?: MigrationReport;
  /** Columns the database may change on update (`updated_at` set by a trigger): not compared. */
  ignoreFields?: readonly string[];
}

const DataSourcesV2ListSchema = z.array(DataSourceV2Schema).min(1, { error: 'must not be empty' });

type Row = Record<string, unknown>;
type Problem = (code: VerificationProblemCode, id: string, field: string | null, why: string) => void;

/** The rows of one side grouped by id, reading each row inside a try: any row may throw when read. */
function groupById(list: unknown, side: 'before' | 'after', problems: VerificationProblem[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  let rows: unknown[] = [];
  try {
    rows = Array.isArray(list) ? Array.from(list as unknown[]) : [];
  } catch (error) {
    problems.push({ code: 'UNREADABLE_ROW', campaignId: null, field: null, message: `The ${side} rows ${unreadableWhy(error)}` });
  }
  rows.forEach((row, index) => {
    let key: string | null;
    try {
      key = isPlainObject(row) ? rowIdText(readOwnProperty(row, 'id')) : null;
    } catch (error) {
      problems.push({ code: 'UNREADABLE_ROW', campaignId: null, field: '(row)', message: `Row ${index} of ${side} ${unreadableWhy(error)}` });
      return;
    }
    if (key === null) {
      problems.push({ code: 'UNIDENTIFIABLE_ROW', campaignId: null, field: 'id', message: `Row ${index} of ${side} has no readable id` });
      return;
    }
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row as Row]);
    else group.push(row as Row);
  });
  return groups;
}

function isMigrated(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function isAccountedFor(item: MigrationReportItem): boolean {
  return item.outcome === 'ambiguous' || item.outcome === 'skipped' || item.outcome === 'invalid';
}

/** A row as comparable text: sorted keys, ignored columns left out. */
function fingerprint(row: Row, ignored: ReadonlySet<string>): string {
  return canonicalJson(Object.fromEntries(Object.entries(row).filter(([key]) => !ignored.has(key))));
}

interface Context {
  ignored: ReadonlySet<string>;
  /** Columns the caller ignores; `data_sources_v2` stays compared for rows nothing may be written to. */
  callerIgnored: ReadonlySet<string>;
  report: MigrationReport | undefined;
  counts: CampaignMigrationVerification['counts'];
  problem: Problem;
}

function verifyOne(id: string, old: Row, now: Row | undefined, item: MigrationReportItem | undefined, context: Context): void {
  const { ignored, counts, problem } = context;
  if (now === undefined) {
    problem('MISSING_CAMPAIGN', id, null, 'is missing after the migration');
    return;
  }
  for (const key of Object.keys(old)) {
    if (ignored.has(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(now, key)) problem('FIELD_REMOVED', id, key, 'was removed');
    else if (!isSameJson(now[key], old[key])) problem('FIELD_CHANGED', id, key, 'changed');
  }
  for (const key of Object.keys(now)) {
    if (!ignored.has(key) && !Object.prototype.hasOwnProperty.call(old, key)) problem('FIELD_ADDED', id, key, 'was added');
  }
  const oldSources = readOwnProperty(old, 'data_sources_v2');
  const newSources = readOwnProperty(now, 'data_sources_v2');
  if (isMigrated(oldSources)) {
    if (!isSameJson(oldSources, newSources)) problem('DATA_SOURCES_V2_CHANGED', id, 'data_sources_v2', 'was already migrated but changed');
    else counts.alreadyMigrated += 1;
  } else if (isMigrated(newSources)) {
    const shape = checkShape(DataSourcesV2ListSchema, newSources, 'data_sources_v2');
    if (shape !== undefined) problem('INVALID_DATA_SOURCES_V2', id, shape.field, shape.why);
    else if (context.report !== undefined && (item?.patch == null || !isSameJson(item.patch.data_sources_v2, newSources))) {
      problem('PATCH_MISMATCH', id, 'data_sources_v2', 'differs from what the report planned to write');
    } else counts.migrated += 1;
  } else if (item !== undefined && isAccountedFor(item)) {
    counts.accountedFor += 1;
  } else {
    problem('NOT_MIGRATED', id, 'data_sources_v2', item === undefined ? 'is not set and no report item accounts for it' : `is not set although the report planned a ${item.outcome} write`);
  }
}

/**
 * Rows sharing an id cannot be told apart, so when the report accounts for all of them (invalid
 * or skipped, as the planner makes them) they are compared as a set: same rows, nothing written.
 */
function verifyShared(id: string, olds: Row[], nows: Row[], items: MigrationReportItem[], context: Context): void {
  const { problem } = context;
  if (items.length === 0 || !items.every(isAccountedFor)) {
    if (olds.length > 1) problem('DUPLICATE_ID', id, 'id', `appears ${olds.length} times in before and the report does not account for these rows`);
    if (nows.length > 1) problem('DUPLICATE_ID', id, 'id', `appears ${nows.length} times in after and the report does not account for these rows`);
    verifyOne(id, olds[0] as Row, nows[0], items[0], context);
    return;
  }
  if (nows.length < olds.length) return problem('MISSING_CAMPAIGN', id, null, `has ${olds.length} rows before the migration and ${nows.length} after`);
  if (nows.length > olds.length) return problem('UNEXPECTED_CAMPAIGN', id, null, `has ${olds.length} rows before the migration and ${nows.length} after`);
  const before = olds.map((row) => fingerprint(row, context.callerIgnored)).sort();
  const after = nows.map((row) => fingerprint(row, context.callerIgnored)).sort();
  if (before.some((text, i) => text !== after[i])) return problem('FIELD_CHANGED', id, '(row)', 'one of the rows sharing this id changed (nothing may be written to them)');
  context.counts.accountedFor += olds.length;
}

/**
 * Checks migrated rows (`after`, read back from the database) against the rows before the
 * migration: no campaign lost or added, no original column changed (compared as JSON with sorted
 * keys, since a `jsonb` round trip reorders keys), every `data_sources_v2` valid, and every
 * campaign either migrated or accounted for by the report. Never throws: a report that fails
 * `MigrationReportSchema` and rows that throw when read are problems in the result.
 */
export function verifyCampaignMigration(
  before: readonly unknown[],
  after: readonly unknown[],
  options: VerifyCampaignMigrationOptions = {},
): CampaignMigrationVerification {
  const problems: VerificationProblem[] = [];
  const counts = { campaigns: 0, migrated: 0, alreadyMigrated: 0, accountedFor: 0 };
  const report = options?.report;
  if (report !== undefined) {
    // Checked before anything is read from it: its items decide what counts as accounted for.
    const shape = checkShape(MigrationReportSchema, report, 'report');
    if (shape !== undefined) {
      const message = `The report is not a campaign migration report (MigrationReportSchema): ${shape.field} ${shape.why}; nothing was verified`;
      return { ok: false, counts, problems: [{ code: 'INVALID_REPORT', campaignId: null, field: shape.field, message }] };
    }
  }
  const beforeById = groupById(before, 'before', problems);
  const afterById = groupById(after, 'after', problems);
  const callerIgnored = new Set(Array.isArray(options?.ignoreFields) ? options.ignoreFields : []);
  const reportItems = new Map<string, MigrationReportItem[]>();
  for (const item of report?.items ?? []) {
    if (item.campaignId === null) continue;
    const list = reportItems.get(item.campaignId);
    if (list === undefined) reportItems.set(item.campaignId, [item]);
    else list.push(item);
  }
  const context: Context = {
    ignored: new Set(['data_sources_v2', ...callerIgnored]),
    callerIgnored,
    report,
    counts,
    problem: (code, id, field, why) => {
      problems.push({ code, campaignId: id, field, message: `${campaignLabel(id)}: ${field === null ? '' : `${field} `}${why}` });
    },
  };

  for (const [id, olds] of beforeById) {
    counts.campaigns += olds.length;
    const nows = afterById.get(id) ?? [];
    const items = reportItems.get(id) ?? [];
    try {
      if (olds.length === 1 && nows.length <= 1) verifyOne(id, olds[0] as Row, nows[0], items[0], context);
      else verifyShared(id, olds, nows, items, context);
    } catch (error) {
      context.problem('UNREADABLE_ROW', id, '(row)', unreadableWhy(error));
    }
  }
  for (const [id, nows] of afterById) {
    if (beforeById.has(id)) continue;
    context.problem('UNEXPECTED_CAMPAIGN', id, null, 'appears only after the migration');
    if (nows.length > 1) context.problem('DUPLICATE_ID', id, 'id', `appears ${nows.length} times in after`);
  }
  return { ok: problems.length === 0, counts, problems };
}
