import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { ChangeSets, CommandResult, Registry, boundaryClauseId, commandFingerprint } from '../../../../libs/application/src';
import { CHANGE_SET_ID_RE, ITEM_TYPES, LEVELS } from '../../../../libs/domain/src';
import type { CliContext } from '../main';
import { answered, contextOf, documentOf, writeOptions } from '../write';

type Opts = Record<string, any>;
type RegistryVerb = Exclude<keyof Registry, 'constructor' | 'batch' | 'decideInto'>;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
/** `650201=D1,650202=D2` → { 650201: 'D1', 650202: 'D2' } */
const pairs = (v: string) =>
  Object.fromEntries(
    list(v).map((p) => {
      const [k, d] = p.split('=');
      if (!k || !d) throw new InvalidArgumentError(`${p} 应为 区划代码=部门id`);
      return [k.trim(), d.trim()];
    }),
  );

/** A 三定 as JSON (the body of POST /api/departments/{id}/sanding without effectiveFrom and document). */
const sandingFile = (path: string) => {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InvalidArgumentError(`${path} 不是可读的 JSON 文件（${(e as Error).message}）`);
  }
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.duties) || !Array.isArray(o.internalOrgans) || !o.staffing || typeof o.staffing !== 'object') {
    throw new InvalidArgumentError(`${path} 应为 { duties: [...], internalOrgans: [...], staffing: {...} }`);
  }
  return { duties: o.duties, internalOrgans: o.internalOrgans, staffing: o.staffing };
};

const changeSetId = (v: string) => {
  if (!CHANGE_SET_ID_RE.test(v)) throw new InvalidArgumentError(`${v} 不是调整方案编号`);
  return v;
};

/**
 * The editing commands of the HTTP API as CLI verbs, through the same Registry (one write path): the
 * same payloads, the same refusals (code, message, details), `--json` prints the command's result or the
 * error as the API's JSON answer. The CLI writes with the rights of whoever can write the data dir.
 * `--change-set <id>` adds the command to that draft instead (ChangeSets.add, as `?changeSet=` over
 * HTTP), recorded under the HTTP route it stands for, so a draft reads the same whichever shell wrote it.
 */
