import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Role } from '../../../apps/api/src/auth/tokens';
import { eventIdFor, timeOrderedEventIdFor } from '../../../libs/application/src';
import { NotFoundError } from '../../../libs/domain/src';
import { StoredEvent } from '../../../libs/event-store/src';
import { departmentView, itemHistory, ownership, regionList } from '../../../libs/projections/src';
import { ROOT, ServerChild, sleep } from '../support/child';
import { Api, forgetAgent, json, send } from '../support/http';
import { CITY, COUNTIES, DOC, PROVINCE } from '../support/seed';
import { StoreReader, rebuildFrom, tortureEventstore } from '../support/store-reader';
import { workbook } from '../../../libs/import/src/testing/workbooks';

export interface CrashLoopOptions {
  dataDir: string;
  tokensEnv: string;
  tokens: Record<Role, string>;
  /** SIGKILLs to land (the loop runs until this many kills were survived). */
  kills: number;
  workers: number;
  seed: number;
  /** How long the workload runs before the kill, at most (ms). */
  maxUpMs?: number;
  /** Share of kills aimed at the server's start (catch-up from the snapshot or the log). */
  startupKillShare?: number;
  /** Share of lives ended by SIGTERM, with a SIGKILL racing the graceful shutdown half of the time. */
  termShare?: number;
  /** Run `quanze rebuild` (and sometimes kill it while it writes the snapshot) every n lives (0: never). */
  cliRebuildEvery?: number;
  /** Share of lives during which a published list is imported over HTTP (0: never). */
  importShare?: number;
  /** Items compared between the restarted server and a rebuild from zero, per restart. */
  compareItems?: number;
  log?: (s: string) => void;
}

export interface CrashLoopResult {
  lives: number;
  kills: number;
  killsDuringStartup: number;
  killsDuringShutdown: number;
  gracefulStops: number;
  commandsSent: number;
  commandsAcked: number;
  commandsRejected: number;
  inFlightAtKill: number;
  inFlightFoundCommitted: number;
  inFlightFoundAbsent: number;
  checksOfAckedCommands: number;
  answersCompared: number;
  rebuildComparisons: number;
  cliRebuilds: number;
  cliRebuildKills: number;
  eventsInLog: number;
  /** Imports (POST /api/imports, many commands each) sent during lives, retried after a kill, re-imported. */
  importsSent: number;
  importsAcked: number;
  importsInFlightAtKill: number;
  importReimports: number;
  importCommandsInLog: number;
  unexpectedRejections: Record<string, number>;
  violations: string[];
}

// ------------------------------------------------------------------ the client-side model

interface Command {
  key: string;
  worker: number;
  op: string;
  path: string;
  body: Record<string, unknown>;
  state: 'new' | 'acked' | 'rejected' | 'unknown';
  eventIds?: string[];
  status?: number;
  code?: string;
  /** Applies the acknowledged command to the worker's model. */
  apply: (ack: { eventIds: string[]; streamVersion: number }) => void;
  /** Streams whose version the model tracks, for expectedVersion. */
  own?: string;
  /** Breaks a rule on purpose: must be refused with 409 and leave nothing in the log, crash or not. */
  mustFail?: boolean;
}

interface Dept {
  id: string;
  region: string;
  active: boolean;
  renames: string[];
}

interface Entry {
  holders: Set<string>;
  delegatedTo: Set<string>;
}

class Rng {
  constructor(private s: number) {}
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One client's own corner of the registry: its departments, its items, its dates. Only it writes there. */
class Worker {
  depts: Dept[] = [];
  items: string[] = [];
  entries = new Map<string, Entry>();
  versions = new Map<string, number>();
  retractable: string[] = [];
  private day: number;
  private n = 0;

  constructor(
    readonly w: number,
    private readonly rng: Rng,
    private readonly newKey: () => string,
  ) {
    this.day = Date.UTC(2011, 0, 1) / 86_400_000;
  }

  private date(): string {
    this.day += 1 + this.rng.int(3);
    return new Date(this.day * 86_400_000).toISOString().slice(0, 10);
  }

