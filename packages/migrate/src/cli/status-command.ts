import { type CliIo, count, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';

/** `app-migrate status`: table counts and the last checkpoints. */
export async function statusCommand(options: { db?: string | undefined }, io: CliIo): Promise<number> {
  const opened = await openStore(options.db);
  try {
    await opened.store.ensureSchema();
    const [events, campaigns] = await Promise.all([opened.store.eventStatus(), opened.store.campaignStatus()]);
    say(io, `Status of ${opened.description}`);
    say(io, `  events:    ${count(events.migrated)}/${count(events.total)} with canonical_event`);
    say(io, `  campaigns: ${count(campaigns.migrated)}/${count(campaigns.total)} with data_sources_v2`);
    for (const runKey of ['events', 'campaigns']) {
      const checkpoint = await opened.store.readCheckpoint(runKey);
      if (!checkpoint) {
        say(io, `  last ${runKey} run: none applied yet`);
        continue;
      }
      const counts = Object.entries(checkpoint.counts)
        .filter(([key]) => !key.startsWith('provider:'))
        .map(([key, n]) => `${key} ${count(n)}`)
        .join(', ');
      say(io, `  last ${runKey} run: ${checkpoint.status}, cursor ${checkpoint.cursor ?? '(start)'}, ${counts}, updated ${checkpoint.updatedAt}`);
    }
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
