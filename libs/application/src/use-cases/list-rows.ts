import { ListRowsEvent, NoteDuplicateRow, Warning, decideNoteDuplicateRow, evolveListRows, fold, initialListRowsState, listRowsStream } from '../../../domain/src';
import { WriteSession } from '../session';

/** 清单重复行: a list's duplicate row noted on the region's list-rows stream (once per row: a re-import adds nothing). */
export async function noteDuplicateRow(s: WriteSession, cmd: NoteDuplicateRow): Promise<Warning[]> {
  const stream = listRowsStream(cmd.regionCode);
  const d = decideNoteDuplicateRow(cmd, fold(evolveListRows, initialListRowsState, await s.events<ListRowsEvent>(stream)));
  if (d.events.length) s.record(stream, d.events, d.warnings);
  return d.warnings;
}
