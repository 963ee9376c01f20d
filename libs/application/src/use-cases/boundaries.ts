import { AgreeBoundaryClause, BoundaryEvent, Warning, boundaryStream, decideAgreeBoundaryClause } from '../../../domain/src';
import { WriteSession } from '../session';
import { catalogEvents, departmentStates, regionState } from './state';

export async function agreeBoundaryClause(s: WriteSession, cmd: AgreeBoundaryClause): Promise<Warning[]> {
  const stream = boundaryStream(cmd.regionCode, cmd.clauseId);
  const own = await s.events<BoundaryEvent>(stream);
  const departments = await departmentStates(s, [cmd.leadDepartmentId, ...cmd.assistingDepartmentIds]);
  const unknownItems: string[] = [];
  for (const code of cmd.itemCodes ?? []) if ((await catalogEvents(s, code)).length === 0) unknownItems.push(code);
  const d = decideAgreeBoundaryClause(cmd, { existing: own.length > 0, region: await regionState(s, cmd.regionCode), departments, unknownItems });
  s.record(stream, d.events, d.warnings);
  return d.warnings;
}
