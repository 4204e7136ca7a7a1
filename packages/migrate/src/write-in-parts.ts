import { isDataRejected } from './errors.js';

/**
 * Writes `updates` with `write` (one transaction per call). When the database refuses the data of
 * a part ({@link DataRejectedError}: nothing of it was written), the part is halved and each half
 * written, until a refused row is alone: `reject` gets it, with the database's error, and the
 * other rows are written. A batch with one poison row thus costs about 2·log2(n) extra writes,
 * and a row is never written twice. Any other error is thrown as it is.
 */
export async function writeInParts<U>(
  updates: readonly U[],
  write: (part: readonly U[]) => Promise<void>,
  reject: (update: U, error: Error) => void,
): Promise<void> {
  try {
    await write(updates);
  } catch (error) {
    if (!isDataRejected(error) || updates.length === 0) throw error;
    if (updates.length === 1) {
      reject(updates[0]!, error);
      return;
    }
    const middle = Math.ceil(updates.length / 2);
    await writeInParts(updates.slice(0, middle), write, reject);
    await writeInParts(updates.slice(middle), write, reject);
  }
}
