import { Command } from 'commander';
import { gaps } from '../../../../libs/projections/src/findings';
import type { CliContext } from '../main';
import { findingsTable, regionQueryCommand, table } from './findings.command';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** `quanze gaps --region --at [--as-known-at] [--json]`: unowned items, abolished holders, 三定 against the lists. */
export function registerGaps(program: Command, ctx: CliContext): void {
  regionQueryCommand(program, ctx, {
    name: 'gaps',
    description: '职责缺位：无人负责的事项、撤销部门仍持有的事项、无三定的部门；三定与清单的比对（职责缺失、职责偏离、新增职责未核定）及覆盖率',
    answer: gaps,
    print(g) {
      const all = [...g.unowned, ...g['abolished-holder'], ...g['no-sanding'], ...g['unapproved-duty'], ...g['duty-deviation'], ...g['duty-missing']];
      ctx.out(`${g.regionName ?? g.region}（${g.region}）· ${g.at} · ${all.length} 项`);
      ctx.out(findingsTable(all));
      const cov = Object.values(g.coverage);
      if (cov.length) {
        ctx.out('\n三定覆盖率');
        ctx.out(table(['部门', '职责有事项', '事项有职责'], cov.map((c) => [c.departmentName, `${c.dutiesWithItems}/${c.duties}（${pct(c.dutyCoverage)}）`, `${c.itemsWithDuties}/${c.items}（${pct(c.itemCoverage)}）`])));
      }
    },
  });
}
