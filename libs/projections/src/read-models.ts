import { Projection } from './projection';
import { RegistryProjection } from './registry/registry.projection';
import { StaffingProjection } from './staffing/staffing.projection';
import { attachStaffing } from './staffing/staffing.findings';
import { EditionsProjection } from './editions/editions.projection';
import { ChangeSetsProjection } from './change-sets/change-sets.projection';

/** The read models the runner feeds, made together so that the findings of one can see the others. */
export interface ReadModels {
  view: RegistryProjection;
  staffing: StaffingProjection;
  /** 年版: the editions of every region. */
  editions: EditionsProjection;
  /** 调整方案: the change sets (drafts, review, publication) of every region. */
  changeSets: ChangeSetsProjection;
  projections: Projection[];
}

export function createReadModels(): ReadModels {
  const view = new RegistryProjection();
  const staffing = new StaffingProjection();
  const editions = new EditionsProjection();
  const changeSets = new ChangeSetsProjection();
  attachStaffing(view, staffing);
  return { view, staffing, editions, changeSets, projections: [view, staffing, editions, changeSets] };
}
