import { BadRequestException, StreamableFile } from '@nestjs/common';
import { ExportError, exportPublishedList, publishedListFor } from '../../../../libs/export/src';
import { EditionsProjection, RegistryProjection } from '../../../../libs/projections/src';

export interface ListExportQuery {
  region: string;
  /** The list as that edition published it (its effective date, as known when it was recorded). */
  edition?: string;
  at?: string;
  asKnownAt?: string;
  department?: string;
  format?: 'xlsx' | 'csv';
  layout?: 'source' | 'standard';
  /** Only the published list's sheets (公示): no registry sheet with 状态, 四级四同偏差 and sources. */
  publicOnly?: boolean;
}

/**
 * The list as a spreadsheet to download, with its headers set on `res`: the one export of a region's
 * list, by date or by edition, for the signed-in list (`/api/regions/{code}/list/export`) and the
 * public one (`/api/public/regions/{code}/editions/{number}/export.xlsx`).
 */
export function listExport(view: RegistryProjection, editions: EditionsProjection, q: ListExportQuery, res: { setHeader(name: string, value: string): void }): { file: StreamableFile; body: Buffer } {
  const format = q.format ?? 'xlsx';
  let body: Buffer;
  let p: ReturnType<typeof publishedListFor>;
  try {
    // the same resolution of an edition (its effective date, as known when recorded) as the CLI's export --edition
    p = publishedListFor(view, editions, { region: q.region, at: q.at, asKnownAt: q.asKnownAt, department: q.department, edition: q.edition });
    body = exportPublishedList(p, { layout: q.layout ?? 'standard', format, registrySheet: !q.publicOnly });
  } catch (err) {
    if (err instanceof ExportError) throw new BadRequestException({ code: err.code, message: err.message });
    throw err;
  }
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const { at, editionRecord: e } = p;
  const name = `${p.list.regionName}${p.department ? p.department.name : ''}权责清单-${e ? e.number : at}.${format}`;
  res.setHeader('Content-Disposition', `attachment; filename="list-${q.region}-${at}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  return { file: new StreamableFile(body), body };
}
