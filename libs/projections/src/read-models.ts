import { Projection } from './projection';
import { RegistryProjection } from './registry/registry.projection';
import { StaffingProjection } from './staffing/staffing.projection';
import { attachStaffing } from './staffing/staffing.findings';
import { EditionsProjection } from './editions/editions.projection';

/** The read models the runner feeds, made together so that the findings of one can see the others. */
export interface ReadModels {
  view: RegistryProjection;
  staffing: StaffingProjection;
  /** 年版: the editions of every region. */
  editions: EditionsProjection;
  projections: Projection[];
}

export function createReadModels(): ReadModels {
  const view = new RegistryProjection();
  const staffing = new StaffingProjection();
  const editions = new EditionsProjection();
  attachStaffing(view, staffing);
  return { view, staffing, editions, projections: [view, staffing, editions] };
}