  private entry(region: string, item: string): Entry {
    const k = `${region}|${item}`;
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = { holders: new Set(), delegatedTo: new Set() }));
    return e;
  }

  private cmd(op: string, path: string, body: Record<string, unknown>, apply: Command['apply'], own?: string): Command {
    const b: Record<string, unknown> = { ...body, document: DOC(`W${this.w}-${op}`) };
    if (own && this.versions.has(own) && this.rng.chance(0.25)) b.expectedVersion = this.versions.get(own);
    const track: Command['apply'] = (ack) => {
      if (own) this.versions.set(own, ack.streamVersion);
      apply(ack);
    };
    return { key: this.newKey(), worker: this.w, op, path, body: b, state: 'new', apply: track, own };
  }

  /** The next command this client sends, chosen from what its model says is possible. */
  next(): Command {
    const r = this.rng;
    const active = (region = CITY) => this.depts.filter((d) => d.active && d.region === region);
    const held = () => this.items.filter((i) => this.entry(CITY, i).holders.size > 0 && this.entry(CITY, i).delegatedTo.size === 0);
    const options: Array<[number, () => Command | undefined]> = [
      [active().length < 4 ? 6 : 1, () => this.establish(CITY)],
      [this.depts.filter((d) => d.region !== CITY).length < 2 ? 1 : 0, () => this.establish(r.pick(COUNTIES.slice(0, 2)))],
      [this.items.length < 4 ? 6 : this.items.length < 10 ? 1 : 0, () => this.define()],
      [6, () => this.assign()],
      [6, () => this.transfer(held())],
      [2, () => this.withdraw(held())],
      [2, () => this.rename()],
      [1, () => this.sanding()],
      [1, () => this.revise()],
      [1, () => this.delegate(held())],
      [1, () => this.recall()],
      [active().length >= 3 ? 0.5 : 0, () => this.abolish()],
      [this.retractable.length ? 0.7 : 0, () => this.retract()],
      [0.8, () => this.ruleBreaker()],
    ];
    for (let tries = 0; tries < 20; tries++) {
      const total = options.reduce((s, [w]) => s + w, 0);
      let x = r.next() * total;
      for (const [w, f] of options) {
        if ((x -= w) > 0) continue;
        const c = f();
        if (c) return c;
        break;
      }
    }
    return this.establish(CITY);
  }

  private establish(region: string): Command {
    const id = `W${this.w}${region === CITY ? 'D' : 'C'}${this.n++}`;
    const d: Dept = { id, region, active: true, renames: [] };
    return this.cmd('establish', '/api/departments', { id, name: `工作者${this.w}部门${id}`, regionCode: region, effectiveFrom: this.date() }, () => this.depts.push(d), `department-${id}`);
  }

  private define(): Command {
    const code = `W${this.w}I${this.n++}`;
    return this.cmd(
      'define',
      '/api/catalog/items',
      { code, name: `事项${code}`, type: this.rng.pick(['行政许可', '行政处罚', '行政检查', '公共服务']), basis: [`《条例》第${this.n}条`], levels: ['city', 'county'], effectiveFrom: this.date() },
      () => this.items.push(code),
      `catalog-${code}`,
    );
  }

  private assign(): Command | undefined {
    const free = this.items.filter((i) => this.entry(CITY, i).holders.size === 0 && this.entry(CITY, i).delegatedTo.size === 0);
    const depts = this.depts.filter((d) => d.active && d.region === CITY);
    if (!depts.length || !this.items.length) return undefined;
    // Mostly a free item; now and then a second lead (the registry records the conflict and warns).
    const item = free.length && !this.rng.chance(0.1) ? this.rng.pick(free) : this.rng.pick(this.items);
    const e = this.entry(CITY, item);
    if (e.delegatedTo.size) return undefined;
    const dept = this.rng.pick(depts.filter((d) => !e.holders.has(d.id)));
    if (!dept) return undefined;
    const stream = `assignment-${CITY}-${item}`;
    return this.cmd('assign', `/api/regions/${CITY}/items/${item}/assign`, { departmentId: dept.id, role: 'lead', effectiveFrom: this.date() }, () => e.holders.add(dept.id), stream);
  }

  private transfer(held: string[]): Command | undefined {
    if (!held.length) return undefined;
    const item = this.rng.pick(held);
    const e = this.entry(CITY, item);
    const from = this.rng.pick([...e.holders]);
    const to = this.rng.pick(this.depts.filter((d) => d.active && d.region === CITY && !e.holders.has(d.id)));
    if (!to) return undefined;
    return this.cmd(
      'transfer',
      `/api/regions/${CITY}/items/${item}/transfer`,
      { fromDepartmentId: from, toDepartmentId: to.id, effectiveFrom: this.date() },
      () => {
        e.holders.delete(from);
        e.holders.add(to.id);
      },
      `assignment-${CITY}-${item}`,
    );
  }

  private withdraw(held: string[]): Command | undefined {
    if (!held.length) return undefined;
    const item = this.rng.pick(held);
    const e = this.entry(CITY, item);
    const dept = this.rng.pick([...e.holders]);
    return this.cmd('withdraw', `/api/regions/${CITY}/items/${item}/withdraw`, { departmentId: dept, effectiveFrom: this.date() }, () => e.holders.delete(dept), `assignment-${CITY}-${item}`);
  }

  private rename(): Command | undefined {
    const d = this.depts.filter((x) => x.active);
    if (!d.length) return undefined;
    const dept = this.rng.pick(d);
    return this.cmd('rename', `/api/departments/${dept.id}/rename`, { name: `${dept.id}第${this.n++}名`, effectiveFrom: this.date() }, (ack) => this.retractable.push(ack.eventIds[0]), `department-${dept.id}`);
  }

  private sanding(): Command | undefined {
    const d = this.depts.filter((x) => x.active);
    if (!d.length) return undefined;
    const dept = this.rng.pick(d);
    const k = this.n++;
    return this.cmd(
      'sanding',
      `/api/departments/${dept.id}/sanding`,
      { effectiveFrom: this.date(), duties: [{ id: `d${k}`, text: `职责${k}` }], internalOrgans: [{ id: `o${k}`, name: `科室${k}`, duties: [{ id: `od${k}`, text: `科室职责${k}` }] }], staffing: { authorized: 20, leaders: 3 } },
      () => undefined,
      `department-${dept.id}`,
    );
  }

  private revise(): Command | undefined {
    if (!this.items.length) return undefined;
    const item = this.rng.pick(this.items);
    return this.cmd('revise', `/api/catalog/items/${item}/revise`, { name: `事项${item}（第${this.n++}次修订）`, effectiveFrom: this.date() }, () => undefined, `catalog-${item}`);
  }

  private delegate(held: string[]): Command | undefined {
    if (!held.length) return undefined;
    const item = this.rng.pick(held);
    const e = this.entry(CITY, item);
    const kids = this.rng.chance(0.5) ? [COUNTIES[0]] : [COUNTIES[0], COUNTIES[1]];
    const departmentIds: Record<string, string> = {};
    for (const c of kids) {
      const d = this.depts.find((x) => x.active && x.region === c);
      if (d && this.rng.chance(0.7)) departmentIds[c] = d.id;
    }
    return this.cmd(
      'delegate',
      `/api/regions/${CITY}/items/${item}/delegate`,
      { toRegionCodes: kids, ...(Object.keys(departmentIds).length ? { departmentIds } : {}), effectiveFrom: this.date() },
      () => {
        e.holders.clear();
        for (const c of kids) {
          e.delegatedTo.add(c);
          const ce = this.entry(c, item);
          ce.holders = new Set(departmentIds[c] ? [departmentIds[c]] : []);
        }
      },
      `assignment-${CITY}-${item}`,
    );
  }

  private recall(): Command | undefined {
    const delegated = this.items.filter((i) => this.entry(CITY, i).delegatedTo.size > 0);
    const depts = this.depts.filter((d) => d.active && d.region === CITY);
    if (!delegated.length || !depts.length) return undefined;
    const item = this.rng.pick(delegated);
    const e = this.entry(CITY, item);
    const from = [...e.delegatedTo];
    const dept = this.rng.pick(depts);
    return this.cmd(
      'recall',
      `/api/regions/${CITY}/items/${item}/recall`,
      { fromRegionCodes: from, departmentId: dept.id, effectiveFrom: this.date() },
      () => {
        e.delegatedTo.clear();
        e.holders = new Set([dept.id]);
        for (const c of from) this.entry(c, item).holders.clear();
      },
      `assignment-${CITY}-${item}`,
    );
  }

  private abolish(): Command | undefined {
    const depts = this.depts.filter((d) => d.active && d.region === CITY);
    if (depts.length < 3) return undefined;
    const victim = this.rng.pick(depts);
    const successor = this.rng.pick(depts.filter((d) => d !== victim));
    return this.cmd(
      'abolish',
      `/api/departments/${victim.id}/abolish`,
      { successorId: successor.id, effectiveFrom: this.date() },
      () => {
        victim.active = false;
        for (const [k, e] of this.entries) {
          if (!k.startsWith(`${CITY}|`) || !e.holders.has(victim.id)) continue;
          e.holders.delete(victim.id);
          e.holders.add(successor.id);
          // Each moved holding is a new event in that item's stream: its version is no longer known.
          this.versions.delete(`assignment-${CITY}-${k.split('|')[1]}`);
        }
      },
      `department-${victim.id}`,
    );
  }

  /** A transfer from a department that does not hold the item, or an assignment to a department that does not exist. */
  private ruleBreaker(): Command | undefined {
    if (!this.items.length) return undefined;
    const item = this.rng.pick(this.items);
    const e = this.entry(CITY, item);
    const idle = this.depts.filter((d) => d.active && d.region === CITY && !e.holders.has(d.id));
    const c =
      idle.length >= 2 && e.delegatedTo.size === 0
        ? this.cmd('transfer-not-held', `/api/regions/${CITY}/items/${item}/transfer`, { fromDepartmentId: idle[0].id, toDepartmentId: idle[1].id, effectiveFrom: this.date() }, () => undefined)
        : this.cmd('assign-unknown', `/api/regions/${CITY}/items/${item}/assign`, { departmentId: `W${this.w}NOPE`, role: 'lead', effectiveFrom: this.date() }, () => undefined);
    c.mustFail = true;
    return c;
  }

  private retract(): Command | undefined {
    const i = this.rng.int(this.retractable.length);
    const eventId = this.retractable.splice(i, 1)[0];
    // The retraction goes into the renamed department's stream: its version moves on.
    return this.cmd('retract', `/api/events/${eventId}/retract`, { reason: '更正：名称录入有误' }, () => {
      for (const k of [...this.versions.keys()]) if (k.startsWith('department-')) this.versions.delete(k);
    });
  }
}

