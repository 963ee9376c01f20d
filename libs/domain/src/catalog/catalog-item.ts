import { Change, DomainError, ItemType, Level } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';

export const catalogStream = (code: string) => `catalog-${code}`;

export interface CatalogFields {
  name: string;
  type: ItemType;
  basis: string[];
  levels: Level[];
  /**
   * What each level may do, as the catalogue words it (实施层级及权限 / 权限 of that level's sheet or
   * row): a guide for several levels lists the same item once per level, each with its own scope.
   * A level without an entry has no scope stated. Absent on items defined without scopes.
   */
  scopes?: Partial<Record<Level, string>>;
}

export interface DefineCatalogItem extends Change, CatalogFields {
  code: string;
}
export interface ReviseCatalogItem extends Change, Partial<CatalogFields> {
  code: string;
}
export interface RetireCatalogItem extends Change {
  code: string;
}

export type CatalogItemDefined = DomainEvent<'CatalogItemDefined', DefineCatalogItem>;
export type CatalogItemRevised = DomainEvent<'CatalogItemRevised', ReviseCatalogItem>;
export type CatalogItemRetired = DomainEvent<'CatalogItemRetired', RetireCatalogItem>;
export type CatalogEvent = CatalogItemDefined | CatalogItemRevised | CatalogItemRetired;

/** One version of an item on the valid-time axis. */
export interface CatalogVersion extends CatalogFields {
  code: string;
  from: string;
  retired: boolean;
  document: Change['document'];
}

export interface CatalogItemState {
  code: string;
  /** Versions in effective-date order (a later record with an earlier date slots in). */
  versions: CatalogVersion[];
}

/** Versions of a catalogue item from its events in recorded order. */
export function catalogVersions(events: CatalogEvent[]): CatalogVersion[] {
  const sorted = stableSortByEffective(events);
  const out: CatalogVersion[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (e.type === 'CatalogItemDefined') {
      const { code, name, type, basis, levels, scopes, effectiveFrom, document } = e.data;
      out.push({ code, name, type, basis, levels, ...(scopes ? { scopes } : {}), from: effectiveFrom, retired: false, document });
    } else if (prev) {
      const next: CatalogVersion = { ...prev, from: e.data.effectiveFrom, document: e.data.document };
      if (e.type === 'CatalogItemRetired') next.retired = true;
      else {
        const { name, type, basis, levels, scopes } = e.data;
        if (name !== undefined) next.name = name;
        if (type !== undefined) next.type = type;
        if (basis !== undefined) next.basis = basis;
        if (levels !== undefined) next.levels = levels;
        if (scopes !== undefined) next.scopes = scopes;
      }
      out.push(next);
    }
  }
  return out;
}

export function catalogVersionOn(versions: CatalogVersion[], date: string): CatalogVersion | undefined {
  let found: CatalogVersion | undefined;
  for (const v of versions) if (v.from <= date) found = v;
  return found;
}

function stableSortByEffective<E extends { data: { effectiveFrom: string } }>(events: E[]): E[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.data.effectiveFrom < b.e.data.effectiveFrom ? -1 : a.e.data.effectiveFrom > b.e.data.effectiveFrom ? 1 : a.i - b.i))
    .map((x) => x.e);
}

/** A scope is a level's: only for a level the item applies at. */
function checkScopes(levels: Level[], scopes: CatalogFields['scopes']): void {
  const stray = Object.keys(scopes ?? {}).filter((l) => !levels.includes(l as Level));
  if (stray.length) throw new DomainError('ITEM_SCOPES', `权限写给了事项不适用的层级：${stray.join('、')}`);
}

export function decideDefineCatalogItem(cmd: DefineCatalogItem, existing: CatalogEvent[]): Decision<CatalogEvent> {
  if (existing.length > 0) throw new DomainError('ITEM_EXISTS', `目录事项 ${cmd.code} 已存在`, { code: cmd.code });
  if (cmd.levels.length === 0) throw new DomainError('ITEM_LEVELS', '目录事项至少适用于一个层级');
  checkScopes(cmd.levels, cmd.scopes);
  return decided([{ type: 'CatalogItemDefined', data: { ...cmd } }]);
}

export function decideReviseCatalogItem(cmd: ReviseCatalogItem, existing: CatalogEvent[]): Decision<CatalogEvent> {
  const versions = catalogVersions(existing);
  const current = catalogVersionOn(versions, cmd.effectiveFrom);
  if (!current) throw new DomainError('BEFORE_ITEM_EXISTS', `事项 ${cmd.code} 在 ${cmd.effectiveFrom} 尚未列入目录`);
  if (current.retired) throw new DomainError('ITEM_RETIRED', `事项 ${cmd.code} 已于 ${current.from} 取消`);
  const changed = (['name', 'type', 'basis', 'levels', 'scopes'] as const).filter((k) => cmd[k] !== undefined && JSON.stringify(cmd[k]) !== JSON.stringify(current[k]));
  if (changed.length === 0) throw new DomainError('NOTHING_CHANGED', '修改内容与目录现行版本相同');
  if (cmd.levels !== undefined || cmd.scopes !== undefined) checkScopes(cmd.levels ?? current.levels, cmd.scopes ?? current.scopes);
  return decided([{ type: 'CatalogItemRevised', data: { ...cmd } }]);
}

export function decideRetireCatalogItem(cmd: RetireCatalogItem, existing: CatalogEvent[]): Decision<CatalogEvent> {
  const current = catalogVersionOn(catalogVersions(existing), cmd.effectiveFrom);
  if (!current) throw new DomainError('BEFORE_ITEM_EXISTS', `事项 ${cmd.code} 在 ${cmd.effectiveFrom} 尚未列入目录`);
  if (current.retired) throw new DomainError('ITEM_RETIRED', `事项 ${cmd.code} 已于 ${current.from} 取消`);
  return decided([{ type: 'CatalogItemRetired', data: { ...cmd } }]);
}
