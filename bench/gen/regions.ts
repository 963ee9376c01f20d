/**
 * Real region codes and names (NBS 2023 statistical division codes, modood/Administrative-divisions-of-China,
 * see ../shared/data/modood-admin-divisions/SOURCE.md). County-level codes 70-79 (development zones and the
 * like, not MCA divisions) are left out with their townships: 山西 then has 11 cities, 117 counties and
 * 1,341 townships.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Level } from '../../libs/domain/src';
import { readDemoData } from '../../libs/demo/src';

export interface Region {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
  children: Region[];
  /** The province this region belongs to (its 2-digit prefix, padded). */
  province: string;
}

export interface ProvinceTree {
  province: Region;
  /** Every region of the tree, parents before children (province, cities, counties, townships). */
  all: Region[];
}

/** Where ../shared/data is: QUANZE_SHARED_DATA, or ../shared/data beside the repo. */
export function sharedDataDir(): string {
  const candidates = [process.env.QUANZE_SHARED_DATA, resolve(__dirname, '../../../shared/data'), resolve(process.cwd(), '../shared/data')].filter(Boolean) as string[];
  for (const c of candidates) if (existsSync(join(c, 'modood-admin-divisions', 'streets.csv'))) return c;
  throw new Error(`modood-admin-divisions not found (looked in ${candidates.join(', ')}); set QUANZE_SHARED_DATA to the shared data dir`);
}

function csv(file: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const cols = head.split(',');
  // The files quote names only; no field holds a comma.
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v.replace(/^"|"$/g, '')])));
}

const isDevZone = (countyCode: string) => {
  const n = Number(countyCode.slice(4, 6));
  return n >= 70 && n <= 79;
};

const node = (code: string, name: string, level: Level, province: string, parentCode?: string): Region => ({ code, name, level, parentCode, children: [], province });

/** One province from the modood files; `cityCodes` keeps only those cities (4-digit codes), e.g. size S. */
export function loadProvince(provinceCode2: string, opts: { dataDir?: string; cityCodes?: string[] } = {}): ProvinceTree {
  const dir = join(opts.dataDir ?? sharedDataDir(), 'modood-admin-divisions');
  const provinces = csv(join(dir, 'provinces.csv'));
  const p = provinces.find((r) => r.code === provinceCode2);
  if (!p) throw new Error(`province ${provinceCode2} not in provinces.csv`);
  const pcode = `${provinceCode2}0000`;
  const province = node(pcode, p.name, 'province', pcode);
  const all: Region[] = [province];
  const cities = csv(join(dir, 'cities.csv')).filter((c) => c.provinceCode === provinceCode2 && (!opts.cityCodes || opts.cityCodes.includes(c.code)));
  const areas = csv(join(dir, 'areas.csv')).filter((a) => a.provinceCode === provinceCode2 && !isDevZone(a.code));
  const streets = csv(join(dir, 'streets.csv')).filter((s) => s.provinceCode === provinceCode2);
  const streetsByArea = new Map<string, Array<Record<string, string>>>();
  for (const s of streets) {
    const l = streetsByArea.get(s.areaCode);
    if (l) l.push(s);
    else streetsByArea.set(s.areaCode, [s]);
  }
  const cityList: Region[] = [];
  for (const c of cities) {
    const city = node(`${c.code}00`, c.name, 'city', pcode, pcode);
    province.children.push(city);
    cityList.push(city);
  }
  all.push(...cityList);
  const countyList: Region[] = [];
  for (const city of cityList) {
    for (const a of areas.filter((x) => x.cityCode === city.code.slice(0, 4))) {
      const county = node(a.code, a.name, 'county', pcode, city.code);
      city.children.push(county);
      countyList.push(county);
    }
  }
  all.push(...countyList);
  for (const county of countyList) {
    for (const s of streetsByArea.get(county.code) ?? []) {
      const t = node(s.code, s.name, 'township', pcode, county.code);
      county.children.push(t);
      all.push(t);
    }
  }
  return { province, all };
}

/** The demo's Karamay regions (in the repo, so tests need no shared data): 1 city, 4 counties, its townships. */
export function demoProvince(): ProvinceTree {
  const data = readDemoData();
  const byCode = new Map<string, Region>();
  const all: Region[] = [];
  const provinceCode = data.regions.find((r) => r.level === 'province')!.code;
  for (const r of data.regions) {
    const n = node(r.code, r.name, r.level, provinceCode, r.parentCode);
    byCode.set(r.code, n);
    all.push(n);
    if (r.parentCode) byCode.get(r.parentCode)?.children.push(n);
  }
  const order: Level[] = ['province', 'city', 'county', 'township'];
  all.sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
  return { province: byCode.get(provinceCode)!, all };
}

/** Short name used in 文号 (山西省 → 晋 is not derivable; the first two characters stand in). */
export const shortName = (r: Region) => r.name.replace(/(省|市|自治区|壮族|回族|维吾尔|特别行政区)$/u, '').slice(0, 2);
