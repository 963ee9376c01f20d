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

/** The imports (package or relative) of one file. */
const specsOf = (f: string) => [...readFileSync(f, 'utf8').matchAll(/(?:from|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
const resolveTs = (t: string) => [t, `${t}.ts`, join(t, 'index.ts')].map((x) => join(root, x)).find((x) => { try { return statSync(x).isFile(); } catch { return false; } });

test('the web app imports from libs/ only the types-only contract and files that import nothing (pure, bundled as they are)', () => {
  const web = importsOf('apps/web/src');
  expect(web.some((i) => i.target.startsWith('libs/contract'))).toBe(true);
  const fromLibs = web.filter((i) => i.target.startsWith('libs/') && !i.target.startsWith('libs/contract'));
  // e.g. libs/export/src/csv.ts: a pure module the export and the browser share. Anything with an import of its own is refused.
  const impure = fromLibs.filter((i) => { const f = resolveTs(i.target); return !f || specsOf(f).length > 0; });
  expect(impure.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  const contract = [...files(join(root, 'libs/contract/src'))].filter((f) => !f.endsWith('.spec.ts'));
  const imports = contract.flatMap((f) => specsOf(f).map((spec) => ({ file: relative(root, f), spec })));
  // Only the contract's own files, and no package at all (no Nest, no libs internals).
  expect(contract.length).toBeGreaterThan(3);
  expect(imports.filter((i) => !i.spec.startsWith('./'))).toEqual([]);
});
