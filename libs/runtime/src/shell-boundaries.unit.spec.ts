import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

/**
 * Imports point one way (HELPERS/architecture): the shells share the composition root in libs/runtime,
 * so the CLI needs nothing from the API; the web app speaks HTTP and may import only the types-only
 * contract (libs/contract), which itself imports nothing.
 */
const root = resolve(__dirname, '../../..');
function* files(dir: string): Iterable<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}
/** Every relative import of the files under `dir`, resolved to a path inside the repository. */
function importsOf(dir: string): Array<{ file: string; target: string }> {
  const out: Array<{ file: string; target: string }> = [];
  for (const f of files(join(root, dir))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      out.push({ file: relative(root, f), target: relative(root, resolve(dirname(f), m[1])) });
    }
  }
  return out;
}

test('apps/cli imports nothing from apps/api', () => {
  const bad = importsOf('apps/cli').filter((i) => i.target.startsWith('apps/api'));
  expect(importsOf('apps/cli').length).toBeGreaterThan(10);
  expect(bad).toEqual([]);
});
