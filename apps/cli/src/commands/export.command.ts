import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { exportPublishedList, publishedList } from '../../../../libs/export/src';
import type { CliContext } from '../main';

/**
 * `quanze export --region --at [--as-known-at] [--department <id>] [--layout source|standard] --out FILE.xlsx|FILE.csv`:
 * the list in force as a department could publish it (title row, the layout's columns, line breaks kept;
 * the registry's own columns on a second sheet).
 */
export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('导出某区划某日施行的权责清单（.xlsx 或 .csv），可按部门、按原版式或标准版式')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--at <date>', '日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况', ctx.instant)
    .option('--department <id>', '只导出该部门的清单')
    .option('--layout <layout>', 'source（清单公布时的原版式）或 standard（标准版式）', 'standard')
    .option('--edition <版>', '标题中的版次，如 2024年版（默认：日期版）')
    .requiredOption('--out <file>', '输出文件 .xlsx 或 .csv')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const ext = extname(o.out).toLowerCase();
        if (ext !== '.xlsx' && ext !== '.csv') throw new Error(`--out 应以 .xlsx 或 .csv 结尾：${o.out}`);
        if (o.layout !== 'source' && o.layout !== 'standard') throw new Error(`--layout 应为 source 或 standard：${o.layout}`);
        const view = await ctx.loadView(store);
        if (o.department && !view.department(o.department)) throw new Error(`部门 ${o.department} 不存在`);
        const p = publishedList(view, { region: o.region, at: o.at, asKnownAt: o.asKnownAt, department: o.department, edition: o.edition });
        writeFileSync(o.out, exportPublishedList(p, { layout: o.layout, format: ext === '.csv' ? 'csv' : 'xlsx' }));
        ctx.out(`已导出 ${p.list.regionName}${p.department ? ` ${p.department.name}` : ''} ${p.list.at} 施行的清单（${o.layout === 'source' ? '原版式' : '标准版式'}）：${p.items.length} 项 → ${o.out}`);
      }),
    );
}
