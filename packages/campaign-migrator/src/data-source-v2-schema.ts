import { PROVIDER_IDS } from '@app/canonical-events/providers';
import { z } from 'zod';
import { JsonObjectSchema, RowIdSchema } from './field-schemas.js';

/**
 * One entry of `data_sources_v2`. `integration_id` is `null` for the native (built-in) source;
 * `provider` is a canonical provider id of `@app/canonical-events`; `filters` is copied from the
 * campaign's `integration_settings` (or `native_config` for the native source).
 */
export const DataSourceV2Schema = z.looseObject({
  integration_id: RowIdSchema.nullable(),
  provider: z.enum(PROVIDER_IDS, { error: 'must be a canonical provider id of @app/canonical-events' }),
  filters: JsonObjectSchema,
});

/** One entry of `data_sources_v2`. */
export type DataSourceV2 = z.infer<typeof DataSourceV2Schema>;
