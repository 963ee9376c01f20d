/**
 * `npm run agree -- --file DIR/events.db [--lists N] [--seed N] [--list '{"region":…,"at":…,"asKnownAt":…}']`
 *
 * The PostgreSQL agreement check alone, on a log generated already (`npm run gen`): rebuilds quanze's
 * read model, loads a private PostgreSQL with the same history and compares the answers (bench/agreement.ts),
 * printing every disagreement with the elements only one side has. Exits 1 on any disagreement.
 */
import { SqliteEventStore } from '../libs/event-store/src';
import { ProjectionRunner, RegistryProjection } from '../libs/projections/src';
import { Question, checkAgreement } from './agreement';
import { Rng, dateOf, dayOf } from './gen/rng';
import { loadIntoPostgres, startPostgres } from './peer-postgres';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const log = (s: string) => console.error(`[agree ${new Date().toISOString().slice(11, 19)}] ${s}`);

async function main() {
  const file = opt('file');
  if (!file) throw new Error('--file DIR/events.db is required');
  const rng = new Rng(Number(opt('seed') ?? 1));
  const randomDay = () => dateOf(rng.int(dayOf('2015-07-01'), dayOf('2024-12-31')));
  const randomInstant = () => new Date((rng.int(dayOf('2015-01-05'), dayOf('2025-07-01')) * 86400 + rng.int(0, 86399)) * 1000 + rng.int(0, 999)).toISOString();
  const store = new SqliteEventStore({ file });
  const view = new RegistryProjection();
  await new ProjectionRunner(store, [view]).rebuild();
  await store.close();
  log(`read model rebuilt: ${view.factCount} facts`);
  const entries = [...view.entryKeys()];
  const regions = [...view.regionCodes()].filter((c) => view.hasEntriesIn(c));
  const nLists = Number(opt('lists') ?? 2000);
  const lists: Question[] = opt('list') ? [JSON.parse(opt('list')!)] : Array.from({ length: nLists }, (_, i) => ({ region: rng.pick(regions), at: randomDay(), ...(i % 2 ? { asKnownAt: randomInstant() } : {}) }));
  const ownershipQ = opt('list') ? [] : Array.from({ length: 2000 }, (_, i) => {
    const e = rng.pick(entries);
    return { region: e.regionCode, item: e.itemCode, at: randomDay(), ...(i % 2 ? { asKnownAt: randomInstant() } : {}) };
  });
  const histories = opt('list') ? [] : rng.sample(entries, 500).map((e) => ({ region: e.regionCode, item: e.itemCode }));
  const srv = await startPostgres({ log, portRange: [42100, 42199] });
  try {
    const pg = await srv.connect();
    const loaded = await loadIntoPostgres(pg, file, log);
    log(`PostgreSQL loaded: ${JSON.stringify(loaded.rows)}`);
    const a = await checkAgreement(view, pg, { ownership: ownershipQ, lists, histories }, log);
    await pg.end();
    console.log(JSON.stringify(a, null, 2));
    process.exitCode = a.disagreements ? 1 : 0;
  } finally {
    srv.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
