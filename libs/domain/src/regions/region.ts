import { Change, DomainError, LEVELS, Level } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';

export const regionStream = (code: string) => `region-${code}`;

export interface RegisterRegion extends Change {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
}

export type RegionRegistered = DomainEvent<'RegionRegistered', RegisterRegion>;
export type RegionEvent = RegionRegistered;

export interface RegionState {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
  since: string;
}

export const initialRegionState: RegionState | null = null;

export function evolveRegion(state: RegionState | null, event: RegionEvent): RegionState | null {
  switch (event.type) {
    case 'RegionRegistered':
      return { code: event.data.code, name: event.data.name, level: event.data.level, parentCode: event.data.parentCode, since: event.data.effectiveFrom };
    default:
      return state;
  }
}

/** GB/T 2260: six digits for province, city and county; nine (or twelve) for townships. */
export function codeFitsLevel(code: string, level: Level): boolean {
  if (level === 'township') return /^\d{9}(\d{3})?$/.test(code);
  if (!/^\d{6}$/.test(code)) return false;
  if (level === 'province') return code.endsWith('0000');
  if (level === 'city') return code.endsWith('00') && !code.endsWith('0000');
  return !code.endsWith('00');
}

/** The code of a child region begins with its parent's significant digits. */
export function codeUnderParent(code: string, parent: { code: string; level: Level }): boolean {
  const prefix = { province: 2, city: 4, county: 6, township: 9 }[parent.level];
  return code.startsWith(parent.code.slice(0, prefix));
}

export function decideRegisterRegion(cmd: RegisterRegion, existing: RegionState | null, parent: RegionState | null): Decision<RegionEvent> {
  if (existing) throw new DomainError('REGION_EXISTS', `行政区划 ${cmd.code} 已登记（${existing.name}）`, { code: cmd.code });
  if (!codeFitsLevel(cmd.code, cmd.level)) {
    throw new DomainError('REGION_CODE_LEVEL', `区划代码 ${cmd.code} 与层级 ${cmd.level} 不符（省市县为 6 位，乡镇为 9 位）`, { code: cmd.code, level: cmd.level });
  }
  const expectedParentLevel = LEVELS[LEVELS.indexOf(cmd.level) - 1];
  if (cmd.level === 'province') {
    if (cmd.parentCode) throw new DomainError('REGION_PARENT', '省级行政区划没有上级区划', { parentCode: cmd.parentCode });
  } else {
    if (!cmd.parentCode) throw new DomainError('REGION_PARENT', `${cmd.level} 级区划必须指定上级区划 parentCode`);
    if (!parent) throw new DomainError('UNKNOWN_REGION', `上级区划 ${cmd.parentCode} 尚未登记`, { parentCode: cmd.parentCode });
    if (parent.level !== expectedParentLevel) {
      throw new DomainError('REGION_PARENT', `上级区划 ${parent.code} 是 ${parent.level} 级，${cmd.level} 级区划的上级应为 ${expectedParentLevel} 级`);
    }
    if (!codeUnderParent(cmd.code, parent)) throw new DomainError('REGION_PARENT', `区划代码 ${cmd.code} 不在上级 ${parent.code} 之下`);
    if (cmd.effectiveFrom < parent.since) {
      throw new DomainError('BEFORE_PARENT_EXISTS', `生效日期 ${cmd.effectiveFrom} 早于上级区划 ${parent.code} 的设立日期 ${parent.since}`);
    }
  }
  return decided([{ type: 'RegionRegistered', data: { ...cmd } }]);
}
