/*
 * Draws the labelled sample of findings on real data (docs/findings.md, "Precision on real data"):
 *
 *   node -r ./bin/ts-register.js scripts/calibration/sample-findings.ts [--out scripts/calibration/labelled-findings.json]
 *
 * Builds the real-data registries (real-registry.ts: the Karamay lists as catalogue, city list, district list
 * from the 县市区级 rows, 三定 from the 部门职责 column; 广安区's list in a registry of its own), computes
 * every finding of the city, the district and 广安区 on 2024-06-01, and takes per kind every finding, or — for a kind with more than its quota —
 * the first ones in the order of their ids (ids are hashes: a fixed pseudo-random draw that does not
 * depend on the texts). Each drawn finding is written with the texts a labeller reads (both sides of it,
 * and what the list's own rows say) and the label already given to that id, if any: re-drawing keeps the
 * labels; a finding no longer produced is dropped and said so.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Finding, findingsOn } from '../../libs/projections/src/findings/findings.query';
import { RegistryProjection } from '../../libs/projections/src/registry/registry.projection';
import { AT, CITY, DISTRICT, GUANGAN, RealRegistry, buildGuanganRegistry, buildRealRegistry } from './real-registry';

/** At most this many findings of a kind (every one when fewer). */
export const QUOTA: Record<string, number> = { 'unapproved-duty': 80, 'duty-missing': 60 };
const DEFAULT_QUOTA = 100;

export type Label = 'true' | 'false';
export interface LabelledFinding {
  id: string;
  kind: string;
  title: string;
  /** What the labeller reads: both sides of the finding and the rows' own words. */
  texts: Record<string, unknown>;
  label?: Label;
  reason?: string;
}
export interface LabelledFile {
  about: string;
  rules: string;
  drawn: { at: string; regions: string[]; produced: Record<string, number>; quota: Record<string, number> };
  labelledBy: string;
  findings: LabelledFinding[];
}

const squash = (s: string) => s.replace(/\s+/g, '');
type Fields = Record<string, string>;
function holdingFields(view: RegistryProjection, region: string, item: string, department: string): Fields {
  let out: Fields = {};
  for (const f of view.assignmentFacts(region, item)) {
    const e = f.event;
    if (e.type === 'ItemAssigned' && e.data.departmentId === department) out = (e.data.asPublished as { fields?: Fields } | undefined)?.fields ?? out;
  }
  return out;
}

/** The item names whose rows cite this 部门职责 text (the list's own claim that they rest on it). */
function citing(view: RegistryProjection, department: string, duty: string): string[] {
  const out: string[] = [];
  for (const { regionCode, itemCode } of view.entriesOf(department)) {
    const fields = holdingFields(view, regionCode, itemCode, department);
    if (squash(fields['部门职责'] ?? '') === squash(duty)) out.push(view.catalogItem(itemCode)[0]?.name ?? itemCode);
  }
  return out.sort();
}

function textsOf(view: RegistryProjection, f: Finding): Record<string, unknown> {
  const dep = f.department as { departmentId: string; departmentName: string } | undefined;
  const item = f.item as { itemCode: string; itemName: string } | undefined;
  switch (f.kind) {
    case 'similar': {
      const side = (x: Record<string, unknown>) => ({ department: x.departmentName, kind: x.kind, text: x.text, ...(x.type ? { type: x.type } : {}) });
      return { score: f.score, a: side(f.a as Record<string, unknown>), b: side(f.b as Record<string, unknown>) };
    }
    case 'multi-level': {
      const level = (x: { regionName: string; holders: Array<{ departmentName: string }> }) => ({ region: x.regionName, holders: x.holders.map((h) => h.departmentName) });
      const scope = f.scope as { upper: string; lower: string; verdict: string };
      return { item: item!.itemName, upper: { ...level(f.upper as never), scope: scope.upper }, lower: { ...level(f.lower as never), scope: scope.lower }, verdict: scope.verdict, reasons: f.reasons };
    }
    case 'unapproved-duty': {
      const own = holdingFields(view, f.region, item!.itemCode, dep!.departmentId)['部门职责'] ?? '';
      return { department: dep!.departmentName, item: item!.itemName, reason: f.reason, bestMatch: f.bestMatch ?? null, rowDuty: squash(own) };
    }
    case 'duty-deviation': {
      const own = holdingFields(view, f.region, item!.itemCode, dep!.departmentId)['部门职责'] ?? '';
      const o = f.other as { departmentName: string; text: string; score: number };
      return { department: dep!.departmentName, item: item!.itemName, own: f.own ?? null, other: { department: o.departmentName, duty: o.text, score: o.score }, rowDuty: squash(own) };
    }
    case 'duty-missing': {
      const d = f.duty as { text: string };
      const items = citing(view, dep!.departmentId, d.text);
      return { department: dep!.departmentName, duty: d.text, itemsCitingIt: items.length, examples: items.slice(0, 3) };
    }
    case 'no-sanding':
      return { department: dep!.departmentName, region: f.region, items: f.items };
    default:
      return { title: f.title };
  }
}

