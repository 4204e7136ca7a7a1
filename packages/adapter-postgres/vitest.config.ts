import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'adapter-postgres',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/ensure-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
