import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { ChangeSets, CommandContext, CommandResult, Registry, commandFingerprint } from '../../../../libs/application/src';
import { CHANGE_SET_ID_RE, Warning } from '../../../../libs/domain/src';
import { AcceptedIntoChangeSet } from '../change-sets/accepted';
import { ProjectionRunner } from '../../../../libs/projections/src';

/** The registry's commands, by method name (a compile-time key of Registry: a renamed method breaks every caller). */
export type RegistryCommandName = Exclude<keyof Registry, 'constructor' | 'batch' | 'decideInto'>;
type Payload<K extends RegistryCommandName> = Parameters<Registry[K]>[0];

/** Said in the answer when the read model did not reach a command's events in time (decision 0007). */
export const NOT_YET_VISIBLE = 'NOT_YET_VISIBLE';
const VISIBLE_WAIT_MS = 10_000;

interface Req {
  principal?: { name: string };
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  originalUrl?: string;
  query?: Record<string, unknown>;
}

/**
 * What controllers call: strips the shell's fields from the body and calls the registry's use case
 * directly (no command bus: decision 0007), then waits until the read model has the events, so the
 * client reads its own write — and says so in the answer when it did not get there in time.
 */
@Injectable()
export class Commands {
  private readonly log = new Logger('Commands');

  constructor(
    private readonly registry: Registry,
    private readonly changeSets: ChangeSets,
    private readonly runner: ProjectionRunner,
  ) {}

  /** Read your own writes: the answer once the projections have seen `position`, else with a NOT_YET_VISIBLE warning. */
  private async visible<R extends { position: number; warnings: Warning[] }>(r: R): Promise<R> {
    if (await this.runner.waitFor(r.position, VISIBLE_WAIT_MS)) return r;
    this.log.warn(`read model did not reach position ${r.position} within ${VISIBLE_WAIT_MS} ms`);
    const warning: Warning = {
      code: NOT_YET_VISIBLE,
      message: `已记录（位置 ${r.position}），但查询结果在 ${VISIBLE_WAIT_MS / 1000} 秒内尚未更新：稍后查询可见。Recorded, but not yet visible to queries.`,
      details: { position: r.position },
    };
    return { ...r, warnings: [...r.warnings, warning] };
  }

  /**
   * Sends the command; with `?changeSet=<id>` it goes to that change set instead (checked as if the
   * draft's earlier commands were in force, nothing in force): answered 202 through AcceptedIntoChangeSet.
   */
  async send<K extends RegistryCommandName>(name: K, body: Payload<K> & { expectedVersion?: number }, req: Req): Promise<CommandResult> {
    const { expectedVersion, ...payload } = body as Payload<K> & { expectedVersion?: number };
    const header = (h: string) => {
      const v = req.headers[h];
      return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined;
    };
    const clean = stripUndefined(payload) as Payload<K>;
    const changeSet = req.query?.changeSet;
    if (changeSet !== undefined) {
      if (typeof changeSet !== 'string' || !CHANGE_SET_ID_RE.test(changeSet)) throw new BadRequestException({ code: 'BAD_REQUEST', message: 'changeSet 应为调整方案编号', fields: [{ field: 'changeSet', message: 'changeSet 应为调整方案编号' }] });
      const route = `${req.method ?? 'POST'} ${(req.originalUrl ?? '').split('?')[0]}`;
      const r = await this.changeSets.add(changeSet, { route, name: String(name), body: clean as Record<string, unknown> }, {
        fingerprint: commandFingerprint(`changeSet:${changeSet}:${String(name)}`, clean),
        actor: req.principal?.name ?? 'anonymous',
        commandId: header('idempotency-key'),
        correlationId: header('x-correlation-id'),
        expectedVersion,
      });
      const seen = await this.visible(r);
      throw new AcceptedIntoChangeSet({ changeSet: r.changeSet, index: r.index, warnings: seen.warnings, version: r.version });
    }
    const ctx: CommandContext = {
      fingerprint: commandFingerprint(String(name), clean),
      actor: req.principal?.name ?? 'anonymous',
      commandId: header('idempotency-key'),
      correlationId: header('x-correlation-id'),
      expectedVersion,
    };
    const useCase = this.registry[name] as (p: Payload<K>, c: CommandContext) => Promise<CommandResult>;
    return this.visible(await useCase.call(this.registry, clean, ctx));
  }
}

/** class-transformer leaves declared-but-absent fields as undefined: keep event data clean. */
function stripUndefined<T>(o: T): T {
  if (Array.isArray(o)) return o.map(stripUndefined) as T;
  if (o && typeof o === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = stripUndefined(v);
    return out as T;
  }
  return o;
}
