import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !p.includes(`${join('src', 'testing')}`)) out.push(p);
  }
  return out;
}
const rel = (p: string) => relative(root, p);

/** One write path: only libs/application decides and appends; the importer goes through it. */
describe('the write path', () => {
  test('libs/import imports nothing from libs/event-store', () => {
    const offenders = sources(join(root, 'libs', 'import', 'src')).filter((p) => /from '[^']*event-store\/src[^']*'/.test(readFileSync(p, 'utf8')));
    expect(offenders.map(rel)).toEqual([]);
  });

  test('nothing outside libs/application (and the store itself) appends to the store or runs a command by hand', () => {
    const dirs = ['apps/api/src', 'apps/cli/src', 'libs/import/src', 'libs/demo/src', 'libs/projections/src', 'libs/domain/src', 'scripts'].map((d) => join(root, d));
    const offenders = dirs
      .flatMap(sources)
      .filter((p) => /\bstore\.append\(|\bexecuteCommand\(|\.append\(\[\s*\{\s*stream/.test(readFileSync(p, 'utf8')))
      .map(rel);
    // the migration copies a log from one store to another: the one writer that is not a command
    expect(offenders.filter((p) => !p.startsWith('apps/cli/src/commands/migrate'))).toEqual([]);
  });
});
