/**
 * A/B of the registry read model (issue 14 "no worse"): on one generated log, rebuild RegistryProjection
 * alone (what the bench measured before #14) R times, then ownership as known now / at an instant on the
 * same 50,000 queries. Works on the tree it is copied into (old and new code): only stable APIs used.
 * node -r ./bin/ts-register.js bench/ab-registry.ts --store FILE [--rounds 3]
 */
import { loadavg } from 'node:os';
import { SqliteEventStore } from '../libs/event-store/src';
import { ProjectionRunner, RegistryProjection, ownership } from '../libs/projections/src';

const arg = (n: string, d?: string) => { const i = process.argv.indexOf(`--${n}`); return i >= 0 ? process.argv[i + 1] : d; };
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const file = arg('store')!;
  const rounds = Number(arg('rounds', '3'));
  const store = new SqliteEventStore({ file });
  const rates: number[] = [];
  let view!: RegistryProjection;
  const pairs: Array<[string, string, string]> = [];
  for (let r = 0; r < rounds; r++) {
    view = new RegistryProjection();
    const collect = { name: 'ab-collect', apply: (f: any) => { if (r === 0 && f.event.type === 'ItemAssigned') pairs.push([f.event.data.regionCode, f.event.data.itemCode, f.event.data.effectiveFrom]); }, state: () => null, reset: () => undefined };
    const runner = new ProjectionRunner(store as any, [view, collect as any]);
    const t0 = process.hrtime.bigint();
    const head = await runner.rebuild();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(head / s);
    console.log(`rebuild ${r + 1}: ${head} events in ${s.toFixed(2)} s = ${Math.round(head / s)} events/s (load ${loadavg()[0].toFixed(1)})`);
    (global as any).gc?.();
  }
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const qs = Array.from({ length: 50000 }, () => { const p = pairs[Math.floor(rnd() * pairs.length)]; const y = 2016 + Math.floor(rnd() * 10); return { region: p[0], item: p[1], at: `${y}-06-01` }; });
  const lat = (asKnownAt?: string) => { const xs: number[] = []; for (const q of qs) { const t = process.hrtime.bigint(); ownership(view, asKnownAt ? { ...q, asKnownAt } : q); xs.push(Number(process.hrtime.bigint() - t) / 1e3); } return xs; };
  lat(); // warm-up
  const now = lat();
  const known = lat('2024-01-01T00:00:00.000Z');
  console.log(JSON.stringify({ rebuildMedian: Math.round(pct(rates, 50)), rebuilds: rates.map(Math.round), ownP50us: +pct(now, 50).toFixed(1), ownP99us: +pct(now, 99).toFixed(1), knownP50us: +pct(known, 50).toFixed(1), knownP99us: +pct(known, 99).toFixed(1), load: +loadavg()[0].toFixed(1) }));
  await store.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
