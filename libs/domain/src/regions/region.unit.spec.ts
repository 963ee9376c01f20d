import { deciderSpec } from '../testing/given-when-then';
import { codeFitsLevel, decideRegisterRegion, RegionState } from './region';

const doc = { number: '国家统计局2023年统计用区划代码' };
const xj: RegionState = { code: '650000', name: '新疆维吾尔自治区', level: 'province', since: '1955-10-01' };
const spec = deciderSpec((cmd: Parameters<typeof decideRegisterRegion>[0], s: { existing: RegionState | null; parent: RegionState | null }) =>
  decideRegisterRegion(cmd, s.existing, s.parent),
);

describe('register a region', () => {
  const klmy = { code: '650200', name: '克拉玛依市', level: 'city' as const, parentCode: '650000', effectiveFrom: '1982-01-01', document: doc };
  test('a city under its province', () => spec.given({ existing: null, parent: xj }).when(klmy).then([{ type: 'RegionRegistered', data: { code: '650200' } }]));
  test('twice is refused', () => spec.given({ existing: { ...xj, code: '650200' }, parent: xj }).when(klmy).thenFails('REGION_EXISTS'));
  test('an unknown parent is refused', () => spec.given({ existing: null, parent: null }).when(klmy).thenFails('UNKNOWN_REGION'));
  test('a parent of the wrong level is refused', () =>
    spec.given({ existing: null, parent: { ...xj, level: 'city', code: '650100' } }).when({ ...klmy, code: '650200' }).thenFails('REGION_PARENT'));
  test('a code outside the parent is refused', () => spec.given({ existing: null, parent: xj }).when({ ...klmy, code: '640200' }).thenFails('REGION_PARENT'));
  test('before the parent exists is refused', () => spec.given({ existing: null, parent: xj }).when({ ...klmy, effectiveFrom: '1950-01-01' }).thenFails('BEFORE_PARENT_EXISTS'));
  test('a code that does not fit the level is refused', () => spec.given({ existing: null, parent: xj }).when({ ...klmy, code: '650203' }).thenFails('REGION_CODE_LEVEL'));
  test.each([
    ['650000', 'province', true],
    ['650200', 'city', true],
    ['650203', 'county', true],
    ['650203002', 'township', true],
    ['6502', 'city', false],
    ['650200', 'county', false],
  ] as const)('code %s fits level %s: %s', (code, level, ok) => expect(codeFitsLevel(code, level)).toBe(ok));
});
