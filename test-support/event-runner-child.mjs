/**
 * What the adapters' `bench/runner-child.mjs` share: the event runner in a process of its own, as
 * the package ships (the built dist, no TypeScript loader, whose thread and compiler would count
 * in the RSS), for the backfill benches. Each adapter's child opens its store and calls
 * {@link runEventRunnerChild}, which applies the event migration (`resume: true`; with `workers`
 * above 1, `runEventMigrationWorkers` with that many shards side by side) and prints one JSON line:
 *
 * - `report`: the run's report (the summed one with workers);
 * - `maxRssKb`, `maxRssBeforeRunKb`: the peak RSS (`process.resourceUsage().maxRSS`) after and
 *   before the run;
 * - `memory`: the peaks of `process.memoryUsage()` (MB), sampled after every batch and every 50 ms;
 * - `timeline`: with `timelineEvery: n`, the milliseconds since the start at which the run passed
 *   each multiple of n rows, for the rate of each stretch of a long run;
 * - `cpu`: the microseconds of CPU the run took in this process (`process.cpuUsage()`) as
 *   `runner`, and as `server` what `serverCpu` measured (the store's database backends), or null.
 *
 * The options (argv[2], JSON) the runner takes: `batchSize`, `maxBatchBytes`, `targetBatchMs`,
 * `holder`, `canonicalPayload`, `workers`, `writesInFlight`, `timelineEvery`; the adapter's own (a schema, a file)
 * are the child's. This file imports nothing: `@app/migrate/core` comes from the adapter, which
 * depends on it (this folder resolves no package).
 */

/**
 * Runs the migration, prints its line, and closes; a failure goes to stderr with exit code 1.
 *
 * @param {object} child
 * @param {Record<string, any>} child.options the parsed argv[2]
 * @param {{ runEventMigration: Function, runEventMigrationWorkers: Function }} child.migrate `@app/migrate/core`
 * @param {() => unknown | Promise<unknown>} child.openStore the store to migrate
 * @param {() => Promise<() => number | null>} [child.serverCpu] called just before the run; the function it returns gives the server's CPU microseconds since
 * @param {() => unknown | Promise<unknown>} child.close closes what the store uses
 */
export async function runEventRunnerChild({ options, migrate, openStore, serverCpu, close }) {
  const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const timeline = [];
  let nextMark = options.timelineEvery ?? Number.POSITIVE_INFINITY;
  const sample = () => {
    const now = process.memoryUsage();
    for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], Math.round(now[key] / 1048576));
  };
  try {
    const store = await openStore();
    const maxRssBeforeRunKb = process.resourceUsage().maxRSS;
    const serverCpuSince = serverCpu === undefined ? () => null : await serverCpu();
    const cpuBefore = process.cpuUsage();
    const timer = setInterval(sample, 50);
    const started = performance.now();
    const onProgress = (progress) => {
      sample();
      while (progress.processed >= nextMark) {
        timeline.push({ rows: nextMark, ms: Math.round(performance.now() - started) });
        nextMark += options.timelineEvery;
      }
    };
    const workers = options.workers ?? 1;
    const run = {
      store,
      apply: true,
      resume: true,
      batchSize: options.batchSize,
      maxBatchBytes: options.maxBatchBytes,
      targetBatchMs: options.targetBatchMs,
      canonicalPayload: options.canonicalPayload,
      ...(options.writesInFlight === undefined ? {} : { writesInFlight: options.writesInFlight }),
      onProgress,
    };
    const report = workers > 1 ? await migrate.runEventMigrationWorkers({ ...run, workers }) : await migrate.runEventMigration({ ...run, holder: options.holder });
    const ownCpu = process.cpuUsage(cpuBefore);
    const cpu = { runner: ownCpu.user + ownCpu.system, server: serverCpuSince() };
    clearInterval(timer);
    process.stdout.write(`${JSON.stringify({ report, maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeRunKb, memory, timeline, cpu })}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await close();
  }
}
