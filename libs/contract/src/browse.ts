import type { PublishedColumns } from './list';
import type { DocumentRef } from './common';

/** A 三定 (定职能、定机构、定编制) version as recorded. */
export interface SandingVersion {
  id: string;
  duties: Array<{ id: string; text: string }>;
  internalOrgans: Array<{ id: string; name: string; duties: Array<{ id: string; text: string }> }>;
  staffing: {
    authorized: number;
    leaders: number;
    categories?: Partial<Record<'行政编制' | '事业编制' | '工勤编制', number>>;
    leaderPosts?: Record<string, number>;
    nature?: '行政机关' | '参公事业单位' | '事业单位';
  };
  effectiveFrom: string;
  document: DocumentRef;
  reason?: string;
}

/** GET /api/departments/{id}: a department on a date, its 三定 in force and the items it holds. */
export interface DepartmentView {
  id: string;
  name: string;
  regionCode: string;
  regionName: string;
  at: string;
  asKnownAt: string | null;
  status: 'active' | 'abolished' | 'not-yet-established';
  establishedOn: string;
  abolishedOn?: string;
  successorId?: string;
  names: Array<{ name: string; from: string }>;
  sanding: (SandingVersion & { from: string }) | null;
  sandingVersions: Array<{ from: string; document: DocumentRef }>;
  /** published: the list's own columns of the row as this department's holding words them (责任事项, 追责情形 …). */
  items: Array<{ regionCode: string; itemCode: string; itemName: string; type: string; role: string; since: string; document: { number: string }; dutyIds?: string[]; published?: PublishedColumns }>;
}

/** GET /api/items/{code}/timeline: one lane per department with the intervals it held the item. */
export interface ItemTimeline {
  item: string;
  itemName: string;
  region: string;
  regionName: string;
  asKnownAt: string | null;
  catalogue: Array<{ from: string; name: string; type: string; retired: boolean; document: DocumentRef }>;
  lanes: Array<{
    departmentId: string;
    departmentName: string;
    /** `to`: exclusive end on the valid axis; null: still in force. */
    segments: Array<{ from: string; to: string | null; role: 'lead' | 'cooperating'; document: DocumentRef; eventId: string }>;
  }>;
  delegations: Array<{ from: string; to: string | null; regions: string[] }>;
  received: Array<{ from: string; to: string | null; fromRegion: string }>;
  dates: string[];
}

/** GET /api/findings/progress: where a region's findings computation is. */
export interface FindingsProgressAnswer {
  region: string;
  asKnownAt: string | null;
  state: 'not-started' | 'computing' | 'ready' | 'failed';
  startedAt?: string;
  elapsedMs?: number;
  progress?: { families: number; familiesDone: number; family: string; steps: number };
  longestSliceMs?: number;
  longestSliceAt?: string;
  error?: string;
}
