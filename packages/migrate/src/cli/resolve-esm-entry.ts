import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The conditions Node's ESM loader uses for an `import`: resolving with them picks a package's
// ESM build, the one that shares its `@app/migrate` with this CLI (the CommonJS build would
// carry a second copy of every class).
const IMPORT_CONDITIONS = new Set(['import', 'node', 'default']);

type ExportsTarget = string | null | ExportsTarget[] | { [key: string]: ExportsTarget };

function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return { name: parts.slice(0, length).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

function resolveTarget(directory: string, target: ExportsTarget, star: string | undefined): string | undefined {
  if (target === null) return undefined;
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return undefined;
    return join(directory, star === undefined ? target : target.replaceAll('*', star));
  }
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const resolved = resolveTarget(directory, candidate, star);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  for (const [condition, nested] of Object.entries(target)) {
    if (IMPORT_CONDITIONS.has(condition)) return resolveTarget(directory, nested, star);
  }
  return undefined;
}

function resolveExports(directory: string, exports: ExportsTarget, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  const map: Record<string, ExportsTarget> = isSubpathMap ? (exports as Record<string, ExportsTarget>) : { '.': exports };
  if (Object.hasOwn(map, subpath)) return resolveTarget(directory, map[subpath]!, undefined);
  // Subpath patterns (`./lib/*`): the longest matching prefix wins, as in Node.
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(map)) {
    const at = key.indexOf('*');
    if (at < 0) continue;
    const prefix = key.slice(0, at);
    const suffix = key.slice(at + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1 && (!best || prefix.length > best.key.indexOf('*'))) {
      best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best ? resolveTarget(directory, map[best.key]!, best.star) : undefined;
}

/**
 * The file an `import(specifier)` from `base` (a file path or URL) would load, found the way
 * Node's ESM resolver does: the nearest `node_modules/<name>` up from `base`, then its `exports`
 * under the `import` condition. Packages without `exports` resolve as CommonJS does (the same
 * file either way). `undefined` when the package is not installed there.
 *
 * Node 20 has no `import.meta.resolve(specifier, parent)` without a flag, hence this resolver.
 */
export function resolveEsmEntry(specifier: string, base: string): string | undefined {
  const require = createRequire(base);
  const { name, subpath } = splitSpecifier(specifier);
  for (const modules of require.resolve.paths(name) ?? []) {
    const directory = join(modules, name);
    const manifest = join(directory, 'package.json');
    if (!existsSync(manifest)) continue;
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: ExportsTarget };
    if (exports === undefined) return require.resolve(specifier);
    return resolveExports(directory, exports, subpath);
  }
  return undefined;
}
