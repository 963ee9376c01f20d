/*
 * Calibration of the similarity thresholds on the real Karamay lists (docs/similarity-calibration.md).
 *
 *   node -r ./bin/ts-register.js scripts/calibration/calibrate.ts [--pairs-from 0.3] [--json]
 *
 * Prints (1) the cross-department pairs of item names of the same type by cosine, per score band, and
 * (2) how well containment links an item to the 部门职责 its own row gives (the list's own claim of the
 * 三定 duty it rests on): a ground truth for the link threshold and for 职责偏离.
 */
import { PairIndex, TEXT_VECTORS, TextVectors, normaliseText } from '../../libs/projections/src/findings/text-similarity';
import { KaramayItem, readKaramayLists } from './karamay-lists';

export interface CalibrationPair {
  score: number;
  a: { department: string; type: string; name: string };
  b: { department: string; type: string; name: string };
}

/** Every pair of items of different departments and the same type, cosine ≥ `from`, best first. */
export function crossDepartmentPairs(items: KaramayItem[], from: number, vectors: TextVectors = TEXT_VECTORS): CalibrationPair[] {
  const byType = new Map<string, KaramayItem[]>();
  for (const i of items) byType.set(i.type, [...(byType.get(i.type) ?? []), i]);
  const out: CalibrationPair[] = [];
  for (const [, list] of [...byType].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const index = new PairIndex(from, vectors);
    const byText = new Map<string, KaramayItem[]>();
    for (const i of list) byText.set(i.name, [...(byText.get(i.name) ?? []), i]);
    index.sync(byText.keys());
    const seen = new Set<string>();
    for (const [text, holders] of byText) {
      const partners: Array<[string, number]> = [[text, 1], ...index.similarTo(text)];
      for (const [other, score] of partners) {
        for (const a of holders) {
          for (const b of byText.get(other) ?? []) {
            if (a.department === b.department) continue;
            const key = [`${a.department}|${a.name}`, `${b.department}|${b.name}`].sort().join('\u0000');
            if (seen.has(key)) continue;
            seen.add(key);
            const [x, y] = a.department < b.department ? [a, b] : [b, a];
            out.push({ score, a: { department: x.department, type: x.type, name: x.name }, b: { department: y.department, type: y.type, name: y.name } });
          }
        }
      }
    }
  }
  return out.sort((p, q) => q.score - p.score || (p.a.name < q.a.name ? -1 : p.a.name > q.a.name ? 1 : p.b.name < q.b.name ? -1 : 1));
}

export interface LinkStats {
  items: number;
  duties: number;
  /** Share of items whose best duty of their own department (by containment) is at least t. */
  linkedAt: Record<string, number>;
  /** Of the items whose best own duty scores in the band, the share where it is the row's own duty. */
  precisionByBand: Array<{ from: number; to: number; items: number; precision: number }>;
  /** Items an item → duty rule would call 职责偏离 (own best < link, other best ≥ dev, margin). */
  deviations: Array<{ item: string; department: string; own: number; other: number; otherDepartment: string; otherDuty: string }>;
}

/** How containment links items to the 部门职责 texts, against the rows' own claims. */
export function linkStats(items: KaramayItem[], o: { link: number; deviation: number; margin: number }, vectors: TextVectors = TEXT_VECTORS): LinkStats {
  const withDuty = items.filter((i) => normaliseText(i.duty).length >= 4);
  const duties = new Map<string, { department: string; text: string }>();
  for (const i of withDuty) duties.set(`${i.department}|${normaliseText(i.duty)}`, { department: i.department, text: i.duty });
  const list = [...duties.entries()];
  const rows = withDuty.map((i) => {
    let own = 0;
    let ownKey = '';
    let other = 0;
    let otherKey = '';
    for (const [k, d] of list) {
      const s = vectors.containment(i.name, d.text);
      if (d.department === i.department) {
        if (s > own) [own, ownKey] = [s, k];
      } else if (s > other) [other, otherKey] = [s, k];
    }
    return { i, own, ownRight: ownKey === `${i.department}|${normaliseText(i.duty)}`, other, otherKey };
  });
  const linkedAt: Record<string, number> = {};
  for (const t of [0.2, 0.3, 0.4, 0.5, 0.6]) linkedAt[t.toFixed(1)] = round(rows.filter((r) => r.own >= t).length / rows.length);
  const bands = [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.01];
  const precisionByBand = bands.slice(0, -1).map((from, k) => {
    const inBand = rows.filter((r) => r.own >= from && r.own < bands[k + 1]);
    return { from, to: Math.min(1, bands[k + 1]), items: inBand.length, precision: inBand.length ? round(inBand.filter((r) => r.ownRight).length / inBand.length) : 0 };
  });
  const deviations = rows
    .filter((r) => r.own < o.link && r.other >= o.deviation && r.other - r.own >= o.margin)
    .map((r) => ({ item: r.i.name, department: r.i.department, own: round(r.own), other: round(r.other), otherDepartment: duties.get(r.otherKey)!.department, otherDuty: duties.get(r.otherKey)!.text }));
  return { items: rows.length, duties: list.length, linkedAt, precisionByBand, deviations };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function main(): void {
  const args = process.argv.slice(2);
  const from = Number(args[args.indexOf('--pairs-from') + 1] ?? 0.3) || 0.3;
  const items = readKaramayLists();
  const pairs = crossDepartmentPairs(items, from);
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ pairs, links: linkStats(items, { link: 0.4, deviation: 0.5, margin: 0.15 }) }, null, 2) + '\n');
    return;
  }
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`items ${items.length}; cross-department same-type pairs ≥ ${from}: ${pairs.length}`);
  for (const t of [0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3]) out(`  ≥ ${t.toFixed(2)}: ${pairs.filter((p) => p.score >= t).length}`);
  for (const p of pairs) out(`${p.score.toFixed(3)}  ${p.a.type}  ${p.a.department}｜${p.a.name}  <>  ${p.b.department}｜${p.b.name}`);
  const s = linkStats(items, { link: 0.4, deviation: 0.5, margin: 0.15 });
  out(`\nitem → 部门职责 (containment): ${s.items} items, ${s.duties} distinct duties`);
  out(`linked (own best ≥ t): ${JSON.stringify(s.linkedAt)}`);
  for (const b of s.precisionByBand) out(`  own best in [${b.from}, ${b.to}): ${b.items} items, top-1 is the row's duty: ${b.precision}`);
  out(`职责偏离 (own < 0.4, other ≥ 0.5, margin ≥ 0.15): ${s.deviations.length}`);
  for (const d of s.deviations) out(`  ${d.own}→${d.other} ${d.department}｜${d.item}  ⇒  ${d.otherDepartment}｜${d.otherDuty.slice(0, 80)}`);
}

if (require.main === module) main();
