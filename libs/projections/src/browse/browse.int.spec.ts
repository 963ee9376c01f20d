import { Registry } from '../../../application/src';
import { NotFoundError, catalogVersionOn } from '../../../domain/src';
import { SqliteEventStore } from '../../../event-store/src';
import { loadDemo, readDemoData } from '../../../demo/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { regionList } from '../list/list.query';
import { browseDepartments, browseRegion, browseRegions } from './regions-browse.query';
import { catalogItemVersions, searchCatalog } from './catalog-browse.query';
import { itemTimeline } from './timeline.query';

/** The pickers' questions, asked of the demo's read model and checked against the demo data and the list query. */
describe('browse questions', () => {
  const data = readDemoData();
  const city = data.departments[0].regionCode;
  let store: SqliteEventStore;
  let view: RegistryProjection;
  let highlights: Awaited<ReturnType<typeof loadDemo>>['highlights'];

  beforeAll(async () => {
    store = new SqliteEventStore({ file: ':memory:' });
    ({ highlights } = await loadDemo(new Registry(store)));
    view = new RegistryProjection();
    await new ProjectionRunner(store, [view]).rebuild();
  });
  afterAll(() => store.close());

  test('regions: the top level, the children of a parent, a search, one region with its breadcrumb', () => {
    const top = browseRegions(view, {});
    expect(top.items.map((r) => r.code).sort()).toEqual(data.regions.filter((r) => !r.parentCode).map((r) => r.code).sort());
    const parent = data.regions.find((r) => r.code === city)!.parentCode!;
    const children = browseRegions(view, { parent });
    expect(children.items.map((r) => r.code)).toEqual(data.regions.filter((r) => r.parentCode === parent).map((r) => r.code).sort());
    expect(top.items.find((r) => r.code === parent)?.children).toBe(children.total);
    const name = data.regions.find((r) => r.code === city)!.name;
    expect(browseRegions(view, { q: name.slice(0, 2) }).items.map((r) => r.code)).toContain(city);
    const one = browseRegion(view, city);
    expect(one.path.map((p) => p.code)).toEqual([parent]);
    expect(() => browseRegion(view, '999999')).toThrow(NotFoundError);
  });

  test('departments of a region on a date: names on that date, none before they were established', () => {
    const now = browseDepartments(view, city, { at: '2024-01-01' });
    expect(now.total).toBe(data.departments.filter((d) => d.regionCode === city).length);
    expect(now.items.every((d) => d.status === 'active')).toBe(true);
    const renamed = now.items.find((d) => d.name.endsWith('（更名演示）'));
    expect(renamed).toBeDefined();
    const before = browseDepartments(view, city, { at: '2020-01-01' });
    expect(before.items.find((d) => d.id === renamed!.id)?.name).toBe(data.departments.find((d) => d.id === renamed!.id)!.name);
    expect(browseDepartments(view, city, { at: '2018-01-01', all: false }).total).toBe(0);
    expect(() => browseDepartments(view, city, { at: '2024-01-01', asKnownAt: '1999-01-01T00:00:00.000Z' })).toThrow(NotFoundError);
  });

  test('catalogue search by code and by name, with the version in force on the date asked', () => {
    const item = data.items[0];
    const byCode = searchCatalog(view, { q: item.code, at: '2024-01-01' });
    expect(byCode.items[0].code).toBe(item.code);
    const byName = searchCatalog(view, { q: item.name, at: '2024-01-01' });
    expect(byName.items.map((r) => r.code)).toContain(item.code);
    const all = searchCatalog(view, { at: '2024-01-01', limit: 200 });
    expect(all.total).toBe(data.items.length);
    expect(all.items.every((r) => r.inForce)).toBe(true);
    expect(searchCatalog(view, { at: '2018-01-01', limit: 1 }).items[0].inForce).toBe(false);
    const versions = catalogItemVersions(view, item.code);
    expect(catalogVersionOn(versions.versions, '2024-01-01')?.name).toBe(item.name);
  });

  test('a timeline agrees with the list on every date it shows, and names open lanes as on the today the caller gives', () => {
    const moved = highlights.find((h) => h.what.startsWith('划转'))!;
    const t = itemTimeline(view, { item: moved.item, region: moved.region, today: '2024-06-01' });
    expect(t.lanes.length).toBe(2);
    for (const date of t.dates) {
      const listed = regionList(view, { region: moved.region, at: date }).items.find((i) => i.code === moved.item);
      const inTimeline = t.lanes.filter((l) => l.segments.some((s) => s.from <= date && (s.to === null || date < s.to))).map((l) => l.departmentId).sort();
      expect(inTimeline).toEqual((listed?.owners ?? []).map((o) => o.departmentId).sort());
    }
    expect(() => itemTimeline(view, { item: 'NO-SUCH', region: city, today: '2024-06-01' })).toThrow(NotFoundError);
  });
});
