import { userInfo } from 'node:os';
import {
  ROLLOUT_STAGES,
  SYSTEM_FLAGS,
  type FlagState,
  cleanupReadiness,
  createFlagClient,
  rolloutGuidance,
  rolloutStatus,
  rolloutWarnings,
} from '@app/flags';
import { assertSchemaReady } from '../assert-schema-ready.js';
import { InvalidOptionError } from '../errors.js';
import type { FlagChange, FlagPatch, FlagStore, FlagWriteResult, StoredFlag } from '../flag-store.js';
import { applyFlagRevert, flagRevertOf } from '../revert-flag-change.js';
import { type CliIo, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { printable } from './printable.js';
import { openStore } from './open-store.js';
import { percentageOption, positiveIntegerOption } from './option-values.js';
import { flagsPlanCommand } from './flags-plan-command.js';
import { flagsPruneMetricsCommand } from './flags-prune-metrics-command.js';
import { unwrapFlagWrite } from './unwrap-flag-write.js';
import { describeReferences, flagsStaleCommand } from './flags-stale-command.js';
import { flagsMetricsCommand } from './flags-metrics-command.js';
import { findFlagReferences } from './find-flag-references-in-files.js';

/** Options of `app-migrate flags`, as parsed from the command line. */
export interface FlagsCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  enabled?: boolean | undefined;
  disabled?: boolean | undefined;
  rollout?: string | undefined;
  description?: string | undefined;
  force?: boolean | undefined;
  actor?: string | undefined;
  limit?: string | undefined;
  stages?: string | undefined;
  start?: string | undefined;
  guardrail?: string[] | undefined;
  days?: string | undefined;
  'unused-days'?: string | undefined;
  code?: string[] | undefined;
  window?: string | undefined;
  'keep-days'?: string | undefined;
  'expect-version'?: string | undefined;
}

const ACTIONS = ['list', 'create', 'set', 'rollback', 'delete', 'history', 'revert'] as const;
type FlagsAction = (typeof ACTIONS)[number];
const READ_ONLY: readonly FlagsAction[] = ['list', 'history'];
const SYSTEM_NAMES = new Set<string>(SYSTEM_FLAGS.map((flag) => flag.name));
const OFF: FlagState = { enabled: false, rollout_percentage: 0 };

/** Who the CLI records as the actor: `--actor`, else the OS user. */
function actorOf(options: FlagsCommandOptions): string {
  if (options.actor !== undefined) {
    if (options.actor.trim() === '') throw new InvalidOptionError('--actor', 'must not be empty');
    return options.actor;
  }
  try {
    return userInfo().username;
  } catch {
    return 'unknown-os-user';
  }
}

function describeFlag(flag: StoredFlag, extra = ''): string {
  const system = SYSTEM_NAMES.has(flag.name) ? '  [system]' : '';
  return `${printable(flag.name).padEnd(30)} ${flag.enabled ? 'enabled ' : 'disabled'}  ${String(flag.rollout_percentage).padStart(3)} %  ${rolloutStatus(flag).label}${system}${extra}`;
}

const shown = (value: unknown) => (value === null ? '(none)' : typeof value === 'object' ? JSON.stringify(value) : String(value));

function describeChange(change: FlagChange): string {
  const what = change.field === 'flag' ? (change.from === null ? 'created' : change.to === null ? 'deleted' : 'flag') : `${change.field} ${shown(change.from)} -> ${shown(change.to)}`;
  const revert = change.revertsChangeId === null ? '' : ` (reverts #${change.revertsChangeId})`;
  return `#${change.id.padEnd(6)} ${change.changedAt}  ${change.flagName}  ${what}${revert}  by ${change.actor}`;
}

/** Refuses a change that lowers exposure or skips a stage, unless `--force`: the same warnings as the admin page. */
function confirmOrRefuse(io: CliIo, from: FlagState, to: FlagState, force: boolean | undefined): void {
  const warnings = rolloutWarnings(from, to);
  if (warnings.length === 0) return;
  for (const warning of warnings) say(io, `Warning (${warning.kind}): ${warning.message}`);
  if (!force) throw new InvalidOptionError('--force', `this change needs confirmation (${warnings.map((w) => w.kind).join(', ')}): run it again with --force`);
}

