/**
 * One buffer for the bytes a key hashes as, shared by every string hash: allocating per call
 * would cost more than the hash itself. Hashing is synchronous, so no two callers ever hold it at
 * once. It fits the UTF-8 of 1,024 UTF-16 code units (3 bytes each at most); a longer key gets its
 * own array, so one huge key cannot pin memory for ever.
 */
export const SCRATCH_BYTES = new Uint8Array(3072);
