import { createMemoryStore } from '../src/index.js';
import { describeMigrationStoreConformance } from '../src/testing.js';

describeMigrationStoreConformance('memory', async (seed) => {
  const store = createMemoryStore(seed);
  return {
    store,
    snapshot: async () => {
      const { events, campaigns, flags } = store.snapshot();
      return { events, campaigns, flags: [...flags].sort((a, b) => String(a.name).localeCompare(String(b.name))) };
    },
  };
});
