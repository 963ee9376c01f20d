// Dates and instants. Valid time is a calendar date (YYYY-MM-DD); recording time is an instant (ISO UTC),
// always shown in Beijing time (UTC+8) whatever the browser's zone, with the exact instant in a tooltip.
const H8 = 8 * 3600_000;

/** Today's date in China, YYYY-MM-DD. */
export const todayChina = (): string => new Date(Date.now() + H8).toISOString().slice(0, 10);

/** An instant shown in Beijing time: 2024-05-01 16:00:03(.120). */
export function fmtInstant(iso: string | undefined | null, { ms = false } = {}): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const s = new Date(t + H8).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, ms ? 23 : 19)}`;
}

/** 'YYYY-MM-DD HH:mm:ss(.SSS)' or 'YYYY-MM-DDTHH:mm…' read as Beijing time → ISO instant (UTC); '' if not one. */
export function beijingToIso(v: string): string {
  if (!v) return '';
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(:\d\d(\.\d{1,3})?)?$/.exec(v.trim());
  if (!m) return '';
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

/** ISO instant → 'YYYY-MM-DD HH:mm:ss(.SSS)' in Beijing time (milliseconds only when there are any). */
export function isoToBeijing(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = new Date(t + H8).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, 10)} ${s.slice(11, 19)}` : `${s.slice(0, 10)} ${s.slice(11, 23)}`;
}

export const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
