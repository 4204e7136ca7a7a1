import { z } from 'zod';

/**
 * The source of truth for a legacy `events` row: `{ id, integration_type, event_data,
 * event_type?, created_at? }`. `event_data` is the provider's raw JSON body and is not validated
 * here (any JSON is accepted and handled by the normalizers). Shopify and WooCommerce rows carry
 * no `event_type` (those providers send it in a header). Ids are strings, safe integers or
 * bigints, never rounded numbers.
 */
export const LegacyEventRowSchema = z.object({
  id: z.union([
    z.string().trim().min(1).max(256),
    z.number().refine(Number.isSafeInteger, { message: 'a numeric id must be a safe integer; pass larger ids as strings' }),
    z.bigint(),
  ]),
  integration_type: z.string().nullish(),
  event_data: z.unknown(),
  event_type: z.string().nullish(),
  created_at: z.union([z.string(), z.number(), z.date()]).nullish(),
});

/** A legacy event row (the input of `normalizeEvent`). */
export type LegacyEventRow = z.input<typeof LegacyEventRowSchema>;

function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

const ROW_FIELDS = ['id', 'integration_type', 'event_data', 'event_type', 'created_at'] as const;

/**
 * The row's own fields, read once each into a null-prototype record: a column the row lacks stays
 * missing even when `Object.prototype` is polluted, and a getter that returns something else on
 * every read cannot make the check and the use disagree. May throw on a hostile row (a throwing
 * getter, a Proxy); `normalizeEvent` turns that into `INVALID_ROW`.
 */
export function ownRowFields(row: object): Partial<Record<(typeof ROW_FIELDS)[number], unknown>> {
  const fields: Partial<Record<(typeof ROW_FIELDS)[number], unknown>> = Object.create(null) as Partial<Record<(typeof ROW_FIELDS)[number], unknown>>;
  for (const key of ROW_FIELDS) if (Object.hasOwn(row, key)) fields[key] = (row as Record<string, unknown>)[key];
  return fields;
}

/**
 * True when `row` certainly satisfies {@link LegacyEventRowSchema} and has an object or array as
 * `event_data`: the hot path of `normalizeEvent` uses this plain check and runs zod only to
 * explain a row that fails it. Never true for a row the schema rejects.
 */
export function isWellFormedEventRow(row: unknown): row is LegacyEventRow & { event_data: object } {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return false;
  const { id, integration_type, event_data, event_type, created_at } = ownRowFields(row);
  const idOk =
    typeof id === 'string' ? id.length <= 256 && id.trim().length > 0 && id.trim().length <= 256
    : typeof id === 'number' ? Number.isSafeInteger(id)
    : typeof id === 'bigint';
  return (
    idOk &&
    typeof event_data === 'object' &&
    event_data !== null &&
    isOptionalString(integration_type) &&
    isOptionalString(event_type) &&
    (created_at === undefined || created_at === null || typeof created_at === 'string' || typeof created_at === 'number' || created_at instanceof Date)
  );
}
