import { type Options, defineConfig } from 'tsup';

/**
 * The build every package shares: ESM + CJS + `.d.ts` for each entry, ES2022, runtime-neutral
 * (browsers, Node, Deno, edge), tree-shaken, with shared code in chunks. Dependencies and peer
 * dependencies stay external (tsup's default).
 */
export function defineLibraryConfig(entry: Record<string, string>, options: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    splitting: true,
    ...options,
  });
}
