// Generates the API types (src/api/schema.d.ts) from the checked-in OpenAPI document.
// With --check it generates into a temporary file and fails when the committed types differ
// (the document changed and `npm run gen:api` was not run, or the types were edited by hand).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const documentPath = resolve(root, '../openapi/openapi.json');
const committed = join(root, 'src/api/schema.d.ts');
const bin = join(root, 'node_modules/.bin/openapi-typescript');

/** Runs openapi-typescript on the document, writing `output`. */
function generate(output) {
  try {
    execFileSync(bin, [documentPath, '--output', output], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    console.error(
      `openapi-typescript could not read ${documentPath}:\n${String(error.stderr ?? error).trim()}`,
    );
    process.exit(1);
  }
}

if (process.argv.includes('--check')) {
  const dir = mkdtempSync(join(tmpdir(), 'vakt-api-'));
  try {
    const fresh = join(dir, 'schema.d.ts');
    generate(fresh);
    const want = readFileSync(fresh, 'utf8');
    let have = '';
    try {
      have = readFileSync(committed, 'utf8');
    } catch {
      // missing: reported below as drift
    }
    if (want !== have) {
      const a = have.split('\n');
      const b = want.split('\n');
      const line = b.findIndex((text, i) => text !== a[i]);
      console.error(
        `API types drift: src/api/schema.d.ts differs from what ../openapi/openapi.json generates ` +
          `(first difference at line ${line + 1}).\n` +
          `  committed: ${JSON.stringify(a[line] ?? '<end of file>')}\n` +
          `  generated: ${JSON.stringify(b[line] ?? '<end of file>')}\n` +
          'Run `npm run gen:api` and commit the result.',
      );
      process.exit(1);
    }
    console.log('API types match ../openapi/openapi.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  generate(committed);
  console.log('wrote src/api/schema.d.ts');
}
