import type { MigrateConfig } from '../migrate-config.js';
import type { BatchTimeouts } from '../migration-store.js';

/**
 * The runners' `batchTimeouts` from the `--config` file's `batchLockTimeoutMs` and
 * `batchStatementTimeoutMs` (`events --apply` and `campaigns --apply` alike); `undefined` when it
 * sets neither, so the connection's own limits hold.
 */
export function batchTimeoutsOption(config: MigrateConfig | undefined): BatchTimeouts | undefined {
  const { batchLockTimeoutMs, batchStatementTimeoutMs } = config ?? {};
  if (batchLockTimeoutMs === undefined && batchStatementTimeoutMs === undefined) return undefined;
  return {
    ...(batchLockTimeoutMs === undefined ? {} : { lockTimeoutMs: batchLockTimeoutMs }),
    ...(batchStatementTimeoutMs === undefined ? {} : { statementTimeoutMs: batchStatementTimeoutMs }),
  };
}
