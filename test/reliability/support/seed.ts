import { Api } from './http';

export const DOC = (number = '克政办发〔2016〕1号') => ({ number, title: '可靠性测试文件', issuedOn: '2010-01-01' });

/** The regions every attack starts from: a province, a city and four counties under it. */
export const PROVINCE = '650000';
export const CITY = '650200';
export const COUNTIES = ['650202', '650203', '650204', '650205'];

/** A small world over HTTP: regions, a few departments and catalogue items; fails loudly if a step is refused. */
export async function seedWorld(api: Api, opts: { departments?: number; items?: number } = {}): Promise<{ departments: string[]; items: string[]; eventIds: string[] }> {
  const eventIds: string[] = [];
  const must = async (path: string, body: object) => {
    const r = await api.post(path, body);
    if (r.status !== 200 && r.status !== 201) throw new Error(`seed ${path} → ${r.status} ${r.text.slice(0, 300)}`);
    eventIds.push(...(r.body.eventIds as string[]));
    return r.body;
  };
  await must('/api/regions', { code: PROVINCE, name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: DOC('区划') });
  await must('/api/regions', { code: CITY, name: '克拉玛依市', level: 'city', parentCode: PROVINCE, effectiveFrom: '1982-01-01', document: DOC('区划') });
  const names = ['独山子区', '克拉玛依区', '白碱滩区', '乌尔禾区'];
  for (const [i, code] of COUNTIES.entries()) {
    await must('/api/regions', { code, name: names[i], level: 'county', parentCode: CITY, effectiveFrom: '1990-01-01', document: DOC('区划') });
  }
  const departments: string[] = [];
  for (let i = 0; i < (opts.departments ?? 4); i++) {
    const id = `D${i + 1}`;
    await must('/api/departments', { id, name: `克拉玛依市第${i + 1}局`, regionCode: CITY, effectiveFrom: '2000-01-01', document: DOC() });
    departments.push(id);
  }
  const items: string[] = [];
  for (let i = 0; i < (opts.items ?? 4); i++) {
    const code = `X${i + 1}`;
    await must('/api/catalog/items', { code, name: `测试事项${i + 1}`, type: '行政处罚', basis: ['《测试法》第一条'], levels: ['city', 'county'], effectiveFrom: '2000-01-01', document: DOC('目录') });
    items.push(code);
  }
  return { departments, items, eventIds };
}

/** Values that exist after seedWorld (and names that trip naive object lookups), for generated requests. */
export const SEED_HINTS = {
  known: [PROVINCE, CITY, ...COUNTIES, 'D1', 'D2', 'D3', 'X1', 'X2', 'X3', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'],
  families: { regions: /^\d{6,}$/, items: /^X/, departments: /^D/ },
};
