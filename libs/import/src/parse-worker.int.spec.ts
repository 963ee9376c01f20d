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
