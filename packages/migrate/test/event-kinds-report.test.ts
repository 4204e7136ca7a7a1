import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_KINDS } from '@app/canonical-events';
import { describe, expect, it } from 'vitest';
import type { SeedEvent, StoreSeed } from '../src/conformance-seed.js';
import { EventMigrationReportSchema, SAMPLES_PER_EVENT_KIND, createMemoryStore, runEventMigration } from '../src/index.js';

const PAYLOADS = join(import.meta.dirname, '../../../examples/payloads');

/** The published provider payloads as legacy event rows, one per file (provider = folder). */
function payloadSeed(): StoreSeed {
  const events: SeedEvent[] = [];
  for (const provider of readdirSync(PAYLOADS, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(join(PAYLOADS, provider.name)).filter((name) => name.endsWith('.json')).sort()) {
      events.push({
        id: `${provider.name}/${file}`,
        integration_type: provider.name,
        event_type: null,
        event_data: JSON.parse(readFileSync(join(PAYLOADS, provider.name, file), 'utf8')),
        created_at: '2025-01-15T10:30:00Z',
        canonical_event: null,
      });
    }
  }
  return { events, campaigns: [], integrations: [], flags: [] };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

describe('the events report: counts and samples per event kind', () => {
  it('counts every normalized row under its kind and keeps a few samples of each to read before applying', async () => {
    const seed = payloadSeed();
    expect(seed.events.length).toBeGreaterThanOrEqual(49);
    const store = createMemoryStore(seed);
    const report = await runEventMigration({ store, batchSize: 7 });
    expect(EventMigrationReportSchema.parse(report)).toEqual(report);
    const kinds = report.eventKinds!;
    expect(Object.keys(kinds).length).toBeGreaterThan(1);
    for (const kind of Object.keys(kinds)) expect(EVENT_KINDS).toContain(kind);
    expect(sum(kinds)).toBe(report.counts.processed - report.counts.failed);
    expect(sum(kinds)).toBe(sum(report.providers));

    const samples = report.samples!;
    const ids = new Set(seed.events.map((event) => String(event.id)));
    const failed = new Set(report.failures.map((failure) => failure.id));
    for (const kind of Object.keys(kinds)) {
      const ofKind = samples.filter((sample) => sample.eventKind === kind);
      expect(ofKind.length).toBe(Math.min(SAMPLES_PER_EVENT_KIND, kinds[kind]!));
    }
    for (const sample of samples) {
      expect(ids.has(sample.id)).toBe(true);
      expect(failed.has(sample.id)).toBe(false);
      expect(sample.template['template.event_kind']).toBe(sample.eventKind);
      for (const key of Object.keys(sample.template)) expect(key.startsWith('template.')).toBe(true);
    }
  });

  it('adds up across a limited run and its resumes exactly as in one run', async () => {
    const whole = await runEventMigration({ store: createMemoryStore(payloadSeed()), apply: true, batchSize: 10 });
    const store = createMemoryStore(payloadSeed());
    let report = await runEventMigration({ store, apply: true, batchSize: 10, limit: 15 });
    expect(report.status).toBe('limited');
    expect(sum(report.eventKinds!)).toBeLessThan(sum(whole.eventKinds!));
    while (report.status === 'limited') report = await runEventMigration({ store, apply: true, batchSize: 10, limit: 15, resume: true });
    expect(report.eventKinds).toEqual(whole.eventKinds);
  });
});
