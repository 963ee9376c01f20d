import { StoreUnavailableError } from '../../../../libs/event-store/src';
import { DomainError, NotFoundError } from '../../../../libs/domain/src';
import { ErrorsFilter } from './errors.filter';

function run(e: unknown) {
  const res: any = { headers: {} as Record<string, string>, code: 0, body: undefined as any };
  res.status = (c: number) => ((res.code = c), res);
  res.setHeader = (k: string, v: string) => (res.headers[k] = v);
  res.json = (b: unknown) => (res.body = b);
  const host: any = { switchToHttp: () => ({ getResponse: () => res }) };
  new ErrorsFilter().catch(e, host);
  return res;
}

describe('errors become the contract answers', () => {
  test('the event store unavailable (leader lost, server down) → 503 with Retry-After and advice', () => {
    const r = run(new StoreUnavailableError('EventStoreDB 不可用'));
    expect([r.code, r.headers['Retry-After'], r.body.code]).toEqual([503, '5', 'STORE_UNAVAILABLE']);
    expect(r.body.message).toContain('请稍后重试');
  });
  test('a rule → 409 with its code; unknown → 404', () => {
    expect([run(new DomainError('NOT_HELD', 'x')).code, run(new NotFoundError('UNKNOWN_ITEM', 'x')).code]).toEqual([409, 404]);
  });
  test('anything else → 500 without leaking the message', () => {
    const r = run(new Error('secret internals'));
    expect(r.code).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret');
  });
});
