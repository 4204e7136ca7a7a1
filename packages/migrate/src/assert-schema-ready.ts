import { IncompatibleColumnError, LegacyTableMissingError, SchemaNotReadyError } from './errors.js';
import type { MigrationStore } from './migration-store.js';

/**
 * Refuses to go on when the store lacks what the operation needs, read from the catalog only
 * ({@link MigrationStore.inspectSchema}), so dry runs and read-only commands stay free of DDL;
 * creating the schema is `ensureSchema()`'s job (`app-migrate init`).
 *
 * - `'read'` (dry runs, verify, status): the legacy tables and the legacy columns the migrations
 *   read must exist; what `ensureSchema()` adds may be absent (nothing migrated yet).
 * - `'write'` (the default: applying runs): everything, `ensureSchema()`'s additions included.
 *
 * @throws SchemaNotReadyError `SCHEMA_NOT_READY`, listing what is missing and which legacy columns are absent.
 * @throws LegacyTableMissingError `LEGACY_TABLE_MISSING` when a table of the application is
 *   missing (a misspelt name): no command creates those.
 * @throws IncompatibleColumnError `INCOMPATIBLE_COLUMN` when a column the migrations write has a
 *   type they cannot use (`text` where PostgreSQL needs `jsonb`): no command converts it.
 */
export async function assertSchemaReady(store: MigrationStore, need: 'read' | 'write' = 'write'): Promise<void> {
  const inspection = await store.inspectSchema();
  if (inspection.missingLegacyTables !== undefined && inspection.missingLegacyTables.length > 0) throw new LegacyTableMissingError(inspection.missingLegacyTables);
  if (inspection.incompatible !== undefined && inspection.incompatible.length > 0) throw new IncompatibleColumnError(inspection.incompatible);
  if (need === 'read' ? !inspection.readable : !inspection.ready) throw new SchemaNotReadyError(inspection.missing, inspection.absent);
}