function patchOf(options: FlagsCommandOptions): FlagPatch {
  const patch: FlagPatch = {};
  if (options.enabled) patch.enabled = true;
  if (options.disabled) patch.enabled = false;
  if (options.rollout !== undefined) patch.rollout_percentage = percentageOption('--rollout', options.rollout);
  if (options.description !== undefined) patch.description = options.description === '' ? null : options.description;
  return patch;
}

/**
 * `app-migrate flags list | create NAME | set NAME | rollback NAME | delete NAME | history [NAME] |
 * revert CHANGE-ID`: every write goes through the {@link FlagStore} port with an actor, so it is in
 * the same audit history as the admin page's changes, and with the values the command read as
 * `expected`, so a concurrent change is a conflict rather than overwritten.
 */
export async function flagsCommand(positionals: string[], options: FlagsCommandOptions, io: CliIo): Promise<number> {
  const [action, target, ...extra] = positionals;
  if (action === 'plan') return flagsPlanCommand(positionals.slice(1), options, () => actorOf(options), io);
  if (action === 'stale') return flagsStaleCommand(positionals.slice(1), options, io);
  if (action === 'metrics') return flagsMetricsCommand(positionals.slice(1), options, io);
  if (options.window !== undefined) throw new InvalidOptionError('--window', 'belongs to flags metrics');
  if (action === 'prune-metrics') return flagsPruneMetricsCommand(positionals.slice(1), options, io);
  if (options['keep-days'] !== undefined) throw new InvalidOptionError('--keep-days', 'belongs to flags prune-metrics');
  if (options['expect-version'] !== undefined) throw new InvalidOptionError('--expect-version', 'belongs to flags plan');
  if (options.days !== undefined) throw new InvalidOptionError('--days', 'belongs to flags stale');
  if (options['unused-days'] !== undefined) throw new InvalidOptionError('--unused-days', 'belongs to flags stale');
  if (options.code !== undefined && action !== 'delete') throw new InvalidOptionError('--code', 'belongs to flags stale and flags delete');
  if (!(ACTIONS as readonly (string | undefined)[]).includes(action)) {
    throw new InvalidOptionError(
      'flags',
      `expected "list", "create <name>", "set <name>", "rollback <name>", "delete <name>", "history [name]" or "revert <change-id>" (or "plan <action> <name>", "stale", "metrics [name]", "prune-metrics"), got ${action === undefined ? 'nothing' : `"${action}"`}`,
    );
  }
  const verb = action as FlagsAction;
  if (extra.length > 0 || (verb === 'list' && target !== undefined)) throw new InvalidOptionError(`flags ${verb}`, `unexpected argument "${extra[0] ?? target}"`);
  if (verb !== 'list' && verb !== 'history' && target === undefined) throw new InvalidOptionError(`flags ${verb}`, verb === 'revert' ? 'expected the id of a change (see flags history)' : 'expected exactly one flag name');
  if (options.enabled && options.disabled) throw new InvalidOptionError('--enabled/--disabled', 'give one of them, not both');
  const patch = patchOf(options);
  if (verb === 'set' && Object.keys(patch).length === 0) throw new InvalidOptionError('flags set', 'give --enabled, --disabled, --rollout <0-100> and/or --description <text>');
  if (verb !== 'set' && verb !== 'create' && Object.keys(patch).length > 0) throw new InvalidOptionError(`flags ${verb}`, '--enabled, --disabled, --rollout and --description belong to set and create');
  const limit = positiveIntegerOption('--limit', options.limit);
  if (limit !== undefined && limit > 1000) throw new InvalidOptionError('--limit', `must be at most 1000, got ${limit}`);
  const actor = READ_ONLY.includes(verb) ? '' : actorOf(options);
  const write = { actor };

  // No command creates a database; reading ones do not change the schema either, writing ones may.
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const store = opened.store;
    if (READ_ONLY.includes(verb)) await assertSchemaReady(store);
    else await store.ensureSchema();
    const now = new Date();
    switch (verb) {
      case 'list': {
        const flags = await store.listFlags();
        for (const flag of flags) {
          const history = await store.readFlagHistory({ name: flag.name, limit: 20 });
          const cleanup = cleanupReadiness(flag, history, now, flag.updated_at).ready ? '  ready for cleanup' : '';
          say(io, describeFlag(flag, cleanup));
          say(io, `  ${rolloutGuidance(flag, history, now, flag.updated_at).message}`);
        }
        for (const error of createFlagClient(flags).errors) say(io, `  invalid: ${error.message}`);
        // A row the store could not read is left out of the list, not hidden: named, and the run exits 1.
        for (const error of flags.errors) say(io, `  unreadable: ${error.message}`);
        return flags.errors.length === 0 ? EXIT_CODES.OK : EXIT_CODES.PROBLEMS_FOUND;
      }
      case 'history': {
        const changes = await store.readFlagHistory({ ...(target === undefined ? {} : { name: target }), limit: limit ?? 50 });
        if (changes.length === 0) say(io, target === undefined ? 'No recorded flag changes.' : `No recorded changes of "${target}".`);
        for (const change of changes) say(io, describeChange(change));
        return EXIT_CODES.OK;
      }
      case 'create': {
        const to = { enabled: patch.enabled ?? false, rollout_percentage: patch.rollout_percentage ?? 0 };
        confirmOrRefuse(io, OFF, to, options.force);
        const result = unwrapFlagWrite(await store.createFlag({ name: target!, ...patch }, write));
        say(io, describeFlag(result.flag!));
        for (const change of result.changes) say(io, `  recorded ${describeChange(change)}`);
        return EXIT_CODES.OK;
      }
      case 'set':
      case 'rollback':
      case 'delete': {
        const current = await store.getFlag(target!);
        if (current === null) throw new InvalidOptionError('flag name', `no feature flag is named "${target}"`);
        const expected: FlagPatch = { enabled: current.enabled, rollout_percentage: current.rollout_percentage, description: current.description };
        let result: Extract<FlagWriteResult, { ok: true }>;
        if (verb === 'delete') {
          confirmOrRefuse(io, current, OFF, options.force);
          if (SYSTEM_NAMES.has(current.name) && !options.force) throw new InvalidOptionError('--force', `"${current.name}" is a system flag: deleting it needs --force`);
          if (options.code !== undefined && options.code.length > 0) {
            const references = await findFlagReferences(options.code, [current.name]);
            if (references.length > 0) {
              say(io, `${current.name} is still referenced in the code:`);
              for (const line of describeReferences(references)) say(io, line);
              if (!options.force) throw new InvalidOptionError('--force', `${references.length} reference${references.length === 1 ? '' : 's'} to "${current.name}" remain in ${options.code.join(', ')}: remove them first, or delete with --force`);
            }
          }
          result = unwrapFlagWrite(await store.deleteFlag(current.name, { ...write, expected }));
          say(io, `Deleted ${current.name} (was ${rolloutStatus(current).label}).`);
        } else {
          // The seed's rollback: 0 %, then disabled; one write, recorded as two changes. No --force: it is the emergency brake.
          const change: FlagPatch = verb === 'rollback' ? { rollout_percentage: 0, enabled: false } : patch;
          if (verb === 'set') confirmOrRefuse(io, current, { ...current, ...change }, options.force);
          result = unwrapFlagWrite(await store.updateFlag(current.name, change, { ...write, expected }));
          say(io, describeFlag(result.flag!));
        }
        for (const change of result.changes) say(io, `  recorded ${describeChange(change)}`);
        if (verb === 'set' && result.changes.length === 0) say(io, '  nothing to change.');
        if (verb === 'set' && patch.rollout_percentage !== undefined) {
          const next = ROLLOUT_STAGES.find((stage) => stage > patch.rollout_percentage!);
          if (next !== undefined) say(io, `Next stage of the rollout: ${next} % (after monitoring this one).`);
        }
        return EXIT_CODES.OK;
      }
      case 'revert': {
        const change = await store.readFlagChange(target!);
        if (change === null) throw new InvalidOptionError('change id', `no recorded flag change has the id "${target}" (see flags history)`);
        const revert = flagRevertOf(change);
        const current = await store.getFlag(change.flagName);
        const before = current ?? OFF;
        const after = revert.action === 'delete' ? OFF : revert.action === 'create' ? { enabled: revert.flag.enabled ?? false, rollout_percentage: revert.flag.rollout_percentage ?? 0 } : { ...before, ...revert.patch };
        confirmOrRefuse(io, before, after as FlagState, options.force);
        const result = unwrapFlagWrite(await applyFlagRevert(store as FlagStore, change, write));
        say(io, result.flag === null ? `Deleted ${change.flagName}.` : describeFlag(result.flag));
        for (const recorded of result.changes) say(io, `  recorded ${describeChange(recorded)}`);
        return EXIT_CODES.OK;
      }
    }
  } finally {
    await opened.close();
  }
}
