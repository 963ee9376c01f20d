import { send } from '../support/http';

export interface AvailabilityResult {
  importRows: number;
  importMs: number;
  importStatus: number;
  /** /api/health during the import: answers, p50, p95, max (ms), answers over 200 ms. */
  duringImport: HealthFigures;
  findingsStatus: number;
  findingsMs: number;
  duringFindings: HealthFigures;
  queueFull: number;
  violations: string[];
}
export interface HealthFigures {
  n: number;
  p50: number;
  p95: number;
  max: number;
  over200: number;
}

const CRLF = '\r\n';
function multipart(fields: Record<string, string>, file: { name: string; data: Buffer }): { body: Buffer; type: string } {
  const b = `----quanze${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}${CRLF}Content-Disposition: form-data; name="${k}"${CRLF}${CRLF}${v}${CRLF}`));
  parts.push(Buffer.from(`--${b}${CRLF}Content-Disposition: form-data; name="files"; filename="${file.name}"${CRLF}Content-Type: text/csv${CRLF}${CRLF}`), file.data, Buffer.from(`${CRLF}--${b}--${CRLF}`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

/** Two departments × rows/2 near-identical names (the findings' worst case, #22 item 1) in one CSV. */
export function similarNamesCsv(rows: number): Buffer {
  // three columns: 150,000 rows stay under the importer's 500,000-cell cap
  const lines = ['事项名称,权力类型,行使主体'];
  for (let i = 0; i < rows; i++) lines.push(`对违反安全管理规定第${Math.floor(i / 2) + 1}项情形的处罚,行政处罚,克拉玛依市第${(i % 2) + 1}局`);
  return Buffer.from('\ufeff' + lines.join('\n') + '\n', 'utf8');
}

/** Polls /api/health every `everyMs` until `until` settles; the figures. */
async function pollHealth(base: string, until: Promise<unknown>, everyMs = 50): Promise<HealthFigures> {
  let done = false;
  void until.finally(() => (done = true));
  const ms: number[] = [];
  while (!done) {
    const r = await send(base, { method: 'GET', path: '/api/health', timeoutMs: 120_000 });
    if (done) break;
    ms.push(r.ms);
    await new Promise((res) => setTimeout(res, everyMs));
  }
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0);
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: s.length ? s[s.length - 1] : 0, over200: s.filter((x) => x > 200).length };
}

/**
 * #22 items 1-2 against the server process: a large import (similar names, two departments) while a
 * reader polls /api/health; a third import while one runs and one waits (429); then the findings of the
 * region those names make, again with /api/health polled.
 */
export async function runAvailability(opts: { base: string; editorToken: string; readerToken: string; rows: number; region: string }): Promise<AvailabilityResult> {
  const violations: string[] = [];
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const upload = (rows: number, name: string) => {
    const m = multipart({ region: opts.region, effective: '2024-01-01', document: '克政办发〔2024〕1号' }, { name, data: similarNamesCsv(rows) });
    return send(opts.base, { method: 'POST', path: '/api/imports', headers: { ...auth(opts.editorToken), 'Content-Type': m.type }, body: m.body, timeoutMs: 1_800_000 });
  };
  const t0 = Date.now();
  const importing = upload(opts.rows, 'similar.csv');
  await new Promise((r) => setTimeout(r, 200));
  // the queue (default 2 waiting): two small imports wait, the next is 429
  const waiting = [upload(4, 'w1.csv'), upload(4, 'w2.csv')];
  await new Promise((r) => setTimeout(r, 200));
  const extra = await upload(4, 'w3.csv');
  const queueFull = extra.status === 429 ? 1 : 0;
  if (!queueFull) violations.push(`a third import while one ran and two waited answered ${extra.status}, not 429`);
  const duringImport = await pollHealth(opts.base, importing);
  const imported = await importing;
  const importMs = Date.now() - t0;
  await Promise.all(waiting);
  if (imported.status !== 200) violations.push(`the ${opts.rows}-row import answered ${imported.status}: ${imported.text.slice(0, 300)}`);
  if (duringImport.p95 > 200) violations.push(`/api/health p95 ${duringImport.p95} ms during the import (over 200 ms)`);

  const f0 = Date.now();
  const findings = send(opts.base, { method: 'GET', path: `/api/gaps?region=${opts.region}&at=2024-06-01`, headers: auth(opts.readerToken), timeoutMs: 600_000 });
  const duringFindings = await pollHealth(opts.base, findings);
  const fr = await findings;
  const findingsMs = Date.now() - f0;
  if (![200, 202, 503].includes(fr.status)) violations.push(`/api/gaps answered ${fr.status}`);
  if (duringFindings.max > 200) violations.push(`/api/health max ${duringFindings.max} ms during the findings request (over 200 ms)`);
  return { importRows: opts.rows, importMs, importStatus: imported.status, duringImport, findingsStatus: fr.status, findingsMs, duringFindings, queueFull, violations };
}
