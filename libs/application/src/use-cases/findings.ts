import { ChangeFindingStatus, FindingEvent, Warning, decideChangeFindingStatus, findingStream } from '../../../domain/src';
import { WriteSession } from '../session';

/**
 * The findings ledger: 待派发 / 核查中 / 已销号. Whether the finding exists is the caller's to check (a
 * finding is computed from the read side); the rules of the status flow are the domain's.
 */
export async function changeFindingStatus(s: WriteSession, cmd: ChangeFindingStatus): Promise<Warning[]> {
  const d = decideChangeFindingStatus(cmd, await s.events<FindingEvent>(findingStream(cmd.findingId)));
  s.record(findingStream(cmd.findingId), d.events, d.warnings);
  return d.warnings;
}
