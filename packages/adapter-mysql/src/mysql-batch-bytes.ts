import type { BatchRecordsText } from '@app/sql-store';

/** The part of Node's `Buffer` this file uses (the package's browser build declares no Node types). */
interface NodeBuffer extends Uint8Array {
  write(text: string, offset: number): number;
  subarray(start?: number, end?: number): NodeBuffer;
}
interface NodeBufferClass {
  allocUnsafeSlow(size: number): NodeBuffer;
  byteLength(text: string): number;
}

const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;

/** The first size of a buffer; it doubles as batches need, and then stays. */
const INITIAL_BYTES = 256 * 1024;
/** A buffer grown past this (a batch far above the byte budget) is not kept for the next batch. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;

/**
 * Buffers reused from batch to batch for the bytes of a batch's rows ({@link BatchRecordsText}),
 * one per write in flight (a worker's transaction each). The rows are written into one as UTF-8
 * piece by piece and mysql2 gets the bytes, a Buffer (which it copies into the statement's packet
 * as it sends it): no string of the whole batch is ever made. That string, about 1 MB per batch
 * and held by the driver until the statement's result came, outlived V8's young collections and
 * was promoted to the old generation with most batches, then let pile up to four times the live
 * heap before each full collection (see the README's memory section). A buffer goes back for the
 * next batch once the statement that read it is done; after a failure it is dropped.
 */
export class MysqlBatchBytes {
  readonly #free: NodeBuffer[] = [];

  /** `false` outside Node (no `Buffer`): the session sends the rows' text instead. */
  static readonly available = NodeBuffer !== undefined;

  /**
   * Runs `send` with the rows' bytes in a buffer of this set (a view of its first bytes), and
   * takes the buffer back once `send` has settled: `send` must not keep the bytes past that.
   */
  async with<T>(rows: BatchRecordsText, send: (bytes: Uint8Array) => Promise<T>): Promise<T> {
    const Buffer = NodeBuffer!;
    let buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(INITIAL_BYTES);
    let length = 0;
    rows.eachPart((part) => {
      // UTF-8 takes at most 3 bytes per UTF-16 unit; only a part that might not fit is measured.
      if (length + part.length * 3 > buffer.length) {
        const needed = length + Buffer.byteLength(part);
        if (needed > buffer.length) {
          const grown = Buffer.allocUnsafeSlow(Math.max(needed, buffer.length * 2));
          grown.set(buffer.subarray(0, length));
          buffer = grown;
        }
      }
      length += buffer.write(part, length);
    });
    const result = await send(buffer.subarray(0, length));
    if (buffer.length <= MAX_KEPT_BYTES) this.#free.push(buffer);
    return result;
  }
}
