import type { NormalizerRegistry } from '@app/canonical-events/core';
import type { EventSample } from './event-migration-report.js';
import { SAMPLES_PER_EVENT_KIND } from './samples-per-event-kind.js';
import type { EventRecord, EventUpdate, FailedItem, RowKey } from './migration-store.js';

/** What normalizing one batch gave, kept apart from the run's counts until the batch is written. */
export interface NormalizedEventBatch {
  /** How many rows were read. The rows themselves are not kept: their payloads are freed as soon as nothing written needs them. */
  read: number;
  /** The key of the last row read: the batch's end. */
  end: RowKey | null;
  /** Rows that came with `eventDataLength`, and the sum of those lengths. */
  measured: number;
  eventDataLength: number;
  updates: readonly EventUpdate[];
  /** Counts to add to the run's: `skipped`, `fallback`, `provider:…`, `kind:…`. */
  counts: Record<string, number>;
  failures: FailedItem[];
  /** Up to `SAMPLES_PER_EVENT_KIND` samples of each kind in this batch; the run keeps its first ones. */
  samples: EventSample[];
}

const add = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Normalizes a batch of events without touching the run's state: the runner normalizes the next
 * batch while the current one is being written, and a batch's counts must enter the checkpoint
 * only with the batch's own rows (a crash then loses or doubles nothing).
 */
export function normalizeEventBatch(
  rows: readonly EventRecord[],
  registry: NormalizerRegistry,
  skip: ReadonlyMap<string, unknown>,
  receivedAt: string | number | Date | undefined,
  omitPayload = false,
): NormalizedEventBatch {
  const updates: EventUpdate[] = [];
  const batch: NormalizedEventBatch = { read: rows.length, end: rows.at(-1)?.id ?? null, measured: 0, eventDataLength: 0, updates, counts: {}, failures: [], samples: [] };
  const samplesPerKind = new Map<string, number>();
  const context = receivedAt === undefined ? undefined : { receivedAt };
  for (const row of rows) {
    if (row.eventDataLength !== undefined) {
      batch.measured++;
      batch.eventDataLength += row.eventDataLength;
    }
    if (skip.has(row.id)) {
      add(batch.counts, 'skipped');
      continue;
    }
    const result = registry.normalizeEvent(row, context);
    if (!result.success) {
      batch.failures.push({ id: row.id, code: result.error.code, reason: result.error.message });
      continue;
    }
    if (omitPayload) {
      // `canonicalPayload: 'omit'`: the row keeps the payload in event_data; the event is written without a copy.
      const { payload: _, ...event } = result.data;
      updates.push({ id: row.id, canonicalEvent: event });
    } else {
      updates.push({ id: row.id, canonicalEvent: result.data });
    }
    add(batch.counts, `provider:${result.data.provider}`);
    const eventKind = String(result.data.normalized['template.event_kind']);
    add(batch.counts, `kind:${eventKind}`);
    const taken = samplesPerKind.get(eventKind) ?? 0;
    if (taken < SAMPLES_PER_EVENT_KIND) {
      samplesPerKind.set(eventKind, taken + 1);
      batch.samples.push({ id: row.id, provider: result.data.provider, eventKind, template: templateFields(result.data.normalized) });
    }
    if (result.data.normalized['meta.is_fallback'] === true) add(batch.counts, 'fallback');
  }
  return batch;
}

function templateFields(normalized: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(normalized)) if (key.startsWith('template.')) fields[key] = value;
  return fields;
}
