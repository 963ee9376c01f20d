/*
 * Builds libs/projections/src/findings/idf-karamay.json: the document frequencies of character bigrams in
 * the real Karamay lists (every distinct item name and every distinct 部门职责 text), the fixed IDF of the
 * similarity measures (text-similarity.ts). Deterministic: the same files give a byte-identical table.
 *
 *   node -r ./bin/ts-register.js scripts/calibration/build-idf.ts [sharedDataDir]
 *
 * Only bigrams seen in at least two documents are kept (a bigram seen once weighs as one never seen).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigrams, normaliseText } from '../../libs/projections/src/findings/text-similarity';
import { readKaramayLists } from './karamay-lists';

export function documentFrequencies(texts: Iterable<string>): { n: number; df: Record<string, number> } {
  const docs = new Set<string>();
  for (const t of texts) {
    const k = normaliseText(t);
    if (k) docs.add(k);
  }
  const df = new Map<string, number>();
  for (const d of docs) for (const g of bigrams(d).keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, c]) => c >= 2).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { n: docs.size, df: Object.fromEntries(kept) };
}

function main(): void {
  const items = readKaramayLists(process.argv[2]);
  const table = documentFrequencies([...items.map((i) => i.name), ...items.map((i) => i.duty).filter(Boolean)]);
  const out = join(__dirname, '../../libs/projections/src/findings/idf-karamay.json');
  writeFileSync(out, JSON.stringify(table) + '\n');
  process.stderr.write(`wrote ${out}: ${table.n} documents, ${Object.keys(table.df).length} bigrams\n`);
}

if (require.main === module) main();
