import { Command, InvalidArgumentError } from 'commander';
import { Registry } from '../../../libs/application/src';
import { isCalendarDate } from '../../../libs/domain/src';
import { EventStore, checkHeadAnchor, readHeadAnchor, verifyStore } from '../../../libs/event-store/src';
import { FileSnapshotStore, ProjectionRunner, ReadModels, RegistryProjection, createReadModels, ownership } from '../../../libs/projections/src';
import { headFile, loadConfig, rebuildReadModels, rebuildView, snapshotDir, withStore as withConfiguredStore } from '../../../libs/runtime/src';
import { registerReport } from './commands/report.command';
import { registerImport } from './commands/import.command';
import { registerMigrate } from './commands/migrate.command';
import { registerExport } from './commands/export.command';
import { registerOverlaps } from './commands/overlaps.command';
import { registerGaps } from './commands/gaps.command';
import { registerConformance } from './commands/conformance.command';
import { registerFindings } from './commands/findings.command';
import { registerStaffing } from './commands/staffing.command';
import { registerConfig } from './commands/config.command';
import { registerBackup } from './commands/backup.command';
import { registerEditing } from './commands/edit.command';
import { registerChangeSets } from './commands/change-set.command';
import { exitCodeFor } from './write';

/** What a verb in its own file (apps/cli/src/commands/<verb>.command.ts) gets to work with. */
export interface CliContext {
  out: (s: string) => void;
  /** Opens the store named by the environment (QUANZE_EVENTSTORE, QUANZE_DATA_DIR), runs fn, closes it. */
  withStore<T>(fn: (store: EventStore) => Promise<T>): Promise<T>;
  /** The registry read model rebuilt from the whole log. */
  loadView(store: EventStore): Promise<RegistryProjection>;
  /** Every read model (the registry, staffing, editions) rebuilt from the whole log. */
  loadReadModels(store: EventStore): Promise<ReadModels>;
  registry(store: EventStore): Registry;
  date: (v: string) => string;
  instant: (v: string) => string;
}

/** Verbs that live in their own files register here. */
const VERBS: Array<(program: Command, ctx: CliContext) => void> = [
  registerReport,
  registerMigrate,
  registerExport,
  registerOverlaps,
  registerGaps,
  registerConformance,
  registerFindings,
  registerImport,
  registerStaffing,
  registerConfig,
  registerBackup,
  registerEditing,
  registerChangeSets,
];

/**
 * What the CLI is given by whoever starts it (bin/quanze.js): `serve` starts the HTTP API, which the CLI
 * does not import (apps → libs only; the bin wires the two shells together).
 */
export interface CliShells {
  serve?: () => Promise<void>;
}

