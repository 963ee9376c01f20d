import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { exportPublishedList, publishedListFor } from '../../../../libs/export/src';
import type { CliContext } from '../main';

/**
 * `quanze export --region --at|--edition [--as-known-at] [--department <id>] [--layout source|standard] --out FILE.xlsx|FILE.csv`:
 * the list in force on a date (or as an edition published it: `--edition 2024年版`) as a department could publish it (title row, the layout's columns, line breaks kept;
 * the registry's own columns on a second sheet).
 */
export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('导出某区划某日施行的权责清单（.xlsx 或 .csv），可按部门、按原版式或标准版式')
    .requiredOption('--region <code>', '区划代码')
    .option('--at <date>', '日期 YYYY-MM-DD（与 --edition 二选一）', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况', ctx.instant)
    .option('--department <id>', '只导出该部门的清单')
    .option('--layout <layout>', 'source（清单公布时的原版式）或 standard（标准版式）', 'standard')
    .option('--edition <版本号>', '导出该版本公布的清单，如 2024年版（其生效日期的清单，按版本登记时的记录）')
    .requiredOption('--out <file>', '输出文件 .xlsx 或 .csv')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const ext = extname(o.out).toLowerCase();
        if (ext !== '.xlsx' && ext !== '.csv') throw new Error(`--out 应以 .xlsx 或 .csv 结尾：${o.out}`);
        if (o.layout !== 'source' && o.layout !== 'standard') throw new Error(`--layout 应为 source 或 standard：${o.layout}`);
        if ((o.at === undefined) === (o.edition === undefined)) throw new Error('请给出 --at <日期> 或 --edition <版本号> 之一');
        if (o.edition !== undefined && o.asKnownAt !== undefined) throw new Error('--edition 已确定内容（版本登记时的记录），不能再给 --as-known-at');
        const { view, editions } = await ctx.loadReadModels(store);
        if (o.department && !view.department(o.department)) throw new Error(`部门 ${o.department} 不存在`);
        const p = publishedListFor(view, editions, { region: o.region, at: o.at, asKnownAt: o.asKnownAt, department: o.department, edition: o.edition });
        writeFileSync(o.out, exportPublishedList(p, { layout: o.layout, format: ext === '.csv' ? 'csv' : 'xlsx' }));
        ctx.out(`已导出 ${p.list.regionName}${p.department ? ` ${p.department.name}` : ''} ${p.editionRecord ? `${p.editionRecord.number}（${p.editionRecord.document.number}，${p.editionRecord.publishedOn} 公布，自 ${p.editionRecord.effectiveFrom} 施行）` : `${p.list.at} 施行`}的清单（${o.layout === 'source' ? '原版式' : '标准版式'}）：${p.items.length} 项 → ${o.out}`);
      }),
    );
}
