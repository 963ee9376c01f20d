import type { DocumentRef } from './common';
import type { EditionSummary } from './editions';
import type { Owner, OwnershipAnswer } from './ownership';

/** GET /api/disputes/report (format=json; format=html prints the same): the evidence for who was responsible on a date. */
export interface EvolutionStep {
  recordedAt: string;
  eventId: string;
  type: string;
  /** The event type in Chinese. */
  typeLabel: string;
  effectiveFrom?: string;
  document?: DocumentRef;
  reason?: string;
  actor?: string;
  retracts?: string;
  status: string;
  statusLabel: string;
  owners: string[];
  changedTheAnswer: boolean;
  /**
   * Part of the original record of the item in the region (the catalogue definition, the first entry of
   * the list and what was recorded with it), not a correction of it, however late it was recorded.
   */
  original: boolean;
  /** Recorded after the as-recorded instant, not part of a back-filled original record, and it changed the answer for the day. */
  correction: boolean;
}

export type LabelledOwner = Owner & { roleLabel: string };
export interface LabelledAnswer extends Omit<OwnershipAnswer, 'owners'> {
  owners: LabelledOwner[];
  statusLabel: string;
}
export interface PublishedAnswer extends LabelledAnswer {
  /** The edition in force on the day as published then; null: no edition had been published and in effect by then. */
  edition: EditionSummary | null;
}

export interface DisputeReport {
  title: string;
  question: { region: string; regionName: string; item: string; itemName: string; at: string; asKnownAt: string };
  generatedAt: string;
  chainHead: { position: number; hash: string } | null;
  itemVersion: { code: string; name: string; type: string; basis: string[]; levels: string[]; levelLabels: string[]; from: string; retired: boolean; document: DocumentRef } | null;
  /** As published then: the edition in force on the day (latest with publishedOn ≤ at and effectiveFrom ≤ at). */
  asPublishedThen: PublishedAnswer;
  /** As recorded then: what the registry said about the day at `question.asKnownAt` (default the end of the day, China time). */
  asRecordedOnTheDay: LabelledAnswer;
  asKnownNow: LabelledAnswer;
  /** As recorded then ≠ as known now. */
  answersDiffer: boolean;
  /** As published then ≠ as known now (null without an edition in force). */
  publishedDiffers: boolean | null;
  /** Nothing (or not the item's original record) had been recorded by the as-recorded instant: the registry was filled in later. */
  backFilled: boolean;
  evolution: EvolutionStep[];
  /** The owners' 三定 duties: the ones the list entry cites (`cited`), or, where it cites none, every duty of the 三定 in force. */
  duties: Array<{ departmentId: string; departmentName: string; dutyId: string; text: string; organ?: string; cited: boolean; sandingFrom: string; sandingDocument: DocumentRef }>;
  boundaryClauses: Array<{ clauseId: string; matter: string; leadDepartmentId: string; assistingDepartmentIds: string[]; effectiveFrom: string; document: DocumentRef; recordedAt: string }>;
  documents: Array<DocumentRef & { citedFor: string[] }>;
  /** Only what, recorded after the as-recorded instant, changed the answer for the day (not the original record of a back-filled registry). */
  corrections: EvolutionStep[];
  /** The Chinese names of every code the report uses. */
  labels: { statuses: Record<string, string>; roles: Record<string, string>; levels: Record<string, string>; eventTypes: Record<string, string> };
}
