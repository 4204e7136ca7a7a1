import { z } from 'zod';
import { type DataSourceV2, DataSourceV2Schema } from './data-source-v2-schema.js';
import { JsonObjectSchema, RowIdSchema } from './field-schemas.js';

/**
 * `integration_settings`: a JSON object whose optional `integration_id` references one integration
 * explicitly; every other key is a filter (`{ events: ["order.created"] }`).
 */
export const IntegrationSettingsSchema = z
  .object({ integration_id: RowIdSchema.nullish() })
  .catchall(z.json({ error: 'must be a JSON value (string, finite number, boolean, null, array or object)' }));

/**
 * A legacy campaign row. Only the columns the migration reads are checked; every other column is
 * kept as it is. The owner column is configurable (`ownerKey`), so it is checked separately with
 * {@link OwnerIdSchema}.
 */
export const CampaignRowSchema = z.looseObject({
  id: RowIdSchema,
  data_source: z.string({ error: 'must be a string or null' }).nullish(),
  native_config: JsonObjectSchema.nullish(),
  integration_settings: IntegrationSettingsSchema.nullish(),
  data_sources_v2: z.array(DataSourceV2Schema, { error: 'must be an array or null' }).nullish(),
});

/** A legacy campaign row (checked columns typed, every other column `unknown`). */
export type CampaignRow = z.infer<typeof CampaignRowSchema>;

/** A campaign row after migration: every original column plus a non-empty `data_sources_v2`. */
export type MigratedCampaignRow = CampaignRow & { data_sources_v2: DataSourceV2[] };
