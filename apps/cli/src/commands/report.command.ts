import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { disputeReport, renderDisputeReportHtml } from '../../../../libs/projections/src';
import type { CliContext } from '../main';

/** `quanze report --region --item --at [--format html|json] [--out FILE]`: the dispute report. */
export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('争议证据报告：某事项在某日由谁负责（按当日登记与现有记录），及全部文件与更正')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--item <code>', '事项编码')
    .requiredOption('--at <date>', '争议日期 YYYY-MM-DD', ctx.date)
    .option('--format <format>', 'html 或 json', 'html')
    .option('--out <file>', '写入文件（默认输出到标准输出）')
    .action(async (o) =>
      ctx.withStore(async (store) => {
        if (o.format !== 'html' && o.format !== 'json') throw new Error(`--format 应为 html 或 json，而不是 ${o.format}`);
        const view = await ctx.loadView(store);
        const chainHead = store.chainHead ? await store.chainHead() : undefined;
        const report = disputeReport(view, { region: o.region, item: o.item, at: o.at }, { now: new Date().toISOString(), chainHead });
        const text = o.format === 'html' ? renderDisputeReportHtml(report) : JSON.stringify(report, null, 2);
        if (o.out) {
          writeFileSync(o.out, text);
          ctx.out(`已写入 ${o.out}（证据链头：${report.chainHead ? `${report.chainHead.position} ${report.chainHead.hash}` : '无'}）`);
        } else ctx.out(text);
      }),
    );
}
