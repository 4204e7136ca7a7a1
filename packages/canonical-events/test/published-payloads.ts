import { readdirSync } from 'node:fs';

/**
 * Every published payload in `examples/payloads/` (49 files) with the `integration_type` its
 * folder names (`trust_usetrust` routes to `trust` through the alias table).
 */
export function publishedPayloads(): Array<{ integrationType: string; file: string }> {
  const root = new URL('../../../examples/payloads/', import.meta.url);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((folder) =>
      readdirSync(new URL(`${folder.name}/`, root))
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => ({ integrationType: folder.name, file: `${folder.name}/${file}` })),
    );
}
