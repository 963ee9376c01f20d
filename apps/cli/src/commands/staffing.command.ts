import { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ImportError, importStaffing, staffingWorkbook } from '../../../../libs/import/src';
import { ProjectionRunner, createReadModels, regionStaffing } from '../../../../libs/projections/src';
import type { CliContext } from '../main';

/**
 * `quanze template staffing --out FILE.xlsx [--region --at]`: the 定编制 template, empty or filled with
 * the region's staffing in force on a date (the export of staffing, which imports back as unchanged).
 * `quanze import-staffing <file> --region --effective [--document] [--json]`.
 */
export function registerStaffing(program: Command, ctx: CliContext): void {
  program
    .command('template <kind>')
    .description('生成填报模板：template staffing（定编制：核定编制、实有人员、领导职数、编外人员）；给出 --region 则填入该区划某日的编制情况')
    .requiredOption('--out <file>', '输出文件 .xlsx')
    .option('--region <code>', '区划代码：填入该区划的部门及其编制')
    .option('--at <date>', '日期 YYYY-MM-DD（与 --region 一起用；默认今天）', ctx.date)
    .option('--as-known-at <instant>', '按该时刻的登记情况', ctx.instant)
    .action(async (kind: string, o) => {
      if (kind !== 'staffing') throw new Error(`未知的模板 ${kind}：目前只有 staffing（定编制）`);
      if (extname(o.out).toLowerCase() !== '.xlsx') throw new Error(`--out 应以 .xlsx 结尾：${o.out}`);
      if (!o.region) {
        writeFileSync(o.out, staffingWorkbook());
        ctx.out(`已生成定编制填报模板 → ${o.out}`);
        return;
      }
      await ctx.withStore(async (store) => {
        const m = createReadModels();
        await new ProjectionRunner(store, m.projections).rebuild();
        const region = m.view.region(o.region);
        if (!region) throw new Error(`行政区划 ${o.region} 不存在`);
        const at = o.at ?? new Date().toISOString().slice(0, 10);
        const s = regionStaffing(m.staffing, { region: o.region, at, asKnownAt: o.asKnownAt });
        writeFileSync(o.out, staffingWorkbook(s.departments, `${region.name}机构编制情况（${at}）`));
        ctx.out(`已导出 ${region.name} ${at} 的编制情况：${s.departments.length} 个部门 → ${o.out}`);
      });
    });

  program
    .command('import-staffing <file>')
    .description('导入定编制模板（核定编制、实有人员、领导职数、编外人员）：每行登记、未变或拒绝并说明原因')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--effective <date>', '生效日期 YYYY-MM-DD', ctx.date)
    .option('--document <文号>', '授权文件文号（核定编制有变更时必填）')
    .option('--json', '输出 JSON 报告')
    .action(async (file: string, o) => {
      if (!existsSync(file)) throw new ImportError('BAD_FILE', `${file}：找不到该文件`);
      await ctx.withStore(async (store) => {
        const m = createReadModels();
        await new ProjectionRunner(store, m.projections).rebuild();
        if (!m.view.region(o.region)) throw new ImportError('UNKNOWN_REGION', `行政区划 ${o.region} 尚未登记`);
        const r = await importStaffing(ctx.registry(store), m.staffing, { name: basename(file), data: readFileSync(file) }, { region: o.region, effective: o.effective, ...(o.document ? { document: { number: o.document } } : {}), actor: 'cli' });
        const { rowsRead, recorded, unchanged, rejected } = r;
        if (o.json) ctx.out(JSON.stringify({ rowsRead, recorded, unchanged, rejected, changes: r.changes }, null, 2));
        else {
          ctx.out(`定编制导入：区划 ${o.region}，生效日期 ${o.effective}：读取 ${rowsRead} 行，登记 ${recorded}，未变 ${unchanged}，拒绝 ${rejected.length}`);
          for (const x of rejected) ctx.out(`  ${x.file}「${x.sheet}」第 ${x.row} 行：${x.reason}`);
        }
        if (rejected.length) process.exitCode = 2;
      });
    });
}
