import * as XLSX from '@e965/xlsx';
import { RegionList } from '../../projections/src';
import { toCsv } from './csv';

export const EXPORT_COLUMNS = ['序号', '事项编码', '事项名称', '权力类型', '实施依据', '实施层级', '实施主体', '共同实施部门', '状态', '承接自', '四级四同偏差', '最近变更日期'] as const;

const STATUS_ZH: Record<string, string> = { owned: '有牵头部门', conflict: '职责交叉', unowned: '无人负责', 'not-in-list': '不在清单' };
const LEVEL_ZH: Record<string, string> = { province: '省级', city: '市级', county: '县级', township: '乡级' };

/** One row per item of the list in force, with the columns a published list uses. */
export function listRows(list: RegionList): string[][] {
  return list.items.map((i, n) => [
    String(n + 1),
    i.code,
    i.name,
    i.type,
    i.basis.join('\n'),
    i.levels.map((l) => LEVEL_ZH[l] ?? l).join('、'),
    i.owners.filter((o) => o.role === 'lead').map((o) => o.departmentName).join('、'),
    i.owners.filter((o) => o.role === 'cooperating').map((o) => o.departmentName).join('、'),
    STATUS_ZH[i.status] ?? i.status,
    i.receivedFrom ?? '',
    i.deviations.map((d) => `${d.field}：目录「${[d.catalogue].flat().join('；')}」/ 清单「${[d.list].flat().join('；')}」`).join('\n'),
    i.lastChange ?? '',
  ]);
}

function title(list: RegionList): string {
  return `${list.regionName}（${list.region}）权责清单 · ${list.at} 施行${list.asKnownAt ? ` · 按 ${list.asKnownAt} 的登记` : ''}`;
}

/** The list in force as an .xlsx workbook (a title row, the header, one row per item) or CSV text. */
export function exportList(list: RegionList, format: 'xlsx' | 'csv'): Buffer {
  const rows = [[title(list)], [...EXPORT_COLUMNS], ...listRows(list)];
  if (format === 'csv') {
    // formula-looking cells neutralised, NUL and control characters dropped (csv.ts)
    return Buffer.from(toCsv(rows.slice(1)), 'utf8');
  }
  const ws = XLSX.utils.aoa_to_sheet(rows);
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: EXPORT_COLUMNS.length - 1 } }];
  ws['!cols'] = [6, 22, 40, 12, 60, 14, 24, 24, 12, 10, 40, 12].map((wch) => ({ wch }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '权责清单');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
