import { Controller, Get, Header, Res } from '@nestjs/common';
import { RequireRole } from '../auth/auth.guard';
import { Metrics } from './metrics';

/** Prometheus text for a scraper holding an admin token (or the unauthenticated QUANZE_METRICS_PORT). */
@Controller('api/metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @RequireRole('admin')
  @Header('Cache-Control', 'no-store')
  async get(@Res() res: { type(t: string): { send(b: string): void } }) {
    res.type(this.metrics.contentType).send(await this.metrics.text());
  }
}
