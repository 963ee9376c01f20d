import {
  AbolishDepartment,
  EntryFacts,
  EstablishDepartment,
  IssueSandingCommand,
  NotFoundError,
  RenameDepartment,
  Warning,
  decideAbolishDepartment,
  decideEstablishDepartment,
  decideIssueSanding,
  decideRenameDepartment,
  departmentStream,
  DepartmentState,
} from '../../../domain/src';
import { WriteSession } from '../session';
import { departmentState, entryFacts, regionState } from './state';

/** Where to look for the list entries a department holds (a read model; the streams are re-read to decide). */
export interface HoldingsIndex {
  entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }>;
}

export async function establishDepartment(s: WriteSession, cmd: EstablishDepartment): Promise<Warning[]> {
  const d = decideEstablishDepartment(cmd, await departmentState(s, cmd.id), await regionState(s, cmd.regionCode));
  s.record(departmentStream(cmd.id), d.events, d.warnings);
  return d.warnings;
}

async function requireDepartment(s: WriteSession, id: string): Promise<DepartmentState> {
  const state = await departmentState(s, id);
  if (!state) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${id} 不存在`);
  return state;
}

export async function renameDepartment(s: WriteSession, cmd: RenameDepartment): Promise<Warning[]> {
  const d = decideRenameDepartment(cmd, await requireDepartment(s, cmd.id));
  s.record(departmentStream(cmd.id), d.events, d.warnings);
  return d.warnings;
}

export async function issueSanding(s: WriteSession, cmd: IssueSandingCommand): Promise<Warning[]> {
  const d = decideIssueSanding(cmd, await requireDepartment(s, cmd.id));
  s.record(departmentStream(cmd.id), d.events, d.warnings);
  return d.warnings;
}

/**
 * Abolish a department and, in the same decision, move (or report) the items it holds. The entries it
 * may hold come from the index when one is given (the live read model), else from the log itself, so the
 * cascade runs on every path; either way the entries' streams are re-read to decide.
 */
export async function abolishDepartment(s: WriteSession, cmd: AbolishDepartment, index?: HoldingsIndex): Promise<Warning[]> {
  const department = await requireDepartment(s, cmd.id);
  const successor = cmd.successorId !== undefined ? await departmentState(s, cmd.successorId) : null;
  const candidates = index ? index.entriesOf(cmd.id) : await entriesNamingFromLog(s, cmd.id);
  const entries: EntryFacts[] = [];
  const seen = new Set<string>();
  for (const { regionCode, itemCode } of candidates) {
    const key = `${regionCode}|${itemCode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ regionCode, itemCode, facts: await entryFacts(s, regionCode, itemCode) });
  }
  return s.recordAll(decideAbolishDepartment(cmd, { department, successor, entries }));
}

/** Every list entry whose events name the department (one pass over the log; abolitions are rare). */
async function entriesNamingFromLog(s: WriteSession, departmentId: string): Promise<Array<{ regionCode: string; itemCode: string }>> {
  const out = new Map<string, { regionCode: string; itemCode: string }>();
  await s.replayAll((e) => {
    if (!e.stream.startsWith('assignment-')) return;
    const d = e.data as Record<string, unknown> | null;
    if (!d || typeof d.regionCode !== 'string' || typeof d.itemCode !== 'string') return;
    const names =
      d.departmentId === departmentId ||
      d.toDepartmentId === departmentId ||
      d.fromDepartmentId === departmentId ||
      (!!d.departmentIds && typeof d.departmentIds === 'object' && Object.values(d.departmentIds as object).includes(departmentId));
    if (names) out.set(e.stream, { regionCode: d.regionCode, itemCode: d.itemCode });
  });
  return [...out.values()];
}
