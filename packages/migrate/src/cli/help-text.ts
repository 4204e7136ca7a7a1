/** `--help` of every command; the first line of each is its summary in the main help. */
export const HELP = {
  main: `app-migrate: backfill canonical events and data_sources_v2, verify, and roll out feature flags.

Usage: app-migrate <command> [options]

Commands:
  campaigns        Plan (dry run) or apply the data_source -> data_sources_v2 migration
  events           Dry-run or apply the canonical_event backfill of the events table
  verify           Count migrated/remaining/failed rows and check a sample of payloads
  status           Show table counts and the checkpoints of earlier runs
  flags            List feature flags, set one, or roll one back

Common options:
  --db <url|dir>   postgres://user@host/db      PostgreSQL, Supabase (@app/adapter-postgres, pg)
                   mysql://user:pw@host/db      MySQL 8 or MariaDB ≥ 10.6 (@app/adapter-mysql, mysql2)
                   sqlite:./app.db or app.db    a SQLite file (@app/adapter-sqlite, better-sqlite3)
                   ./dir                        an embedded PGlite database (default: ./.migrate-db,
                                                no server needed; @app/adapter-postgres, @electric-sql/pglite)
  -h, --help       Help for a command (app-migrate events --help)

Exit codes: 0 done, 1 problems found (verify failed), 2 wrong usage, 3 another runner holds
the lease, 4 adapter or driver not installed, 70 database error.`,
  events: `app-migrate events: add canonical_event to every event that lacks one.

A dry run by default: it reads and normalizes every selected event and reports what it would
write, writing nothing. Each applied batch commits with its checkpoint, so --resume continues
exactly after the last committed batch after a crash, a kill or Ctrl-C (which stops after the
current batch).

Options:
  --apply               Write the canonical events
  --resume              Continue the previous run from its checkpoint
  --batch-size <n>      Rows per batch and transaction (default 1000)
  --limit <n>           Stop after n rows (a trial run)
  --shard <i/n>         Process key range i of n (run n workers, each with its own i)
  --renormalize         Also rewrite events made by an older normalizer version
  --report <file>       Write the JSON report to <file>
  --db <url|file|dir>   The database (default ./.migrate-db)`,
  campaigns: `app-migrate campaigns: map legacy data_source to data_sources_v2.

A dry run by default: it plans every campaign and reports migrated, native, already migrated,
ambiguous (with reasons and candidates) and invalid ones, writing nothing. Decide the ambiguous
ones in a resolutions file, then apply with it.

Options:
  --apply                      Write data_sources_v2 (only that column)
  --resolutions <file>         Reviewer decisions: { "schemaVersion": 1, "resolutions": {
                               "<campaign id>": "native" | "skip" | { "integration_id": "<id>" } } }
  --resolutions-template <file>  Write a resolutions file to fill in, one entry per ambiguous campaign
  --report <file>              Write the report: .json (full), .md (for review) or .csv
  --owner-key <column>         The campaigns' owner column (default user_id)
  --batch-size <n>             Campaigns per batch (default 1000)
  --db <url|file|dir>          The database (default ./.migrate-db)`,
  verify: `app-migrate verify: check the migration.

Counts migrated, remaining and failed events and campaigns, and reads back a sample of
migrated events to check that each payload equals its original event_data exactly.
Exits with 1 when anything is left unexplained or a sample differs.

Options:
  --sample <n>          Events to read back (default 200)
  --report <file>       Write the JSON result to <file>
  --db <url|file|dir>   The database (default ./.migrate-db)`,
  status: `app-migrate status: table counts and the checkpoints of the last runs.

Options:
  --db <url|file|dir>   The database (default ./.migrate-db)`,
  flags: `app-migrate flags: feature flags.

Usage:
  app-migrate flags list
  app-migrate flags set <name> [--enabled | --disabled] [--rollout <0-100>]
  app-migrate flags rollback <name>     Set the rollout to 0 %, then disable (the seed's procedure)

Rollouts go 0 -> 10 -> 50 -> 100 %; a user who has a feature at p % keeps it at every higher p.

Options:
  --db <url|file|dir>   The database (default ./.migrate-db)`,
} as const;

/** A command with its own help. */
export type CommandName = Exclude<keyof typeof HELP, 'main'>;
