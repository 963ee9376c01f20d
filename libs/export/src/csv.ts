/**
 * The one CSV writer of the project (the export of the list, the web app's CSV of a filtered list).
 * Pure, with no imports, so that the browser bundle shares it too.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet program reads a cell starting with = + - @,
 * a tab or a carriage return as a formula, so a name from a command or an imported file could run as
 * one. Such a cell is prefixed with a single quote (shown as text, not evaluated) and quoted. NUL and
 * the other C0 control characters but tab, LF and CR never reach the file.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** One cell's text, neutralised and quoted as needed. */
export function csvCell(value: unknown): string {
  let t = Array.isArray(value) ? value.join('；') : String(value ?? '');
  t = t.replace(CONTROLS, '');
  const formula = FORMULA_START.test(t);
  if (formula) t = `'${t}`;
  return formula || /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A whole CSV document: UTF-8 BOM (spreadsheet programs then read the Chinese right), CRLF lines. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
