import { describe, expect, it } from 'vitest';
import { exitCodeFor, migrationErrorCodeOf } from '../src/cli/exit-codes.js';
import { runCli } from '../src/cli/run-cli.js';
import { LeaseLostError } from '../src/index.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe('app-migrate usage', () => {
  it('prints the command list with --help and every command has its own --help', async () => {
    const main = await cli('--help');
    expect(main.code).toBe(0);
    for (const command of ['init', 'campaigns', 'events', 'verify', 'status', 'flags']) {
      expect(main.stdout).toContain(command);
      const help = await cli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^app-migrate ${command}:`));
      expect(help.stdout).toContain('--db');
      expect(help.stdout).toContain('--config <file>');
    }
    expect(main.stdout).toContain('APP_MIGRATE_CONFIG');
    expect((await cli('events', '--help')).stdout).toContain('--resume');
  });

  it("names the batches' limits of --config where they act: events --help both keys, the exit codes' 75 the statement limit", async () => {
    const events = (await cli('events', '--help')).stdout;
    expect(events).toContain('"batchLockTimeoutMs"');
    expect(events).toContain('"batchStatementTimeoutMs"');
    expect((await cli('--help')).stdout.replace(/\s+/g, ' ')).toMatch(/75 the database did not answer in time \([^)]*a batch past batchStatementTimeoutMs\)/);
  });

  it('exits with 2 and names the problem on wrong usage, before touching any database', async () => {
    expect(await cli()).toMatchObject({ code: 2 });
    expect(await cli('migrate-all')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "migrate-all"') });
    expect(await cli('events', '--aply')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option --aply. Did you mean --apply?') });
    expect(await cli('events', '--batch-size', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--batch-size: must be a positive integer, got "0"') });
    expect(await cli('events', '--limit', '1e3')).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit') });
    for (const command of ['events', 'campaigns']) {
      expect(await cli(command, '--apply', '--batch-size', '12000')).toMatchObject({ code: 2, stderr: expect.stringContaining('--batch-size: must be at most 10,000') });
      expect(await cli(command, '--takeover')).toMatchObject({ code: 2, stderr: expect.stringContaining('--takeover: only applies with --apply') });
    }
    expect(await cli('campaigns', '--limit', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit: must be a positive integer') });
    expect(await cli('status', '--shards', 'all')).toMatchObject({ code: 2, stderr: expect.stringContaining('--shards') });
    expect(await cli('events', '--shard', '3/2')).toMatchObject({ code: 2, stderr: expect.stringContaining('--shard: expected i/n with 1 <= i <= n') });
    expect(await cli('campaigns', '--resolutions', '/nonexistent/resolutions.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('--resolutions: cannot read /nonexistent/resolutions.json') });
    expect(await cli('campaigns', '--report', 'report.txt')).toMatchObject({ code: 2, stderr: expect.stringContaining('.json, .md or .csv') });
    expect(await cli('verify', '--sample', 'many')).toMatchObject({ code: 2, stderr: expect.stringContaining('--sample') });
    expect(await cli('flags')).toMatchObject({ code: 2, stderr: expect.stringContaining('expected "list", "create <name>", "set <name>", "rollback <name>", "delete <name>", "history [name]" or "revert <change-id>"') });
    expect(await cli('flags', 'set', 'v2_canonical_system')).toMatchObject({ code: 2, stderr: expect.stringContaining('give --enabled, --disabled, --rollout <0-100> and/or --description') });
    expect(await cli('flags', 'revert')).toMatchObject({ code: 2, stderr: expect.stringContaining('expected the id of a change') });
    expect(await cli('flags', 'rollback', 'x', '--rollout', '10')).toMatchObject({ code: 2, stderr: expect.stringContaining('belong to set and create') });
    expect(await cli('flags', 'history', '--limit', '5000')).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit: must be at most 1000') });
    expect(await cli('flags', 'set', 'x', '--enabled', '--actor', ' ')).toMatchObject({ code: 2, stderr: expect.stringContaining('--actor: must not be empty') });
    expect(await cli('flags', 'set', 'v2_canonical_system', '--rollout', '150')).toMatchObject({ code: 2, stderr: expect.stringContaining('--rollout: must be an integer from 0 to 100, got "150"') });
    expect(await cli('flags', 'set', 'x', '--enabled', '--disabled')).toMatchObject({ code: 2 });
    const unsupported = await cli('status', '--db', 'mongodb://admin:s3cret@127.0.0.1/test');
    expect(unsupported).toMatchObject({ code: 2, stderr: expect.stringContaining('unsupported database URL "mongodb://admin:***@127.0.0.1/test"') });
    expect(unsupported.stderr).not.toContain('s3cret');
    expect(await cli('status', '--db', 'sqlite::memory:')).toMatchObject({ code: 2, stderr: expect.stringContaining('names no file') });
  });
});

describe('exit codes of errors', () => {
  it('classify by the stable code, so an error of a second copy of @app/migrate keeps its exit code', () => {
    // What a CommonJS copy's LeaseLostError looks like from here: same name and code, another class.
    const foreign = Object.assign(new Error('Runner x no longer holds the lease of "events"'), { name: 'LeaseLostError', code: 'LEASE_LOST' });
    expect(migrationErrorCodeOf(foreign)).toBe('LEASE_LOST');
    expect(exitCodeFor(migrationErrorCodeOf(foreign))).toBe(3);
    expect(exitCodeFor(migrationErrorCodeOf(new LeaseLostError('events', 'x')))).toBe(3);
    expect(exitCodeFor(migrationErrorCodeOf({ name: 'PostgresStoreError', code: 'STORE_ERROR', message: 'failed' }))).toBe(70);
    // Driver and system errors carry codes too, outside the set: they are not migration errors.
    expect(migrationErrorCodeOf(Object.assign(new Error('database "x" does not exist'), { code: '3D000' }))).toBeUndefined();
    expect(migrationErrorCodeOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(migrationErrorCodeOf({ code: 'LEASE_LOST' })).toBeUndefined();
  });
});
