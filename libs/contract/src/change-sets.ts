import type { DocumentRef, Warning } from './common';
import type { FindingKind } from './findings';
import type { ListDiff } from './list';

/** 调整方案 statuses: draft → submitted → approved → published; returned (to the drafter); withdrawn. */
export type ChangeSetStatus = 'draft' | 'submitted' | 'approved' | 'returned' | 'published' | 'withdrawn';

/** A numbered edition asked for at publication (`edition` of POST …/publish). */
export interface EditionRequest {
  number: string;
  title?: string;
  effectiveFrom?: string;
}

/** GET /api/change-sets/{id} (and each of GET /api/change-sets' `changeSets`). */
export interface ChangeSetView {
  id: string;
  regionCode: string;
  title: string;
  status: ChangeSetStatus;
  document: DocumentRef | null;
  /** The commands held, in index order: the HTTP route each stands for, its body, what it warned when added. */
  commands: Array<{ index: number; route: string; name: string; body: Record<string, unknown>; warnings: Warning[] }>;
  history: Array<{ status: ChangeSetStatus; note?: string; recordedAt: string; actor?: string }>;
  /** Version of the change set's stream (If-Match / expectedVersion of its next step). */
  version: number;
  openedAt: string;
  updatedAt: string;
  published: { document: DocumentRef; publishedOn: string; eventIds: string[]; edition: EditionRequest | null; recordedAt: string } | null;
}

/** GET /api/change-sets */
export interface ChangeSetsAnswer {
  changeSets: ChangeSetView[];
}

/** Every step of a change set's life (open, drop, submit, review, withdraw). */
export interface ChangeSetStep {
  id: string;
  status: ChangeSetStatus;
  version: number;
  eventIds: string[];
  recordedAt: string;
}

/** A command sent with `?changeSet=<id>` (202): added to the draft, not in force. */
export interface ChangeSetAdded {
  changeSet: string;
  index: number;
  warnings: Warning[];
  version: number;
}

/** A held command that no longer applies (CHANGESET_STALE's `details.commands`, preview's `stale`). */
export interface StaleCommand {
  index: number;
  route: string;
  name: string;
  item?: string;
  code: string;
  message: string;
}

export interface PreviewFinding {
  id: string;
  kind: FindingKind;
  severity?: 'red' | 'blue';
  lead: boolean;
  title: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [detail: string]: any;
}

/** GET /api/change-sets/{id}/preview: the region as it would be after publishing. */
export interface ChangeSetPreviewAnswer {
  id: string;
  status: ChangeSetStatus;
  version: number;
  region: string;
  at: string;
  diff: Pick<ListDiff, 'added' | 'removed' | 'transferred' | 'revised' | 'leadAdded'>;
  findings: { opened: PreviewFinding[]; closed: PreviewFinding[] };
  tookMs: { facts: number; list: number; findings: number };
  stale: StaleCommand[];
}

/** POST /api/change-sets/{id}/publish */
export interface ChangeSetPublication {
  id: string;
  status: 'published';
  version: number;
  eventIds: string[];
  recordedAt: string;
  edition: null | { number: string; publishedOn: string; effectiveFrom: string; contentAsKnownAt: string; hash: string; itemCount: number; eventIds: string[] };
}
