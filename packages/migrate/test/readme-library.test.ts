import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The README's library example is typechecked as examples/migrate-library.ts (`pnpm typecheck`
// compiles examples/); this keeps the two identical, so the README cannot drift from code that compiles.
describe('the README library example', () => {
  it('is the typechecked region of examples/migrate-library.ts, character for character', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('../../../examples/migrate-library.ts', import.meta.url), 'utf8');
    const snippet = /## Library\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const region = /\/\/ #region readme\n([\s\S]*?)\/\/ #endregion/.exec(example)?.[1];
    expect(region).toBeDefined();
    expect(snippet).toBe(region);
  });
});
