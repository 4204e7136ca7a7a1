import { BatchRecordsText, PreparedEventUpdate } from '@app/sql-store';
import { describe, expect, it } from 'vitest';
import { MysqlBatchBytes } from '../src/mysql-batch-bytes.js';

const rows = (count: number, note: string) =>
  new BatchRecordsText(Array.from({ length: count }, (_, i) => new PreparedEventUpdate({ id: `evt-${i}`, event: { event_id: `evt-${i}`, note }, original: i % 2 === 0 })));

describe('a batch\'s rows as bytes in reused buffers (MysqlBatchBytes)', () => {
  it('writes the rows\' text as UTF-8, grows a buffer past its first size, and hands the same memory to the next batch', async () => {
    const bytes = new MysqlBatchBytes();
    const seen: Uint8Array[] = [];
    const decoded = (records: BatchRecordsText) =>
      bytes.with(records, async (view) => {
        seen.push(view);
        return new TextDecoder('utf-8', { fatal: true }).decode(view);
      });
    // Multi-byte characters (2, 3 and 4 bytes in UTF-8) and a batch of about 1.5 MB, past the first 256 kB.
    const large = rows(1_000, `Zoë 🎉 ${'日本'.repeat(200)} ${'x'.repeat(800)}`);
    expect(await decoded(large)).toBe(String(large));
    expect(seen[0]!.buffer.byteLength).toBeGreaterThanOrEqual(seen[0]!.byteLength);
    expect(seen[0]!.byteLength).toBeGreaterThan(1_000_000);
    const small = rows(3, 'a "quoted" \\ note');
    expect(await decoded(small)).toBe(String(small));
    expect(seen[1]!.buffer).toBe(seen[0]!.buffer);
    expect(await decoded(new BatchRecordsText([]))).toBe('[]');
  });

  it('gives each write in flight a buffer of its own, and drops the one of a write that failed', async () => {
    const bytes = new MysqlBatchBytes();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first: Uint8Array[] = [];
    const inFlight = bytes.with(rows(2, 'one'), async (view) => (first.push(view), await held, new TextDecoder().decode(view)));
    const second = await bytes.with(rows(2, 'two'), async (view) => {
      expect(view.buffer).not.toBe(first[0]!.buffer);
      return new TextDecoder().decode(view);
    });
    expect(second).toBe(String(rows(2, 'two')));
    release();
    // The first write's bytes were not touched by the second.
    expect(await inFlight).toBe(String(rows(2, 'one')));
    const failed: Uint8Array[] = [];
    await expect(bytes.with(rows(1, 'x'), async (view) => (failed.push(view), Promise.reject(new Error('lost'))))).rejects.toThrow('lost');
    const after: Uint8Array[] = [];
    await bytes.with(rows(1, 'y'), async (view) => (after.push(view), undefined));
    expect(after[0]!.buffer).not.toBe(failed[0]!.buffer);
  });
});
