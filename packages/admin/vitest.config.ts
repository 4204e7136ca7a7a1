import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'admin',
    include: ['test/**/*.test.ts'],
    // The real servers of the adapters' own tests: started when down, skipped (or failed, with REQUIRE_*) when absent.
    globalSetup: ['../adapter-postgres/test/ensure-postgres.ts', '../adapter-mysql/test/ensure-mariadb.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
