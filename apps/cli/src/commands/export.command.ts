import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { exportList } from '../../../../libs/export/src';
import { regionList } from '../../../../libs/projections/src';
import type { CliContext } from '../main';

/** `quanze export --region --at [--as-known-at] --out FILE.xlsx|FILE.csv`: the list in force. */
export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('导出某区划某日施行的权责清单（.xlsx 或 .csv）')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--at <date>', '日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况', ctx.instant)
    .requiredOption('--out <file>', '输出文件 .xlsx 或 .csv')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const ext = extname(o.out).toLowerCase();
        if (ext !== '.xlsx' && ext !== '.csv') throw new Error(`--out 应以 .xlsx 或 .csv 结尾：${o.out}`);
        const list = regionList(await ctx.loadView(store), { region: o.region, at: o.at, asKnownAt: o.asKnownAt });
        writeFileSync(o.out, exportList(list, ext === '.csv' ? 'csv' : 'xlsx'));
        ctx.out(`已导出 ${list.regionName} ${list.at} 施行的清单：${list.items.length} 项 → ${o.out}`);
      }),
    );
}
