/**
 * 调整方案 (change set): a region's batch of commands decided but not in force until it is published.
 * draft → submitted (editor) → approved | returned (reviewer, a note to return) → published (admin);
 * a returned change set is editable and may be submitted again; withdrawn from any status but
 * published. Commands are added and dropped only in draft or returned.
 *
 * Decider in Emmett's shape on the stream `changeset-<id>`: `initialChangeSetState`,
 * `evolveChangeSet(state, event)`, `decideChangeSet(command, state) → { events, warnings }`. The commands
 * it holds are data here (route, registry command name, body, the warnings they were added with): the
 * application decides them against the registry; the domain only keeps the draft's rules.
 */
import { DocumentRef, DomainError, IsoDate, Warning } from '../shared/types';
import { Decision, DomainEvent, decided } from '../shared/decider';

export const changeSetStream = (id: string) => `changeset-${id}`;
export const CHANGE_SET_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const CHANGE_SET_STATUSES = ['draft', 'submitted', 'approved', 'returned', 'published', 'withdrawn'] as const;
export type ChangeSetStatus = (typeof CHANGE_SET_STATUSES)[number];
export const CHANGE_SET_STATUS_ZH: Record<ChangeSetStatus, string> = { draft: '草稿', submitted: '已提交审核', approved: '审核通过', returned: '已退回', published: '已发布', withdrawn: '已撤回' };

/** A command held by a change set: which route it came by, which registry command, its body. */
export interface HeldCommand {
  index: number;
  /** e.g. `POST /api/regions/650200/items/X/assign`. */
  route: string;
  /** The registry command's name (`assignItem`, …). */
  name: string;
  body: Record<string, unknown>;
  warnings: Warning[];
  /** Who added it (absent in events recorded before 2026-12-04: the application takes the event's metadata actor). */
  by?: string;
}

/** Who did a step of the change set's life (absent in events recorded before 2026-12-04: see HeldCommand.by). */
export interface ByActor {
  by?: string;
}

export interface EditionRequest {
  number: string;
  title?: string;
  /** Default: the latest effective date of the commands, or the publication date if later. */
  effectiveFrom?: IsoDate;
}

// ---- events ----
export type ChangeSetOpened = DomainEvent<'ChangeSetOpened', { id: string; regionCode: string; title: string; document?: DocumentRef } & ByActor>;
export type ChangeSetCommandAdded = DomainEvent<'ChangeSetCommandAdded', HeldCommand>;
export type ChangeSetCommandDropped = DomainEvent<'ChangeSetCommandDropped', { index: number } & ByActor>;
export type ChangeSetSubmitted = DomainEvent<'ChangeSetSubmitted', { note?: string } & ByActor>;
export type ChangeSetReviewed = DomainEvent<'ChangeSetReviewed', { decision: 'approve' | 'return'; note: string } & ByActor>;
export type ChangeSetPublished = DomainEvent<'ChangeSetPublished', { document: DocumentRef; publishedOn: IsoDate; eventIds: string[]; edition?: EditionRequest } & ByActor>;
export type ChangeSetWithdrawn = DomainEvent<'ChangeSetWithdrawn', { note?: string } & ByActor>;
export type ChangeSetEvent = ChangeSetOpened | ChangeSetCommandAdded | ChangeSetCommandDropped | ChangeSetSubmitted | ChangeSetReviewed | ChangeSetPublished | ChangeSetWithdrawn;

// ---- commands ----
/**
 * 四眼原则: every step names its actor (the command's `actor`, recorded as the event's `by`); the reviewer
 * may not be one who opened, edited or submitted the change set, and the publisher may not be one who both
 * drafted and approved it.
 */
interface Acting {
  actor: string;
}
export interface OpenChangeSet extends Acting {
  kind: 'open';
  id: string;
  regionCode: string;
  title: string;
  document?: DocumentRef;
}
export interface AddToChangeSet extends Acting {
  kind: 'add';
  route: string;
  name: string;
  body: Record<string, unknown>;
  /** What deciding it (on top of the draft's earlier commands) warned. */
  warnings: Warning[];
  /** The command's own regionCode, when it has one (must be the change set's region). */
  regionCode?: string;
}
export interface DropFromChangeSet extends Acting {
  kind: 'drop';
  index: number;
}
export interface SubmitChangeSet extends Acting {
  kind: 'submit';
  note?: string;
}
export interface ReviewChangeSet extends Acting {
  kind: 'review';
  decision: 'approve' | 'return';
  note?: string;
}
export interface PublishChangeSet extends Acting {
  kind: 'publish';
  document: DocumentRef;
  publishedOn: IsoDate;
  /** Ids the events of the commands will have in the same append. */
  eventIds: string[];
  edition?: EditionRequest;
}
export interface WithdrawChangeSet extends Acting {
  kind: 'withdraw';
  note?: string;
}
export type ChangeSetCommand = OpenChangeSet | AddToChangeSet | DropFromChangeSet | SubmitChangeSet | ReviewChangeSet | PublishChangeSet | WithdrawChangeSet;

