import { conformanceSeed } from '../src/conformance-seed.js';
import { createMemoryStore } from '../src/index.js';
import { describeMigrationStoreConformance } from '../src/testing.js';

describeMigrationStoreConformance(
  'memory',
  async (seed) => {
    const store = createMemoryStore(seed);
    return {
      store,
      snapshot: async () => {
        const { events, campaigns, flags } = store.snapshot();
        return { events, campaigns, flags: [...flags].sort((a, b) => String(a.name).localeCompare(String(b.name))) };
      },
    };
  },
  // Legacy rows in a store whose schema was never created: its "catalog" is the whole snapshot.
  async ({ legacyTables }) => {
    const { events, campaigns, integrations } = conformanceSeed();
    const store = createMemoryStore({ events, campaigns, integrations }, { schemaReady: false, legacyTables });
    return { store, catalog: async () => store.snapshot() };
  },
);
