import type { DocumentRef } from './common';

/** A finding kind (`conflict`, `similar`, …): the server's finding families declare them, so any string. */
export type FindingKind = string;

/** The findings ledger (预警台账). Every finding starts 待派发 (computed, not yet dispatched). */
export const FINDING_STATUSES = ['待派发', '核查中', '已销号'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const INITIAL_FINDING_STATUS: FindingStatus = '待派发';

/**
 * Allowed moves: 待派发 → 核查中 (dispatched); 核查中 → 已销号 (closed after checking, with the conclusion);
 * 核查中 → 待派发 (sent back); 已销号 → 核查中 (reopened). The domain decides by this table; the web app
 * offers the same moves.
 */
export const FINDING_TRANSITIONS: Readonly<Record<FindingStatus, readonly FindingStatus[]>> = {
  待派发: ['核查中'],
  核查中: ['已销号', '待派发'],
  已销号: ['核查中'],
};

/** Moves that must say why (a note): closing, reopening, sending back. */
export const findingNoteRequired = (from: FindingStatus, to: FindingStatus): boolean => to === '已销号' || from === '已销号' || (from === '核查中' && to === '待派发');

export const MAX_FINDING_NOTE_LENGTH = 2000;

export interface FindingStatusChange {
  status: FindingStatus;
  from: FindingStatus;
  note?: string;
  document?: DocumentRef;
  recordedAt: string;
  eventId: string;
  /** Who changed it: shown to reviewers and admins only. */
  actor?: string;
}

/** A finding's state when a boundary clause settles it (and it is not closed). */
export const SETTLED_STATE = '已由职责分工解决';

/** One finding: common fields and its kind's explanation (any further fields). */
export interface Finding {
  id: string;
  kind: FindingKind;
  region: string;
  regions: string[];
  /** One line in Chinese: what is wrong. */
  title: string;
  /** The unbroken date range around `at` over which the finding holds ([from, until)). */
  from: string;
  until?: string;
  holds: Array<{ from: string; until?: string }>;
  status: FindingStatus;
  /** red 合规类 / blue 资源效益类. */
  severity?: 'red' | 'blue';
  /** A 线索 (lead): its kind's precision is below the ledger's bar; listed apart. */
  lead?: boolean;
  history?: FindingStatusChange[];
  /** The kind's own explanation (docs/findings.md): any shape. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [detail: string]: any;
}

/** GET /api/findings */
export interface LedgerAnswer {
  region: string;
  regionName: string | null;
  at: string;
  asKnownAt: string | null;
  counts: {
    total: number;
    byKind: Partial<Record<FindingKind, number>>;
    byStatus: Record<FindingStatus, number>;
    /** byStatus with the findings a 职责分工 clause settles counted apart. */
    byState?: Record<FindingStatus | typeof SETTLED_STATE, number>;
    settled?: number;
    bySeverity?: { red: number; blue: number };
    leads?: { total: number; byKind: Partial<Record<FindingKind, number>> };
  };
  byDepartment?: Array<{ departmentId: string; departmentName: string; total: number; red: number; blue: number; settled: number; byKind: Partial<Record<FindingKind, number>>; findingIds: string[] }>;
  computedInMs: number;
  findings: Finding[];
}

export interface CoverageRow {
  departmentId: string;
  departmentName: string;
  duties: number;
  dutiesWithItems: number;
  items: number;
  itemsWithDuties: number;
  dutyCoverage: number | null;
  itemCoverage: number | null;
}

/** GET /api/gaps */
export interface GapsAnswer {
  region: string;
  regionName: string | null;
  at: string;
  asKnownAt: string | null;
  unowned: Finding[];
  'abolished-holder': Finding[];
  'no-sanding': Finding[];
  'unapproved-duty': Finding[];
  'duty-deviation': Finding[];
  'duty-missing': Finding[];
  coverage: Record<string, CoverageRow>;
}
