import { MigrationError, SchemaNotReadyError } from '../errors.js';
import { type CliIo, count, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';

/** Options of `app-migrate init`, as parsed from the command line. */
export interface InitCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
}

/**
 * `app-migrate init`: creates the migration schema (`ensureSchema()`), the one step besides
 * `--apply` runs that changes it, and prints what it added. What was added is read from the
 * catalog before and after (`inspectSchema()`), so the list is what actually changed.
 */
export async function initCommand(options: InitCommandOptions, io: CliIo): Promise<number> {
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const before = await opened.store.inspectSchema();
    // A legacy column the migrations read is missing: init cannot add it, and must not say "ready".
    if (before.absent.length > 0) throw new SchemaNotReadyError(before.missing, before.absent);
    await opened.store.ensureSchema();
    const after = await opened.store.inspectSchema();
    say(io, `Init on ${opened.description}`);
    const left = new Set([...after.missing, ...after.pending]);
    const added = [...before.missing, ...before.pending].filter((item) => !left.has(item));
    if (added.length === 0) say(io, 'Nothing to add: the migration schema is already in place.');
    else {
      say(io, `Added ${count(added.length)}:`);
      for (const item of added) say(io, `  ${item}`);
    }
    // ensureSchema() must leave nothing missing; saying "done" otherwise would let a dry run fail next.
    if (after.absent.length > 0) throw new SchemaNotReadyError(after.missing, after.absent);
    if (!after.ready) throw new MigrationError('STORE_ERROR', `ensureSchema() finished, yet the database still lacks: ${after.missing.join(', ')}`);
    for (const item of after.pending) say(io, `  not added (check the adapter's options and the role's privileges): ${item}`);
    say(io, 'The schema is ready: dry runs, verify, status and flags can run now.');
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
