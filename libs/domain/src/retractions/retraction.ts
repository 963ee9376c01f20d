import { DocumentRef, DomainError } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';

/**
 * A correction that never erases: from its recorded time on, the retracted event counts as never
 * having happened. It is appended to the retracted event's own stream; history keeps both.
 */
export interface RetractEvent {
  eventId: string;
  /** The type of the retracted event, for readers of the history. */
  retractedType: string;
  reason: string;
  document: DocumentRef;
}

export type EventRetracted = DomainEvent<'EventRetracted', RetractEvent>;

export function decideRetractEvent(cmd: RetractEvent, stream: Array<{ eventId: string; type: string; retractedId?: string }>): Decision<EventRetracted> {
  const target = stream.find((e) => e.eventId === cmd.eventId);
  if (!target) throw new DomainError('UNKNOWN_EVENT', `事件 ${cmd.eventId} 不在其流中`);
  if (target.type === 'EventRetracted') throw new DomainError('RETRACT_RETRACTION', '撤回记录本身不能被撤回；如需恢复，请重新登记原变更');
  if (stream.some((e) => e.retractedId === cmd.eventId)) throw new DomainError('ALREADY_RETRACTED', `事件 ${cmd.eventId} 已被撤回`);
  if (!cmd.reason?.trim()) throw new DomainError('REASON_REQUIRED', '撤回必须说明理由');
  return decided([{ type: 'EventRetracted', data: { ...cmd } }]);
}

/**
 * Events whose retraction is an admin's power whatever their age: a region's registration (retracted,
 * a whole region answers 404), a catalogue definition (every region's entry for it loses its item) and
 * an edition's publication (an admin's act).
 */
export const ADMIN_ONLY_RETRACTIONS: readonly string[] = ['RegionRegistered', 'CatalogItemDefined', 'EditionPublished'];

/** Default of QUANZE_RETRACT_OTHERS_DAYS: an editor may retract another user's event for this many days. */
export const DEFAULT_RETRACT_OTHERS_DAYS = 7;

export interface RetractionTarget {
  type: string;
  /** Who recorded it (metadata.actor); undefined for events recorded without one. */
  actor?: string;
  /** ISO instant it was recorded. */
  recordedAt: string;
}

/**
 * Why retracting `target` needs an admin, or undefined when an editor may. An editor may retract its
 * own events (any age) and another user's within `othersDays` days of their recording; a region
 * registration, a catalogue definition and an edition's publication need an admin always. Pure: `now` given.
 */
export function retractionNeedsAdmin(target: RetractionTarget, by: string, now: Date, othersDays: number): { code: string; message: string } | undefined {
  if (ADMIN_ONLY_RETRACTIONS.includes(target.type)) {
    const what = { RegionRegistered: '地区登记', CatalogItemDefined: '目录事项的定义', EditionPublished: '年版的发布' }[target.type] ?? target.type;
    return {
      code: 'ADMIN_ONLY_RETRACTION',
      message: `撤回${what}（${target.type}）需要 admin 角色 / retracting a ${target.type} event needs the admin role`,
    };
  }
  if (target.actor === by) return undefined;
  const ageDays = (now.getTime() - Date.parse(target.recordedAt)) / 86_400_000;
  if (ageDays > othersDays) {
    return {
      code: 'ADMIN_ONLY_RETRACTION',
      message:
        `撤回他人（${target.actor ?? '未知'}）记录于 ${othersDays} 天以前的事件需要 admin 角色（该事件记录于 ${target.recordedAt}）` +
        ` / retracting another user's event recorded more than ${othersDays} days ago needs the admin role`,
    };
  }
  return undefined;
}
