/**
 * `@app/adapter-mysql`: the `MigrationStore` of `@app/migrate` over MySQL 8 and MariaDB ≥ 10.6
 * through mysql2: JSON columns read back the same on both servers, keyset batches committed with
 * their checkpoint, a run lease against concurrent runs, and the migration schema.
 *
 * @packageDocumentation
 */
export { type MysqlFlavor, type MysqlStore, type MysqlStoreOptions, createMysqlStore } from './create-mysql-store.js';
export type { MysqlClient, MysqlConnection, MysqlField, MysqlPool, MysqlQueryOptions, MysqlQueryResult, MysqlQueryable } from './mysql-client.js';
export type { MysqlReplica } from './read-mysql-replication-health.js';
export { mysqlDialect, quoteMysqlIdentifier, quoteMysqlLiteral } from './mysql-dialect.js';
export { type MysqlKeyType, type MysqlSchemaOptions, mysqlKeyColumnType } from './mysql-schema-options.js';
export { exactNameCollation, mysqlSchemaStatements } from './mysql-schema-sql.js';
