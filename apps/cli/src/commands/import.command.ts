import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  ColumnOverrides,
  DEFAULT_LIMITS,
  DryRunReport,
  ImportError,
  ImportInput,
  ImportResult,
  contractFiles,
  contractReport,
  dryRun,
  importExitCode,
  importLists,
  mb,
  parseColumnsOption,
  readFiles,
} from '../../../../libs/import/src';
import type { HeaderOptions, ImportLimits, ReadFile } from '../../../../libs/import/src';
import { EDITION_NUMBER_RE } from '../../../../libs/domain/src';
import { EventStore } from '../../../../libs/event-store/src';
import { editionToPublish } from '../../../../libs/projections/src';
import type { CliContext } from '../main';

const MAX_LISTED = 50;

/** A file named on the command line that is not read: missing, not a regular file, or too big. */
interface Unread {
  file: string;
  error: string;
}

/**
 * Reads the files named on the command line, refusing a missing, non-regular or oversized one before
 * reading it. Each file stands alone: the ones refused are returned with their reason; only when none
 * is left is it an error (nothing can be done).
 */
function readInputs(paths: string[]): { inputs: ImportInput[]; unread: Unread[] } {
  const unread: Unread[] = [];
  const inputs: ImportInput[] = [];
  for (const p of paths) {
    const problem = !existsSync(p)
      ? `${p}：找不到该文件`
      : !statSync(p).isFile()
        ? `${p}：不是文件`
        : statSync(p).size > DEFAULT_LIMITS.maxFileBytes
          ? `${p}：文件大小 ${mb(statSync(p).size)} 超过上限 ${mb(DEFAULT_LIMITS.maxFileBytes)}`
          : undefined;
    if (problem) unread.push({ file: basename(p), error: problem });
    else inputs.push({ name: basename(p), data: readFileSync(p) });
  }
  if (inputs.length === 0) throw new ImportError('BAD_FILE', unread.map((u) => u.error).join('\n'));
  return { inputs, unread };
}

function columnsOption(spec: string | undefined): ColumnOverrides | undefined {
  if (spec === undefined) return undefined;
  try {
    return parseColumnsOption(spec);
  } catch (e) {
    throw new ImportError('BAD_OPTION', (e as Error).message);
  }
}

/** `--dry-run`, for a person: per file and sheet the header row, which column became which field and why, three rows. */
function printDryRun(out: (s: string) => void, r: DryRunReport): void {
  out(`试读（不登记任何内容）：共 ${r.rowsRead} 行数据`);
  for (const f of r.files) {
    if (f.error) {
      out(`  ${f.file}：无法读取 — ${f.error}`);
      continue;
    }
    out(`  ${f.file}`);
    for (const s of f.sheets) {
      if (s.headerRow === undefined) {
        out(`    工作表「${s.sheet}」：找不到表头${s.unreadRows ? `，其中 ${s.unreadRows} 个非空行未读取` : ''}`);
        continue;
      }
      out(`    工作表「${s.sheet}」：表头第 ${s.headerRow} 行，数据 ${s.dataRows} 行`);
      for (const m of s.mapping) out(`      ${m.column} ${m.header || '（无表头）'} → ${m.fieldLabel ?? `附加字段「${m.extra}」`}（${m.why}）`);
      for (const x of s.samples) {
        const parts = [`事项名称=${x.事项名称}`, x.子项.length ? `子项=${x.子项.join('、')}` : '', `类型=${x.事项类型 || '（无）'}`, x.实施主体 ? `实施主体=${x.实施主体.replace(/\n/g, '、')}` : '', x.实施层级 ? `层级=${x.实施层级.replace(/\n/g, '、')}` : ''];
        out(`      第 ${x.row} 行：${parts.filter(Boolean).join('；')}${x.problems.length ? `　问题：${x.problems.join('；')}` : ''}`);
      }
    }
  }
}

