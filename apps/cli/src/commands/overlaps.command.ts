import { Command } from 'commander';
import { overlaps } from '../../../../libs/projections/src/findings';
import type { CliContext } from '../main';
import { findingsTable, regionQueryCommand } from './findings.command';

/** `quanze overlaps --region --at [--as-known-at] [--json]`: conflicts, similar duties and items, multi-level duplication. */
export function registerOverlaps(program: Command, ctx: CliContext): void {
  regionQueryCommand(program, ctx, {
    name: 'overlaps',
    description: '职责交叉：多个牵头部门、不同部门的相似职责/事项、多层重复执法',
    answer: overlaps,
    print(found, q) {
      ctx.out(`${q.region} · ${q.at} · ${found.length} 项`);
      ctx.out(findingsTable(found));
    },
  });
}
