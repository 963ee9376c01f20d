/*
 * Build the demo data set (libs/demo/src/demo-data.json) from the real data in the shared data dir.
 *
 * Regenerate (from the repo root):
 *   node -r ./bin/ts-register.js scripts/build-demo-data.ts
 *
 * Arguments: [dataDir] [outFile]
 *   dataDir  the shared data dir, default ../shared/data relative to the repo root
 *   outFile  default libs/demo/src/demo-data.json relative to the repo root
 * Options:
 *   --dump-all <file>  also write every parsed item of all 14 lists (for checking the parser)
 *
 * Inputs (see libs/demo/SOURCE.md):
 *   <dataDir>/karamay-qzqd/xls/*.xls(x)   real 权责清单 of Karamay city departments, read by the importer's
 *                                         own reader (libs/import parseFile: the rows `quanze import` reads)
 *   libs/import/data/cn-divisions.json.gz the importer's bundled NBS division list (built by
 *                                         scripts/build-divisions.ts from modood-admin-divisions/*.csv)
 * scripts/build-demo-data.int.spec.ts checks that rebuilding gives the committed JSON byte for byte.
 *
 * Deterministic: same inputs give byte-identical output (no dates, no randomness, stable sort orders).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
// The eleven types of the domain.
import { ItemType } from '../libs/domain/src/shared/types';
// The importer's reader: the demo is read from the lists exactly as `quanze import` reads them.
import { divisions, entryItemNames, parseFile, rowLevels, splitBasis, squash } from '../libs/import/src';

// ---------------------------------------------------------------------------------------------
// Output shape
// ---------------------------------------------------------------------------------------------

type RegionLevel = 'province' | 'city' | 'county' | 'township';

interface DemoRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode?: string;
}

interface DemoDepartment {
  id: string;
  name: string;
  regionCode: string;
  sourceFile: string;
}

interface DemoItem {
  code: string;
  name: string;
  type: ItemType;
  basis: string[];
  levels: RegionLevel[];
  departmentId: string;
  sourceFile: string;
  sheet: string;
  row: number;
}

interface DemoData {
  generatedFrom: string[];
  regions: DemoRegion[];
  departments: DemoDepartment[];
  items: DemoItem[];
}



const LEVEL_ORDER: RegionLevel[] = ['province', 'city', 'county', 'township'];

// ---------------------------------------------------------------------------------------------
// Configuration: which departments go into the demo (deterministic, by file)
// ---------------------------------------------------------------------------------------------

const QZQD_DIR = 'karamay-qzqd/xls';
const DIVISIONS_DIR = 'modood-admin-divisions';
const CITY_CODE = '650200';

interface DepartmentSpec {
  /** stable short ASCII id: KLMY + pinyin initials of the department */
  id: string;
  /** file name in karamay-qzqd/xls */
  file: string;
  /** department name from the file name, used when the list has no 行使主体/实施主体 column */
  fileDepartment: string;
  /** the department's name when the list's 行使主体 does not name a body (商务局's says 地州市商务主管部门) */
  name?: string;
  /**
   * Added later (so that all 14 lists are in the demo): its items are taken by the type quotas only, not
   * searched for similar pairs, so the eleven departments' items — and the demo's stories — stay as they were.
   */
  quotaOnly?: boolean;
}

/**
 * The demo departments. Chosen because their 行使主体 column names a body (商务局's list only says
 * "地州市商务主管部门", so it is left out), and together they cover most item types plus real
 * cross-department overlaps: 医保局 vs 人社局 (social-insurance fraud, supervision), 住建局 vs 应急局
 * (安全生产许可证), 农业农村局 vs 生态环境局 (soil pollution).
 */