function printHuman(out: (s: string) => void, r: ImportResult, o: { region: string; effective: string; document: string; asCatalogue?: boolean }): void {
  out(`${o.asCatalogue ? '目录导入' : '清单导入'}：区划 ${o.region}，生效日期 ${o.effective}，依据 ${o.document}`);
  for (const rr of r.regionsRegistered) out(`  已按全国区划代码表登记区划 ${rr.code} ${rr.name}`);
  for (const f of r.files) {
    if (f.error) {
      out(`  ${f.file}：未导入 — ${f.error}`);
      continue;
    }
    out(`  ${f.file}（${f.format}${f.encoding ? `，${f.encoding}` : ''}）：读取 ${f.rowsRead} 行，登记 ${f.recorded}，未变 ${f.unchanged}，拒绝 ${f.rejected}`);
    for (const s of f.sheets) {
      if (s.headerRow === undefined) {
        if (s.unreadRows) out(`    工作表「${s.sheet}」：找不到表头，其中 ${s.unreadRows} 个非空行未读取`);
        continue;
      }
      out(`    工作表「${s.sheet}」：表头第 ${s.headerRow} 行，数据 ${s.dataRows} 行，并入续行 ${s.continuationRows}，跳过 ${s.skippedRows}${s.hiddenUnderMerge ? `，合并单元格下保留的值 ${s.hiddenUnderMerge} 个` : ''}`);
    }
  }
  out(
    `合计：读取 ${r.rowsRead} 行，登记 ${r.recorded}，未变 ${r.unchanged}，拒绝 ${r.rejected.length}；新设部门 ${r.departmentsCreated.length} 个，` +
      `新增目录事项 ${r.itemsDefined} 个${r.itemsRevised ? `，修订目录事项 ${r.itemsRevised} 个` : ''}，清单记录 ${r.assignments} 条；用时 ${(r.durationMs / 1000).toFixed(1)} 秒`,
  );
  const unread = r.files.filter((f) => f.error);
  if (unread.length) out(`未导入的文件 ${unread.length} 个（其余文件照常导入）：${unread.map((f) => f.file).join('、')}`);
  for (const d of r.departmentsCreated) out(`  新设部门 ${d.id} ${d.name}`);
  if (r.rejected.length) {
    out(`拒绝的行${r.rejected.length > MAX_LISTED ? `（前 ${MAX_LISTED} 条，全部见 --json）` : ''}：`);
    for (const x of r.rejected.slice(0, MAX_LISTED)) out(`  ${x.file}「${x.sheet}」第 ${x.row} 行：${x.reason}`);
  }
  if (r.warnings.length) {
    out(`警告 ${r.warnings.length} 条${r.warnings.length > MAX_LISTED ? `（前 ${MAX_LISTED} 条）` : ''}：`);
    for (const w of r.warnings.slice(0, MAX_LISTED)) out(`  ${w.file}「${w.sheet}」第 ${w.row} 行：[${w.code}] ${w.message}`);
  }
}

/** What `--edition` did: published the edition, found it already published with the same content, or refused. */
export interface ImportEditionOutcome {
  number: string;
  status: 'published' | 'unchanged' | 'refused';
  publishedOn: string;
  effectiveFrom: string;
  document: string;
  hash?: string;
  itemCount?: number;
  eventId?: string;
  reason?: string;
  /** E.g. rows rejected by the import: they are not in the edition. */
  warnings?: string[];
}

/**
 * `--edition <number> --published <date>`: after the rows are recorded, the region's list on the import's
 * effective date is published as that edition under the import's document (as POST …/editions does).
 * Refused when a file could not be read (an edition is the whole published list: correct it and import again,
 * which records only what is missing) or when the number is taken by other content; rows rejected are
 * named in the report and warned about (a duplicate row does not make the list incomplete).
 */
