import { z } from 'zod';
import { RowIdSchema } from './field-schemas.js';

/**
 * What a reviewer decided for one campaign: use this integration, use the native source, or
 * leave the campaign as it is for now (`skip`, also accepted for invalid rows and rows sharing an
 * id, so they can be accounted for without editing the database).
 *
 * An integration of another provider than the one `data_source` names is refused unless
 * `allow_provider_mismatch` is `true`: picking a Stripe integration for a Shopify campaign is
 * more often a slip than a decision.
 */
export const ResolutionSchema = z.union(
  [
    z.literal('native'),
    z.literal('skip'),
    z.strictObject({ integration_id: RowIdSchema, allow_provider_mismatch: z.boolean({ error: 'must be true or false' }).optional() }),
  ],
  { error: 'must be "native", "skip" or { "integration_id": <id> }' },
);

/** One reviewer decision. */
export type Resolution = z.infer<typeof ResolutionSchema>;

/**
 * The resolutions file: `resolutions` maps a campaign id to a {@link Resolution}. Other top-level
 * keys (a `comment`, who reviewed) are allowed and ignored.
 *
 * @example
 * ```json
 * {
 *   "schemaVersion": 1,
 *   "resolutions": {
 *     "campaign-7": { "integration_id": "int-42" },
 *     "campaign-9": "native",
 *     "campaign-12": "skip",
 *     "campaign-15": { "integration_id": "int-7", "allow_provider_mismatch": true }
 *   }
 * }
 * ```
 */
export const ResolutionsFileSchema = z.looseObject({
  schemaVersion: z.literal(1, { error: 'must be 1' }),
  resolutions: z.record(z.string(), ResolutionSchema, { error: 'must be an object mapping campaign ids to resolutions' }),
});

/** A resolutions file. */
export type ResolutionsFile = z.infer<typeof ResolutionsFileSchema>;
