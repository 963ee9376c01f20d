/**
 * The demo data set is read from the real lists by the importer's own reader (issue 14: no third
 * spreadsheet parser). Rebuilding it from ../shared/data must give exactly the committed
 * libs/demo/src/demo-data.json: a change in the importer's reading that moves the demo shows here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildDemoData } from './build-demo-data';

const dataDir = path.resolve(__dirname, '..', '..', 'shared', 'data');
const committed = path.resolve(__dirname, '..', 'libs', 'demo', 'src', 'demo-data.json');
const haveData = fs.existsSync(path.join(dataDir, 'karamay-qzqd', 'xls'));
if (!haveData) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED build-demo-data.int.spec: the shared real data (${dataDir}) is not on this machine`);
}

(haveData ? describe : describe.skip)('demo data built through the importer', () => {
  it('equals the committed demo-data.json, byte for byte', () => {
    const { data, summary } = buildDemoData(dataDir);
    expect(JSON.stringify(data, null, 2) + '\n').toBe(fs.readFileSync(committed, 'utf8'));
    expect(data.items.length).toBeGreaterThan(80);
    expect(summary.some((l) => l.startsWith('similar pairs'))).toBe(true);
  });
});
