import { Command, InvalidArgumentError } from 'commander';
import { userInfo } from 'node:os';
import { FINDING_STATUSES, FindingStatus } from '../../../../libs/domain/src';
import { FINDING_KINDS, Finding, FindingKind, KIND_NAMES_ZH, findingStatusCommand, findingsLedger, isFindingKind } from '../../../../libs/projections/src/findings';
import type { RegistryProjection } from '../../../../libs/projections/src';
import type { CliContext } from '../main';

/** Display width of a string in a terminal (CJK and full-width characters take two columns). */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** A plain text table; the last column is not padded (long explanations wrap on their own). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => (i === headers.length - 1 ? 0 : width(r[i] ?? '')))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - width(c)))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w, i) => '─'.repeat(i === headers.length - 1 ? Math.max(4, width(headers[i])) : w))), ...rows.map(line)].join('\n');
}

export const dates = (f: Pick<Finding, 'from' | 'until'>) => `${f.from} 起${f.until ? `，至 ${f.until} 前` : ''}`;

/** The findings as a table: id, kind, dates, status, what is wrong. */
export function findingsTable(findings: Finding[]): string {
  if (findings.length === 0) return '（没有发现）';
  return table(
    ['编号', '类别', '期间', '状态', '说明'],
    findings.map((f) => [f.id, KIND_NAMES_ZH[f.kind] ?? f.kind, dates(f), f.status, f.title]),
  );
}

export const statusArg = (v: string): FindingStatus => {
  if (!(FINDING_STATUSES as readonly string[]).includes(v)) throw new InvalidArgumentError(`状态应为 ${FINDING_STATUSES.join('、')} 之一`);
  return v as FindingStatus;
};
const kindArg = (v: string): FindingKind => {
  if (!isFindingKind(v)) throw new InvalidArgumentError(`类别应为 ${FINDING_KINDS.join('、')} 之一`);
  return v as FindingKind;
};

/** `quanze findings --region --at [--status] [--kind] [--as-known-at] [--json]`, and `--set-status` on one finding. */
export function registerFindings(program: Command, ctx: CliContext): void {
  program
    .command('findings')
    .description('发现台账：某区划某日的全部发现（职责交叉、相似、多层重复、缺位、三定、四级四同）及处理状态；或用 --id --set-status 更改状态')
    .option('--region <code>', '区划代码')
    .option('--at <date>', '日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况回答', ctx.instant)
    .option('--status <status>', `只看该状态（${FINDING_STATUSES.join('/')}）`, statusArg)
    .option('--kind <kind>', `只看该类别（${FINDING_KINDS.join('/')}）`, kindArg)
    .option('--leads <include|only>', '线索（精度不足的类别）：include 一并列出，only 只列线索', (v: string) => {
      if (v !== 'include' && v !== 'only') throw new InvalidArgumentError('--leads 应为 include 或 only');
      return v;
    })
    .option('--id <findingId>', '要更改状态的发现编号')
    .option('--set-status <status>', '把 --id 所指发现改为该状态', statusArg)
    .option('--note <text>', '说明（销号、退回、重新核查时必填）')
    .option('--json', '输出 JSON')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const view = await ctx.loadView(store);
        if (o.setStatus || o.id) {
          if (!o.setStatus || !o.id) throw new InvalidArgumentError('更改状态需要同时给出 --id 和 --set-status');
          const cmd = findingStatusCommand(view, o.id, { status: o.setStatus, note: o.note });
          const r = await ctx.registry(store).changeFindingStatus(cmd, { actor: `cli:${userInfo().username}` });
          if (o.json) return ctx.out(JSON.stringify(r, null, 2));
          return ctx.out(`已将 ${cmd.findingId} 改为「${o.setStatus}」（事件 ${r.eventIds.join(', ')}，登记于 ${r.recordedAt}）`);
        }
        if (!o.region || !o.at) throw new InvalidArgumentError('需要 --region 和 --at');
        const a = findingsLedger(view, { region: o.region, at: o.at, asKnownAt: o.asKnownAt, status: o.status, kind: o.kind, leads: o.leads }, { withActors: true });
        if (o.json) return ctx.out(JSON.stringify(a, null, 2));
        ctx.out(`${a.regionName ?? a.region}（${a.region}）· ${a.at}${a.asKnownAt ? ` · 按 ${a.asKnownAt} 的登记` : ''} · 共 ${a.counts.total} 项（红色 合规类 ${a.counts.bySeverity.red}，蓝色 资源效益类 ${a.counts.bySeverity.blue}；已由职责分工解决 ${a.counts.settled}；线索 ${a.counts.leads.total} 项另列；待派发 ${a.counts.byStatus['待派发']}，核查中 ${a.counts.byStatus['核查中']}，已销号 ${a.counts.byStatus['已销号']}）`);
        ctx.out(findingsTable(a.findings));
      }),
    );
}

export interface RegionQuery {
  region: string;
  at: string;
  asKnownAt?: string;
}

/**
 * A read-only verb on one region and date (`--region --at [--as-known-at] [--json]`): the options, the
 * store opened and the read model loaded once; `answer` computes, `print` writes text (else JSON).
 */
export function regionQueryCommand<T>(
  program: Command,
  ctx: CliContext,
  spec: { name: string; description: string; answer(view: RegistryProjection, q: RegionQuery): T; print(result: T, q: RegionQuery): void },
): void {
  program
    .command(spec.name)
    .description(spec.description)
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--at <date>', '日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况回答', ctx.instant)
    .option('--json', '输出 JSON')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        const q: RegionQuery = { region: o.region, at: o.at, asKnownAt: o.asKnownAt };
        const result = spec.answer(await ctx.loadView(store), q);
        if (o.json) return ctx.out(JSON.stringify(result, null, 2));
        spec.print(result, q);
      }),
    );
}
