/**
 * Characters no name or text of the registry may hold (#22 item 11): NUL and the other C0 controls
 * (tab, line feed and carriage return only in multi-line texts), DEL, the bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069: "RTL override" spoofing) and the zero-width
 * characters (U+200B–U+200D, U+2060, U+FEFF) — invisible, they make two names that look equal differ.
 * Pure; shared by the API's validation and the importer.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_SINGLE_LINE = /[\u0000-\u001f\u007f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]/g;

export interface UnsafeChar {
  /** U+XXXX */
  codePoint: string;
  /** 0-based index in the text. */
  index: number;
  /** What it is, in Chinese. */
  kind: string;
}

function kindOf(c: number): string {
  if (c === 0) return '空字符 NUL';
  if (c === 0x09 || c === 0x0a || c === 0x0d) return '制表符或换行（名称须为单行）';
  if (c < 0x20 || c === 0x7f) return '控制字符';
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return '双向文字控制符（可使文字显示顺序与实际不同）';
  return '零宽字符（不可见）';
}

/** A zero-width joiner inside an emoji sequence (👨‍👩‍👧) joins pictographs: that one is fine. */
const EMOJI_BEFORE = /\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]?$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

/** The first character of `text` a registry text may not hold, or undefined. */
export function findUnsafeChar(text: string, multiline = false): UnsafeChar | undefined {
  const re = multiline ? UNSAFE_MULTILINE : UNSAFE_SINGLE_LINE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const c = m[0].charCodeAt(0);
    if (c === 0x200d && EMOJI_BEFORE.test(text.slice(Math.max(0, m.index - 4), m.index)) && EMOJI_AFTER.test(text.slice(m.index + 1, m.index + 3))) continue;
    return { codePoint: `U+${c.toString(16).toUpperCase().padStart(4, '0')}`, index: m.index, kind: kindOf(c) };
  }
  return undefined;
}

/** "name 含有不允许的字符 U+202E（双向文字控制符…），位于第 3 个字符 / name holds a forbidden character U+202E" */
export function unsafeCharMessage(field: string, u: UnsafeChar): string {
  return `${field} 含有不允许的字符 ${u.codePoint}（${u.kind}），位于第 ${u.index + 1} 个字符 / ${field} holds a forbidden character ${u.codePoint}`;
}