async function publishImportedEdition(ctx: CliContext, store: EventStore, o: { region: string; effective: string; document: string; edition: string; published: string }, result: ImportResult): Promise<ImportEditionOutcome> {
  const base = { number: o.edition.trim(), publishedOn: o.published, effectiveFrom: o.effective, document: o.document };
  const unread = result.files.filter((f) => f.error).length;
  if (unread) return { ...base, status: 'refused', reason: `${unread} 个文件未能读取，版本应为完整的已公布清单：请改正后重新导入（已登记的行不会重复登记）` };
  const warnings = result.rejected.length ? [`${result.rejected.length} 行被拒绝（见 rejected），未列入该版本`] : [];
  const { view, editions } = await ctx.loadReadModels(store);
  const content = editionToPublish(view, { region: o.region, effectiveFrom: o.effective });
  const existing = editions.editions(o.region).find((e) => e.number === base.number);
  if (existing) {
    const same = existing.hash === content.hash && existing.effectiveFrom === o.effective && existing.publishedOn === o.published;
    return same
      ? { ...base, status: 'unchanged', hash: existing.hash, itemCount: existing.itemCount, eventId: existing.eventId, warnings }
      : { ...base, status: 'refused', reason: `${o.region} 已有版本 ${base.number}（${existing.publishedOn} 公布，自 ${existing.effectiveFrom} 施行），内容或日期不同；版本号不能重复` };
  }
  const regionName = view.region(o.region)?.name ?? o.region;
  const r = await ctx.registry(store).publishEdition(
    { regionCode: o.region, number: base.number, title: `${regionName}权责清单（${base.number}）`, publishedOn: o.published, effectiveFrom: o.effective, document: { number: o.document }, ...content },
    { actor: `cli:${process.env.USER ?? 'unknown'}` },
  );
  return { ...base, status: 'published', hash: content.hash, itemCount: content.itemCount, eventId: r.eventIds[0], warnings: [...warnings, ...r.warnings.map((w) => w.message)] };
}

function printEdition(out: (s: string) => void, e: ImportEditionOutcome): void {
  const what = `${e.number}（${e.document}，${e.publishedOn} 公布，自 ${e.effectiveFrom} 施行）`;
  if (e.status === 'refused') out(`版本：未发布 ${what}：${e.reason}`);
  else out(`版本：${e.status === 'published' ? '已发布' : '已存在，内容相同，未重复发布'} ${what}，${e.itemCount} 项，内容哈希 ${e.hash}`);
  for (const w of e.warnings ?? []) out(`  注意：${w}`);
}

/**
 * `quanze import <file…> --region --effective --document [--create-departments] [--as-catalogue]
 * [--edition <number> --published <date>] [--json]`.
 * Exit code 0: every row recorded or unchanged; 2: some rows rejected (the rest is recorded); 1: nothing
 * could be imported (unreadable file, bad option, unknown region — nothing recorded).
 */