export function registerEditing(program: Command, ctx: CliContext): void {
  const verb = (parent: Command, name: string, description: string, registryVerb: RegistryVerb, route: (o: Opts) => string, payload: (o: Opts) => Record<string, unknown>, options: (c: Command) => Command, change = true) => {
    let c = parent.command(name).description(description);
    c = options(c);
    if (change) {
      c = c
        .requiredOption('--effective-from <date>', '生效日期 YYYY-MM-DD', ctx.date)
        .requiredOption('--doc <文号>', '依据文件的文号')
        .option('--doc-title <标题>', '依据文件的标题')
        .option('--doc-issued-on <date>', '依据文件的印发日期', ctx.date);
    }
    if (!c.options.some((x) => x.long === '--reason')) c.option('--reason <text>', '原因');
    c.option('--change-set <id>', '不直接登记：加入该调整方案（草稿），发布后才生效', changeSetId);
    writeOptions(c).action(async (o: Opts) => {
      const body: Record<string, unknown> = { ...payload(o) };
      if (change) {
        body.effectiveFrom = o.effectiveFrom;
        body.document = documentOf(o);
      }
      if (o.reason !== undefined) body.reason = o.reason;
      const clean = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      await ctx.withStore(async (store) => {
        const registry = ctx.registry(store);
        if (o.changeSet) {
          const id = o.changeSet as string;
          return answered(
            ctx.out,
            o.json,
            async () => {
              const r = await new ChangeSets(store, registry).add(id, { route: `POST ${route(o)}`, name: registryVerb, body: clean }, contextOf(o, commandFingerprint(`changeSet:${id}:${registryVerb}`, clean)));
              return { changeSet: r.changeSet, index: r.index, warnings: r.warnings, version: r.version };
            },
            (r) => {
              ctx.out(`已加入调整方案 ${r.changeSet}：第 ${r.index} 条（方案版本 ${r.version}）；发布前不生效`);
              for (const w of r.warnings) ctx.out(`  提示 ${w.code}：${w.message}`);
            },
          );
        }
        await answered(
          ctx.out,
          o.json,
          () => (registry[registryVerb] as (p: unknown, c: ReturnType<typeof contextOf>) => Promise<CommandResult>).call(registry, clean, contextOf(o, commandFingerprint(registryVerb, clean))),
          (result) => {
            ctx.out(`已记录：${result.eventIds.length} 个事件，命令 ${result.commandId}，流版本 ${result.streamVersion}，位置 ${result.position}`);
            for (const w of result.warnings) ctx.out(`  提示 ${w.code}：${w.message}`);
          },
        );
      });
    });
    return c;
  };
  const item = (c: Command) => c.requiredOption('--region <code>', '区划代码').requiredOption('--item <code>', '事项编码');
  const at = (o: Opts) => ({ regionCode: o.region, itemCode: o.item });

  verb(program, 'assign', '把事项列入清单并确定牵头或配合部门（同 POST …/assign）', 'assignItem', (o) => `/api/regions/${o.region}/items/${o.item}/assign`, (o) => ({ ...at(o), departmentId: o.department, role: o.role, internalOrgan: o.internalOrgan, dutyIds: o.duties }), (c) =>
    item(c)
      .requiredOption('--department <id>', '部门 id')
      .addOption(new Option('--role <role>', '牵头或配合').choices(['lead', 'cooperating']).default('lead'))
      .option('--internal-organ <name>', '承办内设机构')
      .option('--duties <ids>', '对应的三定职责 id，逗号分隔', list),
  );
  verb(program, 'transfer', '事项在部门之间划转', 'transferItem', (o) => `/api/regions/${o.region}/items/${o.item}/transfer`, (o) => ({ ...at(o), fromDepartmentId: o.from, toDepartmentId: o.to }), (c) =>
    item(c).requiredOption('--from <id>', '原部门 id').requiredOption('--to <id>', '新部门 id'),
  );
  verb(program, 'withdraw', '事项从部门（或清单）中取消', 'withdrawItem', (o) => `/api/regions/${o.region}/items/${o.item}/withdraw`, (o) => ({ ...at(o), departmentId: o.department }), (c) => item(c).option('--department <id>', '只从该部门取消'));
  verb(program, 'delegate', '事项下放至下级区划', 'delegateItem', (o) => `/api/regions/${o.region}/items/${o.item}/delegate`, (o) => ({ ...at(o), toRegionCodes: o.to, departmentIds: o.departments }), (c) =>
    item(c).requiredOption('--to <codes>', '下级区划代码，逗号分隔', list).option('--departments <pairs>', '各下级承接部门：区划代码=部门id,…', pairs),
  );
  verb(program, 'recall', '从下级区划上收事项', 'recallItem', (o) => `/api/regions/${o.region}/items/${o.item}/recall`, (o) => ({ ...at(o), fromRegionCodes: o.from, departmentId: o.department }), (c) =>
    item(c).requiredOption('--from <codes>', '下级区划代码，逗号分隔', list).requiredOption('--department <id>', '本级重新承担的部门 id'),
  );
  verb(program, 'retract', '撤回一条录错的事件（另记撤回事件，原事件保留）', 'retractEvent', (o) => `/api/events/${o.event}/retract`, (o) => ({ eventId: o.event, reason: o.reason, document: { number: o.doc } }), (c) =>
    c.requiredOption('--event <id>', '事件 id').requiredOption('--reason <text>', '撤回原因').requiredOption('--doc <文号>', '依据文件的文号'),
  false);

  const region = program.command('region').description('行政区划的登记');
  verb(region, 'register', '登记行政区划', 'registerRegion', () => '/api/regions', (o) => ({ code: o.code, name: o.name, level: o.level, parentCode: o.parent }), (c) =>
    c
      .requiredOption('--code <code>', '区划代码')
      .requiredOption('--name <name>', '名称')
      .addOption(new Option('--level <level>', '层级').choices([...LEVELS]).makeOptionMandatory())
      .option('--parent <code>', '上级区划代码'),
  );

  const department = program.command('department').description('部门的设立、更名、撤销');
  verb(department, 'establish', '设立部门', 'establishDepartment', () => '/api/departments', (o) => ({ id: o.id, name: o.name, regionCode: o.region }), (c) =>
    c.requiredOption('--id <id>', '部门 id').requiredOption('--name <name>', '名称').requiredOption('--region <code>', '所属区划'),
  );
  verb(department, 'rename', '部门更名', 'renameDepartment', (o) => `/api/departments/${o.id}/rename`, (o) => ({ id: o.id, name: o.name }), (c) => c.requiredOption('--id <id>', '部门 id').requiredOption('--name <name>', '新名称'));
  verb(department, 'sanding', '登记部门三定（职责、内设机构、编制）：整版替换，同 POST /api/departments/{id}/sanding', 'issueSanding', (o) => `/api/departments/${o.id}/sanding`, (o) => ({ id: o.id, ...o.file }), (c) =>
    c.requiredOption('--id <id>', '部门 id').requiredOption('--file <sanding.json>', '三定内容 JSON：{ "duties": [{ "id", "text" }], "internalOrgans": [{ "id", "name", "duties" }], "staffing": { … } }', sandingFile),
  );
  verb(department, 'abolish', '撤销部门', 'abolishDepartment', (o) => `/api/departments/${o.id}/abolish`, (o) => ({ id: o.id, successorId: o.successor }), (c) => c.requiredOption('--id <id>', '部门 id').option('--successor <id>', '承继部门 id'));

  const boundary = program.command('boundary').description('职责分工（边界）约定');
  verb(boundary, 'agree', '登记职责分工条款：某事由谁牵头、谁协助，同 POST /api/boundaries', 'agreeBoundaryClause', () => '/api/boundaries', (o) => ({
    clauseId: boundaryClauseId(o.idempotencyKey),
    regionCode: o.region,
    matter: o.matter,
    leadDepartmentId: o.lead,
    assistingDepartmentIds: o.assisting ?? [],
    itemCodes: o.items,
  }), (c) =>
    c
      .requiredOption('--region <code>', '区划代码')
      .requiredOption('--matter <text>', '事由（分工的事项）')
      .requiredOption('--lead <id>', '牵头部门 id')
      .option('--assisting <ids>', '协助部门 id，逗号分隔', list)
      .option('--items <codes>', '涉及的事项编码，逗号分隔', list),
  );

  const catalogue = program.command('catalogue').alias('catalog').description('权力事项目录的新增、修订、废止');
  const fields = (c: Command, required: boolean) => {
    const opt = (flags: string, text: string, parse?: (v: string) => unknown) => (required ? c.requiredOption(flags, text, parse as never) : c.option(flags, text, parse as never));
    opt('--name <name>', '事项名称');
    c.addOption(new Option('--type <type>', '事项类型').choices([...ITEM_TYPES]).makeOptionMandatory(required));
    c.option('--basis <text...>', '设定依据（可多个）');
    opt('--levels <levels>', `行使层级，逗号分隔（${LEVELS.join('、')}）`, list);
    return c;
  };
  const catalogueFields = (o: Opts) => ({ code: o.code, name: o.name, type: o.type, basis: o.basis, levels: o.levels });
  verb(catalogue, 'define', '新增目录事项', 'defineCatalogItem', () => '/api/catalog/items', (o) => ({ ...catalogueFields(o), basis: o.basis ?? [] }), (c) => fields(c.requiredOption('--code <code>', '事项编码'), true));
  verb(catalogue, 'revise', '修订目录事项（只改给出的字段）', 'reviseCatalogItem', (o) => `/api/catalog/items/${o.code}/revise`, catalogueFields, (c) => fields(c.requiredOption('--code <code>', '事项编码'), false));
  verb(catalogue, 'retire', '废止目录事项', 'retireCatalogItem', (o) => `/api/catalog/items/${o.code}/retire`, (o) => ({ code: o.code }), (c) => c.requiredOption('--code <code>', '事项编码'));
}
