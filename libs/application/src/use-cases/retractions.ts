import { NotFoundError, RetractEvent, Warning, decideRetractEvent } from '../../../domain/src';
import { WriteSession } from '../session';

/** A correction that never erases: appended to the retracted event's stream. Returns that stream. */
export async function retractEvent(s: WriteSession, cmd: Omit<RetractEvent, 'retractedType'>): Promise<{ stream: string; warnings: Warning[] }> {
  const target = await s.readEvent(cmd.eventId);
  if (!target) throw new NotFoundError('UNKNOWN_EVENT', `事件 ${cmd.eventId} 不存在`);
  const stored = await s.rawStream(target.stream);
  const view = stored.map((e) => ({ eventId: e.id, type: e.type, retractedId: e.type === 'EventRetracted' ? (e.data?.eventId as string) : undefined }));
  const d = decideRetractEvent({ ...cmd, retractedType: target.type }, view);
  s.record(target.stream, d.events, d.warnings);
  return { stream: target.stream, warnings: d.warnings };
}
