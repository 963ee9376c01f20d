import { ADMIN_ONLY_RETRACTIONS, retractionNeedsAdmin } from './retraction';

describe('retraction powers (#22 item 10)', () => {
  const now = new Date('2026-12-03T12:00:00.000Z');
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();

  test.each(ADMIN_ONLY_RETRACTIONS.map((t) => [t]))('%s needs an admin, even the recorder\'s own and fresh', (type) => {
    const r = retractionNeedsAdmin({ type, actor: 'ed', recordedAt: at(0) }, 'ed', now, 7);
    expect(r?.code).toBe('ADMIN_ONLY_RETRACTION');
    expect(r?.message).toMatch(/需要 admin 角色.*needs the admin role/);
  });

  test("one's own event of any age: an editor may", () => {
    expect(retractionNeedsAdmin({ type: 'ItemTransferred', actor: 'ed', recordedAt: at(400) }, 'ed', now, 7)).toBeUndefined();
  });

  test("another user's event: an editor may within the days, not after", () => {
    expect(retractionNeedsAdmin({ type: 'ItemTransferred', actor: 'other', recordedAt: at(6.99) }, 'ed', now, 7)).toBeUndefined();
    expect(retractionNeedsAdmin({ type: 'ItemTransferred', actor: 'other', recordedAt: at(7) }, 'ed', now, 7)).toBeUndefined();
    const r = retractionNeedsAdmin({ type: 'ItemTransferred', actor: 'other', recordedAt: at(7.01) }, 'ed', now, 7);
    expect(r).toMatchObject({ code: 'ADMIN_ONLY_RETRACTION' });
    expect(r?.message).toContain('other');
    // an event recorded without an actor counts as another user's
    expect(retractionNeedsAdmin({ type: 'ItemTransferred', recordedAt: at(30) }, 'ed', now, 7)?.code).toBe('ADMIN_ONLY_RETRACTION');
    // 0 days: only one's own
    expect(retractionNeedsAdmin({ type: 'DepartmentRenamed', actor: 'other', recordedAt: at(0.001) }, 'ed', now, 0)?.code).toBe('ADMIN_ONLY_RETRACTION');
  });
});
