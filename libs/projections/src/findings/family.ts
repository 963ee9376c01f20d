/**
 * The engine's one extension point: a FAMILY of finding kinds. A family declares its kinds (name, colour,
 * group, rank, title) and, given one region's computation context, adds that region's findings as
 * timelines. Adding a family is one file under families/ and one line in families/index.ts.
 */
import type { Segment } from './intervals';
import type { RegionContext } from './region-context';

export type Detail = Record<string, unknown>;

/** 合规类 (red: a rule is broken) or 资源效益类 (blue: resources used twice or badly). */
export type Severity = 'red' | 'blue';
export const SEVERITY_NAMES_ZH: Record<Severity, string> = { red: '合规类', blue: '资源效益类' };

/** Where a kind is answered besides /api/findings: /api/overlaps, /api/gaps, /api/conformance, or only the ledger. */
export type KindGroup = 'overlap' | 'gap' | 'conformance' | 'ledger';

/** A finding kind's id: lower-case words joined by '-' (it is the prefix of every finding id of the kind). */
export type FindingKind = string;

export interface KindSpec {
  kind: FindingKind;
  nameZh: string;
  severity: Severity;
  group: KindGroup;
  /** Order in the ledger (lower first); kinds of different families interleave by rank. */
  rank: number;
  /**
   * Precision measured on real data (docs/findings.md), filled in by kindsOf from precision.ts; a kind below
   * LEDGER_PRECISION — or a lead by design (precision.ts) — is a lead (线索): counted, listed on request, not
   * in the ledger. Both are set by kindsOf, not by the family.
   */
  precision?: { value: number; sample: number; source: string };
  lead?: boolean;
  /** One line in Chinese: what is wrong (the detail has departmentName / regionName filled in). */
  title(d: Detail): string;
}

export interface FindingFamily {
  name: string;
  kinds: KindSpec[];
  /**
   * Adds the region's findings of the family's kinds: `ctx.add(kind, about, segments)`. A family whose work
   * can be large is a generator that yields between units (an item, a department, a few texts), so the
   * engine can spread a region over several turns of the event loop (FindingsEngine.regionSteps).
   */
  run(ctx: RegionContext): void | Iterator<unknown, void>;
  /**
   * The family reads only the region's own lists, departments, clauses and the catalogue (not other
   * regions' lists): while those stay (RegionContext.ownStamp), what it added last time is replayed whole.
   */
  ownRegionOnly?: boolean;
}

export interface FindingTimeline {
  id: string;
  kind: FindingKind;
  /** The region the id is computed with (for a multi-level finding: the upper region). */
  region: string;
  /** Every region the finding is about (multi-level: upper and lower). */
  regions: string[];
  segments: Array<Segment<Detail>>;
}

/** Thresholds, calibrated on the real Karamay lists (docs/similarity-calibration.md). */
export interface FindingsOptions {
  /** Cosine of two item names (same type) or two duties of different departments: "say the same thing". */
  similarity: number;
  /** Containment of an item's name in one of its department's duties: the item rests on that duty. */
  link: number;
  /** Containment in another department's duty that makes an unlinked item 职责偏离 … */
  deviation: number;
  /** … when it beats the best own duty by at least this much. */
  deviationMargin: number;
  /** Containment of a boundary clause's matter in a text: the clause covers that text. */
  matter: number;
  /**
   * A text with many similar texts reports only its closest ones (a pair is kept when either text has the
   * other among its closest): dozens of partners mean a shared template, not one shared matter.
   */
  maxPartners: number;
}

export const DEFAULT_FINDINGS_OPTIONS: FindingsOptions = { similarity: 0.55, link: 0.4, deviation: 0.6, deviationMargin: 0.3, matter: 0.6, maxPartners: 5 };

/** The precision a kind needs on the labelled sample to be shown in the ledger by default. */
export const LEDGER_PRECISION = 0.9;

// ---- helpers for titles ----

export const nameOf = (x: unknown) => ((x as { departmentName?: string })?.departmentName ?? (x as { departmentId?: string })?.departmentId ?? '') as string;
export const itemOf = (d: Detail) => d.item as { itemCode: string; itemName: string; text?: string };
export const cut = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n)}…` : s);
