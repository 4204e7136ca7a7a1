import { checkShape } from './check-shape.js';
import { DataSourceV2Schema } from './data-source-v2-schema.js';
import { isSameJson } from './json-value.js';
import type { MigrationReport, MigrationReportItem } from './migration-report-schema.js';
import { isPlainObject, readOwnProperty } from './own-property.js';
import { campaignLabel } from './read-campaign.js';
import { z } from 'zod';

/** Stable codes of {@link VerificationProblem}. */
export const VERIFICATION_PROBLEM_CODES = [
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
    /** Campaigns in `before`. */
    campaigns: number;
    /** Campaigns that had no `data_sources_v2` before and have one now. */
    migrated: number;
    /** Campaigns that already had `data_sources_v2` before, unchanged. */
    alreadyMigrated: number;
    /** Campaigns left without `data_sources_v2` that the report lists as ambiguous, skipped or invalid. */
    accountedFor: number;
  };
  problems: VerificationProblem[];
}

/** Options of {@link verifyCampaignMigration}. */
export interface VerifyCampaignMigrationOptions {
  /**
   * The report that was applied. With it, each written `data_sources_v2` must equal the item's
   * patch, and a campaign left unmigrated is accounted for when its item is ambiguous, skipped or
   * invalid. Without it, every campaign must end up with `data_sources_v2`.
   */
  report?: MigrationReport;
  /** Columns the database may change on update (`updated_at` set by a trigger): not compared. */
  ignoreFields?: readonly string[];
}

const DataSourcesV2ListSchema = z.array(DataSourceV2Schema).min(1, { error: 'must not be empty' });

function byId(rows: readonly unknown[], side: 'before' | 'after', problems: VerificationProblem[]): Map<string, Record<string, unknown>> {
  const map = new Map<string, Record<string, unknown>>();
  rows.forEach((row, index) => {
    const id = readOwnProperty(row, 'id');
    if (!isPlainObject(row) || (typeof id !== 'string' && typeof id !== 'number')) {
      problems.push({ code: 'UNIDENTIFIABLE_ROW', campaignId: null, field: 'id', message: `Row ${index} of ${side} has no readable id` });
      return;
    }
    const key = String(id);
    if (map.has(key)) {
      problems.push({ code: 'DUPLICATE_ID', campaignId: key, field: 'id', message: `${campaignLabel(key)} appears more than once in ${side}` });
      return;
    }
    map.set(key, row);
  });
  return map;
}

function isMigrated(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/**
 * Checks migrated rows (`after`, read back from the database) against the rows before the
 * migration: no campaign lost or added, no original column changed (compared as JSON with sorted
 * keys, since a `jsonb` round trip reorders keys), every `data_sources_v2` valid, and every
 * campaign either migrated or accounted for by the report. Never throws.
 */
export function verifyCampaignMigration(
  before: readonly unknown[],
  after: readonly unknown[],
  options: VerifyCampaignMigrationOptions = {},
): CampaignMigrationVerification {
  const problems: VerificationProblem[] = [];
  const beforeById = byId(Array.isArray(before) ? before : [], 'before', problems);
  const afterById = byId(Array.isArray(after) ? after : [], 'after', problems);
  const ignored = new Set(['data_sources_v2', ...(Array.isArray(options?.ignoreFields) ? options.ignoreFields : [])]);
  const reportItems = new Map<string, MigrationReportItem>();
  for (const item of options?.report?.items ?? []) if (item.campaignId !== null) reportItems.set(item.campaignId, item);
  const counts = { campaigns: beforeById.size, migrated: 0, alreadyMigrated: 0, accountedFor: 0 };
  const problem = (code: VerificationProblemCode, id: string, field: string | null, why: string): void => {
    problems.push({ code, campaignId: id, field, message: `${campaignLabel(id)}: ${field === null ? '' : `${field} `}${why}` });
  };

  for (const [id, old] of beforeById) {
    const now = afterById.get(id);
    if (now === undefined) {
      problem('MISSING_CAMPAIGN', id, null, 'is missing after the migration');
      continue;
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
    const item = reportItems.get(id);
    if (isMigrated(oldSources)) {
      if (!isSameJson(oldSources, newSources)) problem('DATA_SOURCES_V2_CHANGED', id, 'data_sources_v2', 'was already migrated but changed');
      else counts.alreadyMigrated += 1;
    } else if (isMigrated(newSources)) {
      const shape = checkShape(DataSourcesV2ListSchema, newSources, 'data_sources_v2');
      if (shape !== undefined) problem('INVALID_DATA_SOURCES_V2', id, shape.field, shape.why);
      else if (options?.report !== undefined && (item?.patch == null || !isSameJson(item.patch.data_sources_v2, newSources))) {
        problem('PATCH_MISMATCH', id, 'data_sources_v2', 'differs from what the report planned to write');
      } else counts.migrated += 1;
    } else if (item !== undefined && (item.outcome === 'ambiguous' || item.outcome === 'skipped' || item.outcome === 'invalid')) {
      counts.accountedFor += 1;
    } else {
      problem('NOT_MIGRATED', id, 'data_sources_v2', item === undefined ? 'is not set and no report item accounts for it' : `is not set although the report planned a ${item.outcome} write`);
    }
  }
  for (const id of afterById.keys()) {
    if (!beforeById.has(id)) problem('UNEXPECTED_CAMPAIGN', id, null, 'appears only after the migration');
  }
  return { ok: problems.length === 0, counts, problems };
}
