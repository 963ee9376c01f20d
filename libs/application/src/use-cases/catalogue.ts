import { DefineCatalogItem, RetireCatalogItem, ReviseCatalogItem, Warning, catalogStream, decideDefineCatalogItem, decideRetireCatalogItem, decideReviseCatalogItem } from '../../../domain/src';
import { WriteSession } from '../session';
import { catalogEvents, requireCatalog } from './state';

export async function defineCatalogItem(s: WriteSession, cmd: DefineCatalogItem): Promise<Warning[]> {
  const d = decideDefineCatalogItem(cmd, await catalogEvents(s, cmd.code));
  s.record(catalogStream(cmd.code), d.events, d.warnings);
  return d.warnings;
}

export async function reviseCatalogItem(s: WriteSession, cmd: ReviseCatalogItem): Promise<Warning[]> {
  const d = decideReviseCatalogItem(cmd, await requireCatalog(s, cmd.code));
  s.record(catalogStream(cmd.code), d.events, d.warnings);
  return d.warnings;
}

export async function retireCatalogItem(s: WriteSession, cmd: RetireCatalogItem): Promise<Warning[]> {
  const d = decideRetireCatalogItem(cmd, await requireCatalog(s, cmd.code));
  s.record(catalogStream(cmd.code), d.events, d.warnings);
  return d.warnings;
}
