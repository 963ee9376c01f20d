import { Command } from 'commander';
import { overlaps } from '../../../../libs/projections/src/findings';
import type { CliContext } from '../main';
import { findingsTable } from './findings.command';

/** `quanze overlaps --region --at [--as-known-at] [--json]`: conflicts, similar duties and items, multi-level duplication. */
export function registerOverlaps(program: Command, ctx: CliContext): void {
  program
    .command('overlaps')
    .description('职责交叉：多个牵头部门、不同部门的相似职责/事项、多层重复执法')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--at <date>', '日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况回答', ctx.instant)
    .option('--json', '输出 JSON')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const found = overlaps(await ctx.loadView(store), { region: o.region, at: o.at, asKnownAt: o.asKnownAt });
        if (o.json) return ctx.out(JSON.stringify(found, null, 2));
        ctx.out(`${o.region} · ${o.at} · ${found.length} 项`);
        ctx.out(findingsTable(found));
      }),
    );
}
