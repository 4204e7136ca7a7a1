import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script of the repository (no types), run by every package's `lint`.
import { packedFiles, readmeProblems } from '../../../scripts/check-packed-readme.mjs';

// Every package's README as npm shows it: what `pnpm pack` ships is all an npm reader has.
const packages = fileURLToPath(new URL('../../', import.meta.url));
const check = readmeProblems as (readme: string, files: string[]) => string[];

describe('packed READMEs', () => {
  it('catch a link out of the package and a cited file the package does not ship', () => {
    const files = ['README.md', 'dist/index.js', 'docs/shot.png'];
    expect(check('See [migrate](../migrate/README.md).\n', files)).toEqual([
      'README.md:1: link "../migrate/README.md" leaves the package: npm cannot follow it; link the repository or npm URL',
    ]);
    expect(check('Run `test/crash-resume.test.ts` on `examples/payloads/`.\n![shot](docs/shot.png) ![gone](docs/gone.png)\n', files)).toEqual([
      'README.md:1: "test/crash-resume.test.ts" is not in the package: an npm reader cannot find it; link its repository URL',
      'README.md:1: "examples/payloads/" is not in the package: an npm reader cannot find it; link its repository URL',
      'README.md:2: link "docs/gone.png" names a file the package does not ship; link its repository URL',
    ]);
    // Linked to the repository, shipped, an npm page or inside a code block: fine.
    expect(check('[`src/a.ts`](https://example.com/src/a.ts) [npm](https://www.npmjs.com/package/@app/migrate) ![ok](docs/shot.png)\n```sh\ncat test/x.ts `src/y.ts`\n```\n', files)).toEqual([]);
  });

  it.each(readdirSync(packages).filter((name) => !name.startsWith('.')))('@app/%s ships a README that reads correctly on npm', (name) => {
    const directory = `${packages}${name}`;
    const files = packedFiles(directory) as string[];
    expect(files).toContain('README.md');
    expect(check(readFileSync(`${directory}/README.md`, 'utf8'), files)).toEqual([]);
  }, 60_000);
});
