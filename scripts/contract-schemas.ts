/**
 * Generates apps/api/src/openapi/contract.schemas.json: JSON Schemas of the answer types of libs/contract
 * (typescript-json-schema), the `components.schemas` of the OpenAPI document's answers.
 * Run after changing libs/contract: `npm run gen:schemas` (test/openapi.e2e.spec.ts checks it is current).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as TJS from 'typescript-json-schema';

const ROOT = join(__dirname, '..');
export const SCHEMAS_FILE = join(ROOT, 'apps/api/src/openapi/contract.schemas.json');

export function generateContractSchemas(): Record<string, unknown> {
  const program = TJS.getProgramFromFiles([join(ROOT, 'libs/contract/src/index.ts')], { strict: true, esModuleInterop: true, skipLibCheck: true }, ROOT);
  const generator = TJS.buildGenerator(program, { required: true, noExtraProps: false, ref: true, aliasRef: false, topRef: false, titles: false, ignoreErrors: true, strictNullChecks: true });
  if (!generator) throw new Error('typescript-json-schema: libs/contract does not compile');
  const names = generator.getMainFileSymbols(program, [...program.getRootFileNames(), ...program.getSourceFiles().map((f) => f.fileName).filter((f) => f.includes('/libs/contract/src/'))]);
  const schema = generator.getSchemaForSymbols(names.sort(), true, true) as { definitions: Record<string, unknown> };
  const defs = schema.definitions;
  // generic instances (Record<string,number>, Partial<…>) are inlined: component names are plain words
  const generic = (name: string) => !/^[A-Za-z0-9._-]+$/.test(name);
  const inline = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(inline);
    if (!v || typeof v !== 'object') return v;
    const ref = (v as { $ref?: string }).$ref;
    if (ref?.startsWith('#/definitions/')) {
      const name = decodeURIComponent(ref.slice('#/definitions/'.length));
      if (generic(name)) return inline(defs[name]);
      return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inline(x)]));
  };
  return Object.fromEntries(Object.keys(defs).filter((n) => !generic(n)).map((n) => [n, inline(defs[n])]));
}

if (require.main === module) {
  const defs = generateContractSchemas();
  writeFileSync(SCHEMAS_FILE, JSON.stringify(defs, null, 1) + '\n');
  process.stdout.write(`${Object.keys(defs).length} schemas → ${SCHEMAS_FILE}\n`);
}
