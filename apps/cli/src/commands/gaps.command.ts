import { Command } from 'commander';
import { gaps } from '../../../../libs/projections/src/findings';
import type { CliContext } from '../main';
import { findingsTable, table } from './findings.command';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** `quanze gaps --region --at [--as-known-at] [--json]`: unowned items, abolished holders, 三定 against the lists. */
export function registerGaps(program: Command, ctx: CliContext): void {
  program
    .command('gaps')
    .description('职责缺位：无人负责的事项、撤销部门仍持有的事项、无三定的部门；三定与清单的比对（职责缺失、职责偏离、新增职责未核定）及覆盖率')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--at <date>', '日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况回答', ctx.instant)
    .option('--json', '输出 JSON')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const g = gaps(await ctx.loadView(store), { region: o.region, at: o.at, asKnownAt: o.asKnownAt });
        if (o.json) return ctx.out(JSON.stringify(g, null, 2));
        const all = [...g.unowned, ...g['abolished-holder'], ...g['no-sanding'], ...g['unapproved-duty'], ...g['duty-deviation'], ...g['duty-missing']];
        ctx.out(`${g.regionName ?? g.region}（${g.region}）· ${g.at} · ${all.length} 项`);
        ctx.out(findingsTable(all));
        const cov = Object.values(g.coverage);
        if (cov.length) {
          ctx.out('\n三定覆盖率');
          ctx.out(table(['部门', '职责有事项', '事项有职责'], cov.map((c) => [c.departmentName, `${c.dutiesWithItems}/${c.duties}（${pct(c.dutyCoverage)}）`, `${c.itemsWithDuties}/${c.items}（${pct(c.itemCoverage)}）`])));
        }
      }),
    );
}
