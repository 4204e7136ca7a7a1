/** `--help` of every command; the first line of each is its summary in the main help. */
export const HELP = {
  main: `app-migrate: backfill canonical events and data_sources_v2, verify, and roll out feature flags.

Usage: app-migrate <command> [options]

Commands:
  init             Create the migration schema (tables, columns, flags); the only command
                   besides --apply runs that changes the schema
  campaigns        Plan (dry run) or apply the data_source -> data_sources_v2 migration
  events           Dry-run or apply the canonical_event backfill of the events table
  verify           Check every campaign and event is migrated or explained, and a sample of payloads
  status           Show table counts and the checkpoints of earlier runs
  flags            Feature flags: list, create, set, roll back, delete, history, revert
  serve            Open the admin dashboard (@app/admin) on this machine

Common options:
  --db <url|dir>   (default: $APP_MIGRATE_DB, else $DATABASE_URL, else ./.migrate-db; the variable
                   used is said on stderr, password hidden)
                   postgres://user@host/db      PostgreSQL, Supabase (@app/adapter-postgres, pg)
                   mysql://user:pw@host/db      MySQL 8 or MariaDB ≥ 10.6 (@app/adapter-mysql, mysql2)
                   sqlite:./app.db or app.db    a SQLite file (@app/adapter-sqlite, better-sqlite3)
                   ./dir                        an embedded PGlite database (default: ./.migrate-db,
                                                no server needed; @app/adapter-postgres, @electric-sql/pglite)
  --config <file>  Adapter options as JSON, for a schema that differs from the product's: table
                   and column names, the schema, PostgreSQL's flag roles, lock timeouts, e.g.
                   { "names": { "events": { "table": "legacy_events", "id": "event_id" } } }
                   (see the README). Default: the file APP_MIGRATE_CONFIG names, if set
  --json           events, campaigns, verify, status: the report as JSON on stdout, and nothing
                   else (the lines for people, progress included, go to stderr)
  -h, --help       Help for a command (app-migrate events --help)
  -v, --version    The version of app-migrate

Start with a dry run: events and campaigns dry runs, verify and status only read, and need only
the legacy tables (before init nothing counts as migrated). The legacy columns read by name:
  events        id, integration_type, event_data, and event_type and created_at unless declared
                absent ("eventType": null, "createdAt": null under names.events in --config)
  campaigns     id and the owner column (--owner-key, default user_id; ownerKey in --config,
                null or --single-owner when there is none); every other column is read whole
  integrations  id and the owner column (integrationOwnerKey in --config, default ownerKey)
A missing one exits with 5 naming the column and the --config key or flag that names it.
init, --apply runs and flags writes add the migration's own columns and tables; only they
create a SQLite file or an embedded database that does not exist yet.

One rule for every run, dry or not: it exits with 1 when it leaves (a dry run: would leave) rows
unmigrated that nothing explains — events that fail to normalize, campaigns ambiguous or invalid
and not decided by a resolution ("skip" is a decision) — and 0 otherwise.

Exit codes: 0 done, 1 problems found (verify failed, or rows could not be migrated), 2 wrong
usage (also an invalid --config file), 3 another runner holds the lease, 4 adapter or driver not
installed, 5 migration schema missing (run app-migrate init), a legacy column missing (named,
with its --config key), or no database at --db's file or directory, 6 a feature flag changed
meanwhile (nothing written), 8 another run over the same rows holds a lease (no --shard beside
shard runs, or shards of another count; nothing written), 70 database error, 75 the
database did not answer in time (connect timeout 10 s, statement timeout 5 min: connectTimeoutMs,
statementTimeoutMs in --config; a batch past batchStatementTimeoutMs), 130 stopped by Ctrl-C or
SIGTERM (a second one quits at once; run again with --resume).`,
  init: `app-migrate init: create the migration schema.

Adds what the migrations need and the database lacks: the runs table (checkpoints and leases),
feature_flags with the four system flags and its change history feature_flag_changes, the
canonical_event and data_sources_v2 columns (and the legacy tables when absent; on PostgreSQL also
feature_flags' row-level security, policies and grants, and the history closed to the flag roles). It reads the catalog first and changes only what is missing, then prints what it added;
running it again adds nothing. On PostgreSQL and MySQL/MariaDB a change that must wait for a
table lock gives up after 5 s rather than queue the table's readers behind a long transaction
(on PostgreSQL nothing is changed then); run it again once that transaction has ended.

Dry runs and read-only commands (events and campaigns without --apply, verify, status, flags
list and history) never change the schema. Dry runs, verify and status need only the legacy tables and read
the missing migration columns as "nothing migrated yet"; flags list needs init. Nor do they create
a database: on a SQLite file or embedded database directory that does not exist they exit with 5.
init refuses (exit 5, changing nothing) when a legacy column the migrations read is missing,
naming it and the --config key that names it.

Options:
  --db <url|file|dir>   The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>       Adapter options (JSON): table and column names, flag roles, lock timeouts`,
  events: `app-migrate events: add canonical_event to every event that lacks one.

A dry run by default: it reads and normalizes every selected event and reports what it would
write, writing nothing, not even DDL; it needs only the legacy events table (before init no
event has a canonical_event). --apply creates the migration schema first when it is missing.
It reads id, integration_type, event_data, event_type and created_at (the last two may be
declared absent with null in --config); a missing one exits with 5 naming it. Each applied
batch commits with its checkpoint, so --resume continues exactly after the last committed batch
after a crash, a kill or Ctrl-C (which stops after the current batch).

After a kill -9 the lease of the killed run stays taken until it expires (a minute after its
last batch): --resume is refused until then, and the message says when. --takeover takes the
lease over at once — only when you are sure that runner is gone; one still alive stops at its
next batch without writing it (exit 3).

Exits with 1 when rows could not be migrated (or, in a dry run, would not be; they are listed),
130 when stopped by Ctrl-C before the end.

Limits on each batch it writes, in --config: "batchLockTimeoutMs", how long a batch waits for the
application's locks before the database gives up and the batch is tried again (on every
database); "batchStatementTimeoutMs", how long a batch may run before the database cancels it and
the run stops with exit 75, its checkpoint at the last batch (PostgreSQL, MariaDB; --resume
continues). With "timeoutThrottle": { "pauseMs": 5000, "maxTimeouts": 5, "windowMs": 600000 }
(or {} for these defaults) a batch that times out makes the run pause and halve its batches
instead; past maxTimeouts within windowMs it stops with exit 75.

Options:
  --apply               Write the canonical events
  --resume              Continue the previous run from its checkpoint
  --takeover            With --apply: take the run's lease over from a runner that was killed
  --batch-size <n>      Rows per batch and transaction, at most 10000 (default: sized while running to about 1 s a batch, from 1000)
  --limit <n>           Stop after n rows (a trial run)
  --shard <i/n>         Process key range i of n (run n workers, each with its own i)
  --workers <n>         Run the n shards of the table side by side in this process (up to 16;
                        each is a shard run --shard i/n with its own lease and checkpoint, and
                        --resume continues each; status shows them)
  --writes-in-flight <1|2>
                        2: send each batch's write while the one before is still written, on a
                        connection of its own, so the database works on both (PostgreSQL and
                        MySQL/MariaDB servers; one checkpoint, moved one batch at a time; not
                        with "timeoutThrottle"). Default 1
  --renormalize         Also rewrite events made by an older normalizer version
  --received-at-fallback <now|time>
                        The event time of rows with none in the payload and no created_at
                        (otherwise they fail with MISSING_TIMESTAMP on every run): "now" (the
                        run's start) or an ISO 8601 time such as 2025-01-15T10:30:00Z
  --report <file>       Write the JSON report to <file>
  --acknowledge-failures  Known failed rows (those the last run listed) are skipped, this run's
                        failures are recorded beside them, and the exit code counts only new
                        failures; later runs keep this mode (it is recorded in the checkpoint)
  --retry-failed        With acknowledged failures: read the known failed rows again this run
  --canonical-payload <copy|omit>
                        copy (the default): canonical_event holds a copy of event_data as its
                        payload; omit: it holds none (the row has it in event_data), which writes
                        half the bytes or less; readers and verify take the payload from event_data
                        ("canonicalPayload" of --config when absent)
  --max-replication-lag <limit>
                        With --apply: before each batch, pause while a replica is further
                        behind than <limit>, a time (10s, 500ms) or a size of log (64MB); give it
                        twice for both. PostgreSQL: the standbys of pg_stat_replication (the role
                        needs pg_monitor to see their lag) and idle replication slots
  --json                Print the JSON report on stdout, and nothing else (the rest goes to stderr)
  --db <url|file|dir>   The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>       Adapter options (JSON): table and column names, flag roles, lock timeouts`,
  campaigns: `app-migrate campaigns: map legacy data_source to data_sources_v2.

A dry run by default: it plans every campaign and reports migrated, native, already migrated,
ambiguous (with reasons and candidates) and invalid ones, writing nothing, not even DDL; it needs
only the legacy campaigns and integrations tables (before init no campaign has data_sources_v2).
Decide the ambiguous ones in a resolutions file, then apply with it. Exits with 1 while
ambiguous or invalid campaigns are left undecided (a dry run: would be), like events with rows
that fail, and 130 when stopped by Ctrl-C.

Running it again is safe: migrated campaigns are planned as already migrated and never written
twice, so a run stopped by Ctrl-C (exit 130) or --limit continues where it stopped; --resume also
carries over the counts of the run it continues.

Options:
  --apply                      Write data_sources_v2 (only that column)
  --resolutions <file>         Reviewer decisions: { "schemaVersion": 1, "resolutions": {
                               "<campaign id>": "native" | "skip" | { "integration_id": "<id>" } } }
  --resolutions-template <file>  Write a resolutions file to fill in, one entry per ambiguous campaign
  --report <file>              Write the report: .json (full), .md (for review) or .csv
  --owner-key <column>         The campaigns' owner column (default user_id); a campaign
                               without an owner is ambiguous (NO_OWNER), never matched across owners
  --single-owner               All rows belong to one owner: ignore owner columns
  --batch-size <n>             Campaigns per batch (default 1000, at most 10000)
  --limit <n>                  Write at most n campaigns (a trial run)
  --resume                     Continue the previous run from its checkpoint
  --takeover                   With --apply: take the run's lease over from a runner that was killed
  --max-replication-lag <limit>
                               With --apply: before each batch, pause while a replica is further
                               behind than <limit>, a time (10s, 500ms) or a size of log (64MB);
                               give it twice for both (as for events). "batchLockTimeoutMs" and
                               "batchStatementTimeoutMs" of --config limit each batch as for events
  --json                       Print the run as JSON on stdout ({ mode, status, written, totalWritten,
                               resumedFrom, report, throttle }), and nothing else (the rest goes to stderr)
  --db <url|file|dir>          The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>              Adapter options (JSON): table and column names, flag roles, lock timeouts`,
  verify: `app-migrate verify: check the migration.

Counts migrated, remaining and failed events, and reads back a sample of migrated events to check
that each payload equals its original event_data exactly. Failed events are counted from the rows
(every remaining event is normalized again), so sharded runs count like one.
Checks every campaign the way the campaigns command decides it: a data_sources_v2 must be valid
and name integrations that exist and belong to the campaign's owner (or that a resolution chose);
a campaign without one must be explained by a "skip" resolution. Each unexplained campaign is
listed (a run would write it, it is ambiguous and undecided, it is invalid, its data_sources_v2
is wrong). Give verify the --owner-key, --single-owner and --resolutions the campaigns ran with.
Exits with 1 when anything is left unexplained or a sample differs. Read-only, and it needs only
the legacy tables: before init nothing is migrated (and so it exits with 1).

Options:
  --sample <n>          Events to read back (default 200)
  --resolutions <file>  The resolutions file the campaigns were applied with
  --owner-key <column>  The campaigns' owner column (default user_id), as for campaigns
  --single-owner        All rows belong to one owner, as for campaigns
  --report <file>       Write the JSON result to <file>
  --json                Print the JSON result on stdout, and nothing else (the rest goes to stderr)
  --db <url|file|dir>   The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>       Adapter options (JSON): table and column names, flag roles, lock timeouts`,
  status: `app-migrate status: table counts and the checkpoints of the last runs.

Read-only, and it needs only the legacy tables: before init it shows 0 migrated and no runs.
Sharded runs keep one
checkpoint per shard (events#i/n): status lists every sharded run, each shard and their sum
(--shards n shows the n shards of that count only).

Options:
  --shards <n>          Show only the checkpoints of the n shards of an events --shard i/n run
  --json                Print the counts and checkpoints as JSON on stdout, and nothing else
  --db <url|file|dir>   The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>       Adapter options (JSON): table and column names, flag roles, lock timeouts`,
  flags: `app-migrate flags: feature flags and their audit history.

Usage:
  app-migrate flags list                 Every flag: status, system flags, guidance, cleanup marks
  app-migrate flags create <name> [--description <text>] [--enabled] [--rollout <0-100>]
  app-migrate flags set <name> [--enabled | --disabled] [--rollout <0-100>] [--description <text>]
  app-migrate flags rollback <name>      Set the rollout to 0 %, then disable (the seed's procedure)
  app-migrate flags delete <name>
  app-migrate flags history [name]       Recorded changes, newest first: who, when, which field, from -> to
  app-migrate flags revert <change-id>   Undo one recorded change (the undo is recorded too)
  app-migrate flags plan start <name> [--stages 10:24h,50:48h,100:1w] [--start <ISO time>] [--guardrail error>0.05:rollback[:min=N][:vs-off]]
                                         Schedule a rollout: the percentage follows the stages and the clock
  app-migrate flags plan <show|pause|resume|advance|rollback|sync|remove> <name> [--expect-version <v>]
                                         Show or change the plan (recorded in the history); sync writes
                                         the plan's percentage to the row and marks a finished plan done;
                                         --expect-version (printed by show) refuses, exit 6, a change
                                         when the flag changed since
  app-migrate flags stale [--days 14] [--unused-days N] [--code <dir>…]
                                         Flags fully on or off and unchanged for --days days, and flags
                                         never evaluated in the last --unused-days days (telemetry in
                                         feature_flag_metrics; default --days), with every reference to
                                         each in the source files under --code (file:line)
  app-migrate flags delete <name> --code <dir>…
                                         Refuses while the name is referenced there, unless --force
  app-migrate flags metrics [name] [--window 24h] [--json]
                                         From the telemetry of the last --window (m, h, d or w): per
                                         flag its evaluations and the share on (adoption), failed
                                         evaluations, and each tracked metric on against off
  app-migrate flags prune-metrics [--keep-days 90]
                                         Delete flag telemetry windows older than --keep-days days
                                         (the retention of feature_flag_metrics; run it on a schedule)

Rollouts go 0 -> 10 -> 50 -> 100 % (hold 24 h at 10 %, 48 h at 50 %, a week at 100 % before
cleanup); a user who has a feature at p % keeps it at every higher p. A change that lowers who gets
a feature (it takes it away from people who have it), or skips a stage, prints a warning and needs
--force; so does deleting a system flag. Every write records its actor and checks that the flag is
still what the command read: if another admin changed it meanwhile, nothing is written (exit 6).
list and history only read (without the migration schema, or the database itself, they exit with
5); the other actions write, and create the database and the schema first when they are missing.

Options:
  --actor <name>        Who is recorded in the history (default: the OS user)
  --force               Confirm a change that lowers the rollout, skips a stage, or deletes a system flag
  --limit <n>           history: at most n changes (default 50, at most 1000)
  --db <url|file|dir>   The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>       Adapter options (JSON): table and column names, flag roles, lock timeouts`,
  serve: `app-migrate serve: the admin dashboard (@app/admin) on this machine.

Serves the migration dashboard (checklist, campaigns, events, verify) over the database, on a
loopback address only, and prints a link with a one-time token: the first browser to open it is
signed in as an admin, once; the server refuses every other host name. Needs @app/admin installed
(an optional peer of @app/migrate, loaded at run time like the adapters). To serve the dashboard
to others, mount createAdminHandler of @app/admin with an authorizer in your own server.

It never creates the database: without it, it exits with 5; without the migration schema the page
offers to create it.

Options:
  --port <n>            The port (default 4000; 0 picks a free one)
  --host <addr>         127.0.0.1 (default), localhost or ::1
  --max-replication-lag <limit>
                        The events Apply pauses while a replica is further behind than a time
                        (10s) or a size of log (64MB); give both with the option twice; the page
                        says what it waits for
  --db <url|file|dir>   The database (default: $APP_MIGRATE_DB, $DATABASE_URL, ./.migrate-db)
  --config <file>       Adapter options (JSON): table and column names, flag roles, lock timeouts`,
} as const;

/** A command with its own help. */
export type CommandName = Exclude<keyof typeof HELP, 'main'>;
