import { LegacyTableMissingError, SchemaNotReadyError } from './errors.js';
import type { MigrationStore } from './migration-store.js';

/**
 * Refuses to go on when the store lacks tables or columns the migrations need. It reads the
 * catalog only ({@link MigrationStore.inspectSchema}), so dry runs and read-only commands stay
 * free of DDL; creating the schema is `ensureSchema()`'s job (`app-migrate init`).
 *
 * @throws LegacyTableMissingError `LEGACY_TABLE_MISSING` when a table of the application is
 *   missing (a misspelt name): no command creates those.
 * @throws SchemaNotReadyError `SCHEMA_NOT_READY`, listing what is missing.
 */
export async function assertSchemaReady(store: MigrationStore): Promise<void> {
  const inspection = await store.inspectSchema();
  if (inspection.missingLegacyTables !== undefined && inspection.missingLegacyTables.length > 0) throw new LegacyTableMissingError(inspection.missingLegacyTables);
  if (!inspection.ready) throw new SchemaNotReadyError(inspection.missing);
}
