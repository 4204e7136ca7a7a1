import { ROLLOUT_STAGES, createFlagClient } from '@app/flags';
import { assertSchemaReady } from '../assert-schema-ready.js';
import { InvalidOptionError } from '../errors.js';
import type { FlagPatch } from '../migration-store.js';
import { type CliIo, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { printable } from './printable.js';
import { openStore } from './open-store.js';
import { percentageOption } from './option-values.js';

/** Options of `app-migrate flags`, as parsed from the command line. */
export interface FlagsCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  enabled?: boolean | undefined;
  disabled?: boolean | undefined;
  rollout?: string | undefined;
}

function describeFlag(row: Record<string, unknown>): string {
  const on = row.enabled === true || row.enabled === 1;
  return `${printable(String(row.name)).padEnd(30)} ${on ? 'enabled ' : 'disabled'}  ${String(row.rollout_percentage).padStart(3)} %`;
}

/** `app-migrate flags list | set NAME | rollback NAME`. */
export async function flagsCommand(positionals: string[], options: FlagsCommandOptions, io: CliIo): Promise<number> {
  const [action, name, ...extra] = positionals;
  if (action !== 'list' && action !== 'set' && action !== 'rollback') {
    throw new InvalidOptionError('flags', `expected "list", "set <name>" or "rollback <name>", got ${action === undefined ? 'nothing' : `"${action}"`}`);
  }
  if (action !== 'list' && (name === undefined || extra.length > 0)) throw new InvalidOptionError(`flags ${action}`, 'expected exactly one flag name');
  if (options.enabled && options.disabled) throw new InvalidOptionError('--enabled/--disabled', 'give one of them, not both');
  const patch: FlagPatch = {};
  if (action === 'set') {
    if (options.enabled) patch.enabled = true;
    if (options.disabled) patch.enabled = false;
    if (options.rollout !== undefined) patch.rollout_percentage = percentageOption('--rollout', options.rollout);
    if (Object.keys(patch).length === 0) throw new InvalidOptionError('flags set', 'give --enabled, --disabled and/or --rollout <0-100>');
  }

  // `list` only reads, so it neither creates a database nor changes the schema; `set` and `rollback` write, and may.
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const store = opened.store;
    if (action === 'list') await assertSchemaReady(store);
    else await store.ensureSchema();
    if (action === 'list') {
      const rows = await store.listFlags();
      const client = createFlagClient(rows);
      for (const row of [...rows].sort((a, b) => String(a.name).localeCompare(String(b.name)))) say(io, describeFlag(row));
      for (const error of client.errors) say(io, `  invalid: ${error.message}`);
      return EXIT_CODES.OK;
    }
    const steps: FlagPatch[] = action === 'rollback' ? [{ rollout_percentage: 0 }, { enabled: false }] : [patch];
    for (const step of steps) {
      const row = await store.updateFlag(name!, step);
      if (row === null) throw new InvalidOptionError('flag name', `no feature flag is named "${name}"`);
      say(io, describeFlag(row));
    }
    if (action === 'set' && patch.rollout_percentage !== undefined) {
      const next = ROLLOUT_STAGES.find((stage) => stage > patch.rollout_percentage!);
      if (next !== undefined) say(io, `Next stage of the rollout: ${next} % (after monitoring this one).`);
    }
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
