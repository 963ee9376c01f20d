/** The finding kinds, as the registered families declare them (families/index.ts). */
import { FindingFamily, FindingKind, KindGroup, KindSpec, LEDGER_PRECISION, Severity } from './family';
import { LEADS_BY_DESIGN, MEASURED_PRECISION, MeasuredPrecision } from './precision';
import { FAMILIES } from './families';

/**
 * The kinds of these families in ledger order; a malformed or twice-declared kind is refused. Each kind
 * gets its precision measured on real data (precision.ts) and is a lead (线索) when that is below
 * LEDGER_PRECISION, or when it is a lead by design.
 */
export function kindsOf(families: readonly FindingFamily[], measured: Readonly<Record<string, MeasuredPrecision>> = MEASURED_PRECISION): KindSpec[] {
  const seen = new Map<string, string>();
  const out: KindSpec[] = [];
  for (const f of families) {
    for (const k of f.kinds) {
      if (!/^[a-z]+(-[a-z]+)*$/.test(k.kind)) throw new Error(`finding kind ${k.kind} (family ${f.name}): lower-case words joined by '-'`);
      if (seen.has(k.kind)) throw new Error(`finding kind ${k.kind} declared by families ${seen.get(k.kind)} and ${f.name}`);
      seen.set(k.kind, f.name);
      const precision = measured[k.kind] ?? k.precision;
      out.push({ ...k, ...(precision ? { precision } : {}), lead: LEADS_BY_DESIGN.includes(k.kind) || (!!precision && precision.value < LEDGER_PRECISION) });
    }
  }
  return out.sort((a, b) => a.rank - b.rank || (a.kind < b.kind ? -1 : 1));
}

export const KIND_SPECS: readonly KindSpec[] = kindsOf(FAMILIES);
const BY_KIND = new Map(KIND_SPECS.map((k) => [k.kind, k]));

/** Every kind, in ledger order. */
export const FINDING_KINDS: readonly FindingKind[] = KIND_SPECS.map((k) => k.kind);
const inGroup = (g: KindGroup) => KIND_SPECS.filter((k) => k.group === g).map((k) => k.kind);
export const OVERLAP_KINDS: FindingKind[] = inGroup('overlap');
export const GAP_KINDS: FindingKind[] = inGroup('gap');
export const CONFORMANCE_KINDS: FindingKind[] = inGroup('conformance');

export const KIND_NAMES_ZH: Record<FindingKind, string> = Object.fromEntries(KIND_SPECS.map((k) => [k.kind, k.nameZh]));

export const isFindingKind = (k: string): k is FindingKind => BY_KIND.has(k);

export function kindSpec(kind: FindingKind): KindSpec {
  const k = BY_KIND.get(kind);
  if (!k) throw new Error(`unknown finding kind ${kind}`);
  return k;
}

export const severityOf = (kind: FindingKind): Severity => kindSpec(kind).severity;

/** Position in the ledger's order. */
export const kindRank = (kind: FindingKind): number => FINDING_KINDS.indexOf(kind);
