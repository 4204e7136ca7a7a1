/**
 * `@app/flags/browser`: browser-only helpers for widgets.
 *
 * @packageDocumentation
 */
export {
  ANONYMOUS_ID_STORAGE_KEY,
  type AnonymousIdOptions,
  type AnonymousIdStorage,
  getAnonymousId,
} from './anonymous-id.js';
