import { CallHandler, ExecutionContext, HttpException, Inject, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { Observable } from 'rxjs';
import { QuanzeConfig } from '../../../../libs/runtime/src';
import { CONFIG } from '../shared/tokens';

/**
 * Imports one at a time, at most `config.imports.queue` waiting (#22 item 2): a queue that is full is a
 * 429 with Retry-After, answered before the upload is read; so is a Content-Length over the upload cap
 * (413). One import at a time keeps one import's memory (its upload, its parsed sheets, its session) the
 * most an import can take, and lets each be one atomic append without racing another.
 */
@Injectable()
export class ImportQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(@Inject(CONFIG) private readonly config: QuanzeConfig) {}

  get state() {
    return { running: this.running, waiting: this.waiting.length, limit: this.config.imports.queue };
  }

  /** No room: one running and the queue's places taken. */
  full(): boolean {
    return this.running >= 1 && this.waiting.length >= this.config.imports.queue;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.full()) throw queueFull(this.state);
    if (this.running >= 1) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

function queueFull(s: { running: number; waiting: number }) {
  return new HttpException(
    {
      error: 'Too Many Requests',
      code: 'IMPORT_QUEUE_FULL',
      message: `导入队列已满（正在导入 ${s.running} 个，排队 ${s.waiting} 个）：请稍后重试 / the import queue is full, retry later`,
    },
    429,
  );
}

/** Before the upload is read: a full queue (429) or a declared body over the cap (413). */
@Injectable()
export class ImportAdmission implements NestInterceptor {
  constructor(
    private readonly queue: ImportQueue,
    @Inject(CONFIG) private readonly config: QuanzeConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    const res = context.switchToHttp().getResponse<{ setHeader(k: string, v: string): void }>();
    const cap = this.config.imports.maxUploadMb * 1024 * 1024;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > cap) {
      throw new PayloadTooLargeException({ error: 'Payload Too Large', code: 'UPLOAD_TOO_LARGE', message: `一次上传的文件合计超过 ${this.config.imports.maxUploadMb} MB 上限：请分批导入` });
    }
    if (this.queue.full()) {
      res.setHeader('Retry-After', '10');
      throw queueFull(this.queue.state);
    }
    return next.handle();
  }
}
