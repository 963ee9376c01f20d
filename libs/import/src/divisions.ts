/**
 * The bundled national division list (NBS 统计用区划代码 2023: 31 provinces, 342 cities, 2,975 counties,
 * 41,275 townships), used to register a region and its ancestors the first time a list names it.
 * Built by scripts/build-divisions.ts into libs/import/data/cn-divisions.json.gz.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DocumentRef, Level } from '../../domain/src';

export interface Division {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
}

/** The document auto-registered regions cite (the same as the demo's). */
export const DIVISIONS_DOCUMENT: DocumentRef = {
  number: '国家统计局2023年统计用区划代码',
  title: '统计用区划代码和城乡划分代码（2023）',
  issuedBy: '国家统计局',
};

type Node = [string, string, Node[]?];

let cache: Map<string, Division> | undefined;

/** Where the data file is: beside the sources, or from the compiled build (dist/libs/import/src → libs/import/data). */
function dataFile(): string {
  const candidates = [join(__dirname, '..', 'data', 'cn-divisions.json.gz'), join(__dirname, '..', '..', '..', '..', 'libs', 'import', 'data', 'cn-divisions.json.gz')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`全国区划代码表缺失（应在 libs/import/data/cn-divisions.json.gz；可用 scripts/build-divisions.ts 重新生成）`);
  return found;
}

export function divisions(): Map<string, Division> {
  if (cache) return cache;
  const { tree } = JSON.parse(gunzipSync(readFileSync(dataFile())).toString('utf8')) as { tree: Node[] };
  cache = new Map();
  for (const province of tree) addProvince(cache, province);
  return cache;
}

function addProvince(map: Map<string, Division>, [p2, pname, cities]: Node): void {
  const p = `${p2}0000`;
  map.set(p, { code: p, name: pname, level: 'province' });
  for (const [c2, cname, counties] of cities ?? []) {
    const c = `${p2}${c2}00`;
    map.set(c, { code: c, name: cname, level: 'city', parentCode: p });
    for (const [a2, aname, towns] of counties ?? []) {
      const a = `${p2}${c2}${a2}`;
      map.set(a, { code: a, name: aname, level: 'county', parentCode: c });
      for (const [s3, sname] of towns ?? []) map.set(`${a}${s3}`, { code: `${a}${s3}`, name: sname, level: 'township', parentCode: a });
    }
  }
}

const provinces = new Map<string, Map<string, Division>>();

/**
 * One province's divisions, parsing only its part of the list: the tree's top-level elements are found
 * by bracket depth (strings skipped), and only the one of the province is parsed (a first import
 * needs one region's chain; the whole list costs ~80 ms to parse).
 */
function province(p2: string): Map<string, Division> {
  const known = provinces.get(p2);
  if (known) return known;
  const map = new Map<string, Division>();
  provinces.set(p2, map);
  if (cache) {
    for (const [k, v] of cache) if (k.startsWith(p2)) map.set(k, v);
    return map;
  }
  const text = gunzipSync(readFileSync(dataFile())).toString('utf8');
  const at = text.indexOf('"tree":[');
  if (at < 0) return map;
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = at + 7; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x5b) {
      depth++;
      if (depth === 2) start = i;
    } else if (ch === 0x5d) {
      if (depth === 2 && text.startsWith(`["${p2}",`, start)) {
        addProvince(map, JSON.parse(text.slice(start, i + 1)) as Node);
        break;
      }
      if (--depth === 0) break;
    }
  }
  return map;
}

/** A region and its ancestors, province first; undefined when the code is not in the list. */
export function divisionChain(code: string): Division[] | undefined {
  const map = /^\d{6}/.test(code) ? province(code.slice(0, 2)) : divisions();
  const chain: Division[] = [];
  for (let d = map.get(code); d; d = d.parentCode ? map.get(d.parentCode) : undefined) chain.unshift(d);
  return chain.length ? chain : undefined;
}
