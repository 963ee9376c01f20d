import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { DisputeReport, chinaTime, buildDisputeReport, renderDisputeReportHtml } from '../../../../libs/projections/src';
import type { CliContext } from '../main';

/** The three answers in a few lines (printed with --out, the file holding the report itself). */
export function reportSummary(r: DisputeReport): string[] {
  const owners = (a: DisputeReport['asKnownNow']) => (a.owners.length ? '：' + a.owners.map((o) => `${o.departmentName}（${o.roleLabel}）`).join('、') : '');
  const e = r.asPublishedThen.edition;
  return [
    `${r.question.regionName}（${r.question.region}）· ${r.question.itemName}（${r.question.item}）· 争议日期 ${r.question.at}`,
    `  按当日公布的清单：${e ? `${e.number}（${e.document.number}，${e.publishedOn} 公布，自 ${e.effectiveFrom} 施行）${r.asPublishedThen.statusLabel}${owners(r.asPublishedThen)}` : r.asPublishedThen.statusLabel}`,
    `  按当日登记（截至 ${chinaTime(r.question.asKnownAt)}）：${r.asRecordedOnTheDay.statusLabel}${owners(r.asRecordedOnTheDay)}`,
    `  按现有记录：${r.asKnownNow.statusLabel}${owners(r.asKnownNow)}`,
    `  其后的更正：${r.corrections.length} 项${r.backFilled ? '（清单系其后补录，原始登记不计为更正）' : ''}`,
  ];
}

/**
 * `quanze report --region --item --at [--as-known-at] [--format html|json] [--out FILE]`: the dispute
 * report, three ways (as published then, as recorded then, as known now), as the API gives it.
 */
export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('争议证据报告：某事项在某日由谁负责（按当日公布的清单版本、按当日登记、按现有记录），及全部文件与更正')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--item <code>', '事项编码')
    .requiredOption('--at <date>', '争议日期 YYYY-MM-DD', ctx.date)
    .option('--as-known-at <instant>', '“按当日登记”所依据的时刻（默认争议日期当日结束，北京时间）', ctx.instant)
    .option('--format <format>', 'html 或 json', 'html')
    .option('--out <file>', '写入文件（默认输出到标准输出）')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        if (o.format !== 'html' && o.format !== 'json') throw new Error(`--format 应为 html 或 json，而不是 ${o.format}`);
        const { view, editions } = await ctx.loadReadModels(store);
        const report = await buildDisputeReport(view, store, { region: o.region, item: o.item, at: o.at, asKnownAt: o.asKnownAt }, { now: new Date().toISOString(), editions });
        const text = o.format === 'html' ? renderDisputeReportHtml(report) : JSON.stringify(report, null, 2);
        if (o.out) {
          writeFileSync(o.out, text);
          for (const line of reportSummary(report)) ctx.out(line);
          ctx.out(`已写入 ${o.out}（证据链头：${report.chainHead ? `${report.chainHead.position} ${report.chainHead.hash}` : '无'}）`);
        } else ctx.out(text);
      }),
    );
}
