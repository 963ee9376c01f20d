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
  const candidates = [...(index ? index.entriesOf(cmd.id) : await entriesNamingFromLog(s, cmd.id)), ...entriesNamingPending(s, cmd.id)];
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

/** Does an assignment event's data name the department (as holder, either side of a transfer, or a delegate)? */
function namesDepartment(d: Record<string, unknown> | null, departmentId: string): d is Record<string, unknown> & { regionCode: string; itemCode: string } {
  if (!d || typeof d.regionCode !== 'string' || typeof d.itemCode !== 'string') return false;
  return (
    d.departmentId === departmentId ||
    d.toDepartmentId === departmentId ||
    d.fromDepartmentId === departmentId ||
    (!!d.departmentIds && typeof d.departmentIds === 'object' && Object.values(d.departmentIds as object).includes(departmentId))
  );
}

/** Every list entry whose events name the department (one pass over the log; abolitions are rare). */
async function entriesNamingFromLog(s: WriteSession, departmentId: string): Promise<Array<{ regionCode: string; itemCode: string }>> {
  const out = new Map<string, { regionCode: string; itemCode: string }>();
  await s.replayAll((e) => {
    if (!e.stream.startsWith('assignment-')) return;
    const d = e.data as Record<string, unknown> | null;
    if (namesDepartment(d, departmentId)) out.set(e.stream, { regionCode: d.regionCode, itemCode: d.itemCode });
  });
  return [...out.values()];
}

/**
 * The entries this session's earlier decisions name the department in — an item assigned earlier in the
 * same change set or import — which neither the live read model nor the log knows yet.
 */
function entriesNamingPending(s: WriteSession, departmentId: string): Array<{ regionCode: string; itemCode: string }> {
  const out: Array<{ regionCode: string; itemCode: string }> = [];
  for (const { stream, events } of s.pendingStreams()) {
    if (!stream.startsWith('assignment-')) continue;
    const named = events.map((e) => e.data as unknown as Record<string, unknown> | null).find((d) => namesDepartment(d, departmentId));
    if (named) out.push({ regionCode: named.regionCode as string, itemCode: named.itemCode as string });
  }
  return out;
}
