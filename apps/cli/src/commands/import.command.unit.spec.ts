import { DEFAULT_LIMITS, readFiles } from '../../../../libs/import/src';
import { workbook } from '../../../../libs/import/src/testing/workbooks';
import { readFilesShowing } from './import.command';

/** The progress bar's first phase (#15 item 6): the files read one at a time, each named as it is read; the same result as readFiles. */
describe('readFilesShowing', () => {
  const ok = workbook({ S: [['序号', '事项名称', '权力类型', '实施依据', '行使主体'], ['1', '对统计违法行为的处罚', '行政处罚', '《统计法》', '市统计局']] });
  const inputs = [
    { name: 'a.xlsx', data: ok },
    { name: 'cut.xlsx', data: ok.subarray(0, 200) },
    { name: 'b.xls', data: workbook({ S: [['事项名称', '权力类型', '行使主体'], ['统计审批', '行政许可', '市统计局']] }, 'biff8') },
  ];

  test('each file named before it is read; the files read as readFiles reads them', () => {
    const shown: unknown[] = [];
    const read = readFilesShowing(inputs, DEFAULT_LIMITS, {}, (done, total, file) => shown.push([done, total, file]));
    expect(shown).toEqual([
      [0, 3, 'a.xlsx'],
      [1, 3, 'cut.xlsx'],
      [2, 3, 'b.xls'],
    ]);
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(readFiles(inputs))));
    expect(read.map((f) => f.ok)).toEqual([true, false, true]);
  });

  test('a batch readFiles refuses whole is refused as before', () => {
    expect(() => readFilesShowing(inputs, { ...DEFAULT_LIMITS, maxFiles: 2 }, {}, () => undefined)).toThrow(expect.objectContaining({ code: 'TOO_MANY_FILES' }));
    expect(() => readFilesShowing([], DEFAULT_LIMITS, {}, () => undefined)).toThrow(expect.objectContaining({ code: 'NO_FILES' }));
  });
});
