import { LEDGER_PRECISION } from '../../libs/projections/src/findings/family';
import { KIND_SPECS, kindSpec } from '../../libs/projections/src/findings/kinds';
import { LEADS_BY_DESIGN, MEASURED_PRECISION } from '../../libs/projections/src/findings/precision';
import { precisionByKind, readSample } from './precision';

/**
 * Issue 17.2: the leads (线索) follow the precision measured on real data. The labelled sample
 * (labelled-findings.json, drawn by sample-findings.ts, labelled by the rules in docs/findings.md) is read
 * here as data: this test does not tune anything to it, it checks that the engine's table says what the
 * labels say and that the kinds shown as leads are exactly the measured ones below the bar.
 */
describe('precision per kind, measured on the labelled real findings', () => {
  const sample = readSample();
  const measured = precisionByKind(sample);

  test('the sample: at least 200 labelled findings, every kind the engine produced on the real data, each with a label and a reason', () => {
    expect(sample.findings.length).toBeGreaterThanOrEqual(200);
    expect(new Set(sample.findings.map((f) => f.id)).size).toBe(sample.findings.length);
    expect(measured.map((m) => m.kind).sort()).toEqual(Object.keys(sample.drawn.produced).sort());
    for (const f of sample.findings) expect([f.id, ['true', 'false'].includes(f.label ?? ''), (f.reason ?? '').length > 0]).toEqual([f.id, true, true]);
  });

  test("the engine's table of measured precision is the labelled file's (value and n)", () => {
    expect(Object.fromEntries(Object.entries(MEASURED_PRECISION).map(([k, v]) => [k, [v.value, v.sample]]))).toEqual(Object.fromEntries(measured.map((m) => [m.kind, [m.precision, m.sample]])));
  });

  test('the kinds marked as leads are exactly the measured kinds below 0.9, and the leads by design', () => {
    const below = measured.filter((m) => m.truePositives / m.sample < LEDGER_PRECISION).map((m) => m.kind);
    const leads = KIND_SPECS.filter((k) => k.lead).map((k) => k.kind);
    expect(leads.filter((k) => MEASURED_PRECISION[k]).sort()).toEqual(below.sort());
    // a kind not measured is a lead only by design (it says it cannot judge), never by a guess
    expect(leads.filter((k) => !MEASURED_PRECISION[k]).sort()).toEqual([...LEADS_BY_DESIGN].sort());
    for (const m of measured) expect([m.kind, kindSpec(m.kind).precision?.value]).toEqual([m.kind, m.precision]);
  });
});
