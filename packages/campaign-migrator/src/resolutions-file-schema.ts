import { z } from 'zod';
import { RowIdSchema } from './field-schemas.js';

/**
 * What a reviewer decided for one campaign: use this integration, use the native source, or
 * leave the campaign as it is for now (`skip`).
 */
export const ResolutionSchema = z.union(
  [z.literal('native'), z.literal('skip'), z.strictObject({ integration_id: RowIdSchema })],
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
 *     "campaign-12": "skip"
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
