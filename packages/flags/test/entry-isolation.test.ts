import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// A widget that loads an entry without a bundler (an import map, a CDN's ESM build, Deno) loads
// every module the entry imports, used or not: no bundler drops zod. So the entries widgets and
// edge functions load must not reach it, nor Node built-ins, through any import.

const SRC = new URL('../src/', import.meta.url);

/** Every source file reachable from `entry` through static imports, and the packages they import. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(new URL(file, SRC), 'utf8');
    // `import type` is erased from the built file, so it loads nothing.
    for (const match of text.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), new URL(file, SRC)).pathname.slice(SRC.pathname.length));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the zod-free entries load no zod, even unbundled', () => {
  it.each(['core.ts', 'browser.ts', 'unleash.ts', 'plan.ts', 'beacon.ts', 'openfeature-web.ts'])('%s imports no package at run time', (entry) => {
    const { files, packages } = reachable(entry);
    expect(files.size).toBeGreaterThan(1);
    expect([...packages]).toEqual([]);
  });

  it('the test sees zod where it is: the root entry and /openfeature (its server provider)', () => {
    expect([...reachable('index.ts').packages]).toContain('zod');
    expect([...reachable('openfeature.ts').packages]).toContain('zod');
  });
});
