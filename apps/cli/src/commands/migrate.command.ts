import { Command } from 'commander';
import { EventStore, copyLog, verifyStore } from '../../../../libs/event-store/src';
import { loadConfig, openStore } from '../../../../libs/runtime/src';
import type { CliContext } from '../main';

/** `sqlite:DIR` (a data dir), a postgres:// URL or an EventStoreDB connection string. */
const openTarget = (spec: string): Promise<EventStore> => openStore({ eventstore: spec, dataDir: loadConfig().dataDir });

/** `quanze migrate --to <sqlite:DIR|postgres://…|esdb://…> [--from <…>]`: copy the whole log, ids and recordedAt kept. */
export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('把整个事件日志复制到另一个事件库（事件 id、流、版本与登记时间不变），并校验')
    .requiredOption('--to <target>', '目标：sqlite:<数据目录>、postgres://… 或 esdb://…')
    .option('--from <source>', '来源（默认为环境变量所指的事件库）：sqlite:<数据目录>、postgres://… 或 esdb://…')
    .action(async (o) => {
      const source = o.from ? await openTarget(o.from) : await openStore({ eventstore: loadConfig().eventstore, dataDir: loadConfig().dataDir });
      const target = await openTarget(o.to);
      try {
        let last = 0;
        const r = await copyLog(source, target, (p) => {
          if (process.stderr.isTTY && (p.copied - last >= 5000 || p.copied === p.total)) {
            last = p.copied;
            process.stderr.write(`\r已复制 ${p.copied}/${p.total} 个事件`);
          }
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        ctx.out(`复制完成：${r.events} 个事件，${r.calls} 次原子写入，其中 ${r.skippedAlreadyThere} 个已在目标中；来源链头位置 ${r.sourceHead}，目标 ${r.targetHead}`);
        const a = await verifyStore(source);
        const b = a && (await verifyStore(target));
        if (a && b) {
          ctx.out(b.ok && b.headHash === a.headHash ? `校验通过：两边链头相同 ${b.headHash}` : `校验失败：${JSON.stringify(b.firstProblem ?? { sourceHead: a.headHash, targetHead: b.headHash })}`);
          if (!b.ok || b.headHash !== a.headHash) process.exitCode = 3;
        }
      } finally {
        await source.close();
        await target.close();
      }
    });
}