export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('导入已公布的权责清单（.xls / .xlsx / .csv），每行登记、未变或拒绝（附原因）')
    .argument('<files...>', '清单文件')
    // required for an import; a --dry-run records nothing and may leave them out
    .option('--region <code>', '区划代码（6 位省市县或 9 位乡镇；未登记的按全国区划代码表自动登记）；导入必填，--dry-run 可省略')
    .option('--effective <date>', '清单生效日期 YYYY-MM-DD；导入必填，--dry-run 可省略', ctx.date)
    .option('--document <文号>', '授权文件文号，如 克政办发〔2024〕1号；导入必填，--dry-run 可省略')
    .option('--create-departments', '清单所列行使主体在本区划不存在时自动设立（确定性 id）')
    .option('--as-catalogue', '文件是指导目录：导入为目录事项（含适用层级），不登记承担部门')
    .option('--department <name|id>', '清单未写明行使主体时的承担部门')
    .option('--json', '只在标准输出打印 JSON 报告（无进度条）')
    .option('--columns <字段=表头,…>', '指明导入程序认不出的列，如 "事项名称=项目,权力类型=类别"（优先于同义词和按内容识别）')
    .option('--dry-run', '试读：每个文件、每个工作表的表头行、列与字段的对应和三行样例；不登记任何内容')
    .option('--edition <版本号>', '导入的清单即该公布版本（如 2024年版）：导入后以本次文号发布，生效日期为 --effective')
    .option('--published <date>', '该版本的公布日期 YYYY-MM-DD（与 --edition 同用）', ctx.date)
    .action(async (files: string[], o) => {
      const columns = columnsOption(o.columns);
      if ((o.edition === undefined) !== (o.published === undefined)) throw new ImportError('BAD_OPTION', '--edition 与 --published 须同时给出');
      if (o.edition !== undefined && !EDITION_NUMBER_RE.test(o.edition.trim())) throw new ImportError('BAD_OPTION', `版本号「${o.edition}」无效：1–40 个字符，如 2024年版`);
      if (o.edition !== undefined && o.asCatalogue) throw new ImportError('BAD_OPTION', '--as-catalogue 导入的是目录，不是本级清单，不能同时发布版本（--edition）');
      if (!o.dryRun) {
        const missing = [['--region', o.region], ['--effective', o.effective], ['--document', o.document]].filter(([, v]) => v === undefined || String(v).trim() === '').map(([k]) => k);
        if (missing.length) throw new ImportError('BAD_OPTION', `导入须给出 ${missing.join('、')}（清单所属区划、生效日期、授权文件文号）；只想看表头如何识别时用 --dry-run，可不给`);
      }
      if (o.dryRun) {
        const { inputs, unread } = readInputs(files);
        const report = dryRun(inputs, { columns });
        report.files = inOrder(files, [...unread.map((u) => ({ file: u.file, error: u.error, sheets: [] })), ...report.files]);
        const readable = report.files.filter((f) => !f.error).length;
        if (readable === 0) throw new ImportError(report.files[0].errorCode ?? 'BAD_FILE', report.files.map((f) => f.error).join('\n'));
        if (o.json) ctx.out(JSON.stringify(report, null, 2));
        else printDryRun(ctx.out, report);
        process.exitCode = readable < report.files.length ? 2 : 0;
        return;
      }
      await ctx.withStore(async (store) => {
        const { inputs, unread } = readInputs(files);
        const view = await ctx.loadView(store);
        const bar = !o.json && process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit} | {file}', hideCursor: true, clearOnComplete: true }) : undefined;
        let started = false;
        // two phases on one bar: the files read, then the rows decided
        let phase: 'files' | 'rows' | undefined;
        const show = (now: 'files' | 'rows', done: number, total: number, file: string) => {
          const payload = now === 'files' ? { phase: '读取', unit: '个文件', file } : { phase: '导入', unit: '行', file };
          if (!started) {
            bar!.start(total, done, payload);
            started = true;
          } else if (phase !== now) bar!.setTotal(total);
          phase = now;
          bar!.update(done, payload);
        };
        try {
          const result = await importLists(ctx.registry(store), view, inputs, {
            region: o.region,
            effective: o.effective,
            document: { number: o.document },
            createDepartments: !!o.createDepartments,
            asCatalogue: !!o.asCatalogue,
            department: o.department,
            columns,
            actor: `cli:${process.env.USER ?? 'unknown'}`,
            readFiles: bar ? (i, limits, header) => readFilesShowing(i, limits, header, (done, total, file) => show('files', done, total, file)) : undefined,
            onProgress: bar ? ({ done, total, file }) => show('rows', done, total, file) : undefined,
          });
          bar?.stop();
          started = false;
          result.files = inOrder(files, [...unread.map((u) => ({ file: u.file, error: u.error, errorCode: 'BAD_FILE', sheets: [], rowsRead: 0, recorded: 0, unchanged: 0, rejected: 0 })), ...result.files]);
          const edition = o.edition !== undefined ? await publishImportedEdition(ctx, store, o, result) : undefined;
          const report = { ...contractReport(result), ...(files.length > 1 ? { files: contractFiles(result.files) } : {}), ...(edition ? { edition } : {}) };
          if (o.json) ctx.out(JSON.stringify(report, null, 2));
          else {
            printHuman(ctx.out, result, { region: o.region, effective: o.effective, document: o.document, asCatalogue: o.asCatalogue });
            if (edition) printEdition(ctx.out, edition);
          }
          process.exitCode = edition?.status === 'refused' ? 2 : importExitCode(result);
        } finally {
          if (started) bar?.stop();
        }
      });
    });
}

/**
 * `readFiles`, a file at a time, saying which file is being read (the progress bar's first phase: the
 * reading is about half of an import). The same result: `readFiles` reads each file on its own; a batch
 * it refuses whole (no files, too many) is refused as before.
 */
export function readFilesShowing(inputs: ImportInput[], limits: ImportLimits, header: HeaderOptions, show: (done: number, total: number, file: string) => void): ReadFile[] {
  if (inputs.length === 0 || inputs.length > limits.maxFiles) return readFiles(inputs, limits, header);
  return inputs.flatMap((input, k) => {
    show(k, inputs.length, input.name);
    return readFiles([input], limits, header);
  });
}

/** The files of a report in the order they were named on the command line. */
function inOrder<T extends { file: string }>(paths: string[], files: T[]): T[] {
  const left = [...files];
  const out: T[] = [];
  for (const p of paths) {
    const i = left.findIndex((f) => f.file === basename(p));
    if (i >= 0) out.push(...left.splice(i, 1));
  }
  return [...out, ...left];
}
