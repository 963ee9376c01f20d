import { Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ChangeSets, CommandContext, CommandResult, Registry, commandFingerprint } from '../../../../libs/application/src';
import { CHANGE_SET_ID_RE } from '../../../../libs/domain/src';
import { BadRequestException } from '@nestjs/common';
import { AcceptedIntoChangeSet } from '../change-sets/accepted';
import { ProjectionRunner } from '../../../../libs/projections/src';

export type RegistryCommandName = Exclude<keyof Registry, 'constructor' | 'batch' | 'decideInto'>;
type Payload<K extends RegistryCommandName> = Parameters<Registry[K]>[0];

/** A domain command as it travels on the CommandBus: which registry command, its payload, who asks. */
export class DomainCommand<K extends RegistryCommandName = RegistryCommandName> extends Command<CommandResult> {
  constructor(
    readonly name: K,
    readonly payload: Payload<K>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(DomainCommand)
export class DomainCommandHandler implements ICommandHandler<DomainCommand> {
  constructor(
    private readonly registry: Registry,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute(c: DomainCommand): Promise<CommandResult> {
    const fn = this.registry[c.name] as (p: unknown, ctx: CommandContext) => Promise<CommandResult>;
    const result = await fn.call(this.registry, c.payload, c.context);
    // Read your own writes: answer once the projections have seen the events.
    await this.runner.waitFor(result.position);
    return result;
  }
}

interface Req {
  principal?: { name: string };
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  originalUrl?: string;
  query?: Record<string, unknown>;
}

/** What controllers call: strips the shell's fields from the body and sends the command. */
@Injectable()
export class Commands {
  constructor(
    private readonly bus: CommandBus,
    private readonly changeSets: ChangeSets,
    private readonly runner: ProjectionRunner,
  ) {}

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
      await this.runner.waitFor(r.position);
      throw new AcceptedIntoChangeSet({ changeSet: r.changeSet, index: r.index, warnings: r.warnings, version: r.version });
    }
    return this.bus.execute(
      new DomainCommand(name, clean, {
        fingerprint: commandFingerprint(String(name), clean),
        actor: req.principal?.name ?? 'anonymous',
        commandId: header('idempotency-key'),
        correlationId: header('x-correlation-id'),
        expectedVersion,
      }),
    );
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
