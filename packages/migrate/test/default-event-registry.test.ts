import { DEFAULT_NORMALIZERS, defaultRegistry } from '@app/canonical-events';
import { describe, expect, it } from 'vitest';
import { defaultEventRegistry } from '../src/default-event-registry.js';

// The runner builds its default registry from the zod-free entries of @app/canonical-events; it
// must stay the package's defaultRegistry: the same normalizers in the same order, the same fallback.
describe('defaultEventRegistry', () => {
  it('lists the normalizers of defaultRegistry, in its order, with its fallback', () => {
    const named = (normalizer: { name: string; version: number }) => `${normalizer.name}@${normalizer.version}`;
    expect(defaultEventRegistry.normalizers.map(named)).toEqual(DEFAULT_NORMALIZERS.map(named));
    expect(defaultEventRegistry.normalizers.map(named)).toEqual(defaultRegistry.normalizers.map(named));
    expect(named(defaultEventRegistry.resolve(undefined))).toBe(named(defaultRegistry.resolve(undefined)));
  });

  it('normalizes a row as defaultRegistry does', () => {
    const row = { id: 'evt-1', integration_type: 'shopify', event_type: 'orders/create', event_data: { id: 1, created_at: '2026-01-01T00:00:00Z', customer: { first_name: 'Anna' } }, created_at: '2026-01-01T00:00:00Z' };
    expect(defaultEventRegistry.normalizeEvent(row)).toEqual(defaultRegistry.normalizeEvent(row));
  });
});
