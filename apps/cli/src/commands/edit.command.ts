import { Command, InvalidArgumentError, Option } from 'commander';
import { userInfo } from 'node:os';
import { CommandContext, CommandResult, Registry, commandFingerprint } from '../../../../libs/application/src';
import { DomainError, ITEM_TYPES, LEVELS, NotFoundError } from '../../../../libs/domain/src';
import { InvalidAppendError, StoreUnavailableError } from '../../../../libs/event-store/src';
import type { CliContext } from '../main';

type Opts = Record<string, any>;
type RegistryVerb = Exclude<keyof Registry, 'constructor' | 'batch' | 'decideInto'>;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const int = (v: string) => {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${v} 不是整数`);
  return Number(v);
};
/** `650201=D1,650202=D2` → { 650201: 'D1', 650202: 'D2' } */
const pairs = (v: string) =>
  Object.fromEntries(
    list(v).map((p) => {
      const [k, d] = p.split('=');
      if (!k || !d) throw new InvalidArgumentError(`${p} 应为 区划代码=部门id`);
      return [k.trim(), d.trim()];
    }),
  );

/** The HTTP answer's status and words for an error, so that a script reads the same as a client does. */
export function errorBody(e: unknown): { statusCode: number; error: string; code: string; message: string; details?: unknown } | undefined {
  if (e instanceof DomainError) return { statusCode: 409, error: 'Conflict', code: e.code, message: e.message, details: e.details };
  if (e instanceof NotFoundError) return { statusCode: 404, error: 'Not Found', code: e.code, message: e.message };
  if (e instanceof InvalidAppendError) return { statusCode: 400, error: 'Bad Request', code: e.code, message: e.message };
  if (e instanceof StoreUnavailableError) return { statusCode: 503, error: 'Service Unavailable', code: e.code, message: e.message };
  return undefined;
}
/** Exit codes of the editing verbs: 0 recorded, 2 bad input, 4 not found, 5 refused by a rule or a version, 6 store unavailable. */
const EXIT: Record<number, number> = { 400: 2, 404: 4, 409: 5, 503: 6 };

/**
 * The editing commands of the HTTP API as CLI verbs, through the same Registry (one write path): the
 * same payloads, the same refusals (code, message, details), `--json` prints the command's result or the
 * error as the API's JSON answer. The CLI writes with the rights of whoever can write the data dir.
 */
export function registerEditing(program: Command, ctx: CliContext): void {
  const verb = (parent: Command, name: string, description: string, registryVerb: RegistryVerb, payload: (o: Opts) => Record<string, unknown>, options: (c: Command) => Command, change = true) => {
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
    c.option('--expected-version <n>', '本命令所在流的预期版本（并发检查）', int)
      .option('--idempotency-key <key>', '重复执行时只记录一次')
      .option('--correlation-id <id>', '关联同一次改革的多个命令')
      .option('--actor <name>', '记入事件的操作人', `cli:${safeUser()}`)
      .option('--json', '输出 JSON（结果或错误，同 HTTP 答复）')
      .action(async (o: Opts) => {
        const body: Record<string, unknown> = { ...payload(o) };
        if (change) {
          body.effectiveFrom = o.effectiveFrom;
          body.document = { number: o.doc, ...(o.docTitle ? { title: o.docTitle } : {}), ...(o.docIssuedOn ? { issuedOn: o.docIssuedOn } : {}) };
        }
        if (o.reason !== undefined) body.reason = o.reason;
        const clean = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
        const context: CommandContext = {
          actor: o.actor,
          commandId: o.idempotencyKey,
          correlationId: o.correlationId,
          expectedVersion: o.expectedVersion,
          fingerprint: commandFingerprint(registryVerb, clean),
        };
        await ctx.withStore(async (store) => {
          let result: CommandResult;
          try {
            const registry = ctx.registry(store);
            result = await (registry[registryVerb] as (p: unknown, c: CommandContext) => Promise<CommandResult>).call(registry, clean, context);
          } catch (e) {
            const err = errorBody(e);
            if (!err) throw e;
            if (o.json) ctx.out(JSON.stringify(err, null, 2));
            else process.stderr.write(`quanze: ${err.code}：${err.message}\n`);
            process.exitCode = EXIT[err.statusCode] ?? 1;
            return;
          }
          if (o.json) return ctx.out(JSON.stringify(result, null, 2));
          ctx.out(`已记录：${result.eventIds.length} 个事件，命令 ${result.commandId}，流版本 ${result.streamVersion}，位置 ${result.position}`);
          for (const w of result.warnings) ctx.out(`  提示 ${w.code}：${w.message}`);
        });
      });
    return c;
  };
  const item = (c: Command) => c.requiredOption('--region <code>', '区划代码').requiredOption('--item <code>', '事项编码');
  const at = (o: Opts) => ({ regionCode: o.region, itemCode: o.item });

  verb(program, 'assign', '把事项列入清单并确定牵头或配合部门（同 POST …/assign）', 'assignItem', (o) => ({ ...at(o), departmentId: o.department, role: o.role, internalOrgan: o.internalOrgan, dutyIds: o.duties }), (c) =>
    item(c)
      .requiredOption('--department <id>', '部门 id')
      .addOption(new Option('--role <role>', '牵头或配合').choices(['lead', 'cooperating']).default('lead'))
      .option('--internal-organ <name>', '承办内设机构')
      .option('--duties <ids>', '对应的三定职责 id，逗号分隔', list),
  );
  verb(program, 'transfer', '事项在部门之间划转', 'transferItem', (o) => ({ ...at(o), fromDepartmentId: o.from, toDepartmentId: o.to }), (c) =>
    item(c).requiredOption('--from <id>', '原部门 id').requiredOption('--to <id>', '新部门 id'),
  );
  verb(program, 'withdraw', '事项从部门（或清单）中取消', 'withdrawItem', (o) => ({ ...at(o), departmentId: o.department }), (c) => item(c).option('--department <id>', '只从该部门取消'));
  verb(program, 'delegate', '事项下放至下级区划', 'delegateItem', (o) => ({ ...at(o), toRegionCodes: o.to, departmentIds: o.departments }), (c) =>
    item(c).requiredOption('--to <codes>', '下级区划代码，逗号分隔', list).option('--departments <pairs>', '各下级承接部门：区划代码=部门id,…', pairs),
  );
  verb(program, 'recall', '从下级区划上收事项', 'recallItem', (o) => ({ ...at(o), fromRegionCodes: o.from, departmentId: o.department }), (c) =>
    item(c).requiredOption('--from <codes>', '下级区划代码，逗号分隔', list).requiredOption('--department <id>', '本级重新承担的部门 id'),
  );
  verb(program, 'retract', '撤回一条录错的事件（另记撤回事件，原事件保留）', 'retractEvent', (o) => ({ eventId: o.event, reason: o.reason, document: { number: o.doc } }), (c) =>
    c.requiredOption('--event <id>', '事件 id').requiredOption('--reason <text>', '撤回原因').requiredOption('--doc <文号>', '依据文件的文号'),
  false);

  const region = program.command('region').description('行政区划的登记');
  verb(region, 'register', '登记行政区划', 'registerRegion', (o) => ({ code: o.code, name: o.name, level: o.level, parentCode: o.parent }), (c) =>
    c
      .requiredOption('--code <code>', '区划代码')
      .requiredOption('--name <name>', '名称')
      .addOption(new Option('--level <level>', '层级').choices([...LEVELS]).makeOptionMandatory())
      .option('--parent <code>', '上级区划代码'),
  );

  const department = program.command('department').description('部门的设立、更名、撤销');
  verb(department, 'establish', '设立部门', 'establishDepartment', (o) => ({ id: o.id, name: o.name, regionCode: o.region }), (c) =>
    c.requiredOption('--id <id>', '部门 id').requiredOption('--name <name>', '名称').requiredOption('--region <code>', '所属区划'),
  );
  verb(department, 'rename', '部门更名', 'renameDepartment', (o) => ({ id: o.id, name: o.name }), (c) => c.requiredOption('--id <id>', '部门 id').requiredOption('--name <name>', '新名称'));
  verb(department, 'abolish', '撤销部门', 'abolishDepartment', (o) => ({ id: o.id, successorId: o.successor }), (c) => c.requiredOption('--id <id>', '部门 id').option('--successor <id>', '承继部门 id'));

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
  verb(catalogue, 'define', '新增目录事项', 'defineCatalogItem', (o) => ({ ...catalogueFields(o), basis: o.basis ?? [] }), (c) => fields(c.requiredOption('--code <code>', '事项编码'), true));
  verb(catalogue, 'revise', '修订目录事项（只改给出的字段）', 'reviseCatalogItem', catalogueFields, (c) => fields(c.requiredOption('--code <code>', '事项编码'), false));
  verb(catalogue, 'retire', '废止目录事项', 'retireCatalogItem', (o) => ({ code: o.code }), (c) => c.requiredOption('--code <code>', '事项编码'));
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
