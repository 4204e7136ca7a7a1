import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, repoRoot, runCli } from './cli-process.js';
import { POSTGRES_URL, postgresAvailable } from './postgres-server.js';

const execFileAsync = promisify(execFile);

// The product's own database, as the seed describes it: events(id uuid, integration_type text,
// event_data jsonb, created_at timestamptz) — no event_type column — campaigns and integrations,
// nothing of the migration's own. The documented workflow must run on it with no manual DDL:
// dry run → init → apply → verify.

const available = await postgresAvailable('the legacy PostgreSQL CLI test');

const OWNER = '0b8d7c34-1f6e-4a52-9d6c-3d1c8f0a7e11';
const SHOP = '5f3c2a10-7d4b-4c1e-8a9f-0e2d4b6c8a01';
const STRIPE = '5f3c2a10-7d4b-4c1e-8a9f-0e2d4b6c8a02';
const CAMPAIGNS = ['9a1e0000-0000-4000-8000-000000000001', '9a1e0000-0000-4000-8000-000000000002', '9a1e0000-0000-4000-8000-000000000003'];
const EVENTS = 25;

describe.runIf(available)('app-migrate on a PostgreSQL database holding only the seed\'s legacy columns', () => {
  const schema = `fc_legacy_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-migrate-legacy-pg-'));
    config = join(dir, 'migrate.json');
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.events (id uuid PRIMARY KEY, integration_type text, event_data jsonb, created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(
      `CREATE TABLE ${schema}.campaigns (id uuid PRIMARY KEY, user_id uuid, name text, data_source text, native_config jsonb, integration_settings jsonb, created_at timestamptz DEFAULT now())`,
    );
    await pool.query(`CREATE TABLE ${schema}.integrations (id uuid PRIMARY KEY, user_id uuid, integration_type text, status text, created_at timestamptz DEFAULT now())`);
    for (let n = 1; n <= EVENTS; n++) {
      const order = { id: 820982911946154500 + n, created_at: '2025-01-15T10:30:00-05:00', total_price: '99.99', currency: 'USD', customer: { first_name: 'Ann', last_name: 'Lee' }, line_items: [{ title: 'Shoes', quantity: 1 }] };
      await pool.query(`INSERT INTO ${schema}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2, '2025-01-15T15:30:00Z')`, [
        `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        JSON.stringify(order),
      ]);
    }
    await pool.query(`INSERT INTO ${schema}.integrations (id, user_id, integration_type, status) VALUES ($1, $3, 'shopify', 'active'), ($2, $3, 'stripe', 'active')`, [SHOP, STRIPE, OWNER]);
    await pool.query(
      `INSERT INTO ${schema}.campaigns (id, user_id, name, data_source, native_config, integration_settings) VALUES
        ($1, $4, 'Recent orders', 'shopify', NULL, '{"events":["orders/create"]}'),
        ($2, $4, 'Payments', 'stripe', NULL, NULL),
        ($3, $4, 'Testimonials', NULL, '{"style":"card"}', NULL)`,
      [...CAMPAIGNS, OWNER],
    );
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The schema's tables and columns: what a read-only command must leave as it is. */
  const catalog = async () =>
    (await pool.query('SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1, 2', [schema])).rows;

  it('runs dry run → init → apply → verify with no manual DDL; read-only commands change nothing, a missing legacy column is named with its config key', async () => {
    const cli = (...args: string[]) => runCli([...args, '--db', POSTGRES_URL, '--config', config]);
    const before = await catalog();

    // Without a word about event_type, every command refuses, naming the column and the key, and changes nothing.
    await writeFile(config, JSON.stringify({ schema }));
    for (const command of [['events'], ['init']]) {
      const refused = await cli(...command);
      expect(refused.code, refused.stderr).toBe(5);
      expect(refused.stderr).toContain(`column events.event_type does not exist: set names.events.eventType in the --config file to the column that holds it, or to null when the table has none`);
      expect(refused.stderr).not.toContain('columns.events');
    }
    expect(await catalog()).toEqual(before);

    await writeFile(config, JSON.stringify({ schema, names: { events: { eventType: null } } }));
    // The safe preview first, read-only: the migration's columns are missing, so nothing is migrated yet.
    const eventsDry = await cli('events');
    expect(eventsDry.code, eventsDry.stderr).toBe(0);
    expect(eventsDry.stdout).toContain(`${EVENTS} events processed, ${EVENTS} would be written, 0 failed`);
    const campaignsDry = await cli('campaigns');
    expect(campaignsDry.code, campaignsDry.stderr).toBe(0);
    expect(campaignsDry.stdout).toContain('3 campaigns would be written.');
    const status = await cli('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`events:    0/${EVENTS} with canonical_event`);
    expect(status.stdout).toContain('campaigns: 0/3 with data_sources_v2');
    expect(status.stdout).toContain('last events run: none applied yet');
    const early = await cli('verify');
    expect(early.code, early.stderr).toBe(1);
    expect(early.stdout).toContain(`0 migrated, ${EVENTS} remaining`);
    expect(early.stdout.match(/NOT_MIGRATED/g)).toHaveLength(3);
    expect(await catalog()).toEqual(before);

    const init = await cli('init');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`column ${schema}.events.canonical_event`);
    // Five batches, each written while the one before is still being written (one checkpoint).
    const events = await cli('events', '--apply', '--writes-in-flight', '2', '--batch-size', '5');
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout).toContain(`${EVENTS} events processed, ${EVENTS} written, 0 failed`);
    const campaigns = await cli('campaigns', '--apply');
    expect(campaigns.code, campaigns.stderr).toBe(0);
    expect(campaigns.stdout).toContain('Wrote data_sources_v2 of 3 campaigns.');
    const verify = await cli('verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('OK: every event is migrated or reported, every sampled payload is intact, and every campaign is migrated or explained.');

    // The big order ids (past 2^53) stayed exact, and the missing event_type did not make them custom.
    const { rows } = await pool.query(`SELECT canonical_event FROM ${schema}.events ORDER BY id LIMIT 1`);
    expect(rows[0].canonical_event.normalized['template.event_kind']).toBe('purchase');

    // A campaign's data_sources_v2 changed by hand to nonsense, and a new legacy campaign: verify says so, exit 1.
    await pool.query(`UPDATE ${schema}.campaigns SET data_sources_v2 = '[{"provider":"bogus"}]' WHERE id = $1`, [CAMPAIGNS[0]]);
    await pool.query(`INSERT INTO ${schema}.campaigns (id, user_id, name, data_source) VALUES ('9a1e0000-0000-4000-8000-000000000004', $1, 'New', 'shopify')`, [OWNER]);
    const broken = await cli('verify');
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stdout).toContain(`INVALID_DATA_SOURCES_V2: Campaign "${CAMPAIGNS[0]}"`);
    expect(broken.stdout).toContain('NOT_MIGRATED: Campaign "9a1e0000-0000-4000-8000-000000000004"');
    expect(broken.stdout).toContain('NOT OK');
  }, 300_000);

  it('names a wrong owner column with its flag and config key, exit 5, and takes ownerKey from --config', async () => {
    await writeFile(config, JSON.stringify({ schema, names: { events: { eventType: null } }, ownerKey: 'workspace_id' }));
    const refused = await runCli(['campaigns', '--db', POSTGRES_URL, '--config', config]);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toContain('column campaigns.workspace_id does not exist: set --owner-key (or ownerKey in the --config file) to the column that holds it');
    await writeFile(config, JSON.stringify({ schema, names: { events: { eventType: null } }, ownerKey: 'user_id' }));
    const planned = await runCli(['campaigns', '--db', POSTGRES_URL, '--config', config]);
    // Planned; exit 1 only for the data_sources_v2 the first test broke by hand (invalid).
    expect(planned.code, planned.stderr).toBe(1);
    expect(planned.stdout).toContain(`invalid ${CAMPAIGNS[0]}: Campaign "${CAMPAIGNS[0]}": data_sources_v2`);
    // A campaign without an owner value: the report tells a CLI user the CLI's flags.
    await pool.query(`INSERT INTO ${schema}.campaigns (id, user_id, name, data_source) VALUES ('9a1e0000-0000-4000-8000-000000000005', NULL, 'Nobody', 'shopify')`);
    const report = join(dir, 'plan.json');
    const ownerless = await runCli(['campaigns', '--db', POSTGRES_URL, '--config', config, '--report', report]);
    expect(ownerless.code, ownerless.stderr).toBe(1);
    const text = await readFile(report, 'utf8');
    expect(text).toContain('check that --owner-key (or ownerKey in the --config file) names the column holding the owner');
    expect(text).toContain('or pass --single-owner if every row belongs to one owner');
    expect(text).not.toContain('ownerKey option');
  }, 300_000);

  it('exits quietly into a pipe closed early (| head -1): no EPIPE stack trace, the exit code of the command', async () => {
    await writeFile(config, JSON.stringify({ schema, names: { events: { eventType: null } } }));
    // pipefail: the shell's exit code is the CLI's, not the reader's. `status` writes its lines as
    // the server answers, so later lines meet the pipe head has closed; `true` closes it at once.
    // The exit code is each command's own: campaigns and verify still find the campaigns broken above.
    for (const [command, reader, lines, code] of [
      ['status', 'head -1', 1, 0],
      ['status', 'true', 0, 0],
      ['events', 'true', 0, 0],
      ['campaigns', 'true', 0, 1],
      ['verify', 'true', 0, 1],
      ['flags list', 'true', 0, 0],
    ] as const) {
      const { stdout, stderr } = await execFileAsync(
        'bash',
        ['-c', `set -o pipefail; node ${JSON.stringify(bin)} ${command} --db ${POSTGRES_URL} --config ${JSON.stringify(config)} | ${reader}; echo "exit $?" >&2`],
        { cwd: repoRoot },
      );
      expect(stdout.split('\n').filter(Boolean)).toHaveLength(lines);
      expect(stderr, `${command} | ${reader}`).toBe(`exit ${code}\n`);
    }
  }, 300_000);
});
