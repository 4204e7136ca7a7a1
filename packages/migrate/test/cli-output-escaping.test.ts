import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printable } from '../src/cli/printable.js';
import { cli } from './cli-process.js';

// Anything a terminal would act on: C0, DEL, C1, line/paragraph separators, bidi controls.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// A flag row written by anyone with write access to the table (an admin role, a compromised app):
// its name forges a line saying a flag is enabled at 100 %, in green, then clears the real line.
const FORGED = 'zz_evil\n\x1b[32mv2_canonical_system            enabled   100 %\x1b[0m\r\x1b[2K\u202e';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-escaping-'));
  db = join(dir, 'flags.db');
  const database = new Database(db);
  try {
    await createSqliteStore({ database, createLegacyTables: true }).ensureSchema();
    database.prepare('INSERT INTO feature_flags (id, name, description, enabled, rollout_percentage) VALUES (?, ?, ?, 0, 0)').run('f-evil', FORGED, 'x\x1b]8;;http://evil\x07');
    // An event whose id and payload carry the same: its failure is printed with id and reason.
    database.prepare('INSERT INTO events (id, integration_type, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)').run(`evt\n\x1b[31mFAKE`, 'stripe\x1b[2J', 'x', '"just text"', '2025-01-01T00:00:00Z');
  } finally {
    database.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('CLI output from the database or the command line', () => {
  it('flags list prints a name holding a newline and ANSI escapes on its own line, escaped', async () => {
    const run = await cli('flags', 'list', '--db', db);
    expect(run.code, run.stderr).toBe(0);
    // Newline ends each line; nothing else a terminal acts on.
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    const lines = run.stdout.trimEnd().split('\n');
    // The four system flags and the forged one, each a status line and a guidance line; the forged name is one escaped line.
    expect(lines).toHaveLength(10);
    expect(lines.filter((line) => line.startsWith('v2_canonical_system'))).toHaveLength(1);
    expect(lines[8]).toBe(`${'zz_evil\\n\\x1b[32mv2_canonical_system            enabled   100 %\\x1b[0m\\r\\x1b[2K\\u202e'} disabled    0 %  Off`);
    expect(lines[9]).toMatch(/^ {2}Off: nobody gets the feature/);
  });

  it('failure ids and reasons of a run, and unknown commands and options, are escaped too', async () => {
    const dry = await cli('events', '--db', db);
    expect(dry.stdout).toContain('evt\\n\\x1b[31mFAKE');
    expect(dry.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const unknown = await cli('stat\nus\x1b[2J');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('app-migrate: unknown command "stat\\nus\\x1b[2J". Run app-migrate --help for the list.\n');
    const option = await cli('status', '--db', db, '--sh\x1bards', '2');
    expect(option.code).toBe(2);
    expect(option.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(option.stderr).toContain('\\x1b');
  });

  it('printable leaves one line with nothing a terminal acts on, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = printable(text);
        expect(shown).not.toMatch(UNSAFE);
        if (!UNSAFE.test(text)) expect(shown).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
