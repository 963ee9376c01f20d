/**
 * The server's answers must fit the types-only contract (libs/contract) the web app reads them by: each
 * line below fails `npm run typecheck` when a query's answer type stops fitting its contract type.
 * Nothing here runs.
 */
import type * as C from '../../../../libs/contract/src';
import type * as P from '../../../../libs/projections/src';
import type * as F from '../../../../libs/projections/src/findings';
import type { CommandResult } from '../../../../libs/application/src';
import type { ChangeSetsController } from '../change-sets/change-sets.controller';
import type { AcceptedIntoChangeSet } from '../change-sets/accepted';
import type { FindingsController } from '../findings/findings.controller';
import type { EditionsController } from '../editions/editions.controller';
import type { ImportsController } from '../imports/imports.controller';

type Answer<C, K extends keyof C> = C[K] extends (...a: any[]) => infer R ? Awaited<R> : never;
type CS = ChangeSetsController;

type Fits<A, B> = [A] extends [B] ? true : false;

export const answersFitTheContract: [
  Fits<P.OwnershipAnswer, C.OwnershipAnswer>,
  Fits<P.RegionList, C.RegionList>,
  Fits<P.ListDiff, C.ListDiff>,
  Fits<P.HistoryEntry, C.HistoryEntry>,
  Fits<ReturnType<typeof P.itemHistory>, C.ItemHistory>,
  Fits<F.Finding, C.Finding>,
  Fits<F.LedgerAnswer, C.LedgerAnswer>,
  Fits<F.GapsAnswer, C.GapsAnswer>,
  Fits<CommandResult, C.CommandResult>,
  Fits<ReturnType<typeof P.regionStaffing>, C.RegionStaffing>,
  Fits<NonNullable<ReturnType<typeof P.staffingHistory>>, C.StaffingHistory>,
  Fits<ReturnType<typeof P.regionEditions>, C.RegionEditions>,
  Fits<P.EditionList, C.EditionList>,
  Fits<P.EditionDiff, C.EditionDiff>,
  Fits<ReturnType<typeof P.publicRegions>, C.PublicRegions>,
  Fits<ReturnType<typeof P.publicEditions>, C.PublicEditions>,
  Fits<ReturnType<typeof P.publicList>, C.PublicList>,
  Fits<ReturnType<typeof P.publicItemHistory>, C.PublicItemHistory>,
  Fits<P.ChangeSetView, C.ChangeSetView>,
  Fits<Answer<CS, 'list'>, C.ChangeSetsAnswer>,
  Fits<Answer<CS, 'open'>, C.ChangeSetStep>,
  Fits<Answer<CS, 'drop'>, C.ChangeSetStep>,
  Fits<Answer<CS, 'review'>, C.ChangeSetStep>,
  Fits<Answer<CS, 'preview'>, C.ChangeSetPreviewAnswer>,
  Fits<Answer<CS, 'publish'>, C.ChangeSetPublication>,
  Fits<AcceptedIntoChangeSet['body'], C.ChangeSetAdded>,
  Fits<ReturnType<typeof P.departmentView>, C.DepartmentView>,
  Fits<ReturnType<typeof P.itemTimeline>, C.ItemTimeline>,
  Fits<ReturnType<typeof F.overlaps>, C.Finding[]>,
  Fits<ReturnType<typeof F.conformance>, C.Finding[]>,
  Fits<Answer<FindingsController, 'progress'>, C.FindingsProgressAnswer>,
  Fits<Answer<EditionsController, 'publish'>, C.EditionPublication>,
  Fits<Answer<ImportsController, 'import'>, C.ImportAnswer | C.ImportDryRunAnswer>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
