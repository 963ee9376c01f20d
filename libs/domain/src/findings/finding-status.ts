import { DocumentRef, DomainError } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';
import { FINDING_STATUSES, FINDING_TRANSITIONS, type FindingStatus, INITIAL_FINDING_STATUS, MAX_FINDING_NOTE_LENGTH, findingNoteRequired } from '../../../contract/src/findings';

/**
 * The findings ledger (预警台账): the establishment office dispatches a finding for checking, checks it,
 * and closes it (销号). A finding itself is computed from the registry (libs/projections/src/findings);
 * only what the office decides about it is recorded, one stream per finding.
 */
export const findingStream = (findingId: string) => `finding-${findingId}`;

// The statuses and the moves between them are the contract's table (libs/contract), shared with the web app.
export { FINDING_STATUSES, INITIAL_FINDING_STATUS };
export type { FindingStatus };

export const isFindingStatus = (s: unknown): s is FindingStatus => typeof s === 'string' && (FINDING_STATUSES as readonly string[]).includes(s);

export interface ChangeFindingStatus {
  findingId: string;
  status: FindingStatus;
  /** Why: what was checked, what was concluded. Required to close (销号) and to reopen or send back. */
  note?: string;
  /** The document the decision rests on (e.g. a 协调意见书), if any. */
  document?: DocumentRef;
  /** What the finding is (kind, region), copied in so that the raw history reads on its own. */
  kind?: string;
  regionCode?: string;
}

export interface FindingStatusChangedData extends ChangeFindingStatus {
  /** The status before this change. */
  from: FindingStatus;
}

export type FindingStatusChanged = DomainEvent<'FindingStatusChanged', FindingStatusChangedData>;
export type FindingEvent = FindingStatusChanged;

/**
 * Allowed moves (FINDING_TRANSITIONS). Closing without checking is refused, as the office's rule asks
 * (处置完成后提交销号申请，审核通过后方可销号).
 */
const TRANSITIONS = FINDING_TRANSITIONS;

/** Moves that must say why. */
const NOTE_REQUIRED = findingNoteRequired;

export const MAX_NOTE_LENGTH = MAX_FINDING_NOTE_LENGTH;

/** The status after these events (in recorded order, retracted ones already left out). */
export function findingStatusOf(events: FindingEvent[]): FindingStatus {
  let s: FindingStatus = INITIAL_FINDING_STATUS;
  for (const e of events) if (e.type === 'FindingStatusChanged') s = e.data.status;
  return s;
}

export function decideChangeFindingStatus(cmd: ChangeFindingStatus, history: FindingEvent[]): Decision<FindingEvent> {
  if (!isFindingStatus(cmd.status)) throw new DomainError('INVALID_STATUS', `状态应为 ${FINDING_STATUSES.join('、')} 之一`);
  const from = findingStatusOf(history);
  if (from === cmd.status) throw new DomainError('NOTHING_CHANGED', `发现 ${cmd.findingId} 已是「${from}」`, { status: from });
  if (!TRANSITIONS[from].includes(cmd.status)) {
    const hint = from === '待派发' && cmd.status === '已销号' ? '：须先派发核查（核查中），核查后方可销号' : `；可改为 ${TRANSITIONS[from].join('、')}`;
    throw new DomainError('INVALID_TRANSITION', `发现 ${cmd.findingId} 当前为「${from}」，不能直接改为「${cmd.status}」${hint}`, { from, to: cmd.status, allowed: TRANSITIONS[from] });
  }
  const note = cmd.note?.trim();
  if (NOTE_REQUIRED(from, cmd.status) && !note) {
    throw new DomainError('NOTE_REQUIRED', `由「${from}」改为「${cmd.status}」须填写说明（核查结论或退回、重新核查的理由）`, { from, to: cmd.status });
  }
  if (note && note.length > MAX_NOTE_LENGTH) throw new DomainError('NOTE_TOO_LONG', `说明不能超过 ${MAX_NOTE_LENGTH} 字`);
  const data: FindingStatusChangedData = { findingId: cmd.findingId, status: cmd.status, from };
  if (note) data.note = note;
  if (cmd.document) data.document = cmd.document;
  if (cmd.kind) data.kind = cmd.kind;
  if (cmd.regionCode) data.regionCode = cmd.regionCode;
  return decided([{ type: 'FindingStatusChanged', data }]);
}
