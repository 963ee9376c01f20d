import { deciderSpec } from '../testing/given-when-then';
import { fold } from '../shared/decider';
import { ChangeSetCommand, ChangeSetEvent, ChangeSetState, decideChangeSet, evolveChangeSet, initialChangeSetState } from './change-set';

/** The office's editor drafts, the legal office's reviewer reviews, the government's admin publishes. */
const E = '编办-张';
const V = '法制办-李';
const A = '政府办-王';
const given = (...events: ChangeSetEvent[]): ChangeSetState => fold(evolveChangeSet, initialChangeSetState, events);
const opened: ChangeSetEvent = { type: 'ChangeSetOpened', data: { id: 'cs1', regionCode: '650200', title: '2025年调整', by: E } };
const added = (index: number): ChangeSetEvent => ({ type: 'ChangeSetCommandAdded', data: { index, route: 'POST /api/regions/650200/items/X/assign', name: 'assignItem', body: { regionCode: '650200' }, warnings: [], by: E } });
const submitted: ChangeSetEvent = { type: 'ChangeSetSubmitted', data: { by: E } };
const approved: ChangeSetEvent = { type: 'ChangeSetReviewed', data: { decision: 'approve', note: '', by: V } };
const returned: ChangeSetEvent = { type: 'ChangeSetReviewed', data: { decision: 'return', note: '依据不足', by: V } };
const published: ChangeSetEvent = { type: 'ChangeSetPublished', data: { document: { number: '克政发〔2025〕1号' }, publishedOn: '2025-01-10', eventIds: ['e1'] } };
const add = (regionCode?: string): ChangeSetCommand => ({ actor: E, kind: 'add', route: 'POST /api/regions/650200/items/Y/assign', name: 'assignItem', body: {}, warnings: [{ code: 'W', message: 'w' }], ...(regionCode ? { regionCode } : {}) });
const publish: ChangeSetCommand = { actor: A, kind: 'publish', document: { number: '克政发〔2025〕1号' }, publishedOn: '2025-01-10', eventIds: ['e1', 'e2'] };

