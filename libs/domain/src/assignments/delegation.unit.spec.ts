import { multiDeciderSpec } from '../testing/given-when-then';
import { AssignmentContext, AssignmentEvent, AssignmentFact, ChildContext, decideDelegateItem, decideRecallItem, DelegateItem, entryOn, RecallItem } from './assignment';
import { CatalogVersion } from '../catalog/catalog-item';
import { DepartmentState } from '../departments/department';
import { RegionState } from '../regions/region';

const doc = { number: '克政发〔2021〕5号' };
const city: RegionState = { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', since: '2000-01-01' };
const county = (code: string, name: string): RegionState => ({ code, name, level: 'county', parentCode: '650200', since: '2000-01-01' });
const dushanzi = county('650202', '独山子区');
const karamay = county('650203', '克拉玛依区');
const item: CatalogVersion = { code: 'X1', name: '对统计违法行为的处罚', type: '行政处罚', basis: ['统计法'], levels: ['city', 'county'], from: '2015-01-01', retired: false, document: doc };
const dept = (id: string, regionCode: string): DepartmentState => ({ id, regionCode, establishedOn: '2010-01-01', names: [{ name: id, from: '2010-01-01' }] });
let n = 0;
const fact = (event: AssignmentEvent): AssignmentFact => ({ eventId: `e${++n}`, event });
const held = fact({ type: 'ItemAssigned', data: { regionCode: '650200', itemCode: 'X1', departmentId: 'TJ', role: 'lead', effectiveFrom: '2016-01-01', document: doc } });
const parent = (facts: AssignmentFact[] = [held]): AssignmentContext => ({ region: city, catalog: [item], departments: { TJ: dept('TJ', '650200') }, facts });
const child = (region: RegionState | null, facts: AssignmentFact[] = [], department?: DepartmentState | null): ChildContext => ({ region, facts, department });

type DelegateState = { ctx: AssignmentContext; children: Record<string, ChildContext> };
const delegate = multiDeciderSpec((cmd: DelegateItem, s: DelegateState) => decideDelegateItem(cmd, s.ctx, s.children));
const cmd: DelegateItem = { regionCode: '650200', itemCode: 'X1', toRegionCodes: ['650202', '650203'], departmentIds: { '650202': 'DSZ-TJ' }, effectiveFrom: '2021-01-01', document: doc };
const children = { '650202': child(dushanzi, [], dept('DSZ-TJ', '650202')), '650203': child(karamay) };

describe('delegate an item to child regions (下放)', () => {
  test('the parent records the delegation, each child the receipt; a child without a named department is warned about', () =>
    delegate.given({ ctx: parent(), children }).when(cmd).then(
      [
        { stream: 'assignment-650200-X1', events: [{ type: 'ItemDelegated', data: { toRegionCodes: ['650202', '650203'] } }] },
        { stream: 'assignment-650202-X1', events: [{ type: 'ItemReceived', data: { fromRegionCode: '650200', departmentId: 'DSZ-TJ' } }] },
        { stream: 'assignment-650203-X1', events: [{ type: 'ItemReceived', data: { fromRegionCode: '650200' } }] },
      ],
      ['NO_DEPARTMENT'],
    ));
  test('an item not in the parent list is refused', () => delegate.given({ ctx: parent([]), children }).when(cmd).thenFails('NOT_HELD'));
  test('a region that is not a direct child is refused', () =>
    delegate.given({ ctx: parent(), children: { ...children, '650203': child({ ...karamay, parentCode: '650100' }) } }).when(cmd).thenFails('NOT_A_CHILD_REGION'));
  test('an unregistered child region is refused', () => delegate.given({ ctx: parent(), children: { ...children, '650203': child(null) } }).when(cmd).thenFails('UNKNOWN_REGION'));
  test('the same child twice is refused', () => delegate.given({ ctx: parent(), children }).when({ ...cmd, toRegionCodes: ['650202', '650202'] }).thenFails('DUPLICATE_REGION'));
  test('no child is refused', () => delegate.given({ ctx: parent(), children }).when({ ...cmd, toRegionCodes: [], departmentIds: {} }).thenFails('NO_REGIONS'));
  test('a named department of another region is refused', () =>
    delegate.given({ ctx: parent(), children: { ...children, '650202': child(dushanzi, [], dept('DSZ-TJ', '650203')) } }).when(cmd).thenFails('DEPARTMENT_REGION'));
  test('a department named for a region not delegated to is refused', () =>
    delegate.given({ ctx: parent(), children }).when({ ...cmd, departmentIds: { '650204': 'X' } }).thenFails('DEPARTMENT_REGION'));
  test('a level the catalogue does not give the item is warned about', () =>
    delegate
      .given({ ctx: { ...parent(), catalog: [{ ...item, levels: ['city'] }] }, children })
      .when(cmd)
      .then(
        [
          { stream: 'assignment-650200-X1', events: [{ type: 'ItemDelegated' }] },
          { stream: 'assignment-650202-X1', events: [{ type: 'ItemReceived' }] },
          { stream: 'assignment-650203-X1', events: [{ type: 'ItemReceived' }] },
        ],
        ['LEVEL_MISMATCH', 'NO_DEPARTMENT', 'LEVEL_MISMATCH'],
      ));
  test('evolve: after it, the parent no longer holds the item and the child has it from the parent', () => {
    const d = decideDelegateItem(cmd, parent(), children);
    const [p, c] = d.appends.map((a) => a.events.map(fact));
    expect(entryOn([held, ...p], '2021-06-01').inList).toBe(false);
    expect(entryOn([held, ...p], '2020-06-01').inList).toBe(true);
    const e = entryOn(c, '2021-06-01');
    expect(e.receivedFrom).toBe('650200');
    expect(e.holdings.map((h) => h.departmentId)).toEqual(['DSZ-TJ']);
  });
});

type RecallState = DelegateState;
const recall = multiDeciderSpec((c: RecallItem, s: RecallState) => decideRecallItem(c, s.ctx, s.children));
describe('recall an item from child regions (上收)', () => {
  const delegated = decideDelegateItem(cmd, parent(), children);
  const [p, c1, c2] = delegated.appends.map((a) => a.events.map(fact));
  const after = { ctx: parent([held, ...p]), children: { '650202': child(dushanzi, c1), '650203': child(karamay, c2) } };
  const back: RecallItem = { regionCode: '650200', itemCode: 'X1', fromRegionCodes: ['650202'], departmentId: 'TJ', effectiveFrom: '2023-01-01', document: doc };
  test('the parent takes it back to its department; the child returns it', () =>
    recall.given(after).when(back).then([
      { stream: 'assignment-650200-X1', events: [{ type: 'ItemRecalled', data: { departmentId: 'TJ' } }] },
      { stream: 'assignment-650202-X1', events: [{ type: 'ItemReturned', data: { toRegionCode: '650200' } }] },
    ]));
  test('from a child it was never delegated to is refused', () =>
    recall.given({ ...after, children: { ...after.children, '650202': child(dushanzi, []) } }).when(back).thenFails('NOT_DELEGATED'));
  test('before the delegation took effect is refused', () => recall.given(after).when({ ...back, effectiveFrom: '2020-01-01' }).thenFails('NOT_DELEGATED'));
  test('to an unknown department is refused', () => recall.given(after).when({ ...back, departmentId: 'NOPE' }).thenFails('UNKNOWN_DEPARTMENT'));
  test('evolve: after it, the parent holds it again and the child no longer', () => {
    const d = decideRecallItem(back, after.ctx, after.children);
    const [rp, rc] = d.appends.map((a) => a.events.map(fact));
    expect(entryOn([held, ...p, ...rp], '2023-06-01').holdings.map((h) => h.departmentId)).toEqual(['TJ']);
    expect(entryOn([...c1, ...rc], '2023-06-01').inList).toBe(false);
  });
});
