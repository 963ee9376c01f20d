import type { DocumentRef } from './common';

export const OWNERSHIP_STATUSES = ['owned', 'conflict', 'unowned', 'not-in-list'] as const;
export type OwnershipStatus = (typeof OWNERSHIP_STATUSES)[number];
export type HoldingRole = 'lead' | 'cooperating';

export interface Owner {
  departmentId: string;
  departmentName: string;
  role: HoldingRole;
  since: string;
  document: DocumentRef;
  eventId: string;
  /** False when the department did not exist on that date (abolished while still holding the item). */
  departmentActive: boolean;
}

/** GET /api/ownership */
export interface OwnershipAnswer {
  region: string;
  regionName: string;
  item: string;
  itemName: string;
  at: string;
  asKnownAt: string | null;
  status: OwnershipStatus;
  owners: Owner[];
  /** Delegated down (下放) to these child regions on that date. */
  delegatedTo?: string[];
  /** Received by delegation from this parent region. */
  receivedFrom?: string;
  /** False when the region or item had not been recorded at all by asKnownAt. */
  recorded?: boolean;
}
