/*
 * Precision per finding kind on the labelled sample of real findings (scripts/calibration/labelled-findings.json):
 *
 *   node -r ./bin/ts-register.js scripts/calibration/precision.ts [--write]
 *
 * Prints the table; --write puts it into docs/findings.md between the precision markers. The engine's
 * table of measured precision (libs/projections/src/findings/precision.ts) must say the same: the int test
 * scripts/calibration/precision.int.spec.ts compares them, so the leads (线索) follow the measurement.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LEDGER_PRECISION } from '../../libs/projections/src/findings/family';

export interface LabelledSample {
  drawn: { produced: Record<string, number> };
  findings: Array<{ id: string; kind: string; label?: string; reason?: string }>;
}

export interface KindPrecision {
  kind: string;
  /** Findings of the kind the engine produced on the real data. */
  produced: number;
  /** Labelled findings of the kind in the sample. */
  sample: number;
  truePositives: number;
  /** truePositives / sample, to 2 decimals. */
  precision: number;
  /** A lead (线索): below the ledger's bar. */
  lead: boolean;
}

export const SAMPLE_FILE = resolve(__dirname, 'labelled-findings.json');
export const readSample = (file = SAMPLE_FILE): LabelledSample => JSON.parse(readFileSync(file, 'utf8')) as LabelledSample;

export function precisionByKind(s: LabelledSample): KindPrecision[] {
  const by = new Map<string, { n: number; t: number }>();
  for (const f of s.findings) {
    if (f.label !== 'true' && f.label !== 'false') throw new Error(`${f.id}: no label (true | false)`);
    const x = by.get(f.kind) ?? { n: 0, t: 0 };
    x.n++;
    if (f.label === 'true') x.t++;
    by.set(f.kind, x);
  }
  return [...by]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, { n, t }]) => {
      const precision = Math.round((t / n) * 100) / 100;
      return { kind, produced: s.drawn.produced[kind] ?? 0, sample: n, truePositives: t, precision, lead: t / n < LEDGER_PRECISION };
    });
}

export function table(rows: KindPrecision[]): string {
  const total = rows.reduce((n, r) => n + r.sample, 0);
  return [
    `| kind | produced on the real data | labelled (n) | true | precision | shown as |`,
    `|---|---|---|---|---|---|`,
    ...rows.map((r) => `| \`${r.kind}\` | ${r.produced} | ${r.sample} | ${r.truePositives} | ${r.precision.toFixed(2)} | ${r.lead ? '线索 (lead)' : 'ledger'} |`),
    `| all | ${rows.reduce((n, r) => n + r.produced, 0)} | ${total} | ${rows.reduce((n, r) => n + r.truePositives, 0)} | | |`,
  ].join('\n');
}

const BEGIN = '<!-- precision:begin (scripts/calibration/precision.ts --write) -->';
const END = '<!-- precision:end -->';

function main(): void {
  const rows = precisionByKind(readSample());
  const t = table(rows);
  process.stdout.write(t + '\n');
  if (process.argv.includes('--write')) {
    const doc = resolve(__dirname, '../../docs/findings.md');
    const text = readFileSync(doc, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error(`docs/findings.md has no ${BEGIN} … ${END} section`);
    writeFileSync(doc, text.slice(0, a + BEGIN.length) + '\n' + t + '\n' + text.slice(b));
    process.stdout.write('written to docs/findings.md\n');
  }
}

if (require.main === module) main();
