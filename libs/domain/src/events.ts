/**
 * Every event type of the domain, with its current schema version and the upcasters that bring
 * older stored shapes up to it. Types are string literals, never derived from class names.
 */
import { RegionEvent } from './regions/region';
import { CatalogEvent } from './catalog/catalog-item';
import { DepartmentEvent } from './departments/department';
import { AssignmentEvent } from './assignments/assignment';
import { BoundaryEvent } from './boundaries/boundary';
import { EventRetracted } from './retractions/retraction';
import { FindingEvent } from './findings/finding-status';
import { StaffingEvent } from './staffing/staffing';
import { EditionEvent } from './editions/edition';
import { ChangeSetEvent } from './change-sets/change-set';
import { ListRowsEvent } from './list-rows/list-row';

export type QuanzeEvent = RegionEvent | CatalogEvent | DepartmentEvent | AssignmentEvent | BoundaryEvent | EventRetracted | FindingEvent | StaffingEvent | EditionEvent | ChangeSetEvent | ListRowsEvent;
export type QuanzeEventType = QuanzeEvent['type'];

export const EVENT_SCHEMA_VERSIONS: Record<QuanzeEventType, number> = {
  RegionRegistered: 1,
  CatalogItemDefined: 1,
  CatalogItemRevised: 1,
  CatalogItemRetired: 1,
  DepartmentEstablished: 1,
  DepartmentRenamed: 1,
  DepartmentAbolished: 1,
  SandingIssued: 1,
  ItemAssigned: 2,
  ItemTransferred: 1,
  ItemWithdrawn: 1,
  ItemDelegated: 1,
  ItemReceived: 1,
  ItemRecalled: 1,
  ItemReturned: 1,
  BoundaryClauseAgreed: 1,
  EventRetracted: 1,
  FindingStatusChanged: 1,
  ActualStaffingReported: 1,
  EditionPublished: 1,
  ChangeSetOpened: 1,
  ChangeSetCommandAdded: 1,
  ChangeSetCommandDropped: 1,
  ChangeSetSubmitted: 1,
  ChangeSetReviewed: 1,
  ChangeSetPublished: 1,
  ChangeSetWithdrawn: 1,
  ListRowDuplicated: 1,
};

export const isQuanzeEventType = (t: string): t is QuanzeEventType => Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, t);

/** Upcasters: (type, from version) → data of version + 1. Pure functions of the old data. */
export const UPCASTERS: Partial<Record<QuanzeEventType, Record<number, (data: any) => any>>> = {
  ItemAssigned: {
    /**
     * v1 (the first importer's shape) wrote the document as its bare 文号 string and left `role` out
     * for a lead department. v2 has a DocumentRef object and an explicit role.
     */
    1: (d) => ({
      ...d,
      document: typeof d.document === 'string' ? { number: d.document } : d.document,
      role: d.role ?? 'lead',
    }),
  },
};

/** Brings stored data of any known version to the current shape. */
export function upcast(type: string, version: number, data: unknown): QuanzeEvent | undefined {
  if (!isQuanzeEventType(type)) return undefined;
  const target = EVENT_SCHEMA_VERSIONS[type];
  let d: any = data;
  for (let v = version; v < target; v++) {
    const up = UPCASTERS[type]?.[v];
    if (!up) throw new Error(`no upcaster for ${type} v${v} → v${v + 1}`);
    d = up(d);
  }
  if (version > target) throw new Error(`${type} v${version} is newer than this build knows (v${target})`);
  return { type, data: d } as QuanzeEvent;
}

/** A stored event (plain object from any store) in the current domain shape; undefined for types this build does not know. */
export function fromStored(e: { type: string; data: unknown; metadata?: Record<string, unknown> | null }): QuanzeEvent | undefined {
  return upcast(e.type, Number(e.metadata?.schemaVersion ?? 1), e.data);
}
