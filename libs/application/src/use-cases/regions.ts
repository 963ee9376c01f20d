import { RegisterRegion, Warning, decideRegisterRegion, regionStream } from '../../../domain/src';
import { WriteSession } from '../session';
import { regionState } from './state';

export async function registerRegion(s: WriteSession, cmd: RegisterRegion): Promise<Warning[]> {
  const existing = await regionState(s, cmd.code);
  const parent = cmd.parentCode ? await regionState(s, cmd.parentCode) : null;
  const d = decideRegisterRegion(cmd, existing, parent);
  s.record(regionStream(cmd.code), d.events, d.warnings);
  return d.warnings;
}
