/*
 * Build the bundled national division list (libs/import/data/cn-divisions.json.gz) that the importer uses
 * to register a region (and its ancestors) on first use.
 *
 * Regenerate (from the repo root):
 *   node -r ./bin/ts-register.js scripts/build-divisions.ts [dataDir] [outFile]
 *
 *   dataDir  the shared data dir, default ../shared/data relative to the repo root
 *   outFile  default libs/import/data/cn-divisions.json.gz
 *
 * Input: <dataDir>/modood-admin-divisions/{provinces,cities,areas,streets}.csv — NBS 统计用区划代码 2023
 * (WTFPL, see that folder's SOURCE.md). Codes as the domain wants them (GB/T 2260 style): province = 2 digits
 * + "0000", city = 4 digits + "00", county = 6 digits, township = 9 digits.
 *
 * Left out, because the domain cannot register them: county rows whose code equals their city's (441900
 * 东莞市, 442000 中山市, 460400 儋州市: cities without counties) and the townships under them (a township's
 * parent must be a county).
 *
 * Output: gzip'd JSON { source, counts, tree } where tree is
 *   [[p2, name, [[c2, name, [[a2, name, [[s3, name], …]], …]], …]], …]
 * (each code relative to its parent: p2 = province digits 1-2, c2 = 3-4, a2 = 5-6, s3 = 7-9).
 * Deterministic: same input, byte-identical output (sorted by code, gzip without a timestamp).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

function readCsv(file: string): Array<Record<string, string>> {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const parse = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = parse(lines[0]).map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const cells = parse(l);
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

type Node = [string, string, Node[]?];

function main(): void {
  const [dataArg, outArg] = process.argv.slice(2);
  const root = path.resolve(__dirname, '..');
  const dir = path.resolve(root, dataArg ?? '../shared/data', 'modood-admin-divisions');
  const out = path.resolve(root, outArg ?? 'libs/import/data/cn-divisions.json.gz');
  const byCode = (a: Record<string, string>, b: Record<string, string>) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const provinces = readCsv(path.join(dir, 'provinces.csv')).sort(byCode);
  const cities = readCsv(path.join(dir, 'cities.csv')).sort(byCode);
  const areas = readCsv(path.join(dir, 'areas.csv')).sort(byCode);
  const streets = readCsv(path.join(dir, 'streets.csv')).sort(byCode);
  const counts = { province: 0, city: 0, county: 0, township: 0, skipped: 0 };
  const areaNodes = new Map<string, Node[]>();
  const cityNodes = new Map<string, Node[]>();
  const tree: Node[] = [];
  const provinceNodes = new Map<string, Node[]>();
  for (const p of provinces) {
    if (!/^\d{2}$/.test(p.code)) throw new Error(`bad province code ${p.code}`);
    const kids: Node[] = [];
    provinceNodes.set(p.code, kids);
    tree.push([p.code, p.name, kids]);
    counts.province++;
  }
  for (const c of cities) {
    if (!/^\d{4}$/.test(c.code) || c.code.slice(0, 2) !== c.provinceCode) throw new Error(`bad city ${c.code}`);
    const kids: Node[] = [];
    cityNodes.set(c.code, kids);
    provinceNodes.get(c.provinceCode)!.push([c.code.slice(2), c.name, kids]);
    counts.city++;
  }
  for (const a of areas) {
    if (!/^\d{6}$/.test(a.code) || a.code.slice(0, 4) !== a.cityCode) throw new Error(`bad county ${a.code}`);
    if (a.code.endsWith('00')) {
      counts.skipped++;
      continue;
    }
    const kids: Node[] = [];
    areaNodes.set(a.code, kids);
    cityNodes.get(a.cityCode)!.push([a.code.slice(4), a.name, kids]);
    counts.county++;
  }
  for (const s of streets) {
    if (!/^\d{9}$/.test(s.code) || s.code.slice(0, 6) !== s.areaCode) throw new Error(`bad township ${s.code}`);
    const parent = areaNodes.get(s.areaCode);
    if (!parent) {
      counts.skipped++;
      continue;
    }
    parent.push([s.code.slice(6), s.name]);
    counts.township++;
  }
  const prune = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n[2] && n[2].length === 0) n.length = 2;
      else if (n[2]) prune(n[2]);
    }
  };
  prune(tree);
  const json = JSON.stringify({
    source: 'NBS 统计用区划代码 2023 (cut-off 2023-06-30), via github.com/modood/Administrative-divisions-of-China (WTFPL); see scripts/build-divisions.ts',
    counts,
    tree,
  });
  const gz = gzipSync(Buffer.from(json, 'utf8'), { level: 9 });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, gz);
  process.stderr.write(`wrote ${path.relative(root, out)}: ${gz.length} bytes (${json.length} chars of JSON); ${JSON.stringify(counts)}\n`);
}

main();
