/**
 * Phase 1 of an import (reading the files: unzip, SheetJS, header detection, rows) in a worker thread
 * (#22 item 2): a 20,000-row list took the API's one thread for seconds; parsed here, the server goes on
 * answering meanwhile. The worker has its own heap cap (`heapMb`): a file that needs more is refused
 * with IMPORT_MEMORY, the server unharmed. Same answers as `readFiles` (the files travel by copy, the
 * parsed sheets back by structured clone; an ImportError is rebuilt with its code).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { HeaderOptions } from './columns';
import type { ImportInput, ReadFile } from './importer';
import type { StaffingRow } from './staffing/staffing-sheet';
import { DEFAULT_LIMITS, ImportError, ImportLimits } from './limits';
import { lowerThreadPriority } from '../../threads/src';

interface Job {
  inputs: ImportInput[];
  limits: ImportLimits;
  header: HeaderOptions;
  /** One file that may be the 定编制 template: its rows if it is (the web import routes it there). */
  staffing?: boolean;
}
type WireFile = Exclude<ReadFile, { ok: false }> | { ok: false; file: string; error: { code: string; message: string; file?: string } };
/** `chunks`: how many `Chunk`s of entries follow (the files' sheets arrive with their entries emptied). */
type Reply = { ok: true; files: WireFile[]; chunks: number } | { ok: true; staffing: StaffingRow[] } | { ok: false; error: { code?: string; message: string; file?: string } };
/** Entries of sheet `s` of file `f`, a slice at a time, sent when the main thread asks for the next. */
interface Chunk {
  chunk: true;
  f: number;
  s: number;
  entries: unknown[];
}
/**
 * Entries per message. The parsed rows come back by structured clone, which the main thread decodes in
 * one step per message: 75,000 entries (150,000 similar rows) in one message held it ~1.5 s; in slices
 * of this many, asked for one at a time with the event loop running between them, ~20 ms each.
 */
const ENTRIES_PER_CHUNK = 1_000;

/** An upload read: published lists (the files), or the rows of a 定编制 template. */
export type ReadUpload = { files: ReadFile[] } | { staffing: StaffingRow[] };

export interface WorkerParseOptions {
  /** Heap of the worker (old generation), MB: the per-import memory cap of parsing. */
  heapMb?: number;
}

/** The worker's own file: this module as compiled (dist: .js) or as source with the project's register hook. */
function workerSpec(): { file: string; execArgv: string[] } {
  const file = __filename;
  return file.endsWith('.ts') ? { file, execArgv: ['-r', join(__dirname, '../../../bin/ts-register.js')] } : { file, execArgv: [] };
}

/** `readFiles` in a worker thread; resolves with the same result (ImportErrors rebuilt). */
export async function readFilesInWorker(inputs: ImportInput[], limits: ImportLimits = DEFAULT_LIMITS, header: HeaderOptions = {}, options: WorkerParseOptions = {}): Promise<ReadFile[]> {
  const read = await readUploadInWorker(inputs, limits, header, options);
  return 'files' in read ? read.files : [];
}

/**
 * An upload read in the worker: a single file is first tried as the 定编制 template (its rows), else
 * every file as a published list. Nothing of the upload is parsed on the main thread (a 500,000-cell
 * workbook tried as a template there once held it for seconds).
 */
export function readUploadInWorker(inputs: ImportInput[], limits: ImportLimits = DEFAULT_LIMITS, header: HeaderOptions = {}, options: WorkerParseOptions & { staffing?: boolean } = {}): Promise<ReadUpload> {
  const { file, execArgv } = workerSpec();
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, {
      execArgv,
      workerData: { quanzeImportParse: true, job: { inputs, limits, header, staffing: options.staffing && inputs.length === 1 } satisfies Job },
      resourceLimits: options.heapMb ? { maxOldGenerationSizeMb: options.heapMb } : undefined,
    });
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    let files: WireFile[] | undefined;
    let expected = 0;
    let received = 0;
    const finish = () => done(() => resolve({ files: files!.map((f) => (f.ok ? f : { ok: false, file: f.file, error: new ImportError(f.error.code, f.error.message, f.error.file) })) as ReadFile[] }));
    worker.on('message', (reply: Reply | Chunk) => {
      if ('chunk' in reply) {
        const sheet = (files![reply.f] as Extract<WireFile, { ok: true }>).sheets[reply.s];
        for (const e of reply.entries) sheet.entries.push(e as (typeof sheet.entries)[number]);
        if (++received === expected) return finish();
        // the next slice once this turn of the event loop is over
        return void setImmediate(() => worker.postMessage('next'));
      }
      if (!reply.ok) return done(() => reject(reply.error.code ? new ImportError(reply.error.code, reply.error.message, reply.error.file) : new Error(reply.error.message)));
      if ('staffing' in reply) return done(() => resolve({ staffing: reply.staffing }));
      files = reply.files;
      expected = reply.chunks;
      if (expected === 0) return finish();
      worker.postMessage('next');
    });
    worker.once('error', (e: Error & { code?: string }) =>
      done(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ImportError('IMPORT_MEMORY', `读取上传的文件所需内存超过每次导入 ${options.heapMb ?? '?'} MB 的上限：请分成较小的文件导入`)
            : e,
        ),
      ),
    );
    worker.once('exit', (code) => done(() => reject(new Error(`解析线程意外退出（${code}）`))));
  });
}

if (!isMainThread && parentPort && (workerData as { quanzeImportParse?: boolean })?.quanzeImportParse) {
  const port = parentPort;
  const job = (workerData as { job: Job }).job;
  // background work: the API's main thread goes first on shared cores
  lowerThreadPriority();
  // required here, not at the top: the main thread loads this module without the importer's weight
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFiles } = require('./importer') as typeof import('./importer');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { staffingRowsIfTemplate } = require('./staffing/staffing-sheet') as typeof import('./staffing/staffing-sheet');
  let reply: Reply;
  const chunks: Chunk[] = [];
  try {
    const inputs = job.inputs.map((i) => ({ name: i.name, data: Buffer.from(i.data.buffer, i.data.byteOffset, i.data.byteLength) }));
    const staffing = job.staffing ? staffingRowsIfTemplate(inputs[0].name, inputs[0].data) : undefined;
    if (staffing) reply = { ok: true, staffing };
    else {
      const files = readFiles(inputs, job.limits, job.header).map((f): WireFile => (f.ok ? f : { ok: false, file: f.file, error: { code: f.error.code, message: f.error.message, file: f.error.file } }));
      // the entries go separately, a slice per request of the main thread (see ENTRIES_PER_CHUNK)
      files.forEach((f, fi) => {
        if (!f.ok) return;
        f.sheets.forEach((sheet, si) => {
          for (let i = 0; i < sheet.entries.length; i += ENTRIES_PER_CHUNK) chunks.push({ chunk: true, f: fi, s: si, entries: sheet.entries.slice(i, i + ENTRIES_PER_CHUNK) });
          sheet.entries = [];
        });
      });
      reply = { ok: true, files, chunks: chunks.length };
      // (the main thread ends this worker once it has the last one)
      port.on('message', () => {
        const next = chunks.shift();
        if (next) port.postMessage(next);
      });
    }
  } catch (e) {
    reply = { ok: false, error: e instanceof ImportError ? { code: e.code, message: e.message, file: e.file } : { message: e instanceof Error ? e.message : String(e) } };
  }
  port.postMessage(reply);
}