// ---- state ----
export interface ChangeSetState {
  id?: string;
  regionCode?: string;
  title?: string;
  document?: DocumentRef;
  status?: ChangeSetStatus;
  /** The commands held, in index order (dropped ones left out). */
  commands: HeldCommand[];
  /** The next index to give (indexes are never reused). */
  nextIndex: number;
  /** Everyone who opened it, added or dropped a command, or submitted it (四眼原则: none of them may review it). */
  drafters: string[];
  /** Who approved it (the latest approval). */
  approvedBy?: string;
}

export const initialChangeSetState: ChangeSetState = { commands: [], nextIndex: 0, drafters: [] };

const drafted = (state: ChangeSetState, by: string | undefined): string[] => (by && !state.drafters.includes(by) ? [...state.drafters, by] : state.drafters);

export function evolveChangeSet(state: ChangeSetState, event: ChangeSetEvent): ChangeSetState {
  switch (event.type) {
    case 'ChangeSetOpened':
      return { ...state, id: event.data.id, regionCode: event.data.regionCode, title: event.data.title, document: event.data.document, status: 'draft', drafters: drafted(state, event.data.by) };
    case 'ChangeSetCommandAdded':
      return { ...state, commands: [...state.commands, event.data], nextIndex: Math.max(state.nextIndex, event.data.index + 1), drafters: drafted(state, event.data.by) };
    case 'ChangeSetCommandDropped':
      return { ...state, commands: state.commands.filter((c) => c.index !== event.data.index), drafters: drafted(state, event.data.by) };
    case 'ChangeSetSubmitted':
      return { ...state, status: 'submitted', drafters: drafted(state, event.data.by) };
    case 'ChangeSetReviewed': {
      const approve = event.data.decision === 'approve';
      return { ...state, status: approve ? 'approved' : 'returned', approvedBy: approve ? event.data.by : undefined };
    }
    case 'ChangeSetPublished':
      return { ...state, status: 'published' };
    case 'ChangeSetWithdrawn':
      return { ...state, status: 'withdrawn' };
    default:
      return state;
  }
}

export const isEditable = (s: ChangeSetState) => s.status === 'draft' || s.status === 'returned';

const NOTE_MAX = 2000;
const badStatus = (s: ChangeSetState, action: string, allowed: ChangeSetStatus[]) =>
  new DomainError('CHANGESET_BAD_STATUS', `调整方案${s.id ? ` ${s.id}` : ''}当前为「${CHANGE_SET_STATUS_ZH[s.status!]}」，不能${action}（须为${allowed.map((a) => `「${CHANGE_SET_STATUS_ZH[a]}」`).join('或')}）`, {
    status: s.status,
    allowed,
  });

