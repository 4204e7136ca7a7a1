import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'campaign-migrator',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