describe('change-set decider (Given events / When command / Then events | error)', () => {
  const spec = deciderSpec(decideChangeSet);

  it('opens a draft once, with a title', () => {
    spec.given(given()).when({ actor: E, kind: 'open', id: 'cs1', regionCode: '650200', title: ' 调整 ' }).then([{ type: 'ChangeSetOpened', data: { id: 'cs1', title: '调整' } }]);
    spec.given(given(opened)).when({ actor: E, kind: 'open', id: 'cs1', regionCode: '650200', title: 't' }).thenFails('CHANGESET_EXISTS');
    spec.given(given()).when({ actor: E, kind: 'open', id: 'cs1', regionCode: '650200', title: ' ' }).thenFails('CHANGESET_TITLE');
    spec.given(given()).when(add()).thenFails('UNKNOWN_CHANGESET');
  });

  it('adds commands with the next index (never reused after a drop), with their warnings', () => {
    spec.given(given(opened)).when(add()).then([{ type: 'ChangeSetCommandAdded', data: { index: 0 } }], ['W']);
    spec.given(given(opened, added(0), added(1), { type: 'ChangeSetCommandDropped', data: { index: 1 } })).when(add('650200')).then([{ type: 'ChangeSetCommandAdded', data: { index: 2 } }], ['W']);
    expect(given(opened, added(0), added(1), { type: 'ChangeSetCommandDropped', data: { index: 0 } }).commands.map((c) => c.index)).toEqual([1]);
  });

  it("refuses a command of another region", () => {
    spec.given(given(opened)).when(add('650203')).thenFails('CHANGESET_REGION');
  });

  it('adds and drops only in draft or returned', () => {
    for (const s of [given(opened, added(0), submitted), given(opened, added(0), submitted, approved), given(opened, added(0), submitted, approved, published), given(opened, { type: 'ChangeSetWithdrawn', data: {} })]) {
      spec.given(s).when(add()).thenFails('CHANGESET_NOT_EDITABLE');
      spec.given(s).when({ actor: E, kind: 'drop', index: 0 }).thenFails('CHANGESET_NOT_EDITABLE');
    }
    spec.given(given(opened, added(0), submitted, returned)).when(add()).then([{ type: 'ChangeSetCommandAdded', data: { index: 1 } }], ['W']);
    spec.given(given(opened, added(0))).when({ actor: E, kind: 'drop', index: 5 }).thenFails('CHANGESET_NO_COMMAND');
  });

  it('submit → review (approve, or return with a note) → resubmit → publish', () => {
    spec.given(given(opened)).when({ actor: E, kind: 'submit' }).thenFails('CHANGESET_EMPTY');
    spec.given(given(opened, added(0))).when({ actor: E, kind: 'submit', note: '请审' }).then([{ type: 'ChangeSetSubmitted', data: { note: '请审' } }]);
    spec.given(given(opened, added(0))).when({ actor: V, kind: 'review', decision: 'approve' }).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, added(0), submitted)).when({ actor: V, kind: 'review', decision: 'return', note: ' ' }).thenFails('CHANGESET_NOTE_REQUIRED');
    spec.given(given(opened, added(0), submitted)).when({ actor: V, kind: 'review', decision: 'return', note: '依据不足' }).then([{ type: 'ChangeSetReviewed', data: { decision: 'return', note: '依据不足' } }]);
    expect(given(opened, added(0), submitted, returned).status).toBe('returned');
    spec.given(given(opened, added(0), submitted, returned)).when({ actor: E, kind: 'submit' }).then([{ type: 'ChangeSetSubmitted' }]);
    spec.given(given(opened, added(0), submitted)).when(publish).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, added(0), submitted, returned)).when(publish).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, added(0), submitted, approved)).when(publish).then([{ type: 'ChangeSetPublished', data: { eventIds: ['e1', 'e2'], publishedOn: '2025-01-10' } }]);
    spec.given(given(opened, added(0), submitted, approved)).when({ ...publish, document: { number: '' } } as ChangeSetCommand).thenFails('CHANGESET_DOCUMENT');
    expect(given(opened, added(0), submitted, approved, published).status).toBe('published');
  });

  it('withdrawn from any status but published (and not twice)', () => {
    for (const s of [given(opened), given(opened, added(0), submitted), given(opened, added(0), submitted, approved), given(opened, added(0), submitted, returned)]) {
      spec.given(s).when({ actor: E, kind: 'withdraw', note: '不再调整' }).then([{ type: 'ChangeSetWithdrawn', data: { note: '不再调整' } }]);
    }
    spec.given(given(opened, added(0), submitted, approved, published)).when({ actor: E, kind: 'withdraw' }).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, { type: 'ChangeSetWithdrawn', data: {} })).when({ actor: E, kind: 'withdraw' }).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, { type: 'ChangeSetWithdrawn', data: {} })).when({ actor: E, kind: 'submit' }).thenFails('CHANGESET_BAD_STATUS');
  });

  describe('四眼原则 (four eyes)', () => {
    const by = (actor: string) => ({ actor });
    const addedBy = (index: number, who: string): ChangeSetEvent => ({ type: 'ChangeSetCommandAdded', data: { index, route: 'r', name: 'assignItem', body: {}, warnings: [], by: who } });
    const submittedBy = (who: string): ChangeSetEvent => ({ type: 'ChangeSetSubmitted', data: { by: who } });
    const approvedBy = (who: string): ChangeSetEvent => ({ type: 'ChangeSetReviewed', data: { decision: 'approve', note: '', by: who } });

    it('every step records its actor; the state knows the drafters and the approver', () => {
      spec.given(given(opened)).when(add()).then([{ type: 'ChangeSetCommandAdded', data: { by: E } }], ['W']);
      spec.given(given(opened, added(0))).when({ actor: E, kind: 'submit' }).then([{ type: 'ChangeSetSubmitted', data: { by: E } }]);
      spec.given(given(opened, added(0), submitted)).when({ actor: V, kind: 'review', decision: 'approve' }).then([{ type: 'ChangeSetReviewed', data: { by: V } }]);
      spec.given(given(opened, added(0), submitted, approved)).when(publish).then([{ type: 'ChangeSetPublished', data: { by: A } }]);
      const s = given(opened, addedBy(0, '甲'), addedBy(1, '乙'), { type: 'ChangeSetCommandDropped', data: { index: 1, by: '丙' } }, submittedBy('丁'), approvedBy(V));
      expect([s.drafters, s.approvedBy]).toEqual([[E, '甲', '乙', '丙', '丁'], V]);
    });

    it('the reviewer may not be who opened, added a command to, dropped one from, or submitted it', () => {
      const review = (actor: string, decision: 'approve' | 'return'): ChangeSetCommand => ({ ...by(actor), kind: 'review', decision, note: '意见' });
      for (const who of [E, '甲', '丁']) {
        const s = given(opened, addedBy(0, '甲'), submittedBy('丁'));
        for (const decision of ['approve', 'return'] as const) spec.given(s).when(review(who, decision)).thenFails('CHANGESET_SELF_REVIEW');
      }
      // a returned draft edited by the reviewer makes them a drafter: someone else reviews the resubmission
      const edited = given(opened, added(0), submitted, returned, addedBy(1, V), submittedBy(E));
      spec.given(edited).when(review(V, 'approve')).thenFails('CHANGESET_SELF_REVIEW');
      spec.given(edited).when(review('法制办-赵', 'approve')).then([{ type: 'ChangeSetReviewed', data: { by: '法制办-赵' } }]);
      spec.given(given(opened, addedBy(0, '甲'), submittedBy('丁'))).when(review(V, 'approve')).then([{ type: 'ChangeSetReviewed', data: { decision: 'approve', by: V } }]);
    });

    it('the publisher may not be the one who both drafted and approved it', () => {
      // approved before the rule by its own drafter (an event recorded earlier): its drafter-approver may not publish it
      const selfApproved = given(opened, added(0), submitted, approvedBy(E));
      spec.given(selfApproved).when({ ...publish, actor: E }).thenFails('CHANGESET_SELF_REVIEW');
      spec.given(selfApproved).when(publish).then([{ type: 'ChangeSetPublished' }]);
      // a drafter who did not approve, or the approver who did not draft, may publish
      spec.given(given(opened, added(0), submitted, approved)).when({ ...publish, actor: E }).then([{ type: 'ChangeSetPublished', data: { by: E } }]);
      spec.given(given(opened, added(0), submitted, approved)).when({ ...publish, actor: V }).then([{ type: 'ChangeSetPublished', data: { by: V } }]);
    });
  });
});
