import type { Owner, OwnershipStatus } from './ownership';

/** 四级四同: where a list's own wording differs from the catalogue in force. */
export interface Deviation {
  field: string;
  catalogue: string | string[];
  list: string | string[];
}

export interface ListItem {
  code: string;
  name: string;
  type: string;
  basis: string[];
  levels: string[];
  status: OwnershipStatus;
  owners: Owner[];
  deviations: Deviation[];
  conforms: boolean;
  receivedFrom?: string;
  retiredInCatalogue: boolean;
  lastChange?: string;
  /** The list's own columns of the row as published (责任事项, 追责情形, 承办机构 …), the lead holding's, when the list words them. */
  published?: PublishedColumns;
}

/** The columns of a published row beyond the item's name, type and basis: column header → cell text, and the 子项 it is. */
export interface PublishedColumns {
  fields?: Record<string, string>;
  subItem?: string;
}

/** GET /api/lists */
export interface RegionList {
  region: string;
  regionName: string;
  level: string;
  at: string;
  asKnownAt: string | null;
  items: ListItem[];
  counts: { items: number; byType: Record<string, number>; conflict: number; unowned: number; deviating: number };
}

/** GET /api/lists/diff */
export interface ListDiff {
  region: string;
  from: string;
  to: string;
  asKnownAt: string | null;
  added: Array<{ code: string; name: string; owners: string[] }>;
  removed: Array<{ code: string; name: string; owners: string[] }>;
  transferred: Array<{ code: string; name: string; from: string[]; to: string[] }>;
  /** A lead added beside the existing one(s) (a 职责交叉, not a transfer): the leads before, the ones added. */
  leadAdded: Array<{ code: string; name: string; leads: string[]; added: string[]; conflict: true }>;
  revised: Array<{ code: string; name: string; fields: string[]; before: Record<string, unknown>; after: Record<string, unknown> }>;
}
