import type { EventUpdate, RowKey } from '@app/migrate/core';
import type { CanonicalEventWrite } from './original-payloads.js';

/**
 * One canonical event as a SQL store writes it, serialized ahead: what `prepareEventBatch` hands
 * the runner in place of its update. It keeps the event's JSON text and none of its objects, so a
 * batch waiting for its write holds one string per row; the batch's parsed payloads and canonical
 * events die young instead of lasting until the write (and being promoted to V8's old generation
 * on the way). Its `canonicalEvent` is gone: only the store that made it writes it.
 */
export class PreparedEventUpdate implements EventUpdate {
  /** The row's key. */
  readonly id: RowKey;
  /** The SQL sets the event's `payload` from the row's own `event_data` ({@link CanonicalEventWrite.original}). */
  readonly original: boolean;
  /** The canonical event (without `payload` when {@link original}) as JSON text. */
  readonly eventJson: string;

  constructor(write: CanonicalEventWrite) {
    this.id = write.id;
    this.original = write.original;
    this.eventJson = JSON.stringify(write.event ?? null);
  }

  /** Not kept: a store that did not prepare this update cannot write it, and fails instead of writing something else. */
  get canonicalEvent(): never {
    throw new TypeError(`event ${this.id} was prepared by a SQL store for its own write: its canonical event is only kept as JSON text (eventJson)`);
  }

  /** The row as one record of a batch's JSON array: `{"id":…,"original":1|0,"event":…}`. */
  record(): string {
    return `${this.recordStart()}${this.eventJson}}`;
  }

  /** The {@link record} up to its event's JSON text, `{"id":…,"original":1|0,"event":`: the record is this, {@link eventJson} and `}`. */
  recordStart(): string {
    return `{"id":${JSON.stringify(String(this.id))},"original":${this.original ? 1 : 0},"event":`;
  }
}
