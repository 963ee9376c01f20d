import {
  DepartmentEvent,
  NotFoundError,
  ReportActualStaffing,
  StaffingEvent,
  Warning,
  decideReportActualStaffing,
  departmentStream,
  evolveActualStaffing,
  fold,
  initialActualStaffingState,
  staffingStream,
} from '../../../domain/src';
import { WriteSession } from '../session';

/** 定编制: the actual staff of a department from a date, decided on its own stream and its staffing stream. */
export async function reportActualStaffing(s: WriteSession, cmd: ReportActualStaffing): Promise<Warning[]> {
  const department = await s.events<DepartmentEvent>(departmentStream(cmd.departmentId));
  if (department.length === 0) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${cmd.departmentId} 不存在`);
  const own = await s.events<StaffingEvent>(staffingStream(cmd.departmentId));
  const d = decideReportActualStaffing(cmd, fold(evolveActualStaffing, initialActualStaffingState, [...department, ...own]));
  s.record(staffingStream(cmd.departmentId), d.events, d.warnings);
  return d.warnings;
}
