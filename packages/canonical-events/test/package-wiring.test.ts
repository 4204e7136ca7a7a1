import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { DEFAULT_NORMALIZERS, PROVIDER_IDS, resolveProviderId } from '../src/index.js';

const PROVIDER_FILES = readdirSync(new URL('../src/providers/', import.meta.url))
  .filter((file) => file.endsWith('.ts') && file !== 'fallback.ts')
  .map((file) => file.slice(0, -'.ts'.length));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('every provider file is wired', () => {
  it.each(PROVIDER_FILES)('%s: subpath export, default registry, main-entry export, known id', (file) => {
    expect(manifest.exports[`./${file}`]).toEqual({
      import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` },
      require: { types: `./dist/${file}.d.cts`, default: `./dist/${file}.cjs` },
    });
    const id = file.replace(/-/g, '_');
    expect(PROVIDER_IDS).toContain(id);
    const normalizer = DEFAULT_NORMALIZERS.find((n) => n.provider === id);
    expect(normalizer, `DEFAULT_NORMALIZERS has ${id}`).toBeDefined();
    expect((api as Record<string, unknown>)[`${camel(file)}Normalizer`]).toBe(normalizer);
    for (const alias of normalizer?.aliases ?? []) expect([id, undefined]).toContain(resolveProviderId(alias));
  });

  it('there is one provider file per default normalizer', () => {
    expect(DEFAULT_NORMALIZERS.map((n) => n.provider.replace(/_/g, '-')).sort()).toEqual([...PROVIDER_FILES].sort());
  });
});
