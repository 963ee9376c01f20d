/**
 * Each finding kind's precision as MEASURED on real data — the labelled sample of findings the engine
 * produces on the real Karamay lists (scripts/calibration/labelled-findings.json, rules and table in
 * docs/findings.md, "Precision on real data"; computed by scripts/calibration/precision.ts). A measured kind
 * below LEDGER_PRECISION is a lead (线索): counted, listed with ?leads=, not a ledger entry.
 * scripts/calibration/precision.int.spec.ts fails when this table and the labelled file disagree.
 */
export interface MeasuredPrecision {
  /** True findings / labelled findings of the kind, to 2 decimals. */
  value: number;
  /** Labelled findings of the kind (n). */
  sample: number;
  source: string;
}

const SOURCE = 'docs/findings.md (scripts/calibration/labelled-findings.json, 2026-12-03)';
const m = (truePositives: number, sample: number): MeasuredPrecision => ({ value: Math.round((truePositives / sample) * 100) / 100, sample, source: SOURCE });

export const MEASURED_PRECISION: Readonly<Record<string, MeasuredPrecision>> = {
  'duty-deviation': m(0, 2),
  'duty-missing': m(0, 60),
  'multi-level': m(33, 33),
  'no-sanding': m(37, 37),
  similar: m(19, 63),
  'unapproved-duty': m(0, 80),
};

/**
 * Kinds that are leads whatever their precision, because they say they cannot judge: 未注明层级权限 (two
 * levels hold the item and neither list says how they divide it). It does not occur on the real data.
 */
export const LEADS_BY_DESIGN: readonly string[] = ['multi-level-unscoped'];
