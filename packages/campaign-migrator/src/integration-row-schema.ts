import { z } from 'zod';
import { RowIdSchema } from './field-schemas.js';

const ActiveFlagSchema = z.union([z.boolean(), z.number()], { error: 'must be a boolean, 0 or 1' }).nullish();

/**
 * An integration row. The provider is read from `provider`, else `integration_type`. Whether it
 * is usable is read from `deleted_at`, `status` and the `active` / `is_active` / `enabled` flags
 * (see the package README). The owner column is configurable, so it is checked separately.
 */
export const IntegrationRowSchema = z.looseObject({
  id: RowIdSchema,
  provider: z.string({ error: 'must be a string or null' }).nullish(),
  integration_type: z.string({ error: 'must be a string or null' }).nullish(),
  name: z.string({ error: 'must be a string or null' }).nullish(),
  status: z.string({ error: 'must be a string or null' }).nullish(),
  active: ActiveFlagSchema,
  is_active: ActiveFlagSchema,
  enabled: ActiveFlagSchema,
  deleted_at: z.union([z.string(), z.number(), z.date()], { error: 'must be a timestamp or null' }).nullish(),
});

/** An integration row (checked columns typed, every other column `unknown`). */
export type IntegrationRow = z.infer<typeof IntegrationRowSchema>;