export function decideChangeSet(cmd: ChangeSetCommand, state: ChangeSetState): Decision<ChangeSetEvent> {
  if (cmd.kind === 'open') {
    if (state.status) throw new DomainError('CHANGESET_EXISTS', `调整方案 ${cmd.id} 已存在`, { id: cmd.id });
    if (!CHANGE_SET_ID_RE.test(cmd.id)) throw new DomainError('CHANGESET_ID', `调整方案编号「${cmd.id}」无效`);
    const title = cmd.title?.trim();
    if (!title) throw new DomainError('CHANGESET_TITLE', '调整方案须有标题（title）');
    return decided([{ type: 'ChangeSetOpened', data: { id: cmd.id, regionCode: cmd.regionCode, title, ...(cmd.document ? { document: cmd.document } : {}), by: cmd.actor } }]);
  }
  if (!state.status) throw new DomainError('UNKNOWN_CHANGESET', '调整方案不存在');
  switch (cmd.kind) {
    case 'add': {
      if (!isEditable(state)) throw new DomainError('CHANGESET_NOT_EDITABLE', `调整方案当前为「${CHANGE_SET_STATUS_ZH[state.status]}」，只有草稿或已退回的方案可以增删命令`, { status: state.status });
      if (cmd.regionCode !== undefined && cmd.regionCode !== state.regionCode) {
        throw new DomainError('CHANGESET_REGION', `调整方案属于区划 ${state.regionCode}，不能加入区划 ${cmd.regionCode} 的命令`, { regionCode: state.regionCode, commandRegion: cmd.regionCode });
      }
      return decided([{ type: 'ChangeSetCommandAdded', data: { index: state.nextIndex, route: cmd.route, name: cmd.name, body: cmd.body, warnings: cmd.warnings, by: cmd.actor } }], cmd.warnings);
    }
    case 'drop': {
      if (!isEditable(state)) throw new DomainError('CHANGESET_NOT_EDITABLE', `调整方案当前为「${CHANGE_SET_STATUS_ZH[state.status]}」，只有草稿或已退回的方案可以增删命令`, { status: state.status });
      if (!state.commands.some((c) => c.index === cmd.index)) throw new DomainError('CHANGESET_NO_COMMAND', `调整方案中没有第 ${cmd.index} 条命令`, { index: cmd.index });
      return decided([{ type: 'ChangeSetCommandDropped', data: { index: cmd.index, by: cmd.actor } }]);
    }
    case 'submit': {
      if (!isEditable(state)) throw badStatus(state, '提交审核', ['draft', 'returned']);
      if (state.commands.length === 0) throw new DomainError('CHANGESET_EMPTY', '调整方案中没有任何命令，不能提交审核');
      return decided([{ type: 'ChangeSetSubmitted', data: { ...note(cmd.note), by: cmd.actor } }]);
    }
    case 'review': {
      if (state.status !== 'submitted') throw badStatus(state, '审核', ['submitted']);
      if (cmd.decision !== 'approve' && cmd.decision !== 'return') throw new DomainError('CHANGESET_DECISION', 'decision 应为 approve（通过）或 return（退回）');
      const text = cmd.note?.trim() ?? '';
      if (cmd.decision === 'return' && !text) throw new DomainError('CHANGESET_NOTE_REQUIRED', '退回调整方案须写明理由（note）');
      if (text.length > NOTE_MAX) throw new DomainError('CHANGESET_NOTE', `说明不超过 ${NOTE_MAX} 字`);
      if (state.drafters.includes(cmd.actor)) {
        throw new DomainError('CHANGESET_SELF_REVIEW', `四眼原则：${cmd.actor} 起草、修改或提交了该调整方案，不能由其本人${cmd.decision === 'approve' ? '审核通过' : '退回'}；请由另一名审核人审核`, { actor: cmd.actor, drafters: state.drafters });
      }
      return decided([{ type: 'ChangeSetReviewed', data: { decision: cmd.decision, note: text, by: cmd.actor } }]);
    }
    case 'publish': {
      if (state.status !== 'approved') throw badStatus(state, '发布', ['approved']);
      if (!cmd.document?.number?.trim()) throw new DomainError('CHANGESET_DOCUMENT', '发布调整方案须有文号（document.number）');
      if (state.approvedBy === cmd.actor && state.drafters.includes(cmd.actor)) {
        throw new DomainError('CHANGESET_SELF_REVIEW', `四眼原则：${cmd.actor} 既起草又审核通过了该调整方案，不能再由其本人发布；请退回后由另一名审核人审核，或由他人发布`, { actor: cmd.actor });
      }
      return decided([{ type: 'ChangeSetPublished', data: { document: cmd.document, publishedOn: cmd.publishedOn, eventIds: cmd.eventIds, ...(cmd.edition ? { edition: cmd.edition } : {}), by: cmd.actor } }]);
    }
    case 'withdraw': {
      if (state.status === 'published' || state.status === 'withdrawn') throw badStatus(state, '撤回', ['draft', 'submitted', 'approved', 'returned']);
      return decided([{ type: 'ChangeSetWithdrawn', data: { ...note(cmd.note), by: cmd.actor } }]);
    }
  }
}

function note(n: string | undefined): { note?: string } {
  const t = n?.trim();
  if (t && t.length > NOTE_MAX) throw new DomainError('CHANGESET_NOTE', `说明不超过 ${NOTE_MAX} 字`);
  return t ? { note: t } : {};
}

/** The status a change-set event leads to (undefined: the event changes no status). */
export function statusAfter(e: ChangeSetEvent): ChangeSetStatus | undefined {
  switch (e.type) {
    case 'ChangeSetOpened':
      return 'draft';
    case 'ChangeSetSubmitted':
      return 'submitted';
    case 'ChangeSetReviewed':
      return e.data.decision === 'approve' ? 'approved' : 'returned';
    case 'ChangeSetPublished':
      return 'published';
    case 'ChangeSetWithdrawn':
      return 'withdrawn';
    default:
      return undefined;
  }
}
