/** Rows nested deeper than this are invalid: the report could not be written as JSON safely. */
export const MAX_NESTING_DEPTH = 100;

/** The `why` of a row or column nested deeper than {@link MAX_NESTING_DEPTH} (or circular). */
export const TOO_DEEP_WHY = `is nested deeper than ${MAX_NESTING_DEPTH} levels (or is circular)`;

/**
 * True when `value` has objects or arrays nested more than `limit` levels deep. Walks with an
 * explicit stack, so neither depth nor a cycle can overflow the call stack.
 */
export function exceedsNestingDepth(value: unknown, limit: number = MAX_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
