import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denoBinary, runDeno, testDenoInstalledWhenRequired, warnIfDenoSkipped } from '../../../test-support/deno.js';
import { createRegistry, fallbackNormalizer } from '../src/core.js';
import { DEFAULT_NORMALIZERS, type NormalizeEventResult, normalizeEvent } from '../src/index.js';
import { CODE_ANSWERS_BODY, expectedCodeAnswers } from './code-tables.js';

// The README promises edge runtimes: this file runs the BUILT ESM (`dist/index.js`, and `/core`
// with every provider subpath) in Deno itself over every published payload, and holds its events
// byte for byte equal to Node's. Deno comes from the root devDependency `deno` (test-support/deno.ts).

warnIfDenoSkipped('@app/canonical-events');

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const distDir = join(packageDir, 'dist');
// Bare specifiers (zod, for the root entry) resolve through the node_modules pnpm made: nothing is downloaded.
const DENO_FLAGS = ['--node-modules-dir=manual', '--no-prompt'];

/**
 * The published payloads: `examples/payloads/`, plus any file of the shared fixtures (beside the
 * checkout, or /work/shared) that differs from its published copy, each with its folder's
 * integration_type.
 */
function payloadTexts(): Array<{ name: string; integrationType: string; text: string }> {
  const read = (folder: string, label: string) =>
    readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((provider) =>
        readdirSync(join(folder, provider.name))
          .filter((file) => file.endsWith('.json'))
          .sort()
          .map((file) => ({ name: `${label}${provider.name}/${file}`, integrationType: provider.name, text: readFileSync(join(folder, provider.name, file), 'utf8') })),
      );
  const published = read(join(root, 'examples/payloads'), '');
  const known = new Set(published.map((entry) => `${entry.name}\n${entry.text}`));
  const shared = [join(root, '../shared/fixtures/payloads'), '/work/shared/fixtures/payloads'].find((folder) => existsSync(folder));
  const extra = shared === undefined ? [] : read(shared, 'shared:').filter((entry) => !known.has(`${entry.name.slice('shared:'.length)}\n${entry.text}`));
  return [...published, ...extra];
}

const providerEntries = readdirSync(new URL('../src/providers/', import.meta.url))
  .filter((file) => file.endsWith('.ts') && file !== 'fallback.ts')
  .map((file) => file.slice(0, -'.ts'.length));

// One row per payload as stored, plus the same payload with neither a payload time nor a row time
// (receivedAt decides) and with a header event id: every branch of the timestamp and dedupe rules.
const ROW_VARIANTS = `[
  (entry) => ({ id: 'deno-' + entry.name, integration_type: entry.integrationType, event_data: JSON.parse(entry.text), created_at: '2025-01-15T10:30:00Z' }),
  (entry) => ({ id: 'deno-' + entry.name + '#2', integration_type: entry.integrationType, event_data: JSON.parse(entry.text), created_at: null, event_type: null }),
]`;
const OPTION_VARIANTS = `[{}, { receivedAt: 1736937000123, maxTextLength: 40, eventId: 'header-id-1' }]`;

/** A result as data both runtimes print the same way: the event, or the error's code, field and message. */
const SUMMARIZE = `(result) => result.success ? { event: result.data } : { error: { code: result.error.code, field: result.error.field, rowId: result.error.rowId, message: result.error.message } }`;

