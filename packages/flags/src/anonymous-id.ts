/** The storage key under which {@link getAnonymousId} keeps the visitor's id. */
export const ANONYMOUS_ID_STORAGE_KEY = 'app_flags_anonymous_id';

/** The part of the Web Storage API that {@link getAnonymousId} uses. */
export interface AnonymousIdStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Options of {@link getAnonymousId}. */
export interface AnonymousIdOptions {
  /** Where to keep the id; `globalThis.localStorage` when it is usable. */
  storage?: AnonymousIdStorage | null;
  /** The key to keep it under; {@link ANONYMOUS_ID_STORAGE_KEY} by default. */
  storageKey?: string;
  /**
   * Whether the id may be read from and written to `storage` (default `true`). Where storing an
   * identifier needs the visitor's consent (the EU's ePrivacy rules), pass `false` until they
   * give it: the id then lives in memory only, stable for the life of the page. The first call
   * with `persist: true` stores that same id (or returns the one a consenting earlier visit
   * stored), so buckets do not move when consent arrives.
   */
  persist?: boolean;
}

// Where storage is blocked (private mode, sandboxed iframes, cookies off) the id still has to stay
// the same for the life of the page, so every flag a widget checks agrees.
const idsWithoutStorage = new Map<string, string>();

function defaultStorage(): AnonymousIdStorage | null {
  try {
    // Reading `localStorage` itself throws a SecurityError when storage is blocked.
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function randomId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A stable id for an anonymous visitor, to use as the subject key of flag evaluations.
 *
 * The first call creates a random UUID v4 and keeps it in `localStorage`; later calls, on this
 * and every later page load of the same origin, return it. With `persist: false` (before the
 * visitor consents to storage) nothing is read or written: the id stays in memory until a call
 * with `persist: true`. When storage is unavailable or throws
 * (private browsing, blocked cookies, a server), the id is kept in memory for the life of the
 * page instead. Never throws.
 */
export function getAnonymousId(options: AnonymousIdOptions = {}): string {
  const key = options.storageKey ?? ANONYMOUS_ID_STORAGE_KEY;
  const storage = options.persist === false ? null : options.storage === undefined ? defaultStorage() : options.storage;
  if (storage) {
    try {
      const existing = storage.getItem(key);
      if (existing) return existing;
    } catch {
      // Blocked storage: the in-memory id below keeps the page consistent.
    }
  }
  let id = idsWithoutStorage.get(key);
  if (id === undefined) {
    id = randomId();
    idsWithoutStorage.set(key, id);
  }
  if (storage) {
    try {
      storage.setItem(key, id);
    } catch {
      // Quota exceeded or blocked: the id still lives in memory for this page.
    }
  }
  return id;
}
