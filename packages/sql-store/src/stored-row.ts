import type { StoredRow } from '@app/migrate';

/**
 * Turns a table row into a {@link @app/migrate!StoredRow | StoredRow}: the key as `id` (text),
 * columns renamed from the team's names to the product's (`[column, as]`).
 */
export function storedRow(key: string, row: Record<string, unknown>, idColumn: string, renames: readonly (readonly [string, string])[] = []): StoredRow {
  const copy: Record<string, unknown> = { ...row };
  delete copy[idColumn];
  for (const [column, as] of renames) {
    if (column === as) continue;
    copy[as] = copy[column] ?? null;
    delete copy[column];
  }
  return { ...copy, id: key };
}
