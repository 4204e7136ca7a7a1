import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'adapter-mysql',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/ensure-mariadb.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
