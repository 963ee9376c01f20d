import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFiles } from './importer';
import { DEFAULT_LIMITS, ImportError } from './limits';
import { readFilesInWorker, readUploadInWorker } from './parse-worker';
import { readStaffingRows, staffingWorkbook } from './staffing/staffing-sheet';
import { workbook } from './testing/workbooks';

/** #22 item 2: phase 1 of an import in a worker thread: the same answers, and a heap cap of its own. */
describe('readFilesInWorker', () => {
  const HEADER = ['序号', '事项名称', '权力类型', '实施依据', '行使主体'];
  const ok = workbook({ S: [HEADER, ['1', '对统计违法行为的处罚', '行政处罚', '《统计法》', '市统计局'], ['2', '统计\u202e审批', '行政许可', '《统计法》', '市统计局']] });

  test('the same files and errors as readFiles on this thread', async () => {
    const inputs = [
      { name: 'ok.xlsx', data: ok },
      { name: 'cut.xlsx', data: ok.subarray(0, 200) },
    ];
    const here = readFiles(inputs);
    const there = await readFilesInWorker(inputs);
    expect(JSON.parse(JSON.stringify(there))).toEqual(JSON.parse(JSON.stringify(here)));
    const failed = there[1];
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect([failed.error instanceof ImportError, failed.error.code]).toEqual([true, 'CORRUPT_FILE']);
    if (there[0].ok) expect(there[0].sheets[0].entries[1].problems[0]).toContain('U+202E');
  }, 60_000);

  test('a file that needs more heap than the cap is refused with IMPORT_MEMORY; the caller lives on', async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => `对第${i}类违法行为的处罚,行政处罚,《某法》第${i}条,某局${i % 7}`).join('\n');
    const big = Buffer.from(`事项名称,权力类型,实施依据,行使主体\n${rows}\n`, 'utf8');
    const e = await readFilesInWorker([{ name: 'big.csv', data: big }], { ...DEFAULT_LIMITS, maxCells: 10_000_000 }, {}, { heapMb: 16 }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).code).toBe('IMPORT_MEMORY');
    expect((e as ImportError).message).toContain('16 MB');
  }, 120_000);

  test('one file that is the 定编制 template: its rows, read in the worker (nothing parsed on the main thread); a list: its files', async () => {
    const template = staffingWorkbook([{ departmentId: 'D1', departmentName: '市统计局', categories: [{ category: '行政编制', authorized: 5, actual: 0 }], leaders: [], outside: 0 } as never]);
    const asTemplate = await readUploadInWorker([{ name: 't.xlsx', data: template }], DEFAULT_LIMITS, {}, { staffing: true });
    expect(asTemplate).toEqual({ staffing: readStaffingRows('t.xlsx', template) });
    const asList = await readUploadInWorker([{ name: 'ok.xlsx', data: ok }], DEFAULT_LIMITS, {}, { staffing: true });
    expect('files' in asList && asList.files.map((f) => f.ok)).toEqual([true]);
    // two files are never a template
    expect('files' in (await readUploadInWorker([{ name: 'a.xlsx', data: template }, { name: 'b.xlsx', data: ok }], DEFAULT_LIMITS, {}, { staffing: true }))).toBe(true);
  });
});

describe('readUploadInWorker: a large file comes back in slices', () => {
  test('12,345 entries: the same entries as readFiles, and timers ran while they arrived', async () => {
    const csv = Buffer.from('\ufeff事项名称,权力类型,行使主体\n' + Array.from({ length: 12_345 }, (_, i) => `对第${i + 1}类违法行为的处罚,行政处罚,市统计局`).join('\n') + '\n', 'utf8');
    const inputs = [{ name: 'big.csv', data: csv }];
    const here = readFiles(inputs);
    let ticks = 0;
    const started = { at: 0 };
    const timer = setInterval(() => ticks++, 1);
    const there = readFilesInWorker(inputs).finally(() => (started.at = ticks));
    const read = await there;
    clearInterval(timer);
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(here)));
    const first = read[0] as Extract<(typeof read)[number], { ok: true }>;
    expect(first.sheets[0].entries).toHaveLength(12_345);
    expect(started.at).toBeGreaterThan(10);
  }, 60_000);
});

describe('readFilesInWorker: SheetJS codepage tables', () => {
  const HEADER = ['序号', '事项名称', '权力类型', '实施依据', '行使主体'];
  test('an .xls read with the codepage tables loaded lazily (the worker) reads as with them loaded (this thread)', async () => {
    const xls = workbook({ 准确版: [HEADER, ['1', '对违反《统计法》行为的处罚（含「子项」）', '行政处罚', '《中华人民共和国统计法》第三十七条', '克拉玛依市统计局']] }, 'biff8');
    const inputs = [{ name: 'list.xls', data: xls }];
    const there = await readFilesInWorker(inputs);
    expect(JSON.parse(JSON.stringify(there))).toEqual(JSON.parse(JSON.stringify(readFiles(inputs))));
    if (there[0].ok) expect(there[0].sheets[0].entries[0].mainName).toBe('对违反《统计法》行为的处罚（含「子项」）');
  }, 60_000);
});

/** workbook.ts lazyCodepages, in a plain Node process (jest has its own module registry, which it does not use). */
describe('lazyCodepages', () => {
  test('UTF-16LE answered by the stand-in, any other codepage by the real tables, loaded then', () => {
    const script = `
      const { lazyCodepages } = require('./libs/import/src/workbook.ts');
      lazyCodepages();
      const path = require('node:path');
      const file = path.join(path.dirname(require.resolve('@e965/xlsx')), 'dist', 'cpexcel.js');
      const cp = require(file);
      const utf16 = cp.utils.decode(1200, Buffer.from('\ufeff克拉玛依', 'utf16le'));
      const before = cp.version;
      const gbk = cp.utils.decode(936, Buffer.from([0xd6, 0xd0, 0xce, 0xc4]));
      const back = cp.utils.encode(936, '中文');
      process.stdout.write(JSON.stringify({ utf16, before: before ?? null, gbk, back: [...back], same: require(file) === cp }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-r', './bin/ts-register.js', '-e', script], { cwd: join(__dirname, '../../..'), encoding: 'utf8' }));
    expect(out).toEqual({ utf16: '\ufeff克拉玛依', before: null, gbk: '中文', back: [0xd6, 0xd0, 0xce, 0xc4], same: true });
  }, 60_000);
});
