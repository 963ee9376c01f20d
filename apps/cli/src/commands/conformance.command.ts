import { Command } from 'commander';
import { conformance } from '../../../../libs/projections/src/findings';
import type { CliContext } from '../main';
import { regionQueryCommand, table } from './findings.command';

const FIELD = { name: '名称', type: '类型', basis: '依据', code: '编码' } as Record<string, string>;
const show = (v: unknown) => (Array.isArray(v) ? v.join('；') : String(v ?? ''));

/** `quanze conformance --region --at [--as-known-at] [--json]`: 四级四同 deviations, field by field. */
export function registerConformance(program: Command, ctx: CliContext): void {
  regionQueryCommand(program, ctx, {
    name: 'conformance',
    description: '四级四同：清单与目录在名称、类型、依据、编码上的不一致（逐项列出两边的写法）',
    answer: conformance,
    print(found, q) {
      ctx.out(`${q.region} · ${q.at} · ${found.length} 个事项与目录不一致`);
      const rows: string[][] = [];
      for (const f of found) {
        const item = f.item as { itemCode: string };
        const dept = f.department as { departmentName: string };
        for (const d of f.deviations as Array<{ field: string; catalogue: unknown; list: unknown }>) {
          rows.push([f.id, item.itemCode, dept.departmentName, FIELD[d.field] ?? d.field, `目录：${show(d.catalogue).slice(0, 60)}｜清单：${show(d.list).slice(0, 60)}`]);
        }
      }
      if (rows.length) ctx.out(table(['编号', '事项', '部门', '要素', '目录与清单'], rows));
    },
  });
}
