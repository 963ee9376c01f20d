import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { RegistryProjection } from '../../../../libs/projections/src';
import { FindingsJobState, FindingsJobs, DEFAULT_JOBS_OPTIONS, findingsJobs } from '../../../../libs/projections/src/findings';
import { QuanzeConfig } from '../../../../libs/runtime/src';
import { CONFIG } from '../shared/tokens';

export interface Res {
  status(n: number): Res;
  setHeader(k: string, v: string): unknown;
  json(body: unknown): unknown;
  end(body: Buffer): unknown;
}

/** What a findings question answers while its region's findings are still being computed (202). */
export interface ComputingAnswer {
  status: 'computing';
  message: string;
  retryAfter: number;
  progress: string;
  job: FindingsJobState;
}

/**
 * A findings question waits for its region's findings at most the budget (QUANZE_FINDINGS_BUDGET_MS);
 * past it the answer is 202 with Retry-After and a link to the job's progress, and the job goes on in
 * slices between other requests. A job stopped at the memory cap is a 503 with Retry-After.
 */
@Injectable()
export class FindingsBudget {
  readonly jobs: FindingsJobs;

  constructor(
    readonly view: RegistryProjection,
    @Inject(CONFIG) private readonly config: QuanzeConfig,
  ) {
    const f = config.findings;
    this.jobs = findingsJobs(view, { ...DEFAULT_JOBS_OPTIONS, sliceMs: f.sliceMs, ...(f.heapLimitMb ? { heapLimitBytes: f.heapLimitMb * 1024 * 1024 } : {}) });
  }

  /**
   * Sends `answer()` (200) once the region's findings are ready within the budget, else the 202 answer.
   * (The response is sent here: Nest would set the route's own status over a 202.)
   */
  async answer(res: Res, region: string | undefined, asKnownAt: string | undefined, answer: () => unknown, send: (res: Res, body: any) => void = (r, body) => r.status(200).json(body)): Promise<void> {
    const waiting = region ? await this.computed(region, asKnownAt) : undefined;
    if (waiting) {
      res.status(202);
      res.setHeader('Retry-After', String(waiting.retryAfter));
      res.setHeader('Location', waiting.progress);
      res.json(waiting);
      return;
    }
    send(res, await answer());
  }

  /** undefined when the findings are ready (answer from them); else what a 202 says. */
  async computed(region: string, asKnownAt: string | undefined): Promise<ComputingAnswer | undefined> {
    const r = await this.jobs.ready(region, asKnownAt, this.config.findings.budgetMs);
    if (r.ready) return undefined;
    if (r.job.state === 'failed') throw new ServiceUnavailableException({ code: 'FINDINGS_UNAVAILABLE', message: `区划 ${region} 的发现暂时无法计算：${r.job.error ?? '未知原因'}；请稍后重试` });
    const retryAfter = Math.max(1, Math.min(30, Math.ceil(r.job.elapsedMs / 1000)));
    const progress = `/api/findings/progress?region=${encodeURIComponent(region)}${asKnownAt ? `&asKnownAt=${encodeURIComponent(asKnownAt)}` : ''}`;
    return { status: 'computing', message: `区划 ${region} 的发现正在计算（已用 ${Math.round(r.job.elapsedMs / 100) / 10} 秒），请 ${retryAfter} 秒后重试`, retryAfter, progress, job: r.job };
  }
}
