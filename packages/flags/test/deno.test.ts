import { readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OpenFeature } from '@openfeature/web-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denoBinary, runDeno, testDenoInstalledWhenRequired, warnIfDenoSkipped } from '../../../test-support/deno.js';
import vectors from '../test-vectors.json' with { type: 'json' };
import * as core from '../src/core.js';
import * as full from '../src/index.js';
import * as openfeature from '../src/openfeature-web.js';
import * as plan from '../src/plan.js';
import * as unleash from '../src/unleash.js';

// The README says every entry runs in Deno and Supabase Edge Functions: this file runs the BUILT
// ESM in Deno itself (`/core`, the root entry with zod, `/unleash`, `/plan`, and `/openfeature/web`
// with @openfeature/web-sdk) and holds its answers equal to Node's, driver-shaped rows included.

warnIfDenoSkipped('@app/flags');

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const distDir = join(packageDir, 'dist');
// Bare specifiers (zod, for the root entry) resolve through the node_modules pnpm made: nothing is downloaded.
const DENO_FLAGS = ['--node-modules-dir=manual', '--no-prompt'];

/**
 * What both runtimes compute, as the text of one async function over the entries' modules: the
 * test vectors' buckets, Unleash values, both clients over driver-shaped rows (0/1, JSON text
 * metadata, a date the strict parser rejects, a rollout plan) at a fixed clock, and the web
 * provider through the web SDK.
 */
const COMPUTE = `async ({ core, full, unleash, plan, openfeature, OpenFeature, vectors }) => {
  const now = Date.parse('2026-03-03T15:00:00.000Z');
  const rolloutPlan = plan.createRolloutPlan(Date.parse('2026-03-02T09:00:00.000Z'));
  const rows = [
    { name: 'half', enabled: 1, rollout_percentage: 50, metadata: '{"owner":"growth"}' },
    { name: 'tenth', enabled: true, rollout_percentage: 10, created_at: '2025-02-30', metadata: '{"unleash_group_id":"shared"}' },
    { name: 'planned', enabled: true, rollout_percentage: 0, metadata: JSON.stringify({ rolloutPlan }) },
    { name: 'off', enabled: 0, rollout_percentage: 100, metadata: 'not json' },
    { name: 'broken', enabled: 't', rollout_percentage: 50 },
  ];
  const keys = Array.from({ length: 1000 }, (_, i) => i % 7 === 0 ? i : 'visitor-' + i + (i % 11 === 0 ? '-zoë-😀' : ''));
  const names = [...rows.map((row) => row.name), 'missing'];
  const server = full.createFlagClient(rows, { now: () => now });
  const widget = core.createFlagClient(plan.applyRolloutPlans(rows, now));
  const byUnleash = core.createFlagClient(rows, { bucketing: unleash.unleashBucketing({ encoding: 'node-sdk' }) });
  const provider = new openfeature.FlagsWebProvider(plan.applyRolloutPlans(rows, now));
  await OpenFeature.setProviderAndWait(provider);
  const client = OpenFeature.getClient();
  const web = [];
  for (const targetingKey of keys.slice(0, 200)) {
    await OpenFeature.setContext({ targetingKey: String(targetingKey) });
    for (const name of names) {
      const details = client.getBooleanDetails(name, false);
      web.push([details.value, details.reason, details.errorCode ?? null]);
    }
  }
  await OpenFeature.close();
  return {
    buckets: vectors.vectors.map((vector) => [core.bucket(vector.flag, vector.key), core.murmurhash3(vector.input)]),
    unleash: vectors.unleash.map((v) => unleash.unleashNormalizedValue(v.id, v.groupId, v.normalizer)),
    unleashNodeSdk: vectors.unleashNodeSdk.map((v) => unleash.unleashNormalizedValue(v.id, v.groupId, v.normalizer, { encoding: 'node-sdk' })),
    server: keys.flatMap((key) => names.map((name) => server.evaluate(name, key))),
    widget: keys.flatMap((key) => names.map((name) => widget.evaluate(name, key))),
    unleashClient: keys.flatMap((key) => names.map((name) => byUnleash.evaluate(name, key))),
    errors: [server.errors.map((error) => error.message), widget.errors.map((error) => error.message)],
    web,
  };
}`;

type Computed = { buckets: unknown[]; server: Array<{ value: boolean }>; widget: unknown[]; web: unknown[] } & Record<string, unknown>;

/** The web SDK's ESM entry as a file URL: Deno resolves bare names only for the importing package's own dependencies. */
function webSdkHref(): string {
  const sdkDir = realpathSync(join(packageDir, 'node_modules/@openfeature/web-sdk'));
  const { exports } = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')) as { exports: { import: string } };
  return pathToFileURL(join(sdkDir, exports.import)).href;
}

function script(): string {
  const href = (file: string) => JSON.stringify(pathToFileURL(join(distDir, file)).href);
  return `import * as core from ${href('core.js')};
import * as full from ${href('index.js')};
import * as unleash from ${href('unleash.js')};
import * as plan from ${href('plan.js')};
import * as openfeature from ${href('openfeature-web.js')};
import { OpenFeature } from ${JSON.stringify(webSdkHref())};
const vectors = JSON.parse(await Deno.readTextFile(${JSON.stringify(join(packageDir, 'test-vectors.json'))}));
const compute = ${COMPUTE};
console.log(JSON.stringify({ runtime: 'deno ' + Deno.version.deno, results: await compute({ core, full, unleash, plan, openfeature, OpenFeature, vectors }) }));
`;
}

testDenoInstalledWhenRequired();

describe.runIf(denoBinary !== null)('the built ESM in Deno', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'flags-deno-'));
  });
  afterAll(async () => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('buckets, evaluates driver-shaped rows and resolves through the web provider exactly as Node does', async () => {
    const file = join(scratch, 'flags-in-deno.mjs');
    await writeFile(file, script());
    const result = await runDeno(['run', ...DENO_FLAGS, `--allow-read=${packageDir},${root}node_modules`, file], packageDir);
    expect(result.code, result.stderr).toBe(0);
    const deno = JSON.parse(result.stdout) as { runtime: string; results: Computed };
    expect(deno.runtime).toMatch(/^deno \d/);
    const compute = new Function(`return ${COMPUTE}`)() as (modules: object) => Promise<Computed>;
    const node = JSON.parse(JSON.stringify(await compute({ core, full, unleash, plan, openfeature, OpenFeature, vectors })));
    // The vectors are the reference implementation's: Deno matches them, not only Node.
    expect(deno.results.buckets).toEqual(vectors.vectors.map((vector) => [vector.bucket, vector.hash]));
    // The server and the widget agree with each other, in each runtime, and the plan is half on.
    expect(deno.results.widget).toEqual(deno.results.server);
    expect(deno.results.server.filter((evaluation, index) => index % 6 === 2 && evaluation.value).length).toBeGreaterThan(300);
    for (const key of Object.keys(node)) expect(deno.results[key], key).toEqual(node[key]);
  });
});
