import type { RunCheckpoint } from '@app/migrate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BatchRecordsText,
  CHECKPOINT_COLUMNS,
  OriginalPayloads,
  PreparedEventUpdate,
  batchRecordsJson,
  SqlParameters,
  SqlStoreError,
  checkpointFromRow,
  checkpointValues,
  decodeJsonText,
  jsonMemberPath,
  knownJsonColumns,
  resolveNames,
} from '../src/index.js';

describe('the pieces every adapter shares', () => {
  it('round-trips a checkpoint through its row, JSON columns as text or parsed', () => {
    const checkpoint: RunCheckpoint = {
      runKey: 'events#2/4',
      migration: 'events',
      status: 'running',
      cursor: 'evt-0042',
      counts: { processed: 42, written: 40, failed: 2 },
      failures: [{ id: 'evt-0040', code: 'INVALID_EVENT_DATA', reason: 'Event row "evt-0040": event_data must be a JSON object' }],
      startedAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:05:00.000Z',
    };
    const values = checkpointValues(checkpoint);
    const row = Object.fromEntries([['run_key', checkpoint.runKey], ...CHECKPOINT_COLUMNS.map((column, i) => [column, values[i]])]);
    expect(checkpointFromRow(row, decodeJsonText)).toEqual(checkpoint);
    const parsedByDriver = { ...row, counts: checkpoint.counts, failures: checkpoint.failures, started_at: new Date(checkpoint.startedAt) };
    expect(checkpointFromRow(parsedByDriver)).toEqual(checkpoint);
    // What the checkpoint describes travels with it.
    const bound: RunCheckpoint = { ...checkpoint, scope: { source: '"events"."id"', range: { after: 'evt-0030', upTo: null }, renormalize: true } };
    const boundValues = checkpointValues(bound);
    const boundRow = Object.fromEntries([['run_key', bound.runKey], ...CHECKPOINT_COLUMNS.map((column, i) => [column, boundValues[i]])]);
    expect(checkpointFromRow(boundRow, decodeJsonText)).toEqual(bound);
    // A run stopped at its limit, and the runs before it, ride in the scope column's JSON (no new column).
    const later: RunCheckpoint = { ...bound, limited: true, acknowledgedFailures: true, history: [{ status: 'completed', cursor: 'evt-0120', counts: { processed: 120, written: 117 }, startedAt: checkpoint.startedAt, updatedAt: checkpoint.updatedAt }] };
    const laterValues = checkpointValues(later);
    const laterRow = Object.fromEntries([['run_key', later.runKey], ...CHECKPOINT_COLUMNS.map((column, i) => [column, laterValues[i]])]);
    expect(checkpointFromRow(laterRow, decodeJsonText)).toEqual(later);
    const unbound: RunCheckpoint = { ...checkpoint, history: later.history! };
    const unboundValues = checkpointValues(unbound);
    expect(checkpointFromRow(Object.fromEntries([['run_key', unbound.runKey], ...CHECKPOINT_COLUMNS.map((column, i) => [column, unboundValues[i]])]), decodeJsonText)).toEqual(unbound);
  });

  it('decodes JSON text and never throws on text that is not JSON', () => {
    expect(decodeJsonText('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
    expect(decodeJsonText('"quoted"')).toBe('quoted');
    expect(decodeJsonText('not json')).toBe('not json');
    expect(decodeJsonText(null)).toBeNull();
    expect(decodeJsonText(undefined)).toBeNull();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(decodeJsonText(text)).toEqual(JSON.parse(text));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        decodeJsonText(text);
      }),
    );
  });

  it('quotes JSON member names so a dot stays inside one member', () => {
    expect(jsonMemberPath(['normalized', 'meta.normalizer'])).toBe('$."normalized"."meta.normalizer"');
    expect(jsonMemberPath(['a"b', 'c\\d'])).toBe('$."a\\"b"."c\\\\d"');
    expect(jsonMemberPath([])).toBe('$');
  });

  it('hands out placeholders in order, in either style', () => {
    const question = new SqlParameters();
    expect([question.add('a'), question.list([1, 2])]).toEqual(['?', '?, ?']);
    expect(question.values).toEqual(['a', 1, 2]);
    const dollar = new SqlParameters((n) => `$${n}`);
    expect([dollar.add('a'), dollar.list([1, 2])]).toEqual(['$1', '$2, $3']);
  });

  it('resolves and quotes configured names, and knows the product JSON columns under them', () => {
    const names = resolveNames({ schema: 'app', tables: { events: 'legacy_events' }, columns: { events: { eventData: 'body' }, campaigns: { dataSourcesV2: 'sources' } } }, (n) => `[${n}]`);
    expect(names.events).toBe('[app].[legacy_events]');
    expect(names.runs).toBe('[app].[migration_runs]');
    expect(names.event.eventData).toBe('[body]');
    expect([...knownJsonColumns(names, 'events')]).toEqual(['body', 'canonical_event']);
    expect(knownJsonColumns(names, 'campaigns').has('sources')).toBe(true);
  });

  it('leaves a payload to the SQL only when it is the very object read for that row', () => {
    const originals = new OriginalPayloads();
    const eventData = { order: 1 };
    originals.remember('e1', eventData);
    expect(originals.toWrite({ id: 'e1', canonicalEvent: { event_id: 'e1', payload: eventData } })).toEqual({ id: 'e1', event: { event_id: 'e1' }, original: true });
    // The same object under another row, or an equal copy, is sent as it is.
    expect(originals.toWrite({ id: 'e2', canonicalEvent: { event_id: 'e2', payload: eventData } }).original).toBe(false);
    expect(originals.toWrite({ id: 'e1', canonicalEvent: { event_id: 'e1', payload: { order: 1 } } }).original).toBe(false);
  });

  it('writes events serialized ahead as the same batch text, whole or in parts, and keeps none of their objects', () => {
    const writes = [
      { id: 'e1', event: { event_id: 'e1', normalized: { 'meta.provider': 'stripe' } }, original: true },
      { id: 'e"2', event: { event_id: 'e"2', payload: { note: 'a\u0000b' } }, original: false },
      { id: 'e3', event: undefined, original: false },
    ];
    const prepared = writes.map((write) => new PreparedEventUpdate(write));
    const events = { table: 'events', updates: writes } as const;
    expect(String(new BatchRecordsText(prepared))).toBe(batchRecordsJson(events));
    expect(new BatchRecordsText(prepared).toPostgres()).toBe(batchRecordsJson(events));
    expect(String(new BatchRecordsText(prepared.slice(1)))).toBe(batchRecordsJson({ table: 'events', updates: writes.slice(1) }));
    // In parts (for bytes written piece by piece), the same text; none of a whole batch, each at most one record.
    for (const rows of [prepared, prepared.slice(1), prepared.slice(0, 1), []]) {
      const parts: string[] = [];
      new BatchRecordsText(rows).eachPart((part) => parts.push(part));
      expect(parts.join('')).toBe(String(new BatchRecordsText(rows)));
      expect(Math.max(...parts.map((part) => part.length))).toBeLessThanOrEqual(Math.max(1, ...rows.map((row) => row.record().length)));
    }
    expect(JSON.parse(String(new BatchRecordsText(prepared)))).toEqual([
      { id: 'e1', original: 1, event: writes[0]!.event },
      { id: 'e"2', original: 0, event: writes[1]!.event },
      { id: 'e3', original: 0, event: null },
    ]);
    // Only the store that prepared it can write it: its canonical event is gone, and asking for it fails.
    expect(() => prepared[0]!.canonicalEvent).toThrow(TypeError);
    expect(Object.values(prepared[0]!).some((value) => typeof value === 'object' && value !== null)).toBe(false);
  });
});

