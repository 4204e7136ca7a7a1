import { z } from 'zod';
import { DeletedAtSchema } from './deleted-at.js';
import { RowIdSchema } from './field-schemas.js';

// Only 0 and 1 are flags: any other number (2, -1) is more likely a wrong column than "on".
const ActiveFlagSchema = z.union([z.boolean(), z.literal(0), z.literal(1)], { error: 'must be a boolean, 0 or 1' }).nullish();

/**
 * An integration row. The provider is read from `provider`, else `integration_type`. Whether it
 * is usable is read from `deleted_at` (see `DeletedAtSchema`), `status` and the `active` /
 * `is_active` / `enabled` flags (`true`/`false` or `1`/`0`; see the package README). The owner column is configurable, so it is checked separately.
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
  deleted_at: DeletedAtSchema,
});

/** An integration row (checked columns typed, every other column `unknown`). */
export type IntegrationRow = z.infer<typeof IntegrationRowSchema>;
