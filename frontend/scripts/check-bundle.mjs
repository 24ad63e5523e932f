// Fails when the initial JavaScript — the entry chunk and everything it imports statically,
// gzipped — is over the budget (300 KB). Lazy chunks (administration, other languages) do not
// count. Reads dist/.vite/manifest.json, so run it after `vite build`.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (entries.length === 0) {
  console.error('no entry chunk in dist/.vite/manifest.json');
  process.exit(1);
}

/** The manifest keys of `key` and all its static imports, transitively. */
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const child of manifest[key].imports ?? []) staticClosure(child, seen);
  return seen;
}

const initial = new Set(entries.flatMap((key) => [...staticClosure(key)]));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let total = 0;
for (const key of initial) {
  const file = manifest[key].file;
  const bytes = readFileSync(join(dist, file));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(`  initial  ${file}  ${kb(bytes.length)} raw, ${kb(gzipped)} gzipped`);
}
const lazy = Object.keys(manifest).filter((key) => !initial.has(key) && manifest[key].file.endsWith('.js'));
for (const key of lazy) {
  const bytes = readFileSync(join(dist, manifest[key].file));
  console.log(`  lazy     ${manifest[key].file}  ${kb(gzipSync(bytes, { level: 9 }).length)} gzipped`);
}
console.log(`initial JavaScript: ${kb(total)} gzipped (budget ${kb(BUDGET)})`);
if (total > BUDGET) {
  console.error('the initial JavaScript is over budget: lazy-load more (admin screens, charts, languages)');
  process.exit(1);
}
