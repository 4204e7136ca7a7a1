#!/usr/bin/env node
// Checks that a package's README reads correctly on its npm page: no link leaves the package
// (`../`), and every relative link, image or cited repository path (`src/…`, `test/…`,
// `examples/…`, `bench/…`, `docs/…`, `scripts/…`) names a file the packed tarball ships. Files
// outside it are linked by their repository URL instead. Run from a package directory (its
// `lint` script does), or import `readmeProblems` to check a text against a file list.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';

const CITED_PATH = /(?<!\[)`((?:\.\/)?(?:src|test|tests|examples|bench|docs|scripts|fixtures)\/[^`\s]*)`/g;
const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g;

/** Whether `path` (without `./`, maybe a directory or a glob) is shipped among `files`. */
function shipped(path, files) {
  const clean = posix.normalize(path.replace(/^\.\//, '')).replace(/\/$/, '');
  const prefix = clean.split('*')[0];
  return files.some((file) => file === clean || file.startsWith(`${prefix.replace(/\/$/, '')}/`) || (clean.includes('*') && file.startsWith(prefix)));
}

/**
 * The problems of a README as npm shows it: each names the line and what is wrong. `files` are
 * the paths the tarball ships, relative to the package (`dist/index.js`, `README.md`).
 */
export function readmeProblems(readme, files) {
  const problems = [];
  const lines = readme.split('\n');
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const at = `README.md:${index + 1}`;
    for (const match of line.matchAll(LINK)) {
      const target = match[1] ?? match[2];
      if (/^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target)) continue;
      const path = decodeURI(target.split('#')[0]);
      if (path === '') continue;
      if (path.startsWith('../') || path.startsWith('/')) problems.push(`${at}: link "${target}" leaves the package: npm cannot follow it; link the repository or npm URL`);
      else if (!shipped(path, files)) problems.push(`${at}: link "${target}" names a file the package does not ship; link its repository URL`);
    }
    if (fenced) return;
    for (const match of line.matchAll(CITED_PATH)) {
      if (!shipped(match[1], files)) problems.push(`${at}: "${match[1]}" is not in the package: an npm reader cannot find it; link its repository URL`);
    }
  });
  return problems;
}

/** The files `pnpm pack` would put in the tarball of the package in `directory`. */
export function packedFiles(directory) {
  const output = execFileSync('pnpm', ['pack', '--dry-run', '--json'], { cwd: directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(output.slice(output.indexOf('{'))).files.map((file) => file.path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const directory = process.argv[2] ?? process.cwd();
  const files = packedFiles(directory);
  const problems = files.includes('README.md') ? readmeProblems(readFileSync(`${directory}/README.md`, 'utf8'), files) : ['README.md is not in the package'];
  for (const problem of problems) console.error(`${JSON.parse(readFileSync(`${directory}/package.json`, 'utf8')).name}: ${problem}`);
  process.exit(problems.length > 0 ? 1 : 0);
}
