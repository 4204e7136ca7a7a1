/** Freezes a value and everything reachable from it, so any write by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** mulberry32: a tiny seeded PRNG, so generated data is the same on every run (no Math.random). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Applies a report the way the migration runner will: writes each item's patch, nothing else. */
export function applyReport(rows: readonly Record<string, unknown>[], report: { items: readonly { campaignId: string | null; patch: { data_sources_v2: unknown } | null }[] }): Record<string, unknown>[] {
  const patches = new Map(report.items.filter((item) => item.patch !== null).map((item) => [item.campaignId, item.patch]));
  return rows.map((row) => {
    const patch = patches.get(String(row.id));
    return patch == null ? row : { ...row, data_sources_v2: patch.data_sources_v2 };
  });
}

/** A minimal RFC 4180 reader, to check the CSV the package writes parses back to the same cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
