import { describe, expect, it } from 'vitest';
import { forTheCli } from '../src/cli/open-store.js';
import { conformanceSeed } from '../src/conformance-seed.js';
import { createMemoryStore, hasDatabaseHealth, hasRunListing } from '../src/index.js';

describe('the CLI store wrapper', () => {
  it('wraps methods an adapter defines read-only (the MySQL store adds readDatabaseHealth so), describing their failures', async () => {
    const store = createMemoryStore(conformanceSeed());
    let reads = 0;
    // As Object.defineProperties leaves it: neither writable nor configurable.
    Object.defineProperty(store, 'readDatabaseHealth', {
      value: async () => {
        reads++;
        if (reads > 1) throw new Error('replica-eu: connect ECONNREFUSED');
        return { replicas: [] };
      },
      enumerable: true,
    });
    const wrapped = forTheCli(store, (error) => new Error(`described: ${(error as Error).message}`), undefined);
    expect(hasDatabaseHealth(wrapped)).toBe(true);
    expect(hasRunListing(wrapped)).toBe(true);
    expect('readDatabaseHealth' in wrapped).toBe(true);
    expect(wrapped.kind).toBe('memory');
    await expect((wrapped as unknown as { readDatabaseHealth(): Promise<unknown> }).readDatabaseHealth()).resolves.toEqual({ replicas: [] });
    await expect((wrapped as unknown as { readDatabaseHealth(): Promise<unknown> }).readDatabaseHealth()).rejects.toThrow('described: replica-eu: connect ECONNREFUSED');
    // Every other method runs on the store itself.
    expect(await wrapped.eventStatus()).toEqual(await store.eventStatus());
  });
});
