import { Api, json, send } from '../support/http';
import { CITY, COUNTIES, DOC } from '../support/seed';
import { StoreReader } from '../support/store-reader';

export interface RaceOptions {
  /** One server, or several processes on the same data dir: a race then crosses processes and the store's lock decides. */
  bases: string[];
  dataDir: string;
  editorToken: string;
  rounds: number;
  clients: number;
  /** Departments D1.. in CITY from seedWorld (at least 4). */
  departments: string[];
  onRound?: (n: number) => void;
}

export interface RaceResult {
  rounds: number;
  requests: number;
  winners: number;
  losers: number;
  byScenario: Record<string, { rounds: number; winners: number; losers: number }>;
  byStatus: Record<string, number>;
  violations: string[];
}

interface Shot {
  tag: string;
  status: number;
  code?: string;
  eventIds?: string[];
  streamVersion?: number;
  body: unknown;
  error?: string;
}

type Scenario = (k: number) => Promise<{ name: string; shots: Shot[]; check: (shots: Shot[], reader: StoreReader, startHead: number) => string[] }>;

const day = (base: string, n: number) => new Date(Date.parse(`${base}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Many clients send conflicting commands on the same records at the same instant, with and
 * without expectedVersion. After each round, from the log itself: exactly one winner per stream
 * version, losers got 409 and appended nothing, and what is stored is exactly what the winners were told.
 */
export async function runRaces(opts: RaceOptions): Promise<RaceResult> {
  const api = new Api(opts.bases[0], opts.editorToken);
  const result: RaceResult = { rounds: 0, requests: 0, winners: 0, losers: 0, byScenario: {}, byStatus: {}, violations: [] };
  const run = Math.random().toString(36).slice(2, 10);
  let seq = 0;
  const must = async (path: string, body: object) => {
    const r = await api.post(path, body);
    if (r.status >= 300 || r.status === 0) throw new Error(`race setup ${path} → ${r.status} ${r.text.slice(0, 200)}`);
    return r.body as { eventIds: string[]; streamVersion: number };
  };
  /** Fires all requests at once (each on its own connection, released together). */
  const volley = async (reqs: Array<{ path: string; body: object; idempotencyKey?: string }>): Promise<Shot[]> => {
    const tags = reqs.map(() => `race-${run}-${seq++}`);
    const rs = await Promise.all(
      reqs.map((q, i) =>
        send(opts.bases[i % opts.bases.length], {
          method: 'POST',
          path: q.path,
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${opts.editorToken}`,
            'X-Correlation-Id': tags[i],
            ...(q.idempotencyKey ? { 'Idempotency-Key': q.idempotencyKey } : {}),
          },
          body: JSON.stringify(q.body),
        }),
      ),
    );
    return rs.map((r, i) => {
      const b = json(r);
      return { tag: tags[i], status: r.status, code: b?.code, eventIds: b?.eventIds, streamVersion: b?.streamVersion, body: b, error: r.error };
    });
  };
  const winners = (s: Shot[]) => s.filter((x) => x.status >= 200 && x.status < 300);
  const exactlyOne = (name: string) => (s: Shot[]) => (winners(s).length === 1 ? [] : [`${name}: ${winners(s).length} winners, expected exactly 1 (${s.map((x) => x.status + (x.code ? ' ' + x.code : '')).join(', ')})`]);

  const scenarios: Scenario[] = [
    // 1. expectedVersion: everyone saw version v; one rename is applied, the rest are 409 WRONG_EXPECTED_VERSION.
    async (k) => {
      const id = `RV${k}`;
      const v = (await must('/api/departments', { id, name: `竞态局${k}`, regionCode: CITY, effectiveFrom: '2001-01-01', document: DOC() })).streamVersion;
      const shots = await volley(Array.from({ length: opts.clients }, (_, i) => ({ path: `/api/departments/${id}/rename`, body: { name: `竞态局${k}-${i}`, effectiveFrom: '2010-01-01', document: DOC(), expectedVersion: v } })));
      return {
        name: 'rename with expectedVersion',
        shots,
        check: (s, reader) => [
          ...exactlyOne('rename with expectedVersion')(s),
          ...s.filter((x) => x.status === 409 && x.code !== 'WRONG_EXPECTED_VERSION').map((x) => `loser answered 409 ${x.code}, expected WRONG_EXPECTED_VERSION`),
          ...(reader.streamVersion(`department-${id}`) === v + 1 ? [] : [`department-${id} is at version ${reader.streamVersion(`department-${id}`)}, expected ${v + 1}`]),
        ],
      };
    },
    // 2. Without expectedVersion, conflicting: everyone transfers the item away from D1; one can.
    async (k) => {
      const item = `RT${k}`;
      await must('/api/catalog/items', { code: item, name: `竞态事项${k}`, type: '行政检查', basis: [], levels: ['city', 'county'], effectiveFrom: '2000-01-01', document: DOC() });
      await must(`/api/regions/${CITY}/items/${item}/assign`, { departmentId: opts.departments[0], role: 'lead', effectiveFrom: '2005-01-01', document: DOC() });
      const targets = opts.departments.slice(1);
      const shots = await volley(Array.from({ length: opts.clients }, (_, i) => ({ path: `/api/regions/${CITY}/items/${item}/transfer`, body: { fromDepartmentId: opts.departments[0], toDepartmentId: targets[i % targets.length], effectiveFrom: '2006-01-01', document: DOC() } })));
      return { name: 'conflicting transfers', shots, check: (s) => exactlyOne('conflicting transfers')(s) };
    },
    // 3. Without expectedVersion, not conflicting: each issues a 三定 for a different date; nobody's update is lost.
    async (k) => {
      const id = `RS${k}`;
      await must('/api/departments', { id, name: `三定局${k}`, regionCode: CITY, effectiveFrom: '2001-01-01', document: DOC() });
      const shots = await volley(
        Array.from({ length: opts.clients }, (_, i) => ({
          path: `/api/departments/${id}/sanding`,
          body: { effectiveFrom: day('2002-01-01', i), document: DOC(), duties: [{ id: `d${i}`, text: `职责${i}` }], internalOrgans: [], staffing: { authorized: 10 + i, leaders: 1 } },
        })),
      );
      return {
        name: 'independent 三定 versions',
        shots,
        check: (s, reader) => {
          const out: string[] = [];
          const w = winners(s);
          if (w.length === 0) out.push('independent 三定 versions: nobody won');
          for (const x of s) if (x.status === 409 && x.code !== 'WRONG_EXPECTED_VERSION') out.push(`independent 三定 versions: a loser answered 409 ${x.code}`);
          // No lost update: every winner's version is in the stream with its own data.
          const stream = reader.events(0).filter((e) => e.stream === `department-${id}` && e.type === 'SandingIssued');
          for (const x of w) {
            const e = stream.find((ev) => x.eventIds?.includes(ev.id));
            if (!e) out.push(`independent 三定 versions: winner ${x.tag} lost its update`);
          }
          if (stream.length !== w.length) out.push(`independent 三定 versions: ${stream.length} versions stored for ${w.length} winners`);
          return out;
        },
      };
    },
    // 4. Create race: the same department id registered by everyone at once.
    async (k) => {
      const id = `RC${k}`;
      const shots = await volley(Array.from({ length: opts.clients }, (_, i) => ({ path: '/api/departments', body: { id, name: `同号局${k}-${i}`, regionCode: CITY, effectiveFrom: '2001-01-01', document: DOC() } })));
      return {
        name: 'same id created',
        shots,
        check: (s, reader) => {
          const out = exactlyOne('same id created')(s);
          const stored = reader.events(0).filter((e) => e.stream === `department-${id}`);
          const w = winners(s)[0];
          if (stored.length !== 1) out.push(`same id created: ${stored.length} events in department-${id}`);
          else if (w && !w.eventIds?.includes(stored[0].id)) out.push('same id created: the stored department is not the winner’s');
          return out;
        },
      };
    },
    // 5. One command retried at once with the same Idempotency-Key: recorded once, every success tells the same ids.
    async (k) => {
      const id = `RI${k}`;
      await must('/api/departments', { id, name: `幂等局${k}`, regionCode: CITY, effectiveFrom: '2001-01-01', document: DOC() });
      const key = `race-idem-${run}-${k}`;
      const shots = await volley(Array.from({ length: opts.clients }, () => ({ path: `/api/departments/${id}/rename`, body: { name: `幂等局${k}（新）`, effectiveFrom: '2010-01-01', document: DOC() }, idempotencyKey: key })));
      return {
        name: 'same Idempotency-Key',
        shots,
        check: (s, reader) => {
          const out: string[] = [];
          const w = winners(s);
          const ids = new Set(w.map((x) => JSON.stringify(x.eventIds)));
          if (w.length === 0) out.push('same Idempotency-Key: nobody succeeded');
          if (ids.size > 1) out.push(`same Idempotency-Key: successes told different event ids ${[...ids].join(' / ')}`);
          const renamed = reader.events(0).filter((e) => e.stream === `department-${id}` && e.type === 'DepartmentRenamed');
          if (renamed.length !== 1) out.push(`same Idempotency-Key: recorded ${renamed.length} times`);
          return out;
        },
      };
    },
    // 6. Several streams at once: a delegation to two counties against transfers of the same item.
    async (k) => {
      const item = `RD${k}`;
      await must('/api/catalog/items', { code: item, name: `下放事项${k}`, type: '行政许可', basis: [], levels: ['city', 'county'], effectiveFrom: '2000-01-01', document: DOC() });
      await must(`/api/regions/${CITY}/items/${item}/assign`, { departmentId: opts.departments[0], role: 'lead', effectiveFrom: '2005-01-01', document: DOC() });
      const reqs = Array.from({ length: opts.clients }, (_, i) =>
        i % 2 === 0
          ? { path: `/api/regions/${CITY}/items/${item}/delegate`, body: { toRegionCodes: [COUNTIES[0], COUNTIES[1 + (i % 3)]], effectiveFrom: '2006-01-01', document: DOC() } }
          : { path: `/api/regions/${CITY}/items/${item}/transfer`, body: { fromDepartmentId: opts.departments[0], toDepartmentId: opts.departments[1], effectiveFrom: '2006-01-01', document: DOC() } },
      );
      const shots = await volley(reqs);
      return {
        name: 'delegation against transfers',
        shots,
        check: (s, reader) => {
          const out: string[] = [];
          const w = winners(s);
          if (w.length === 0) out.push('delegation against transfers: nobody won');
          // A delegation writes the parent's stream and each child's, in one append.
          for (const x of w) {
            const evs = reader.events(0).filter((e) => x.eventIds?.includes(e.id));
            if (evs.length !== x.eventIds?.length) out.push(`delegation against transfers: ${x.tag} has ${evs.length} of ${x.eventIds?.length} events`);
            if (new Set(evs.map((e) => e.recordedAt)).size > 1) out.push(`delegation against transfers: ${x.tag} was stored in more than one append`);
          }
          const transfers = reader.events(0).filter((e) => e.stream === `assignment-${CITY}-${item}` && e.type === 'ItemTransferred');
          if (transfers.length > 1) out.push(`delegation against transfers: ${transfers.length} transfers of one holding`);
          return out;
        },
      };
    },
    // 7. Everyone retracts the same event: one retraction.
    async (k) => {
      const id = `RR${k}`;
      await must('/api/departments', { id, name: `撤回局${k}`, regionCode: CITY, effectiveFrom: '2001-01-01', document: DOC() });
      const renamed = await must(`/api/departments/${id}/rename`, { name: `撤回局${k}（误）`, effectiveFrom: '2010-01-01', document: DOC() });
      const shots = await volley(Array.from({ length: opts.clients }, () => ({ path: `/api/events/${renamed.eventIds[0]}/retract`, body: { reason: '录入错误', document: DOC('更正') } })));
      return { name: 'same event retracted', shots, check: (s) => exactlyOne('same event retracted')(s) };
    },
    // 8. Half with expectedVersion, half without: at most one versioned winner, and none if an unversioned one was first.
    async (k) => {
      const id = `RM${k}`;
      const v = (await must('/api/departments', { id, name: `混合局${k}`, regionCode: CITY, effectiveFrom: '2001-01-01', document: DOC() })).streamVersion;
      const shots = await volley(
        Array.from({ length: opts.clients }, (_, i) => ({
          path: `/api/departments/${id}/rename`,
          body: { name: `混合局${k}-${i}`, effectiveFrom: day('2010-01-01', i), document: DOC(), ...(i % 2 === 0 ? { expectedVersion: v } : {}) },
        })),
      );
      return {
        name: 'mixed expectedVersion',
        shots,
        check: (s) => {
          const versioned = s.filter((x, i) => i % 2 === 0 && x.status < 300);
          const out: string[] = [];
          if (versioned.length > 1) out.push(`mixed expectedVersion: ${versioned.length} winners expected version ${v}`);
          if (versioned.length === 1 && versioned[0].streamVersion !== v + 1) out.push(`mixed expectedVersion: the versioned winner landed at ${versioned[0].streamVersion}, not ${v + 1}`);
          return out;
        },
      };
    },
  ];

  for (let k = 0; k < opts.rounds; k++) {
    const scenario = scenarios[k % scenarios.length];
    const before = new StoreReader(opts.dataDir);
    const startHead = before.head().position;
    before.close();
    const { name, shots, check } = await scenario(k);
    const reader = new StoreReader(opts.dataDir);
    try {
      const problems = check(shots, reader, startHead);
      // The generic accounting, for every scenario.
      const appended = reader.events(0).filter((e) => e.position > startHead && String(e.metadata?.correlationId ?? '').startsWith(`race-${run}-`));
      const mine = new Set(shots.map((x) => x.tag));
      const roundEvents = appended.filter((e) => mine.has(String(e.metadata.correlationId)));
      const told = new Set(winners(shots).flatMap((x) => x.eventIds ?? []));
      for (const x of shots) {
        result.byStatus[x.status] = (result.byStatus[x.status] ?? 0) + 1;
        if (!(x.status >= 200 && x.status < 300) && x.status !== 409) problems.push(`${name}: ${x.tag} answered ${x.status}${x.code ? ' ' + x.code : ''}${x.error ? ' ' + x.error : ''} — a race loser must get 409`);
        if (x.status === 409 && roundEvents.some((e) => e.metadata.correlationId === x.tag)) problems.push(`${name}: loser ${x.tag} (409 ${x.code}) appended events`);
      }
      for (const e of roundEvents) if (!told.has(e.id)) problems.push(`${name}: event ${e.id} (${e.type}) stored but no winner was told`);
      for (const id of told) if (!roundEvents.some((e) => e.id === id)) problems.push(`${name}: a winner was told ${id}, which is not stored`);
      // Exactly one winner per version of each stream.
      const perVersion = new Map<string, string>();
      for (const e of roundEvents) {
        const k2 = `${e.stream}@${e.streamVersion}`;
        if (perVersion.has(k2) && perVersion.get(k2) !== e.metadata.commandId) problems.push(`${name}: two commands share ${k2}`);
        perVersion.set(k2, e.metadata.commandId);
      }
      const verify = reader.verify();
      if (!verify.ok) problems.push(`${name}: integrity check failed: ${JSON.stringify(verify.firstProblem)}`);
      const w = winners(shots).length;
      result.rounds++;
      result.requests += shots.length;
      result.winners += w;
      result.losers += shots.length - w;
      const agg = (result.byScenario[name] ??= { rounds: 0, winners: 0, losers: 0 });
      agg.rounds++;
      agg.winners += w;
      agg.losers += shots.length - w;
      result.violations.push(...problems.map((p) => `round ${k}: ${p}`));
    } finally {
      reader.close();
    }
    opts.onRound?.(k + 1);
  }
  return result;
}
