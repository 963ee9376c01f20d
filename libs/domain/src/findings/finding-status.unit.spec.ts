import { deciderSpec } from '../testing/given-when-then';
import { FindingEvent, decideChangeFindingStatus, findingStatusOf } from './finding-status';

const changed = (from: string, status: string, note?: string): FindingEvent => ({ type: 'FindingStatusChanged', data: { findingId: 'f', from: from as never, status: status as never, ...(note ? { note } : {}) } });
const spec = deciderSpec(decideChangeFindingStatus);

describe('the findings ledger (待派发 → 核查中 → 已销号)', () => {
  test('a new finding is 待派发; dispatching it records the change with where it came from', () => {
    expect(findingStatusOf([])).toBe('待派发');
    spec.given([]).when({ findingId: 'f', status: '核查中', kind: 'conflict', regionCode: '650200' }).then([{ type: 'FindingStatusChanged', data: { findingId: 'f', status: '核查中', from: '待派发', kind: 'conflict', regionCode: '650200' } }]);
  });

  test('closing needs checking first', () => {
    spec.given([]).when({ findingId: 'f', status: '已销号', note: '误报' }).thenFails('INVALID_TRANSITION');
  });

  test('closing after checking needs the conclusion', () => {
    const checking = [changed('待派发', '核查中')];
    spec.given(checking).when({ findingId: 'f', status: '已销号' }).thenFails('NOTE_REQUIRED');
    spec.given(checking).when({ findingId: 'f', status: '已销号', note: '   ' }).thenFails('NOTE_REQUIRED');
    spec.given(checking).when({ findingId: 'f', status: '已销号', note: ' 已按协调意见书调整清单 ' }).then([{ type: 'FindingStatusChanged', data: { status: '已销号', from: '核查中', note: '已按协调意见书调整清单' } }]);
  });

  test('a closed finding can be reopened, with a reason; a checked one sent back, with a reason', () => {
    const closed = [changed('待派发', '核查中'), changed('核查中', '已销号', '已整改')];
    expect(findingStatusOf(closed)).toBe('已销号');
    spec.given(closed).when({ findingId: 'f', status: '核查中' }).thenFails('NOTE_REQUIRED');
    spec.given(closed).when({ findingId: 'f', status: '核查中', note: '复查发现仍未整改' }).then([{ type: 'FindingStatusChanged', data: { from: '已销号', status: '核查中' } }]);
    spec.given(closed).when({ findingId: 'f', status: '待派发', note: 'x' }).thenFails('INVALID_TRANSITION');
    spec.given([changed('待派发', '核查中')]).when({ findingId: 'f', status: '待派发' }).thenFails('NOTE_REQUIRED');
    spec.given([changed('待派发', '核查中')]).when({ findingId: 'f', status: '待派发', note: '派错了人' }).then([{ type: 'FindingStatusChanged' }]);
  });

  test('the same status again changes nothing; an unknown status or an overlong note is refused', () => {
    spec.given([changed('待派发', '核查中')]).when({ findingId: 'f', status: '核查中' }).thenFails('NOTHING_CHANGED');
    spec.given([]).when({ findingId: 'f', status: '待派发' }).thenFails('NOTHING_CHANGED');
    spec.given([]).when({ findingId: 'f', status: '已办结' as never }).thenFails('INVALID_STATUS');
    spec.given([]).when({ findingId: 'f', status: '核查中', note: '长'.repeat(2001) }).thenFails('NOTE_TOO_LONG');
  });
});
