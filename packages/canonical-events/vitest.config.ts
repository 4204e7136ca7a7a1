import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'canonical-events',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
