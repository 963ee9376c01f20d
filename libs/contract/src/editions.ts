import type { DocumentRef } from './common';
import type { ListDiff, RegionList } from './list';

/** 年版: a region's list as published (GET /api/regions/{code}/editions). */
export interface EditionSummary {
  number: string;
  title?: string;
  document: DocumentRef;
  publishedOn: string;
  effectiveFrom: string;
  recordedAt: string;
  contentAsKnownAt: string;
  itemCount: number;
  hash: string;
  changeSetId?: string;
  eventId: string;
}

export interface RegionEditions {
  region: string;
  regionName: string;
  editions: EditionSummary[];
}

/** GET /api/regions/{code}/list?edition= */
export interface EditionList extends RegionList {
  edition: EditionSummary & { hashValid: boolean };
}

/** GET /api/regions/{code}/list/diff?fromEdition=&toEdition= */
export interface EditionDiff extends Pick<ListDiff, 'added' | 'removed' | 'transferred' | 'leadAdded' | 'revised'> {
  region: string;
  fromEdition: EditionSummary;
  toEdition: EditionSummary;
}

// ——— 公示: GET /api/public/… (no token; published editions only) ———

export interface PublicEdition {
  number: string;
  title?: string;
  document: DocumentRef;
  publishedOn: string;
  effectiveFrom: string;
  itemCount: number;
  hash: string;
}

export interface PublicItem {
  code: string;
  name: string;
  type: string;
  basis: string[];
  levels: string[];
  departments: Array<{ name: string; role: string }>;
  /** The published wording (the columns of the published row) where the list has one. */
  published?: unknown;
}

/** GET /api/public/regions */
export interface PublicRegions {
  regions: Array<{ code: string; name: string; level: string; editions: number; latest: PublicEdition }>;
}

/** GET /api/public/regions/{code}/editions */
export interface PublicEditions {
  region: string;
  regionName: string;
  editions: PublicEdition[];
}

/** GET /api/public/regions/{code}/list?edition=&department=&q= */
export interface PublicList {
  region: string;
  regionName: string;
  edition: PublicEdition;
  departments: Array<{ name: string; count: number }>;
  byType: Record<string, number>;
  total: number;
  items: PublicItem[];
}

/** GET /api/public/items/{code}?region= */
export interface PublicItemHistory {
  region: string;
  regionName: string;
  item: string;
  editions: Array<{ edition: PublicEdition; item: PublicItem | null }>;
}

/** POST /api/regions/{code}/editions: the command's answer and the edition as declared. */
export interface EditionPublication {
  eventIds: string[];
  recordedAt: string;
  streamVersion: number;
  warnings?: Array<{ code: string; message: string; details?: Record<string, unknown> }>;
  edition: { number: string; publishedOn: string; effectiveFrom: string; contentAsKnownAt: string; hash: string; itemCount: number };
}
