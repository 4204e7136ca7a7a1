/** The edit distance of two short names (insertions, deletions, substitutions, swaps of neighbours). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known name closest to a mistyped one, when it is close enough to be what was meant: at most
 * one edit for names of up to four letters, two for longer ones, or a unique name it begins.
 * `undefined` when nothing is that close (or two names are equally close).
 */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  const wanted = typed.toLowerCase();
  const scored = known.map((name) => ({ name, score: distance(wanted, name.toLowerCase()) })).sort((a, b) => a.score - b.score);
  const best = scored[0];
  if (best !== undefined && best.score <= (wanted.length <= 4 ? 1 : 2) && scored[1]?.score !== best.score) return best.name;
  const prefixed = known.filter((name) => wanted.length >= 3 && name.startsWith(wanted));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
