const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An integer a driver returned as a `bigint` (better-sqlite3 with `safeIntegers`, a BIGINT column
 * of mysql2) as a plain value that stays exact: a `number` while it is a safe integer, its
 * decimal text past 2^53. Owner keys and ids thus never pass through a rounded JS number
 * (9007199254740993 would read as 9007199254740992, another tenant's owner), and rows stay
 * JSON-serializable. Anything else is returned as it is.
 */
export function exactInteger(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
}