// ------------------------------------------------------------------ the loop

/**
 * A mixed workload over HTTP against the real server process, killed with SIGKILL at random
 * moments (mid-request, mid-start, mid-shutdown) and restarted, with `quanze rebuild` run and killed
 * between lives. After every restart: the log's integrity holds; every acknowledged command has
 * exactly its events; no command is half there; what the restarted server answers equals a
 * projection rebuilt from zero; commands that were in flight are retried with their
 * Idempotency-Key and recorded exactly once.
 */
export async function runCrashLoop(opts: CrashLoopOptions): Promise<CrashLoopResult> {
  const log = opts.log ?? (() => undefined);
  const rng = new Rng(opts.seed);
  const result: CrashLoopResult = {
    lives: 0,
    kills: 0,
    killsDuringStartup: 0,
    killsDuringShutdown: 0,
    gracefulStops: 0,
    commandsSent: 0,
    commandsAcked: 0,
    commandsRejected: 0,
    inFlightAtKill: 0,
    inFlightFoundCommitted: 0,
    inFlightFoundAbsent: 0,
    checksOfAckedCommands: 0,
    answersCompared: 0,
    rebuildComparisons: 0,
    cliRebuilds: 0,
    cliRebuildKills: 0,
    eventsInLog: 0,
    importsSent: 0,
    importsAcked: 0,
    importsInFlightAtKill: 0,
    importReimports: 0,
    importCommandsInLog: 0,
    unexpectedRejections: {},
    violations: [],
  };
  const violate = (s: string) => {
    if (result.violations.length < 300) result.violations.push(s);
    log(`VIOLATION ${s}`);
  };
  const child = new ServerChild({ dataDir: opts.dataDir, tokensEnv: opts.tokensEnv, secrets: Object.values(opts.tokens) });
  let keyN = 0;
  const runId = `crash${opts.seed}`;
  const newKey = () => `${runId}-${keyN++}`;
  const ledger = new Map<string, Command>();
  const workers = Array.from({ length: opts.workers }, (_, w) => new Worker(w, new Rng(opts.seed * 1000 + w), newKey));
  const touched = new Set<string>();
  /** Where the next start must restore the read models from (a graceful stop or a completed CLI rebuild saved a snapshot there). */
  let expectRestoreFrom: number | undefined;

  const seedCommands = (): Command[] => {
    const mk = (path: string, body: Record<string, unknown>): Command => ({ key: newKey(), worker: -1, op: 'seed', path, body, state: 'new', apply: () => undefined });
    return [
      mk('/api/regions', { code: PROVINCE, name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: DOC('区划') }),
      mk('/api/regions', { code: CITY, name: '克拉玛依市', level: 'city', parentCode: PROVINCE, effectiveFrom: '1982-01-01', document: DOC('区划') }),
      ...COUNTIES.map((code, i) => mk('/api/regions', { code, name: `县区${i}`, level: 'county', parentCode: CITY, effectiveFrom: '1990-01-01', document: DOC('区划') })),
    ];
  };
  let pendingSeed = seedCommands();

  // ---- imports: a list for a county no client touches, 行使主体 created on the way
  const IMPORT_REGION = COUNTIES[2];
  let importN = 0;
  const pendingImports: Array<{ n: number; file: Buffer }> = [];
  const importFile = (n: number) =>
    workbook(
      {
        清单: [
          ['序号', '事项名称', '权力类型', '实施依据', '行使主体'],
          ...Array.from({ length: 150 }, (_, i) => [String(i + 1), `导入事项${n}-${i}`, ['行政许可', '行政处罚', '行政检查'][i % 3], `《导入条例》第${i + 1}条`, `白碱滩区第${(i % 3) + 1}局`]),
        ],
      },
      'xlsx',
    );
  const postImport = (base: string, n: number, file: Buffer) => {
    const b = `----crash${n}`;
    const field = (k: string, v: string) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    const head = field('region', IMPORT_REGION) + field('effective', '2024-01-01') + field('document', `白政办发〔2024〕${n}号`) + field('createDepartments', 'true');
    const body = Buffer.concat([
      Buffer.from(head + `--${b}\r\nContent-Disposition: form-data; name="files"; filename="list${n}.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    return send(base, { method: 'POST', path: '/api/imports', headers: { Authorization: `Bearer ${opts.tokens.editor}`, 'Content-Type': `multipart/form-data; boundary=${b}` }, body, timeoutMs: 60_000 });
  };
  /** Imports `file` and checks the contract's accounting; `again`: it was imported whole before, so nothing may be recorded. */
  const importChecked = async (base: string, n: number, file: Buffer, what: string, again: boolean): Promise<'up' | 'down'> => {
    const r = await postImport(base, n, file);
    if (r.status === 0) return 'down';
    const rep = json(r);
    if (r.status !== 200) {
      violate(`${what} import ${n}: ${r.status} ${r.text.slice(0, 300)}`);
      return 'up';
    }
    const { rowsRead, recorded, unchanged, rejected } = rep as { rowsRead: number; recorded: number; unchanged: number; rejected: unknown[] };
    if (recorded + unchanged + rejected.length !== rowsRead) violate(`${what} import ${n}: recorded ${recorded} + unchanged ${unchanged} + rejected ${rejected.length} ≠ rowsRead ${rowsRead}`);
    if (rejected.length) violate(`${what} import ${n}: rows rejected ${JSON.stringify(rejected).slice(0, 300)}`);
    if (again && recorded !== 0) violate(`${what} import ${n}: recorded ${recorded} row(s) again`);
    return 'up';
  };

  const sendCommand = async (base: string, c: Command): Promise<'up' | 'down'> => {
    ledger.set(c.key, c);
    result.commandsSent++;
    const r = await send(base, {
      method: 'POST',
      path: c.path,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.tokens.editor}`, 'Idempotency-Key': c.key, 'X-Correlation-Id': c.key },
      body: JSON.stringify(c.body),
      timeoutMs: 30_000,
    });
    const b = json(r);
    if (r.status >= 200 && r.status < 300) {
      if (c.mustFail) violate(`${c.op} ${c.key} breaks a rule but was accepted: ${r.text.slice(0, 200)}`);
      if (!Array.isArray(b?.eventIds) || b.eventIds.length === 0 || typeof b.streamVersion !== 'number') violate(`${c.op} ${c.key}: ${r.status} without eventIds/streamVersion: ${r.text.slice(0, 200)}`);
      c.state = 'acked';
      c.eventIds = b.eventIds;
      c.status = r.status;
      result.commandsAcked++;
      c.apply({ eventIds: b.eventIds, streamVersion: b.streamVersion });
      collectTouched(c);
      return 'up';
    }
    if (r.status === 0) {
      c.state = 'unknown';
      return 'down';
    }
    c.status = r.status;
    c.code = b?.code;
    if (r.status >= 500) violate(`${c.op} ${c.key}: ${r.status} ${r.text.slice(0, 200)}`);
    if (r.status === 503) return 'down';
    c.state = 'rejected';
    result.commandsRejected++;
    if (c.mustFail && r.status !== 409) violate(`${c.op} ${c.key} breaks a rule: expected 409, got ${r.status} ${b?.code ?? ''}`);
    if (!c.mustFail) {
      const k = `${r.status} ${b?.code ?? ''} (${c.op})`;
      result.unexpectedRejections[k] = (result.unexpectedRejections[k] ?? 0) + 1;
    }
    return 'up';
  };

  const collectTouched = (c: Command) => {
    const m = /\/items\/([^/]+)\//.exec(c.path) ?? /\/catalog\/items\/([^/]+)/.exec(c.path);
    if (m) touched.add(`item:${m[1]}`);
    if (typeof c.body.code === 'string' && c.path === '/api/catalog/items') touched.add(`item:${c.body.code}`);
    const d = /\/departments\/([^/]+)\//.exec(c.path);
    if (d) touched.add(`dept:${d[1]}`);
    if (typeof c.body.id === 'string') touched.add(`dept:${c.body.id}`);
  };

  for (let life = 0; result.kills < opts.kills; life++) {
    result.lives++;
    // ---- start (maybe killed while starting)
    const startupKill = life > 0 && rng.chance(opts.startupKillShare ?? 0.15);
    child.spawn();
    if (startupKill) {
      await sleep(rng.int(900));
      const wasUp = !!child.url;
      const exit = await child.kill('SIGKILL');
      if (exit.signal === 'SIGKILL') {
        result.kills++;
        if (!wasUp) result.killsDuringStartup++;
        log(`life ${life}: killed ${wasUp ? 'right after' : 'during'} start`);
      }
      continue;
    }
    let base: string;
    try {
      base = await child.ready(60_000);
    } catch (e) {
      violate(`life ${life}: the server did not start after a crash: ${(e as Error).message.slice(0, 2000)}`);
      break;
    }
    forgetAgent(base);

    // ---- after a restart: check everything against the log and a rebuild from zero
    await verifyAfterRestart(base, life);

    // ---- retry what was in flight, with the same Idempotency-Key
    const unknown = [...ledger.values()].filter((c) => c.state === 'unknown');
    for (const c of unknown) {
      result.commandsSent--; // a retry is the same command
      if ((await sendCommand(base, c)) === 'down') violate(`life ${life}: retry of ${c.key} found the server down`);
    }
    for (const c of pendingSeed.splice(0)) if ((await sendCommand(base, c)) !== 'up' || c.state !== 'acked') violate(`seed command ${c.path} not acknowledged: ${c.status} ${c.code}`);
    // An import cut by the kill: imported again it completes (each row once); a third time records nothing.
    for (const p of pendingImports.splice(0)) {
      result.importReimports += 2;
      if ((await importChecked(base, p.n, p.file, 'interrupted', false)) === 'down' || (await importChecked(base, p.n, p.file, 'completed', true)) === 'down') {
        violate(`life ${life}: re-import ${p.n} found the server down`);
      }
    }

    // ---- workload, then the end of this life
    const upMs = 150 + rng.int(opts.maxUpMs ?? 1500);
    let running = true;
    const loops = workers.map(async (wk) => {
      while (running) {
        const c = wk.next();
        if ((await sendCommand(base, c)) === 'down') return;
      }
    });
    if (rng.chance(opts.importShare ?? 0)) {
      const n = importN++;
      const file = importFile(n);
      result.importsSent++;
      // Started shortly before the end of this life, so that the kill often lands in the middle of it.
      const startIn = Math.max(0, upMs - 30 - rng.int(400));
      loops.push(
        (async () => {
          await sleep(startIn);
          if (!running) {
            result.importsSent--;
            return;
          }
          if ((await importChecked(base, n, file, 'first', false)) === 'down') {
            pendingImports.push({ n, file });
            result.importsInFlightAtKill++;
          } else result.importsAcked++;
        })(),
      );
    }
    await sleep(upMs);
    const term = rng.chance(opts.termShare ?? 0.1);
    let exit;
    if (term) {
      child.proc!.kill('SIGTERM');
      if (rng.chance(0.5)) {
        await sleep(rng.int(60));
        exit = await child.kill('SIGKILL');
      } else exit = await child.waitExit(20_000);
    } else exit = await child.kill('SIGKILL');
    running = false;
    await Promise.all(loops);
    const inFlight = [...ledger.values()].filter((c) => c.state === 'unknown').length;
    if (exit.signal === 'SIGKILL') {
      result.kills++;
      result.inFlightAtKill += inFlight;
      if (term) result.killsDuringShutdown++;
      log(`life ${life}: SIGKILL${term ? ' during graceful shutdown' : ''} after ${upMs} ms, ${inFlight} command(s) in flight, ${result.commandsAcked} acknowledged so far`);
    } else {
      result.gracefulStops++;
      if (exit.code !== 0) violate(`life ${life}: SIGTERM ended the server with ${exit.signal ?? `exit code ${exit.code}`}, not a clean exit 0`);
      if (exit.code === 0) expectRestoreFrom = headNow();
      log(`life ${life}: graceful stop (exit ${exit.code})`);
    }

    // ---- between lives: a rebuild from the CLI, killed now and then while it writes the snapshot
    if (opts.cliRebuildEvery && life % opts.cliRebuildEvery === opts.cliRebuildEvery - 1) await cliRebuild(life);
  }

  // ---- last life: start, check, retry, check again, stop
  const base = await child.start(60_000);
  forgetAgent(base);
  await verifyAfterRestart(base, -1);
  for (const c of [...ledger.values()].filter((x) => x.state === 'unknown')) {
    result.commandsSent--;
    await sendCommand(base, c);
  }
  for (const p of pendingImports.splice(0)) {
    result.importReimports += 2;
    await importChecked(base, p.n, p.file, 'interrupted', false);
    await importChecked(base, p.n, p.file, 'completed', true);
  }
  await verifyAfterRestart(base, -2);
  await child.kill('SIGTERM');
  if (child.leaks.size) violate(`a token appeared in the server's output (${child.leaks.size} distinct)`);
  const r = new StoreReader(opts.dataDir);
  result.eventsInLog = r.head().count;
  r.close();
  return result;

  async function cliRebuild(life: number) {
    const killIt = rng.chance(0.4);
    const p = spawn(process.execPath, ['-r', join(ROOT, 'bin/ts-register.js'), join(ROOT, 'test/reliability/support/cli-runner.ts'), 'rebuild'], {
      cwd: ROOT,
      env: { ...process.env, QUANZE_DATA_DIR: opts.dataDir, QUANZE_TOKENS: opts.tokensEnv, QUANZE_EVENTSTORE: tortureEventstore() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => p.once('exit', (code, signal) => res({ code, signal })));
    if (killIt) {
      await sleep(300 + rng.int(900));
      p.kill('SIGKILL');
    }
    const e = await exited;
    if (e.signal === 'SIGKILL') {
      result.cliRebuildKills++;
      log(`life ${life}: quanze rebuild killed`);
    } else if (e.code !== 0) violate(`life ${life}: quanze rebuild failed (${e.code}): ${out.slice(0, 500)}`);
    else {
      result.cliRebuilds++;
      expectRestoreFrom = headNow();
      log(`life ${life}: ${out.trim().split('\n').pop()}`);
    }
  }

  function headNow(): number {
    const r = new StoreReader(opts.dataDir);
    try {
      return r.head().position;
    } finally {
      r.close();
    }
  }

  async function verifyAfterRestart(base: string, life: number) {
    const reader = new StoreReader(opts.dataDir);
    let events: StoredEvent[];
    try {
      const v = reader.verify();
      if (!v.ok) violate(`life ${life}: integrity check failed: ${JSON.stringify(v.firstProblem)}`);
      events = reader.events(0);
    } finally {
      reader.close();
    }
    result.eventsInLog = events.length;
    // Group the log by command.
    const byCommand = new Map<string, StoredEvent[]>();
    for (const e of events) {
      const id = String(e.metadata?.commandId ?? '');
      const list = byCommand.get(id) ?? [];
      list.push(e);
      byCommand.set(id, list);
    }
    // No command is half there: each command's events are one append, ids 0..n-1 of its key (derived from
    // the client's key, or time-ordered for a command that came without one, e.g. an import's rows).
    let importCommands = 0;
    for (const [commandId, evs] of byCommand) {
      const fromImport = evs.every((e) => String(e.metadata?.correlationId ?? '').startsWith('import-'));
      if (fromImport) importCommands++;
      if (!ledger.has(commandId) && !fromImport) {
        violate(`life ${life}: events of a command nobody sent (${commandId}): ${evs.map((e) => e.type).join(',')}`);
        continue;
      }
      const positions = evs.map((e) => e.position);
      const contiguous = positions.every((p, i) => i === 0 || p === positions[i - 1] + 1);
      if (!contiguous || new Set(evs.map((e) => e.recordedAt)).size !== 1) violate(`life ${life}: command ${commandId} is spread over several appends (positions ${positions.join(',')})`);
      evs.forEach((e, i) => {
        if (e.id !== eventIdFor(commandId, i) && e.id !== timeOrderedEventIdFor(commandId, i)) violate(`life ${life}: command ${commandId} event ${i} has id ${e.id}, not the ${i}th of its key: a part is missing`);
      });
    }
    result.importCommandsInLog = importCommands;
    // Every acknowledged command has exactly its events; a refused one has none.
    for (const c of ledger.values()) {
      const stored = byCommand.get(c.key) ?? [];
      if (c.state === 'acked') {
        result.checksOfAckedCommands++;
        const ids = stored.map((e) => e.id);
        if (ids.length !== c.eventIds!.length || c.eventIds!.some((id) => !ids.includes(id))) {
          violate(`life ${life}: acknowledged ${c.op} ${c.key} was told ${c.eventIds!.join(',')} but the log has ${ids.join(',') || 'nothing'}`);
        }
      } else if (c.state === 'rejected' && stored.length) {
        violate(`life ${life}: refused ${c.op} ${c.key} (${c.status} ${c.code}) has ${stored.length} event(s) in the log`);
      } else if (c.state === 'unknown') {
        // In flight when the server died: whole (checked above) or absent; the retry settles which.
        if (stored.length) result.inFlightFoundCommitted++;
        else result.inFlightFoundAbsent++;
      }
    }

    // The restarted server answers what a projection rebuilt from zero answers.
    const rebuilt = await rebuildFrom(events);
    result.rebuildComparisons++;
    const reader2 = new Api(base, opts.tokens.reviewer);
    const health = await reader2.get('/api/health');
    const p0 = health.body?.projections?.[0];
    const head = events.length ? events[events.length - 1].position : 0;
    if (health.status !== 200 || p0?.checkpoint !== head || p0?.lag !== 0) violate(`life ${life}: after restart /api/health says checkpoint ${p0?.checkpoint} lag ${p0?.lag}, the log's head is ${head}`);
    if (expectRestoreFrom !== undefined && expectRestoreFrom > 0 && p0?.restoredFrom?.snapshotPosition !== expectRestoreFrom) {
      violate(`life ${life}: the read models were saved at position ${expectRestoreFrom}, but the server restored from ${JSON.stringify(p0?.restoredFrom)}`);
    }
    const items = [...touched].filter((t) => t.startsWith('item:')).map((t) => t.slice(5));
    const depts = [...touched].filter((t) => t.startsWith('dept:')).map((t) => t.slice(5));
    const sample = <T>(xs: T[], n: number) => (xs.length <= n ? xs : Array.from({ length: n }, () => xs[rng.int(xs.length)]));
    const dates = ['2011-06-01', '2013-01-01', '2016-01-01', '2020-01-01', '2030-01-01'];
    const at = () => rng.pick(dates);
    const checks: Array<{ path: string; expect: () => unknown }> = [];
    for (const item of sample(items, opts.compareItems ?? 12)) {
      for (const region of [CITY, COUNTIES[0], COUNTIES[1]]) {
        const d = at();
        checks.push({ path: `/api/ownership?region=${region}&item=${item}&at=${d}`, expect: () => ownership(rebuilt, { region, item, at: d }) });
      }
      checks.push({ path: `/api/items/${item}/history`, expect: () => itemHistory(rebuilt, { item, withActors: true }) });
    }
    for (const region of [CITY, COUNTIES[0], COUNTIES[1], IMPORT_REGION]) {
      const d = region === IMPORT_REGION ? '2024-06-01' : at();
      checks.push({ path: `/api/regions/${region}/list?at=${d}`, expect: () => regionList(rebuilt, { region, at: d }) });
    }
    for (const id of sample(depts, 4)) {
      const d = at();
      checks.push({ path: `/api/departments/${id}?at=${d}`, expect: () => departmentView(rebuilt, { id, at: d }) });
    }
    for (const c of checks) {
      const got = await reader2.get(c.path);
      let want: unknown;
      let wantStatus = 200;
      try {
        want = normalise(c.expect());
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        wantStatus = 404;
      }
      result.answersCompared++;
      if (got.status !== wantStatus) violate(`life ${life}: GET ${c.path} answered ${got.status}, a rebuild from zero says ${wantStatus}`);
      else if (wantStatus === 200 && JSON.stringify(got.body) !== JSON.stringify(want)) {
        violate(`life ${life}: GET ${c.path} differs from a rebuild from zero:\n  server:  ${got.body === undefined ? `(not JSON, ${got.text.length} chars)` : JSON.stringify(got.body).slice(0, 600)}\n  rebuilt: ${String(JSON.stringify(want)).slice(0, 600)}`);
      }
    }
    touched.clear();
    expectRestoreFrom = undefined;
  }
}

/** What a value looks like after a trip through JSON (undefined fields dropped). */
const normalise = (v: unknown) => JSON.parse(JSON.stringify(v));
