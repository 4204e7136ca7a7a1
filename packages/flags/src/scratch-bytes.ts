// One shared buffer for the bytes a key hashes as: allocating per call would cost more than the
// hash itself. Hashing is synchronous, so no two callers ever hold it at once. Longer keys get
// their own array so one huge key cannot pin memory for ever.
const scratch = new Uint8Array(1024);

/** A buffer of at least `length` bytes: the shared one when it fits, else a fresh one. */
export function scratchBytes(length: number): Uint8Array {
  return length <= scratch.length ? scratch : new Uint8Array(length);
}
