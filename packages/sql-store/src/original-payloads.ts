import type { EventUpdate, RowKey } from '@app/migrate';

/** One canonical event to write, with or without its payload. */
export interface CanonicalEventWrite {
  id: RowKey;
  /** The canonical event; without `payload` when {@link original} is true. */
  event: unknown;
  /** The event's payload is the row's own `event_data`: the SQL sets it from the stored column. */
  original: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Remembers the `event_data` objects a store handed out, by row key. A canonical event whose
 * `payload` is that very object is written without it, and the SQL sets the payload from the
 * stored `event_data`: payloads stay byte-exact (even numbers JavaScript cannot represent) and
 * the batch sends half the bytes. Weakly held: nothing is kept once the runner drops a batch.
 */
export class OriginalPayloads {
  readonly #keys = new WeakMap<object, RowKey>();

  /** Records `eventData` as the payload read for row `id`. */
  remember(id: RowKey, eventData: unknown): void {
    if (typeof eventData === 'object' && eventData !== null) this.#keys.set(eventData, id);
  }

  /** How to write one update: its payload left to the SQL when it is the row's own. */
  toWrite(update: EventUpdate): CanonicalEventWrite {
    const event = update.canonicalEvent;
    if (isObject(event) && typeof event.payload === 'object' && event.payload !== null && this.#keys.get(event.payload) === update.id) {
      const { payload: _, ...rest } = event;
      return { id: update.id, event: rest, original: true };
    }
    return { id: update.id, event, original: false };
  }
}
