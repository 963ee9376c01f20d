import { Projection } from './projection';
import { RegistryProjection } from './registry/registry.projection';
import { StaffingProjection } from './staffing/staffing.projection';
import { attachStaffing } from './staffing/staffing.findings';

/** The read models the runner feeds, made together so that the findings of one can see the others. */
export interface ReadModels {
  view: RegistryProjection;
  staffing: StaffingProjection;
  projections: Projection[];
}

export function createReadModels(): ReadModels {
  const view = new RegistryProjection();
  const staffing = new StaffingProjection();
  attachStaffing(view, staffing);
  return { view, staffing, projections: [view, staffing] };
}
