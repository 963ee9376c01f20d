import { Command } from 'commander';
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SqliteEventStore, verifyStore } from '../../../../libs/event-store/src';
import { assertNoServer, headFile, loadConfig, snapshotDir, sqliteFile } from '../../../../libs/runtime/src';
import type { CliContext } from '../main';

interface CopyReport {
  file: string;
  bytes: number;
  events: number;
  headPosition: number;
  chainOk: boolean;
  ms: number;
}

/** A consistent copy of an open store: `VACUUM INTO` reads one snapshot (WAL), so writers go on meanwhile. */
function vacuumInto(db: SqliteEventStore, out: string): void {
  db.db.prepare('VACUUM INTO ?').run(out);
  chmodSync(out, 0o600);
}

/** Opens a copy, checks SQLite's integrity and the hash chain, closes it. */
async function checkCopy(file: string): Promise<Omit<CopyReport, 'file' | 'ms'>> {
  const store = new SqliteEventStore({ file });
  try {
    const integrity = store.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file}：SQLite 完整性检查未通过：${String(integrity)}`);
    const info = await store.info();
    const chain = await verifyStore(store);
    return { bytes: statSync(file).size, events: info.eventCount, headPosition: info.headPosition, chainOk: chain?.ok ?? false };
  } finally {
    await store.close();
    for (const side of ['-wal', '-shm']) rmSync(file + side, { force: true });
  }
}

function configuredFile(): string {
  const config = loadConfig();
  const file = sqliteFile(config);
  if (!file) throw new Error('backup/restore 只用于内置 SQLite 事件库；PostgreSQL 请用 pg_dump，或 quanze migrate --to sqlite:<目录> 复制');
  return file;
}

/** `quanze backup --out FILE` and `quanze restore --from FILE [--force]` (the SQLite store). */
export function registerBackup(program: Command, ctx: CliContext): void {
  const print = (what: string, r: CopyReport, json: boolean) => {
    if (json) return ctx.out(JSON.stringify(r, null, 2));
    ctx.out(`${what}：${r.file}（${r.bytes} 字节，${r.events} 个事件，链头位置 ${r.headPosition}，哈希链${r.chainOk ? '完整' : '有误'}，用时 ${r.ms} ms）`);
  };

  program
    .command('backup')
    .description('事件库的一致副本（服务运行、写入进行中也可；SQLite VACUUM INTO），并校验副本')
    .requiredOption('--out <file>', '副本文件（不得已存在）')
    .option('--json', '输出 JSON')
    .action(async (o) => {
      const started = Date.now();
      const source = configuredFile();
      if (!existsSync(source)) throw new Error(`没有事件库：${source}`);
      const out = resolve(o.out);
      if (existsSync(out)) throw new Error(`${out} 已存在：请换一个文件名`);
      const partial = `${out}.partial`;
      rmSync(partial, { force: true });
      const store = new SqliteEventStore({ file: source });
      try {
        vacuumInto(store, partial);
      } finally {
        await store.close();
      }
      const report = await checkCopy(partial);
      if (!report.chainOk) throw new Error(`副本的哈希链校验未通过（${partial} 保留待查）`);
      renameSync(partial, out);
      print('已备份', { file: out, ...report, ms: Date.now() - started }, !!o.json);
    });

  program
    .command('restore')
    .description('从 backup 的副本恢复事件库（先停止服务；读模型快照与链头文件删除，下次启动时重建）')
    .requiredOption('--from <file>', 'quanze backup 写出的副本')
    .option('--force', '数据目录已有事件库时也恢复（原库另存为 events.db.before-restore-<时刻>）')
    .option('--ignore-running', '服务记录（server.pid）所指进程确已不存在时仍恢复（--force 不越过运行中的服务）')
    .option('--json', '输出 JSON')
    .action(async (o) => {
      const started = Date.now();
      const from = resolve(o.from);
      if (!existsSync(from)) throw new Error(`没有这个副本：${from}`);
      const target = configuredFile();
      const dataDir = loadConfig().dataDir;
      // a running server holds the store open: replacing it underneath would lose what it writes (exit 7)
      if (!o.ignoreRunning) assertNoServer(dataDir);
      const incoming = `${target}.restoring`;
      rmSync(incoming, { force: true });
      copyFileSync(from, incoming);
      chmodSync(incoming, 0o600);
      const report = await checkCopy(incoming).catch((e) => {
        rmSync(incoming, { force: true });
        throw e;
      });
      if (!report.chainOk) {
        rmSync(incoming, { force: true });
        throw new Error(`${from} 的哈希链校验未通过：未恢复`);
      }
      if (existsSync(target)) {
        if (!o.force) {
          rmSync(incoming, { force: true });
          throw new Error(`${target} 已有事件库：确认要替换请加 --force（原库会另存）`);
        }
        const kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        const old = new SqliteEventStore({ file: target });
        try {
          vacuumInto(old, kept); // the old store whole, WAL included
        } finally {
          await old.close();
        }
        for (const side of ['', '-wal', '-shm']) rmSync(target + side, { force: true });
        ctx.out(`原事件库已另存为 ${kept}`);
      }
      // the read-model snapshot and the recorded chain head describe the old log
      rmSync(snapshotDir(dataDir), { recursive: true, force: true });
      rmSync(headFile(dataDir), { force: true });
      renameSync(incoming, target);
      print('已恢复', { file: target, ...report, ms: Date.now() - started }, !!o.json);
    });
}
