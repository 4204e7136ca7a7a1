import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ID_STORAGE_KEY, type AnonymousIdStorage, getAnonymousId } from '../src/browser.js';

class MemoryStorage implements AnonymousIdStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('getAnonymousId', () => {
  it('creates a UUID v4 once and keeps it in storage', () => {
    const storage = new MemoryStorage();
    const id = getAnonymousId({ storage });
    expect(id).toMatch(uuidV4);
    expect(storage.items.get(ANONYMOUS_ID_STORAGE_KEY)).toBe(id);
    expect(getAnonymousId({ storage })).toBe(id);
  });

  it('reuses an id already stored (a later page load)', () => {
    const storage = new MemoryStorage();
    storage.setItem('visitor', 'existing-visitor-id');
    expect(getAnonymousId({ storage, storageKey: 'visitor' })).toBe('existing-visitor-id');
  });

  it('keeps a stable in-memory id when storage throws or is absent', () => {
    const throwing: AnonymousIdStorage = {
      getItem() {
        throw new Error('SecurityError');
      },
      setItem() {
        throw new Error('QuotaExceededError');
      },
    };
    const first = getAnonymousId({ storage: throwing, storageKey: 'blocked' });
    expect(first).toMatch(uuidV4);
    expect(getAnonymousId({ storage: throwing, storageKey: 'blocked' })).toBe(first);
    const none = getAnonymousId({ storage: null, storageKey: 'none' });
    expect(getAnonymousId({ storage: null, storageKey: 'none' })).toBe(none);
    expect(none).not.toBe(first);
  });

  it('works without localStorage (Node, workers) using the in-memory id', () => {
    expect(getAnonymousId()).toBe(getAnonymousId());
  });
});

describe('getAnonymousId before and after consent', () => {
  it('touches no storage with persist: false, then stores the same id once persisting is allowed', () => {
    const touched: string[] = [];
    const storage: AnonymousIdStorage = {
      getItem(key) {
        touched.push(`get ${key}`);
        return null;
      },
      setItem(key) {
        touched.push(`set ${key}`);
      },
    };
    const before = getAnonymousId({ storage, storageKey: 'consent-test', persist: false });
    expect(getAnonymousId({ storage, storageKey: 'consent-test', persist: false })).toBe(before);
    expect(touched).toEqual([]);
    expect(getAnonymousId({ storage, storageKey: 'consent-test', persist: true })).toBe(before);
    expect(touched).toEqual(['get consent-test', 'set consent-test']);
  });

  it('returns the id a consenting earlier visit stored', () => {
    const storage = new MemoryStorage();
    storage.setItem('consent-earlier', 'stored-id');
    const before = getAnonymousId({ storage, storageKey: 'consent-earlier', persist: false });
    expect(before).not.toBe('stored-id');
    expect(getAnonymousId({ storage, storageKey: 'consent-earlier' })).toBe('stored-id');
  });
});
