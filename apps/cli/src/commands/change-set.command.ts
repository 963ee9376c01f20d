import { Command, InvalidArgumentError, Option } from 'commander';
import { ChangeSets, CommandContext, CommandResult, commandFingerprint } from '../../../../libs/application/src';
import { CHANGE_SET_ID_RE, CHANGE_SET_STATUSES, NotFoundError } from '../../../../libs/domain/src';
import { EventStore } from '../../../../libs/event-store/src';
import { ChangeSetView, editionAfterChangeSet, previewChangeSet } from '../../../../libs/projections/src';
import type { CliContext } from '../main';
import { answered, contextOf, documentOf, int, writeOptions } from '../write';
import { CHANGESET_STATUS_ZH } from '../../../../libs/contract/src';

type Opts = Record<string, any>;

/** The statuses in Chinese, as the web app shows them (one table: libs/contract/src/labels.ts). */
const STATUS_ZH = CHANGESET_STATUS_ZH;

const changeSetId = (v: string) => {
  if (!CHANGE_SET_ID_RE.test(v)) throw new InvalidArgumentError(`${v} 不是调整方案编号`);
  return v;
};

/**
 * 调整方案 as CLI verbs, so the office can script a reform: the same use cases as the HTTP routes of
 * apps/api/src/change-sets (libs/application ChangeSets: open, drop, submit, review, withdraw, preview,
 * publishAs), the same answers and refusals. Commands are added with `--change-set <id>` on the editing
 * verbs. The CLI acts with the rights of whoever can write the data dir (no roles), and reads actors.
 */
