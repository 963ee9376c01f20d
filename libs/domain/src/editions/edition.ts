/**
 * 年版: a region's list as published — a numbered edition (2024年版) under a 文号, published on a date,
 * in force from a date. Its content is the region's list on `effectiveFrom` as the registry knew it at
 * `contentAsKnownAt` (an instant at or before the edition was recorded), so nothing recorded after the
 * edition ever changes what it says; `hash` is of that content (a printed edition can be checked).
 *
 * Decider in Emmett's shape: `initialEditionsState`, `evolveEditions(state, event)`,
 * `decidePublishEdition(command, state) → { events, warnings }` on the stream `editions-<region>`.
 */
import { Change, DomainError, IsoDate, Warning } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';

export const editionsStream = (regionCode: string) => `editions-${regionCode}`;

/** The command: declare the list in force as published (content hash computed by the caller from the read model). */
export interface PublishEdition extends Change {
  regionCode: string;
  /** The edition's number as the office writes it (e.g. 2024年版, 2024-1). */
  number: string;
  title?: string;
  publishedOn: IsoDate;
  /**
   * The list as it stood at this instant (ISO, inclusive) is the edition's content. Absent: the instant
   * this edition is recorded — a change set's edition, appended in one call with the commands it
   * publishes, is the list as known right after them (the read model fills it in: EditionsProjection).
   */
  contentAsKnownAt?: string;
  /** sha256 (hex) of the canonical content (see the projections' editionContent). */
  hash: string;
  itemCount: number;
  /** The change set whose publication made this edition, if any. */
  changeSetId?: string;
}

/**
 * The canonical form the content hash is taken over: 1 = code, name, type, basis, levels, owners; 2 = the same
 * and the list's own published columns (责任事项, 追责情形 …) since list items carry them. An edition keeps the
 * version it was hashed with, so an edition recorded before stays verifiable.
 */
export const EDITION_HASH_VERSION = 2 as const;

export interface EditionPublishedData extends PublishEdition {
  /** Version of the content hash's canonical form (EDITION_HASH_VERSION when recorded). */
  hashVersion: 1 | 2;
}

export type EditionPublished = DomainEvent<'EditionPublished', EditionPublishedData>;
export type EditionEvent = EditionPublished;

export interface EditionsState {
  regionCode?: string;
  editions: EditionPublishedData[];
}

export const initialEditionsState: EditionsState = { editions: [] };

export function evolveEditions(state: EditionsState, event: EditionEvent): EditionsState {
  switch (event.type) {
    case 'EditionPublished':
      return { regionCode: event.data.regionCode, editions: [...state.editions, event.data] };
    default:
      return state;
  }
}

export const EDITION_NUMBER_RE = /^[\p{L}\p{N}（）()〔〕\-_. ]{1,40}$/u;

/** `regionExists`: the region is registered (the caller folds its stream). */
export function decidePublishEdition(cmd: PublishEdition, state: EditionsState, regionExists: boolean): Decision<EditionEvent> {
  if (!regionExists) throw new DomainError('UNKNOWN_REGION', `行政区划 ${cmd.regionCode} 尚未登记，不能发布清单版本`, { regionCode: cmd.regionCode });
  const number = cmd.number?.trim();
  if (!number || !EDITION_NUMBER_RE.test(number)) throw new DomainError('EDITION_NUMBER', `版本号「${cmd.number ?? ''}」无效：1–40 个字符，如 2024年版`, { number: cmd.number });
  if (state.editions.some((e) => e.number === number)) throw new DomainError('EDITION_EXISTS', `${cmd.regionCode} 已有版本 ${number}，版本号不能重复`, { number });
  if (!/^[0-9a-f]{64}$/.test(cmd.hash)) throw new DomainError('EDITION_HASH', '版本内容哈希应为 64 位十六进制 sha256');
  if (!Number.isInteger(cmd.itemCount) || cmd.itemCount < 0) throw new DomainError('EDITION_HASH', 'itemCount 应为不小于 0 的整数');
  const warnings: Warning[] = [];
  if (cmd.itemCount === 0) warnings.push({ code: 'EDITION_EMPTY', message: `${number} 发布时本级清单中没有事项（${cmd.effectiveFrom}）` });
  const latest = latestEdition(state.editions);
  if (latest && cmd.publishedOn < latest.publishedOn) {
    warnings.push({ code: 'EDITION_OUT_OF_ORDER', message: `${number} 的发布日期 ${cmd.publishedOn} 早于已发布的 ${latest.number}（${latest.publishedOn}）` });
  }
  const data: EditionPublishedData = { ...cmd, number, hashVersion: EDITION_HASH_VERSION };
  return decided([{ type: 'EditionPublished', data }], warnings);
}

/** The order of editions: by publication date, then effective date, then as recorded (the array order). */
export function latestEdition<E extends { publishedOn: string; effectiveFrom: string }>(editions: readonly E[]): E | undefined {
  let best: E | undefined;
  for (const e of editions) if (!best || e.publishedOn > best.publishedOn || (e.publishedOn === best.publishedOn && e.effectiveFrom >= best.effectiveFrom)) best = e;
  return best;
}

/**
 * The edition in force on a date, as published then: the latest one that had been published by that
 * date and had taken effect by it. None before the first edition.
 */
export function editionInForceOn<E extends { publishedOn: string; effectiveFrom: string }>(editions: readonly E[], at: IsoDate): E | undefined {
  return latestEdition(editions.filter((e) => e.publishedOn <= at && e.effectiveFrom <= at));
}