const DEPARTMENTS: DepartmentSpec[] = [
  { id: 'KLMY-TJJ', file: '2025年克拉玛依市统计局权责清单.xlsx', fileDepartment: '克拉玛依市统计局' },
  { id: 'KLMY-YBJ', file: '克拉玛依市医疗保障局2024年权责清单.xls', fileDepartment: '克拉玛依市医疗保障局' },
  { id: 'KLMY-DAJ', file: '克拉玛依市档案局2024年权责清单.xlsx', fileDepartment: '克拉玛依市档案局' },
  {
    id: 'KLMY-JGSWGLJ',
    file: '克拉玛依市机关事务管理局2024年权责清单.xls',
    fileDepartment: '克拉玛依市机关事务管理局',
  },
  {
    id: 'KLMY-SWXCB',
    file: '克拉玛依市委宣传部（新闻出版局）2024年权责清单 (1).xlsx',
    fileDepartment: '克拉玛依市委宣传部（新闻出版局）',
  },
  {
    id: 'KLMY-RSJ',
    file: '克拉玛依市人力资源和社会保障局2024年权责清单.xls',
    fileDepartment: '克拉玛依市人力资源和社会保障局',
  },
  { id: 'KLMY-YJGLJ', file: '克拉玛依市应急管理局2024年权责清单.xls', fileDepartment: '克拉玛依市应急管理局' },
  { id: 'KLMY-STHJJ', file: '克拉玛依市生态环境局2024年权责清单.xls', fileDepartment: '克拉玛依市生态环境局' },
  {
    id: 'KLMY-ZJJ',
    file: '克拉玛依市住房和城乡建设局2024年权责清单.xls',
    fileDepartment: '克拉玛依市住房和城乡建设局',
  },
  { id: 'KLMY-NYNCJ', file: '2024年市农业农村局权责清单.xls', fileDepartment: '克拉玛依市农业农村局' },
  {
    id: 'KLMY-WTGLJ',
    file: '克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx',
    fileDepartment: '克拉玛依市文化体育广播电视和旅游局',
  },
  // the other three of the 14 lists
  { id: 'KLMY-FGW', file: '克拉玛依市发展和改革委员会2024年权责清单.xls', fileDepartment: '克拉玛依市发展和改革委员会', quotaOnly: true },
  { id: 'KLMY-SWJ', file: '克拉玛依市商务局2024年权责清单.xlsx', fileDepartment: '克拉玛依市商务局', name: '克拉玛依市商务局', quotaOnly: true },
  { id: 'KLMY-ZRZYJ', file: '克拉玛依市自然资源局2024年权责清单 (1).xls', fileDepartment: '克拉玛依市自然资源局', quotaOnly: true },
];

