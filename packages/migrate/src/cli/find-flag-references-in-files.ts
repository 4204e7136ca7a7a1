import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { type FlagReference, SOURCE_EXTENSIONS, findFlagReferencesIn } from '../find-flag-references.js';

/** Folders never searched: dependencies, builds, version control. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', '.svelte-kit', '.nuxt']);

async function* sourceFiles(directory: string): AsyncGenerator<string> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) yield* sourceFiles(path);
    } else if (entry.isFile() && SOURCE_EXTENSIONS.includes(extname(entry.name))) yield path;
  }
}

/**
 * Every reference to each flag name in the source files under `directories` (the I/O edge of
 * `findFlagReferencesIn`), in file and line order. Symbolic links are not followed.
 */
export async function findFlagReferences(directories: readonly string[], flagNames: readonly string[]): Promise<FlagReference[]> {
  const found: FlagReference[] = [];
  for (const directory of directories) {
    for await (const path of sourceFiles(directory)) {
      const text = await readFile(path, 'utf8');
      found.push(...findFlagReferencesIn(relative(directory, path).split('\\').join('/'), text, flagNames));
    }
  }
  return found;
}
