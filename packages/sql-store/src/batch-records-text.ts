import { eventRecordsJson } from './batch-records.js';
import type { PreparedEventUpdate } from './prepared-event-update.js';

/**
 * A batch's rows as one JSON array text ({@link eventRecordsJson}), joined each time it is asked
 * for and never kept: a statement's parameter a driver reads as it sends the statement. The text
 * of a batch is a string of about 1 MB; built ahead, or held from the statement's start to its
 * result, it outlived V8's young collections and was promoted to the old generation with every
 * batch, and with the full collections that followed made most of a runner's peak memory. Read
 * when the statement is serialized, it is garbage before the next young collection.
 */
export class BatchRecordsText {
  readonly #updates: readonly PreparedEventUpdate[];

  constructor(updates: readonly PreparedEventUpdate[]) {
    this.#updates = updates;
  }

  /** The text, joined now. */
  toString(): string {
    return eventRecordsJson(this.#updates);
  }

  /**
   * The same text in consecutive parts, handed to `visit` in order (their concatenation is
   * {@link toString}'s text), for a driver that writes them into bytes of its own: no string of
   * the whole batch is made. The parts are the records' pieces (the canonical event's JSON text as
   * prepared, its {@link PreparedEventUpdate.recordStart} before it, the punctuation), never larger than one record.
   */
  eachPart(visit: (part: string) => void): void {
    const updates = this.#updates;
    visit('[');
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i]!;
      if (i > 0) visit(',');
      visit(update.recordStart());
      visit(update.eventJson);
      visit('}');
    }
    visit(']');
  }

  /** node-postgres's custom type hook: a `pg` client calls it as it serializes the statement's parameters. */
  toPostgres(): string {
    return this.toString();
  }
}
