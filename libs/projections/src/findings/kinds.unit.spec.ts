import { FindingFamily } from './family';
import { FAMILIES } from './families';
import { LEDGER_PRECISION } from './family';
import { CONFORMANCE_KINDS, FINDING_KINDS, GAP_KINDS, KIND_NAMES_ZH, KIND_SPECS, OVERLAP_KINDS, kindsOf, severityOf } from './kinds';

const family = (name: string, ...kinds: string[]): FindingFamily => ({
  name,
  kinds: kinds.map((kind, i) => ({ kind, nameZh: kind, severity: 'red', group: 'ledger', rank: 200 + i, title: () => kind })),
  run: () => undefined,
});

describe('finding kinds come from the registered families', () => {
  test('colours as the contract says: conflict and unowned red (合规类), similar and multi-level blue (资源效益类)', () => {
    expect(['conflict', 'unowned'].map(severityOf)).toEqual(['red', 'red']);
    expect(['similar', 'multi-level'].map(severityOf)).toEqual(['blue', 'blue']);
    for (const k of FINDING_KINDS) expect(['red', 'blue']).toContain(severityOf(k));
  });

  test('a kind with a measured precision below the ledger\'s bar is a lead (线索)', () => {
    for (const k of KIND_SPECS) if (k.precision && k.precision.value < LEDGER_PRECISION) expect([k.kind, k.lead]).toEqual([k.kind, true]);
    expect(KIND_SPECS.filter((k) => k.lead).map((k) => k.kind)).toEqual(expect.arrayContaining(['similar', 'multi-level-unscoped']));
    expect(KIND_SPECS.filter((k) => k.lead).map((k) => k.kind)).not.toContain('conflict');
  });

  test('every kind has a Chinese name and exactly one group; the endpoint groups keep their v1 kinds', () => {
    expect(FINDING_KINDS.every((k) => KIND_NAMES_ZH[k]?.length > 0)).toBe(true);
    expect(OVERLAP_KINDS).toEqual(['conflict', 'similar', 'multi-level', 'multi-level-unscoped']);
    expect(GAP_KINDS).toEqual(['unowned', 'abolished-holder', 'no-sanding', 'unapproved-duty', 'duty-deviation', 'duty-missing']);
    expect(CONFORMANCE_KINDS).toEqual(['conformance']);
  });

  test('a new family adds its kinds in rank order; a kind declared twice or badly named is refused', () => {
    const kinds = kindsOf([...FAMILIES, family('staff', 'example-late', 'example-later')]).map((k) => k.kind);
    expect(kinds.slice(-2)).toEqual(['example-late', 'example-later']);
    expect(() => kindsOf([...FAMILIES, family('again', 'conflict')])).toThrow(/conflict/);
    expect(() => kindsOf([family('bad', 'Over_Staffed')])).toThrow(/lower-case/);
  });
});
