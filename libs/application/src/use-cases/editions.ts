import { EditionEvent, PublishEdition, Warning, decidePublishEdition, editionsStream, evolveEditions, fold, initialEditionsState } from '../../../domain/src';
import { WriteSession } from '../session';
import { regionState } from './state';

/** 年版: a region's list declared as published, decided on the region's editions stream. */
export async function publishEdition(s: WriteSession, cmd: PublishEdition): Promise<Warning[]> {
  const region = await regionState(s, cmd.regionCode);
  const state = fold(evolveEditions, initialEditionsState, await s.events<EditionEvent>(editionsStream(cmd.regionCode)));
  const d = decidePublishEdition(cmd, state, !!region);
  s.record(editionsStream(cmd.regionCode), d.events, d.warnings);
  return d.warnings;
}