/** Every finding on the real data: Karamay's city and district, and 广安区 (its own registry), each with its view. */
export async function realFindings(): Promise<{ findings: Array<{ finding: Finding; view: RegistryProjection }>; close(): Promise<void> }> {
  const sets: Array<[RealRegistry, string[]]> = [
    [await buildRealRegistry(), [CITY, DISTRICT]],
    [await buildGuanganRegistry(), [GUANGAN]],
  ];
  const byId = new Map<string, { finding: Finding; view: RegistryProjection }>();
  for (const [r, regions] of sets) for (const region of regions) for (const f of findingsOn(r.view, { region, at: AT }).findings) byId.set(f.id, { finding: f, view: r.view });
  return { findings: [...byId.values()], close: async () => void (await Promise.all(sets.map(([r]) => r.close()))) };
}

export async function draw(previous?: LabelledFile): Promise<LabelledFile> {
  const real = await realFindings();
  try {
    const byKind = new Map<string, Array<{ finding: Finding; view: RegistryProjection }>>();
    for (const x of real.findings.sort((a, b) => (a.finding.id < b.finding.id ? -1 : 1))) byKind.set(x.finding.kind, [...(byKind.get(x.finding.kind) ?? []), x]);
    const produced = Object.fromEntries([...byKind].map(([k, l]) => [k, l.length]));
    const old = new Map((previous?.findings ?? []).map((x) => [x.id, x]));
    const findings: LabelledFinding[] = [];
    for (const [kind, list] of [...byKind].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const { finding: f, view } of list.slice(0, QUOTA[kind] ?? DEFAULT_QUOTA)) {
        const was = old.get(f.id);
        findings.push({ id: f.id, kind, title: f.title, texts: textsOf(view, f), ...(was?.label ? { label: was.label, reason: was.reason } : {}) });
        old.delete(f.id);
      }
    }
    for (const gone of old.values()) if (gone.label) process.stderr.write(`dropped (no longer drawn): ${gone.id} ${gone.label}\n`);
    return {
      about: previous?.about ?? 'Findings the engine produces on real lists (scripts/calibration/real-registry.ts), drawn by scripts/calibration/sample-findings.ts and labelled by reading both texts; precision per kind by scripts/calibration/precision.ts into docs/findings.md.',
      rules: previous?.rules ?? 'docs/findings.md, "Labelling rules"',
      drawn: { at: AT, regions: [CITY, DISTRICT, GUANGAN], produced, quota: { ...QUOTA, other: DEFAULT_QUOTA } },
      labelledBy: previous?.labelledBy ?? '',
      findings,
    };
  } finally {
    await real.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : resolve(__dirname, 'labelled-findings.json'));
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as LabelledFile) : undefined;
  const file = await draw(previous);
  writeFileSync(out, JSON.stringify(file, null, 1) + '\n');
  const n = (k: string) => file.findings.filter((f) => f.kind === k).length;
  process.stdout.write(`${out}: ${file.findings.length} findings drawn (${Object.keys(file.drawn.produced).map((k) => `${k} ${n(k)}/${file.drawn.produced[k]}`).join(', ')}); unlabelled ${file.findings.filter((f) => !f.label).length}\n`);
}

if (require.main === module) void main();
