import pg from 'pg';

/** The real PostgreSQL server of the CLI tests (trust auth). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the real server answers, for `describe.runIf`. Without it the tests of `what` are skipped
 * with a warning, unless REQUIRE_POSTGRES=1 (CI) makes that a failure.
 */
export async function postgresAvailable(what: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
    await probe.end();
    return true;
  } catch (error) {
    const message = (error as Error).message;
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`${what} needs the server at ${POSTGRES_URL}: ${message}`);
    console.warn(`@app/migrate: skipping ${what} (${message}); REQUIRE_POSTGRES=1 makes this a failure.`);
    return false;
  }
}