describe('SqlStoreError', () => {
  const driverError = (fields: { code?: string; errno?: number }, message: string) => Object.assign(new Error(message), fields);

  it("says which of the database's limits ended the statement, from the driver's code (57014 by its message: a cancel by hand shares it)", () => {
    const cases: [ReturnType<typeof driverError>, 'lock' | 'statement' | undefined, boolean][] = [
      [driverError({ code: '55P03' }, 'canceling statement due to lock timeout'), 'lock', true],
      [driverError({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }, 'Lock wait timeout exceeded; try restarting transaction'), 'lock', true],
      [driverError({ code: 'SQLITE_BUSY' }, 'database is locked'), 'lock', true],
      [driverError({ code: '57014' }, 'canceling statement due to statement timeout'), 'statement', false],
      [driverError({ code: '57014' }, 'canceling statement due to user request'), undefined, false],
      [driverError({ errno: 1969 }, 'Query execution was interrupted (max_statement_time exceeded)'), 'statement', false],
      [driverError({ code: 'ER_QUERY_TIMEOUT', errno: 3024 }, 'Query execution was interrupted, maximum statement execution time exceeded'), 'statement', false],
      [driverError({ code: '40P01' }, 'deadlock detected'), undefined, true],
      [driverError({ code: '23505' }, 'duplicate key value'), undefined, false],
    ];
    for (const [cause, timeout, retryable] of cases) {
      const error = new SqlStoreError('PostgreSQL', 'writing 10 canonical events', cause);
      expect({ message: cause.message, timeout: error.timeout, retryable: error.retryable }).toEqual({ message: cause.message, timeout, retryable });
    }
  });
});
