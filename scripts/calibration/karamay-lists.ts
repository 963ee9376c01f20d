/**
 * The real Karamay lists (../shared/data/karamay-qzqd/xls, 14 departments' published 权责清单) read with the
 * project's own importer parser, as the texts the similarity measures are calibrated on: every item name
 * as the importer names it (one per 子项), its type, and the 部门职责 text the row gives (the duty of the
 * department's 三定 the list says the item rests on).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFiles } from '../../libs/import/src';
import { nameKey, squash } from '../../libs/import/src/text';

export interface KaramayItem {
  file: string;
  /** The department, named after the file (each file is one department's list). */
  department: string;
  sheet: string;
  row: number;
  type: string;
  name: string;
  /** The row's 部门职责 text ('' when the list has no such column). */
  duty: string;
}

/** Where ../shared/data is: QUANZE_SHARED_DATA, or ../shared/data beside the repository. */
export function sharedDataDir(): string | undefined {
  const candidates = [process.env.QUANZE_SHARED_DATA, resolve(__dirname, '../../../shared/data'), resolve(process.cwd(), '../shared/data')].filter(Boolean) as string[];
  return candidates.find((d) => existsSync(join(d, 'karamay-qzqd', 'xls')));
}

export const departmentOfFile = (file: string) =>
  file
    .replace(/\.(xlsx?|csv)$/i, '')
    .replace(/\s*\(\d+\)$/, '')
    .replace(/^\d{4}年/, '')
    .replace(/\d{4}年权责清单$/, '')
    .replace(/权责清单$/, '')
    .replace(/^市/, '克拉玛依市');

export function readKaramayLists(dataDir = sharedDataDir()): KaramayItem[] {
  if (!dataDir) throw new Error('找不到 ../shared/data/karamay-qzqd/xls（可设置 QUANZE_SHARED_DATA）');
  const dir = join(dataDir, 'karamay-qzqd', 'xls');
  const out: KaramayItem[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.xlsx?$/i.test(f)).sort()) {
    const [parsed] = parseFiles([{ name: file, data: readFileSync(join(dir, file)) }]);
    for (const sheet of parsed.sheets) {
      for (const e of sheet.entries) {
        if (!e.type || !e.mainName) continue;
        const duty = squash(e.levelRows.map((l) => l.extras['部门职责'] ?? '').find((x) => x.trim() !== '') ?? '');
        const names = e.subNames.length ? e.subNames.map((s) => (nameKey(s) === nameKey(e.mainName) ? e.mainName : `${e.mainName}（${s}）`)) : [e.mainName];
        for (const name of names) out.push({ file, department: departmentOfFile(file), sheet: sheet.sheet, row: e.row, type: e.type, name, duty });
      }
    }
  }
  return out;
}