export function registerChangeSets(program: Command, ctx: CliContext): void {
  const cs = program.command('changeset').alias('change-set').description('调整方案：起草、预览、提交、审核、发布（命令用编辑动词的 --change-set <id> 加入）');
  const use = (store: EventStore) => new ChangeSets(store, ctx.registry(store));
  /** The change set as GET /api/change-sets/{id} answers it (from the read models rebuilt from the log). */
  const view = async (store: EventStore, id: string): Promise<ChangeSetView> => {
    const v = (await ctx.loadReadModels(store)).changeSets.get(id, { withActors: true });
    if (!v) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
    return v;
  };
  /** Runs a step of the change set's life and answers as the API does: { id, status, version, eventIds, recordedAt }. */
  const stepped = (o: Opts, run: (s: ChangeSets) => Promise<CommandResult & { id?: string }>, known?: string) =>
    ctx.withStore(async (store) =>
      answered(
        ctx.out,
        o.json,
        async () => {
          const s = use(store);
          const r = await run(s);
          const id = known ?? r.id!;
          return { id, status: (await s.state(id)).status!, version: r.streamVersion, eventIds: r.eventIds, recordedAt: r.recordedAt };
        },
        (r) => ctx.out(`调整方案 ${r.id}：${STATUS_ZH[r.status] ?? r.status}（${r.status}），版本 ${r.version}`),
      ),
    );

  const step = (name: string, description: string, options: (c: Command) => Command, run: (s: ChangeSets, id: string, o: Opts, c: CommandContext) => Promise<CommandResult>) =>
    writeOptions(options(cs.command(`${name} <id>`).description(description))).action(async (rawId: string, o: Opts) => {
      const id = changeSetId(rawId);
      await stepped(o, (s) => run(s, id, o, contextOf(o, commandFingerprint(`changeSet:${name}`, { id, note: o.note, index: o.index }))), id);
    });
  const note = (c: Command) => c.option('--note <text>', '说明');

  writeOptions(
    cs
      .command('create')
      .description('新建调整方案（草稿），同 POST /api/change-sets')
      .requiredOption('--region <code>', '区划代码')
      .requiredOption('--title <title>', '方案名称')
      .option('--doc <文号>', '方案依据文件的文号')
      .option('--doc-title <标题>', '依据文件的标题')
      .option('--doc-issued-on <date>', '依据文件的印发日期', ctx.date),
  ).action(async (o: Opts) => {
    const cmd = { regionCode: o.region as string, title: String(o.title).trim(), ...(o.doc ? { document: documentOf(o) } : {}) };
    await stepped(o, (s) => s.open(cmd, contextOf(o, commandFingerprint('changeSet:open', cmd))));
  });

  cs.command('list')
    .description('某区划的调整方案，同 GET /api/change-sets')
    .option('--region <code>', '区划代码')
    .addOption(new Option('--status <status>', '状态').choices([...CHANGE_SET_STATUSES]))
    .option('--json', '输出 JSON')
    .action(async (o: Opts) =>
      ctx.withStore(async (store) => {
        const changeSets = (await ctx.loadReadModels(store)).changeSets.list({ region: o.region, status: o.status }, { withActors: true });
        if (o.json) return ctx.out(JSON.stringify({ changeSets }, null, 2));
        if (!changeSets.length) return ctx.out('没有调整方案');
        for (const v of changeSets) ctx.out(`${v.id}  ${v.regionCode}  ${STATUS_ZH[v.status] ?? v.status}  ${v.commands.length} 条命令  ${v.title}`);
      }),
    );

  cs.command('show <id>')
    .description('调整方案的内容与经过，同 GET /api/change-sets/{id}')
    .option('--json', '输出 JSON')
    .action(async (rawId: string, o: Opts) =>
      ctx.withStore(async (store) =>
        answered(ctx.out, o.json, () => view(store, changeSetId(rawId)), (v) => {
          ctx.out(`${v.title}（${v.id}）· ${v.regionCode} · ${STATUS_ZH[v.status] ?? v.status} · 版本 ${v.version}${v.document ? ` · 依据 ${v.document.number}` : ''}`);
          for (const c of v.commands) ctx.out(`  [${c.index}] ${c.route}${c.warnings.length ? `  提示：${c.warnings.map((w) => w.code).join('、')}` : ''}`);
          for (const h of v.history) ctx.out(`  ${h.recordedAt} ${STATUS_ZH[h.status] ?? h.status}${h.actor ? ` ${h.actor}` : ''}${h.note ? `：${h.note}` : ''}`);
        }),
      ),
    );

  cs.command('preview <id>')
    .description('发布后本区划清单的变化与将产生、消除的问题（不登记），同 GET /api/change-sets/{id}/preview')
    .option('--at <date>', '看哪一天（默认：方案中最晚的生效日期）', ctx.date)
    .option('--json', '输出 JSON')
    .action(async (rawId: string, o: Opts) =>
      ctx.withStore(async (store) =>
        answered(
          ctx.out,
          o.json,
          async () => {
            const id = changeSetId(rawId);
            const live = await ctx.loadView(store);
            return use(store).preview(id, { at: o.at, now: new Date().toISOString() }, (p) => previewChangeSet(live, p));
          },
          (p) => {
            ctx.out(`调整方案 ${p.id} 发布后 ${p.region} 在 ${p.at} 的清单：`);
            const codes = (xs: Array<{ code: string }>) => (xs.length ? `：${xs.map((x) => x.code).join('、')}` : '');
            ctx.out(`  新增 ${p.diff.added.length}${codes(p.diff.added)}；取消 ${p.diff.removed.length}${codes(p.diff.removed)}；划转 ${p.diff.transferred.length}${codes(p.diff.transferred)}；修订 ${p.diff.revised.length}${codes(p.diff.revised)}；增加牵头 ${p.diff.leadAdded.length}${codes(p.diff.leadAdded)}`);
            ctx.out(`  将产生问题 ${p.findings.opened.length} 个，消除 ${p.findings.closed.length} 个`);
            for (const s of p.stale) ctx.out(`  已不适用：第 ${s.index} 条（${s.route}）${s.code}：${s.message}`);
          },
        ),
      ),
    );

  step('drop', '删除草稿中的一条命令，同 DELETE /api/change-sets/{id}/commands/{index}', (c) => c.requiredOption('--index <n>', '命令序号', int), (s, id, o, c) => s.drop(id, o.index, c));
  step('submit', '提交审核（草稿或已退回 → 已提交）', note, (s, id, o, c) => s.submit(id, o.note, c));
  step('approve', '审核通过（已提交 → 已通过），同 POST …/review decision=approve', note, (s, id, o, c) => s.review(id, { decision: 'approve', note: o.note }, c));
  step('return', '退回修改（已提交 → 已退回），须写明理由（--note；未写则同 API 答复 CHANGESET_NOTE_REQUIRED）', (c) => c.option('--note <text>', '退回理由'), (s, id, o, c) => s.review(id, { decision: 'return', note: o.note }, c));
  step('withdraw', '撤回调整方案（已发布的除外）', note, (s, id, o, c) => s.withdraw(id, o.note, c));

  writeOptions(
    cs
      .command('publish <id>')
      .description('发布（已通过 → 已发布）：全部命令一次登记，或因 CHANGESET_STALE 全不登记；可同时发布为年版')
      .requiredOption('--doc <文号>', '发布文件的文号')
      .option('--doc-title <标题>', '发布文件的标题')
      .option('--doc-issued-on <date>', '发布文件的印发日期', ctx.date)
      .requiredOption('--published-on <date>', '发布日期 YYYY-MM-DD', ctx.date)
      .option('--edition <number>', '同时发布为该年版（如 2025年版）')
      .option('--edition-title <title>', '年版标题')
      .option('--edition-effective-from <date>', '年版生效日期（默认：方案中最晚的生效日期或发布日期）', ctx.date),
  ).action(async (rawId: string, o: Opts) => {
    const id = changeSetId(rawId);
    const request = {
      document: documentOf(o),
      publishedOn: o.publishedOn as string,
      ...(o.edition ? { edition: { number: o.edition as string, ...(o.editionTitle ? { title: o.editionTitle } : {}), ...(o.editionEffectiveFrom ? { effectiveFrom: o.editionEffectiveFrom } : {}) } } : {}),
    };
    await ctx.withStore(async (store) =>
      answered(
        ctx.out,
        o.json,
        async () => {
          const { fingerprint: _, ...c } = contextOf(o);
          const r = await use(store).publishAs(id, request, c, async (q) => editionAfterChangeSet(await ctx.loadView(store), q));
          return { id: r.id, status: r.status, version: r.version, eventIds: r.eventIds, recordedAt: r.recordedAt, edition: r.edition };
        },
        (r) => {
          ctx.out(`调整方案 ${r.id} 已发布：${r.eventIds.length} 个事件一次登记（${r.recordedAt}）`);
          if (r.edition) ctx.out(`  年版 ${r.edition.number}：${r.edition.itemCount} 个事项，生效 ${r.edition.effectiveFrom}，内容哈希 ${r.edition.hash}`);
        },
      ),
    );
  });
}
