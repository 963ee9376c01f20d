import type { DocumentRef } from './common';

export interface HistoryEntry {
  eventId: string;
  type: string;
  position: number;
  regionCode?: string;
  effectiveFrom?: string;
  recordedAt: string;
  document?: DocumentRef;
  reason?: string;
  /** The event's own data (who, what): its shape is the event type's (DOMAIN.md). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: Record<string, any>;
  /** Set when a later correction retracted this event. */
  retractedBy?: { eventId: string; recordedAt: string; reason: string; document: DocumentRef; actor?: string };
  /** Who recorded it: for reviewers and admins only. */
  actor?: string;
}

/** GET /api/items/:code/history */
export interface ItemHistory {
  item: string;
  region: string | null;
  events: HistoryEntry[];
}
