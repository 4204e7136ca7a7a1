import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url);

/** Every source file reachable from `entry` through relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(file, SRC), 'utf8');
    for (const match of text.matchAll(/from '(\.[^']+)\.js'/g)) {
      const target = new URL(`${match[1]}.ts`, new URL(file, SRC)).pathname.slice(new URL(SRC).pathname.length);
      visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe('provider entry points', () => {
  const providerFiles = readdirSync(new URL('providers/', SRC))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `providers/${file}`);

  it.each(providerFiles)('%s imports no other provider and no registry', (entry) => {
    const files = [...reachable(entry)];
    expect(files.filter((file) => file.startsWith('providers/') && file !== entry)).toEqual([]);
    expect(files).not.toContain('default-registry.ts');
    expect(files).not.toContain('create-registry.ts');
  });

  it('core.ts reaches the fallback but no named provider', () => {
    const files = [...reachable('core.ts')];
    expect(files.filter((file) => file.startsWith('providers/'))).toEqual(['providers/fallback.ts']);
    // Reached for its export only: the registry itself does not import it, so a widget that passes no fallback leaves it out.
    expect([...reachable('create-registry.ts')].filter((file) => file.startsWith('providers/'))).toEqual([]);
  });

  it('no source file imports a Node built-in', () => {
    for (const file of reachable('index.ts')) {
      expect(readFileSync(new URL(file, SRC), 'utf8'), file).not.toMatch(/from '(node:|fs|path|crypto|buffer)/);
    }
  });
});
