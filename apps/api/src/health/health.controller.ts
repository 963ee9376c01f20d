import { Controller, Get, Inject } from '@nestjs/common';
import { EventStore } from '../../../../libs/event-store/src';
import { ProjectionRunner } from '../../../../libs/projections/src';
import { Public } from '../auth/auth.guard';
import { EVENT_STORE } from '../shared/tokens';

@Controller('api/health')
export class HealthController {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Public()
  async get() {
    const info = await this.store.info();
    const projections = await this.runner.health();
    return {
      status: projections.every((p) => p.live && !p.error) ? 'ok' : 'catching-up',
      store: { kind: info.kind, headPosition: info.headPosition, events: info.eventCount },
      projections,
    };
  }
}