/** Items per department: quota per type, taken in list order, then topped up to PER_DEPT_TARGET. */
const TYPE_QUOTA: Array<[ItemType, number]> = [
  ['行政处罚', 3],
  ['行政许可', 2],
  ['行政检查', 2],
  ['行政强制', 1],
  ['行政确认', 1],
  ['行政奖励', 1],
  ['行政征收', 1],
  ['行政给付', 1],
  ['行政裁决', 1],
  ['其他行政权力', 1],
  ['公共服务', 1],
];
const PER_DEPT_TARGET = 10;
const PER_DEPT_MAX = 15;
const MULTI_LEVEL_PER_DEPT = 2;
const SIMILARITY_THRESHOLD = 0.5;
const MAX_SIMILAR_PAIRS = 6;
const MAX_PAIRS_PER_DEPT_PAIR = 2;
const BASIS_MAX_ENTRIES = 6;
const BASIS_MAX_CHARS = 500;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function sha1Hex(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

function findRepoRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string };
        if (json.name === 'quanze') return dir;
      } catch {
        /* keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

// ---------------------------------------------------------------------------------------------
// Regions: the city, its counties and townships, from the importer's bundled NBS division list
// ---------------------------------------------------------------------------------------------

function buildRegions(): DemoRegion[] {
  const all = divisions();
  const city = all.get(CITY_CODE);
  const province = city?.parentCode ? all.get(city.parentCode) : undefined;
  if (!city || !province) throw new Error(`city ${CITY_CODE} or its province not found in the division list`);
  const regions: DemoRegion[] = [
    { code: province.code, name: province.name, level: 'province' },
    { code: city.code, name: city.name, level: 'city', parentCode: province.code },
  ];
  const counties = [...all.values()].filter((d) => d.parentCode === city.code).sort((a, b) => a.code.localeCompare(b.code));
  for (const a of counties) regions.push({ code: a.code, name: a.name, level: 'county', parentCode: city.code });
  const countyCodes = new Set(counties.map((c) => c.code));
  const towns = [...all.values()].filter((d) => d.parentCode !== undefined && countyCodes.has(d.parentCode)).sort((a, b) => a.code.localeCompare(b.code));
  for (const t of towns) regions.push({ code: t.code, name: t.name, level: 'township', parentCode: t.parentCode });
  return regions;
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet parsing: the importer's own reader (libs/import), one item per 子项 as an import records it
// ---------------------------------------------------------------------------------------------

/** The demo keeps bases short: at most BASIS_MAX_ENTRIES references of BASIS_MAX_CHARS each. */
function demoBasis(raw: string): string[] {
  return splitBasis(raw)
    .map((r) => (r.length > BASIS_MAX_CHARS ? r.slice(0, BASIS_MAX_CHARS - 1) + '…' : r))
    .slice(0, BASIS_MAX_ENTRIES);
}

interface ParsedItem {
  file: string;
  sheet: string;
  /** 1-based spreadsheet row of the item's first row */
  row: number;
  rows: number[];
  seq: string;
  name: string;
  type: ItemType | undefined;
  typeSource: string;
  basisRaw: string;
  subject: string;
  levels: RegionLevel[];
  listCode: string;
}

interface SheetReport {
  file: string;
  sheet: string;
  headerRow: number | undefined;
  columns: Record<string, string>;
  items: number;
  continuationRows: number;
  skippedRows: number;
  /** cells covered by a merge that still hold their own value */
  hiddenUnderMerge: number;
}

function parseWorkbook(filePath: string, fileLabel: string, reports: SheetReport[]): ParsedItem[] {
  const parsed = parseFile({ name: path.basename(filePath), data: fs.readFileSync(filePath) });
  const items: ParsedItem[] = [];
  for (const sheet of parsed.sheets) {
    const report: SheetReport = {
      file: fileLabel,
      sheet: sheet.sheet,
      headerRow: sheet.headerRow,
      columns: sheet.columns,
      items: 0,
      continuationRows: sheet.continuationRows,
      skippedRows: sheet.skippedRows,
      hiddenUnderMerge: sheet.hiddenUnderMerge,
    };
    reports.push(report);
    for (const entry of sheet.entries) {
      // rows the importer would reject (no type, no name…) are not demo material either
      if (entry.problems.length) {
        report.skippedRows++;
        continue;
      }
      const levels = new Set<RegionLevel>();
      for (const lr of entry.levelRows) for (const l of rowLevels(lr, sheet.sheet)) levels.add(l);
      const subject = entry.levelRows.map((lr) => squash(lr.subject)).find((x) => x !== '') ?? '';
      const names = entryItemNames(entry);
      for (const name of names) {
        items.push({
          file: fileLabel,
          sheet: sheet.sheet,
          row: entry.row,
          rows: entry.rows,
          seq: entry.seq,
          name,
          type: entry.type,
          typeSource: entry.typeSource,
          basisRaw: entry.basisRaw,
          subject,
          levels: levels.size ? LEVEL_ORDER.filter((l) => levels.has(l)) : ['city'],
          listCode: names.length === 1 ? entry.code : '',
        });
        report.items++;
      }
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Similarity (character bigrams, Jaccard)
// ---------------------------------------------------------------------------------------------

function bigrams(s: string): Set<string> {
  const t = s.replace(/[\s（）()《》〈〉<>“”"、，,。；;：:]/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function departmentName(spec: DepartmentSpec, items: ParsedItem[]): string {
  if (spec.name) return spec.name;
  // the implementing body as the list writes it: the most frequent 行使主体 of the city-level rows
  const counts = new Map<string, number>();
  for (const it of items) {
    if (!it.subject) continue;
    counts.set(it.subject, (counts.get(it.subject) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  let name = best ? best[0] : spec.fileDepartment;
  // lists abbreviate the city as "市…" (市统计局) or keep the regional catalogue's placeholder
  // "地州市…" (地州市农业农村局): spell out the city so the name is unique nationally
  if (name.startsWith('地州市')) name = `克拉玛依市${name.slice(3)}`;
  else if (name.startsWith('市')) name = `克拉玛依${name}`;
  return name;
}

/** The demo data set read from the shared data dir, with a summary of what was read (for stderr). */
export function buildDemoData(dataDir: string, dumpAll?: string): { data: DemoData; summary: string[] } {
  const qzqdDir = path.join(dataDir, QZQD_DIR);

  const regions = buildRegions();

  // parse every list (all 14, so the similarity search and the dump see the whole data set)
  const reports: SheetReport[] = [];
  const allFiles = fs
    .readdirSync(qzqdDir)
    .filter((f) => /\.xlsx?$/i.test(f))
    .sort();
  const parsed = new Map<string, ParsedItem[]>();
  for (const f of allFiles) parsed.set(f, parseWorkbook(path.join(qzqdDir, f), `${QZQD_DIR}/${f}`, reports));

  if (dumpAll) {
    const dump = {
      sheets: reports,
      items: [...parsed.values()].flat().map((it) => ({
        file: it.file,
        sheet: it.sheet,
        row: it.row,
        rows: it.rows,
        seq: it.seq,
        name: it.name,
        type: it.type ?? null,
        typeSource: it.typeSource,
        subject: it.subject,
        levels: it.levels,
        basis: demoBasis(it.basisRaw),
      })),
    };
    fs.writeFileSync(dumpAll, JSON.stringify(dump, null, 2) + '\n');
  }

  // candidates per chosen department: typed, named, with a legal basis, not a duplicate name
  const candidates = new Map<string, ParsedItem[]>();
  const departments: DemoDepartment[] = [];
  for (const spec of DEPARTMENTS) {
    const items = parsed.get(spec.file);
    if (!items) throw new Error(`missing list ${spec.file} in ${qzqdDir}`);
    departments.push({
      id: spec.id,
      name: departmentName(spec, items),
      regionCode: CITY_CODE,
      sourceFile: `${QZQD_DIR}/${spec.file}`,
    });
    const seen = new Set<string>();
    const ok = items.filter((it) => {
      if (!it.type || !it.name || demoBasis(it.basisRaw).length === 0) return false;
      const key = `${it.type}|${it.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    candidates.set(spec.id, ok);
  }

  // similar pairs across departments (same matter worded differently)
  interface Pair {
    a: ParsedItem;
    aDept: string;
    b: ParsedItem;
    bDept: string;
    j: number;
  }
  const pairs: Pair[] = [];
  const specIds = DEPARTMENTS.map((d) => d.id);
  const pairIds = DEPARTMENTS.filter((d) => !d.quotaOnly).map((d) => d.id);
  const grams = new Map<ParsedItem, Set<string>>();
  for (const list of candidates.values()) for (const it of list) grams.set(it, bigrams(it.name));
  for (let x = 0; x < pairIds.length; x++) {
    for (let y = x + 1; y < pairIds.length; y++) {
      for (const a of candidates.get(pairIds[x]) ?? []) {
        for (const b of candidates.get(pairIds[y]) ?? []) {
          if (a.name === b.name) continue; // identical wording is not "worded differently"
          const j = jaccard(grams.get(a)!, grams.get(b)!);
          if (j >= SIMILARITY_THRESHOLD) pairs.push({ a, aDept: pairIds[x], b, bDept: pairIds[y], j });
        }
      }
    }
  }
  pairs.sort(
    (p, q) =>
      q.j - p.j ||
      p.aDept.localeCompare(q.aDept) ||
      p.a.row - q.a.row ||
      p.bDept.localeCompare(q.bDept) ||
      p.b.row - q.b.row,
  );
  const chosenPairs: Pair[] = [];
  const perDeptPair = new Map<string, number>();
  const usedInPairs = new Set<ParsedItem>();
  for (const p of pairs) {
    if (chosenPairs.length >= MAX_SIMILAR_PAIRS) break;
    const key = `${p.aDept}|${p.bDept}`;
    if ((perDeptPair.get(key) ?? 0) >= MAX_PAIRS_PER_DEPT_PAIR) continue;
    if (usedInPairs.has(p.a) || usedInPairs.has(p.b)) continue;
    chosenPairs.push(p);
    perDeptPair.set(key, (perDeptPair.get(key) ?? 0) + 1);
    usedInPairs.add(p.a);
    usedInPairs.add(p.b);
  }

  // per department: pair items, multi-level items, then type quotas in list order, then top up in list order
  const selected = new Map<string, ParsedItem[]>();
  for (const id of specIds) {
    const list = candidates.get(id) ?? [];
    const pick = new Set<ParsedItem>(list.filter((it) => usedInPairs.has(it)));
    // a few items exercised at more than one level (for the multi-level views)
    for (const it of list.filter((x) => x.levels.length > 1).slice(0, MULTI_LEVEL_PER_DEPT)) pick.add(it);
    for (const [type, quota] of TYPE_QUOTA) {
      let n = [...pick].filter((it) => it.type === type).length;
      for (const it of list) {
        if (n >= quota || pick.size >= PER_DEPT_TARGET) break;
        if (it.type === type && !pick.has(it)) {
          pick.add(it);
          n++;
        }
      }
    }
    for (const it of list) {
      if (pick.size >= PER_DEPT_TARGET) break;
      pick.add(it);
    }
    const ordered = list.filter((it) => pick.has(it)).slice(0, PER_DEPT_MAX);
    selected.set(id, ordered);
  }

  // items with codes
  const usedCodes = new Set<string>();
  const uniqueCode = (code: string): string => {
    if (!usedCodes.has(code)) {
      usedCodes.add(code);
      return code;
    }
    for (let n = 2; ; n++) {
      const c = `${code}-${n}`;
      if (!usedCodes.has(c)) {
        usedCodes.add(c);
        return c;
      }
    }
  };
  const items: DemoItem[] = [];
  for (const id of specIds) {
    for (const it of selected.get(id) ?? []) {
      const type = it.type as ItemType;
      const code = it.listCode
        ? it.listCode
        : `L${CITY_CODE}-${sha1Hex(`${type}|${it.name}`).slice(0, 10).toUpperCase()}`;
      items.push({
        code: uniqueCode(code),
        name: it.name,
        type,
        basis: demoBasis(it.basisRaw),
        levels: it.levels,
        departmentId: id,
        sourceFile: it.file,
        sheet: it.sheet,
        row: it.row,
      });
    }
  }

  const usedFiles = DEPARTMENTS.map((d) => `${QZQD_DIR}/${d.file}`);
  const data: DemoData = {
    generatedFrom: [
      ...usedFiles,
      `${DIVISIONS_DIR}/provinces.csv`,
      `${DIVISIONS_DIR}/cities.csv`,
      `${DIVISIONS_DIR}/areas.csv`,
      `${DIVISIONS_DIR}/streets.csv`,
    ],
    regions,
    departments,
    items,
  };
  const summary: string[] = [];
  const log = (line: string): void => void summary.push(line);
  log(`regions: ${regions.length} (${LEVEL_ORDER.map((l) => `${l} ${regions.filter((r) => r.level === l).length}`).join(', ')})`);
  log(`departments: ${departments.length}`);
  for (const d of departments) {
    const its = items.filter((i) => i.departmentId === d.id);
    const byType = [...new Set(its.map((i) => i.type))].map((t) => `${t} ${its.filter((i) => i.type === t).length}`);
    log(`  ${d.id} ${d.name}: ${its.length} items (${byType.join(', ')})`);
  }
  log(`items: ${items.length}`);
  log(`similar pairs (bigram Jaccard >= ${SIMILARITY_THRESHOLD}): ${pairs.length} found, ${chosenPairs.length} kept`);
  for (const p of chosenPairs) log(`  ${p.j.toFixed(2)} ${p.aDept} ${p.a.name} <> ${p.bDept} ${p.b.name}`);
  log('sheets parsed:');
  for (const r of reports) {
    log(
      `  ${r.file.replace(`${QZQD_DIR}/`, '')} [${r.sheet}] header row ${r.headerRow ?? '-'}; items ${r.items}, continuation rows ${r.continuationRows}, values hidden under merges ${r.hiddenUnderMerge}`,
    );
  }
  return { data, summary };
}

function main(): void {
  const args = process.argv.slice(2);
  let dumpAll: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dump-all') dumpAll = args[++i];
    else positional.push(args[i]);
  }
  const root = findRepoRoot(process.cwd());
  const dataDir = path.resolve(root, positional[0] ?? '../shared/data');
  const outFile = path.resolve(root, positional[1] ?? 'libs/demo/src/demo-data.json');
  const { data, summary } = buildDemoData(dataDir, dumpAll);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const json = JSON.stringify(data, null, 2) + '\n';
  fs.writeFileSync(outFile, json);
  process.stderr.write(`wrote ${path.relative(root, outFile)} (${Buffer.byteLength(json)} bytes)\n${summary.join('\n')}\n`);
}

if (require.main === module) main();
