import { deciderSpec } from '../testing/given-when-then';
import { fold } from '../shared/decider';
import { ChangeSetCommand, ChangeSetEvent, ChangeSetState, decideChangeSet, evolveChangeSet, initialChangeSetState } from './change-set';

const given = (...events: ChangeSetEvent[]): ChangeSetState => fold(evolveChangeSet, initialChangeSetState, events);
const opened: ChangeSetEvent = { type: 'ChangeSetOpened', data: { id: 'cs1', regionCode: '650200', title: '2025年调整' } };
const added = (index: number): ChangeSetEvent => ({ type: 'ChangeSetCommandAdded', data: { index, route: 'POST /api/regions/650200/items/X/assign', name: 'assignItem', body: { regionCode: '650200' }, warnings: [] } });
const submitted: ChangeSetEvent = { type: 'ChangeSetSubmitted', data: {} };
const approved: ChangeSetEvent = { type: 'ChangeSetReviewed', data: { decision: 'approve', note: '' } };
const returned: ChangeSetEvent = { type: 'ChangeSetReviewed', data: { decision: 'return', note: '依据不足' } };
const published: ChangeSetEvent = { type: 'ChangeSetPublished', data: { document: { number: '克政发〔2025〕1号' }, publishedOn: '2025-01-10', eventIds: ['e1'] } };
const add = (regionCode?: string): ChangeSetCommand => ({ kind: 'add', route: 'POST /api/regions/650200/items/Y/assign', name: 'assignItem', body: {}, warnings: [{ code: 'W', message: 'w' }], ...(regionCode ? { regionCode } : {}) });
const publish: ChangeSetCommand = { kind: 'publish', document: { number: '克政发〔2025〕1号' }, publishedOn: '2025-01-10', eventIds: ['e1', 'e2'] };

describe('change-set decider (Given events / When command / Then events | error)', () => {
  const spec = deciderSpec(decideChangeSet);

  it('opens a draft once, with a title', () => {
    spec.given(given()).when({ kind: 'open', id: 'cs1', regionCode: '650200', title: ' 调整 ' }).then([{ type: 'ChangeSetOpened', data: { id: 'cs1', title: '调整' } }]);
    spec.given(given(opened)).when({ kind: 'open', id: 'cs1', regionCode: '650200', title: 't' }).thenFails('CHANGESET_EXISTS');
    spec.given(given()).when({ kind: 'open', id: 'cs1', regionCode: '650200', title: ' ' }).thenFails('CHANGESET_TITLE');
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
      spec.given(s).when({ kind: 'drop', index: 0 }).thenFails('CHANGESET_NOT_EDITABLE');
    }
    spec.given(given(opened, added(0), submitted, returned)).when(add()).then([{ type: 'ChangeSetCommandAdded', data: { index: 1 } }], ['W']);
    spec.given(given(opened, added(0))).when({ kind: 'drop', index: 5 }).thenFails('CHANGESET_NO_COMMAND');
  });

  it('submit → review (approve, or return with a note) → resubmit → publish', () => {
    spec.given(given(opened)).when({ kind: 'submit' }).thenFails('CHANGESET_EMPTY');
    spec.given(given(opened, added(0))).when({ kind: 'submit', note: '请审' }).then([{ type: 'ChangeSetSubmitted', data: { note: '请审' } }]);
    spec.given(given(opened, added(0))).when({ kind: 'review', decision: 'approve' }).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, added(0), submitted)).when({ kind: 'review', decision: 'return', note: ' ' }).thenFails('CHANGESET_NOTE_REQUIRED');
    spec.given(given(opened, added(0), submitted)).when({ kind: 'review', decision: 'return', note: '依据不足' }).then([{ type: 'ChangeSetReviewed', data: { decision: 'return', note: '依据不足' } }]);
    expect(given(opened, added(0), submitted, returned).status).toBe('returned');
    spec.given(given(opened, added(0), submitted, returned)).when({ kind: 'submit' }).then([{ type: 'ChangeSetSubmitted' }]);
    spec.given(given(opened, added(0), submitted)).when(publish).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, added(0), submitted, returned)).when(publish).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, added(0), submitted, approved)).when(publish).then([{ type: 'ChangeSetPublished', data: { eventIds: ['e1', 'e2'], publishedOn: '2025-01-10' } }]);
    spec.given(given(opened, added(0), submitted, approved)).when({ ...publish, document: { number: '' } } as ChangeSetCommand).thenFails('CHANGESET_DOCUMENT');
    expect(given(opened, added(0), submitted, approved, published).status).toBe('published');
  });

  it('withdrawn from any status but published (and not twice)', () => {
    for (const s of [given(opened), given(opened, added(0), submitted), given(opened, added(0), submitted, approved), given(opened, added(0), submitted, returned)]) {
      spec.given(s).when({ kind: 'withdraw', note: '不再调整' }).then([{ type: 'ChangeSetWithdrawn', data: { note: '不再调整' } }]);
    }
    spec.given(given(opened, added(0), submitted, approved, published)).when({ kind: 'withdraw' }).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, { type: 'ChangeSetWithdrawn', data: {} })).when({ kind: 'withdraw' }).thenFails('CHANGESET_BAD_STATUS');
    spec.given(given(opened, { type: 'ChangeSetWithdrawn', data: {} })).when({ kind: 'submit' }).thenFails('CHANGESET_BAD_STATUS');
  });
});
