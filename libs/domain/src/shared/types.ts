/** Shared vocabulary of the domain. Pure: no I/O, no clock. */

export const LEVELS = ['province', 'city', 'county', 'township'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_NAMES_ZH: Record<Level, string> = { province: '省级', city: '市级', county: '县级', township: '乡级' };

export const ITEM_TYPES = [
  '行政许可',
  '行政处罚',
  '行政强制',
  '行政征收',
  '行政给付',
  '行政检查',
  '行政确认',
  '行政奖励',
  '行政裁决',
  '其他行政权力',
  '公共服务',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** The document (文号) that authorises a change. */
export interface DocumentRef {
  number: string;
  title?: string;
  issuedBy?: string;
  issuedOn?: string;
}

/** What every change in time carries. */
export interface Change {
  /** YYYY-MM-DD, the date the change takes legal effect (valid time). */
  effectiveFrom: string;
  document: DocumentRef;
  reason?: string;
}

export type IsoDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in YYYY-MM-DD form (2023-02-30 is not). */
export function isCalendarDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1];
}

/** A rule of the domain was broken: the command is refused and nothing is recorded (HTTP 409). */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The thing the command is about does not exist (HTTP 404). */
export class NotFoundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** What a command made worse, recorded anyway because the documents say so. */
export interface Warning {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
