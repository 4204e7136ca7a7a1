import { readdirSync } from 'node:fs';
import { defineLibraryConfig } from '../../tsup.base.js';

// Every provider file is its own entry (`@app/canonical-events/shopify`), so importing one
// provider does not pull the others into a browser bundle; shared code lands in chunks.
// New files in src/providers/ are picked up here; their subpath still goes in package.json.
const providerEntries = Object.fromEntries(
  readdirSync(new URL('./src/providers/', import.meta.url))
    .filter((file) => file.endsWith('.ts') && file !== 'fallback.ts')
    .map((file) => [file.slice(0, -'.ts'.length), `src/providers/${file}`]),
);

export default defineLibraryConfig({
  index: 'src/index.ts',
  core: 'src/core.ts',
  render: 'src/render.ts',
  providers: 'src/providers.ts',
  'default-registry': 'src/default-registry.ts',
  ...providerEntries,
});
