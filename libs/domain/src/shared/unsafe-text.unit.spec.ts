import { findUnsafeChar } from './unsafe-text';

describe('findUnsafeChar (#22 item 11)', () => {
  test.each([
    ['\u202e', 'U+202E'], ['\u202a', 'U+202A'], ['\u2066', 'U+2066'], ['\u2069', 'U+2069'],
    ['\u200b', 'U+200B'], ['\u200c', 'U+200C'], ['\u200d', 'U+200D'], ['\ufeff', 'U+FEFF'], ['\u2060', 'U+2060'],
    ['\u0000', 'U+0000'], ['\u0007', 'U+0007'], ['\u007f', 'U+007F'], ['\n', 'U+000A'], ['\t', 'U+0009'],
  ])('%j inside a name is found', (ch, cp) => {
    expect(findUnsafeChar(`统计${ch}局`)).toEqual({ codePoint: cp, index: 2, kind: expect.any(String) });
  });
  test('line breaks and tabs are fine in a multi-line text, the others are not', () => {
    expect(findUnsafeChar('第一行\n第二行\r\n\t缩进', true)).toBeUndefined();
    expect(findUnsafeChar('第一行\n第\u202e二行', true)?.codePoint).toBe('U+202E');
  });
  test('a ZWJ between pictographs (an emoji sequence) is fine; between Chinese characters it is not', () => {
    expect(findUnsafeChar('克拉玛依市👨‍👩‍👧局')).toBeUndefined();
    expect(findUnsafeChar('👍🏽\u200d👍')).toBeUndefined();
    expect(findUnsafeChar('统\u200d👨')?.codePoint).toBe('U+200D');
    expect(findUnsafeChar('统计局 (市) 档案馆—“第一”')).toBeUndefined();
  });
});
