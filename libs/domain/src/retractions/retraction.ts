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
