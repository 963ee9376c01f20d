import { deciderSpec } from '../testing/given-when-then';
import {
  CatalogEvent,
  catalogVersionOn,
  catalogVersions,
  decideDefineCatalogItem,
  decideReviseCatalogItem,
  decideRetireCatalogItem,
  DefineCatalogItem,
} from './catalog-item';

const doc = { number: '新政办发〔2019〕1号' };
const define: DefineCatalogItem = { code: 'C0001', name: '对违法排污的处罚', type: '行政处罚', basis: ['《环境保护法》第五十九条'], levels: ['city', 'county'], effectiveFrom: '2019-01-01', document: doc };
const defined: CatalogEvent = { type: 'CatalogItemDefined', data: define };
const revised: CatalogEvent = { type: 'CatalogItemRevised', data: { code: 'C0001', name: '对违法排放污染物的处罚', effectiveFrom: '2021-01-01', document: doc } };
const retired: CatalogEvent = { type: 'CatalogItemRetired', data: { code: 'C0001', effectiveFrom: '2023-01-01', document: doc } };

describe('catalogue item: define', () => {
  const spec = deciderSpec(decideDefineCatalogItem);
  test('a new code is defined', () => spec.given([]).when(define).then([{ type: 'CatalogItemDefined', data: { code: 'C0001', levels: ['city', 'county'] } }]));
  test('a code defined before is refused', () => spec.given([defined]).when(define).thenFails('ITEM_EXISTS'));
  test('no level is refused', () => spec.given([]).when({ ...define, levels: [] }).thenFails('ITEM_LEVELS'));
});

describe('catalogue item: revise', () => {
  const spec = deciderSpec(decideReviseCatalogItem);
  test('a changed name from a later date', () =>
    spec.given([defined]).when({ code: 'C0001', name: '新名称', effectiveFrom: '2020-06-01', document: doc }).then([{ type: 'CatalogItemRevised', data: { name: '新名称' } }]));
  test('before the item exists is refused', () => spec.given([defined]).when({ code: 'C0001', name: '新名称', effectiveFrom: '2018-12-31', document: doc }).thenFails('BEFORE_ITEM_EXISTS'));
  test('the same content as the version then in force is refused', () =>
    spec.given([defined, revised]).when({ code: 'C0001', name: '对违法排放污染物的处罚', effectiveFrom: '2022-01-01', document: doc }).thenFails('NOTHING_CHANGED'));
  test('the same name as the earlier version, dated before the revision, is refused; after it, it changes back', () => {
    spec.given([defined, revised]).when({ code: 'C0001', name: '对违法排污的处罚', effectiveFrom: '2020-01-01', document: doc }).thenFails('NOTHING_CHANGED');
    spec.given([defined, revised]).when({ code: 'C0001', name: '对违法排污的处罚', effectiveFrom: '2022-01-01', document: doc }).then([{ type: 'CatalogItemRevised' }]);
  });
  test('a retired item is refused', () => spec.given([defined, retired]).when({ code: 'C0001', name: '新名称', effectiveFrom: '2024-01-01', document: doc }).thenFails('ITEM_RETIRED'));
});

describe('catalogue item: retire', () => {
  const spec = deciderSpec(decideRetireCatalogItem);
  test('retired from a date', () => spec.given([defined]).when({ code: 'C0001', effectiveFrom: '2023-01-01', document: doc }).then([{ type: 'CatalogItemRetired', data: { effectiveFrom: '2023-01-01' } }]));
  test('not yet defined is refused', () => spec.given([]).when({ code: 'C0001', effectiveFrom: '2023-01-01', document: doc }).thenFails('BEFORE_ITEM_EXISTS'));
  test('twice is refused', () => spec.given([defined, retired]).when({ code: 'C0001', effectiveFrom: '2024-01-01', document: doc }).thenFails('ITEM_RETIRED'));
});

describe('catalogue item: evolve (versions on the valid-time axis)', () => {
  test('each event is a version from its effective date; a revision keeps what it does not change', () => {
    const v = catalogVersions([defined, revised, retired]);
    expect(v.map((x) => [x.from, x.name, x.retired])).toEqual([
      ['2019-01-01', '对违法排污的处罚', false],
      ['2021-01-01', '对违法排放污染物的处罚', false],
      ['2023-01-01', '对违法排放污染物的处罚', true],
    ]);
    expect(v[1].basis).toEqual(define.basis);
    expect(v[1].levels).toEqual(define.levels);
  });
  test('a revision recorded later with an earlier date slots in by its date', () => {
    const late: CatalogEvent = { type: 'CatalogItemRevised', data: { code: 'C0001', levels: ['city'], effectiveFrom: '2020-01-01', document: doc } };
    const v = catalogVersions([defined, revised, late]);
    expect(v.map((x) => x.from)).toEqual(['2019-01-01', '2020-01-01', '2021-01-01']);
    expect(catalogVersionOn(v, '2020-06-01')?.levels).toEqual(['city']);
    expect(catalogVersionOn(v, '2021-06-01')).toMatchObject({ name: '对违法排放污染物的处罚', levels: ['city'] });
    expect(catalogVersionOn(v, '2018-01-01')).toBeUndefined();
  });
});