function script(): string {
  const href = (file: string) => JSON.stringify(pathToFileURL(join(distDir, file)).href);
  return `import { normalizeEvent, DEFAULT_NORMALIZERS } from ${href('index.js')};
import { createRegistry, fallbackNormalizer } from ${href('core.js')};
${providerEntries.map((entry, index) => `import * as provider${index} from ${href(`${entry}.js`)};`).join('\n')}
const providers = [${providerEntries.map((_, index) => `provider${index}`).join(', ')}].flatMap((module) => Object.values(module));
// Core and provider subpaths, in the order the root's default registry lists them.
const order = DEFAULT_NORMALIZERS.map((normalizer) => normalizer.provider);
const coreRegistry = createRegistry(providers.sort((a, b) => order.indexOf(a.provider) - order.indexOf(b.provider)), { fallback: fallbackNormalizer });
const entries = JSON.parse(new TextDecoder().decode(await new Response(Deno.stdin.readable).arrayBuffer()));
const summarize = ${SUMMARIZE};
const out = [];
for (const entry of entries) for (const makeRow of ${ROW_VARIANTS}) for (const options of ${OPTION_VARIANTS}) {
  out.push({ name: entry.name, root: summarize(normalizeEvent(makeRow(entry), options)), core: summarize(coreRegistry.normalizeEvent(makeRow(entry), options)) });
}
console.log(JSON.stringify({ runtime: 'deno ' + Deno.version.deno, results: out }));
`;
}

/** What Node gives for the same rows, from the source entries vitest loads. */
function nodeResults(entries: ReturnType<typeof payloadTexts>): unknown[] {
  const rowVariants = new Function(`return ${ROW_VARIANTS}`)() as Array<(entry: { name: string; integrationType: string; text: string }) => unknown>;
  const optionVariants = new Function(`return ${OPTION_VARIANTS}`)() as Array<Record<string, unknown>>;
  const summarize = new Function(`return ${SUMMARIZE}`)() as (result: NormalizeEventResult) => unknown;
  const order = DEFAULT_NORMALIZERS.map((normalizer) => normalizer.provider);
  const coreRegistry = createRegistry(
    [...DEFAULT_NORMALIZERS].sort((a, b) => order.indexOf(a.provider) - order.indexOf(b.provider)),
    { fallback: fallbackNormalizer },
  );
  const out: unknown[] = [];
  for (const entry of entries)
    for (const makeRow of rowVariants)
      for (const options of optionVariants)
        out.push({ name: entry.name, root: summarize(normalizeEvent(makeRow(entry), options)), core: summarize(coreRegistry.normalizeEvent(makeRow(entry), options)) });
  return out;
}

testDenoInstalledWhenRequired();

describe.runIf(denoBinary !== null)('the built ESM in Deno', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'canonical-events-deno-'));
  });
  afterAll(async () => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('normalizes every published payload to the very events Node gives, through the root entry and through /core with the provider subpaths', async () => {
    const entries = payloadTexts();
    expect(entries.length).toBeGreaterThanOrEqual(49);
    const file = join(scratch, 'normalize-in-deno.mjs');
    await writeFile(file, script());
    // Run from the package folder so `zod` (root entry) resolves through its node_modules; read access to dist only.
    const result = await runDeno(['run', ...DENO_FLAGS, `--allow-read=${packageDir},${root}node_modules`, file], packageDir, JSON.stringify(entries));
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code, result.stderr).toBe(0);
    const deno = JSON.parse(result.stdout) as { runtime: string; results: unknown[] };
    expect(deno.runtime).toMatch(/^deno \d/);
    const node = nodeResults(entries);
    expect(deno.results).toHaveLength(entries.length * 4);
    // Byte for byte, and then item by item so a difference names its payload.
    if (JSON.stringify(deno.results) !== JSON.stringify(node)) {
      for (let index = 0; index < node.length; index++) expect(deno.results[index]).toStrictEqual(node[index]);
    }
    expect(JSON.stringify(deno.results)).toBe(JSON.stringify(node));
  });

  it("/core knows Deno's country and currency codes and minor units exactly as the written-out ISO tables list them", async () => {
    const file = join(scratch, 'code-tables-in-deno.mjs');
    const href = JSON.stringify(pathToFileURL(join(distDir, 'core.js')).href);
    await writeFile(file, `import * as core from ${href};\nconsole.log(JSON.stringify((() => { ${CODE_ANSWERS_BODY} })()));\n`);
    const result = await runDeno(['run', ...DENO_FLAGS, `--allow-read=${packageDir}`, file], packageDir);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expectedCodeAnswers());
  });
});