/** `npx quanze <verb>`: the same answers as the API, on the store named by the environment. */
export function buildCli(out: (s: string) => void = (s) => process.stdout.write(s + '\n'), shells: CliShells = {}): Command {
  const program = new Command('quanze').description('quanze 权责清单登记簿 — 命令行').showHelpAfterError();

  const date = (v: string) => {
    if (!isCalendarDate(v)) throw new InvalidArgumentError(`${v} 不是有效日期（YYYY-MM-DD）`);
    return v;
  };
  const instant = (v: string) => {
    const t = Date.parse(v);
    if (Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT/.test(v)) throw new InvalidArgumentError(`${v} 不是 ISO-8601 时刻（如 2024-05-01T08:00:00Z）`);
    return new Date(t).toISOString();
  };

  const withStore = <T>(fn: (store: EventStore) => Promise<T>): Promise<T> => withConfiguredStore(loadConfig(), fn);
  const loadView = rebuildView;

  program
    .command('serve')
    .description('启动 HTTP API（同 npm start）')
    .action(async () => {
      if (!shells.serve) throw new Error('serve 须经 bin/quanze.js 启动（npx quanze serve）');
      await shells.serve();
    });

  program
    .command('owner')
    .description('某事项在某日由谁负责')
    .requiredOption('--region <code>', '区划代码')
    .requiredOption('--item <code>', '事项编码')
    .requiredOption('--at <date>', '日期 YYYY-MM-DD', date)
    .option('--as-known-at <instant>', '按该时刻的登记情况回答', instant)
    .option('--json', '输出 JSON')
    .action(async (o) =>
      withStore(async (store) => {
        const a = ownership(await loadView(store), { region: o.region, item: o.item, at: o.at, asKnownAt: o.asKnownAt });
        if (o.json) return out(JSON.stringify(a, null, 2));
        const statusZh = { owned: '有明确牵头部门', conflict: '职责交叉（多个牵头部门）', unowned: '无人负责（职责缺位）', 'not-in-list': '不在本级清单中' }[a.status];
        out(`${a.regionName}（${a.region}）· ${a.itemName}（${a.item}）· ${a.at}${a.asKnownAt ? ` · 按 ${a.asKnownAt} 的登记` : ''}`);
        out(`状态：${statusZh}`);
        for (const ow of a.owners) {
          out(`  ${ow.role === 'lead' ? '牵头' : '配合'}  ${ow.departmentName}（${ow.departmentId}）自 ${ow.since}，依据 ${ow.document.number}${ow.departmentActive ? '' : '  [该部门当日已不存在]'}`);
        }
      }),
    );

  program
    .command('rebuild')
    .description('从事件日志重建全部读模型，并核对与增量结果一致')
    .action(async () =>
      withStore(async (store) => {
        const started = Date.now();
        const { view, projections } = createReadModels();
        const dataDir = loadConfig().dataDir;
        const runner = new ProjectionRunner(store, projections, { snapshots: new FileSnapshotStore(snapshotDir(dataDir)), headFile: headFile(dataDir) });
        const position = await runner.rebuild();
        const saved = await runner.saveSnapshot();
        out(`已重建 ${view.name}：处理至位置 ${position}，用时 ${Date.now() - started} ms${saved ? `；本地检查点已写入（${saved.facts} 条事实）` : ''}`);
      }),
    );

  program
    .command('verify')
    .description('校验事件日志的哈希链：指出第一个被修改、删除、插入或调换的事件')
    .option('--json', '输出 JSON')
    .action(async (o) =>
      withStore(async (store) => {
        const report = await verifyStore(store);
        if (!report) throw new Error('verify 目前只支持 SQLite 与 PostgreSQL 事件库');
        // the chain head recorded outside the store: a log whose newest events were deleted is still a valid chain
        const file = headFile(loadConfig().dataDir);
        const anchor = readHeadAnchor(file);
        const head = anchor ? { file, recorded: anchor, ...(await checkHeadAnchor(store, anchor)) } : { file, recorded: null, ok: true, detail: '没有链头文件（尚未写过检查点）：无法发现日志尾部被删除' };
        const ok = report.ok && head.ok;
        if (o.json) out(JSON.stringify({ ...report, ok, headAnchor: head }, null, 2));
        else {
          if (report.ok) out(`哈希链完整：${report.eventsChecked} 个事件，链头 ${report.headHash}`);
          else {
            const p = report.firstProblem!;
            out(`日志被改动：位置 ${p.position} 的事件 ${p.eventId}（${p.problem}）：${p.detail}`);
          }
          if (!head.ok) out(`日志尾部被删除或改写：${head.detail}`);
          else if (head.detail) out(`链头文件：${head.detail}`);
          else out(`链头文件一致：位置 ${anchor!.position}（${anchor!.recordedAt} 记录）仍在日志中`);
        }
        if (!ok) process.exitCode = 3;
      }),
    );

  program
    .command('stats')
    .description('事件库与读模型的统计')
    .option('--json', '输出 JSON')
    .action(async (o) =>
      withStore(async (store) => {
        const info = await store.info();
        const view = await loadView(store);
        const s = { store: info, ...view.sizes() };
        if (o.json) out(JSON.stringify(s, null, 2));
        else out(`事件 ${info.eventCount}（链头位置 ${info.headPosition}），区划 ${s.regions}，部门 ${s.departments}，目录事项 ${s.catalogItems}，清单条目 ${s.listEntries}`);
      }),
    );

  const ctx: CliContext = { out, withStore, loadView, loadReadModels: rebuildReadModels, registry: (store) => new Registry(store), date, instant };
  for (const register of VERBS) register(program, ctx);
  return program;
}

export async function runCli(argv: string[], shells: CliShells = {}): Promise<void> {
  try {
    await buildCli(undefined, shells).parseAsync(argv);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`quanze: ${msg}\n`);
    process.exitCode = exitCodeFor(e);
  }
}

if (require.main === module) void runCli(process.argv);
