/**
 * Plans ten years (2015-2024, corrections recorded until mid-2025) of a province's registry as a
 * stream of commands in the order they are recorded. Every command is one of the Registry's commands
 * with its payload exactly as an editor would send it; the planner keeps just enough state to send
 * only commands the domain accepts (the deciders still check every one of them).
 *
 * What happens, per region (see docs/benchmarking.md for the figures):
 *  - 2015: regions registered, departments established, the province's catalogue (通用目录) defined;
 *    lists published (province 2015, cities late 2015, counties 2016, townships 2020);
 *  - every year: catalogue revisions, new items, a few items retired (then withdrawn from the lists);
 *    each list adjusted: transfers between departments (often recorded up to 90 days after they took
 *    effect), withdrawals, new items, cooperating departments;
 *  - 2017: 相对集中行政许可 — cities and counties set up a 行政审批服务管理局 and move most 行政许可 to it;
 *  - 2018-19 (the reform year): new departments (市场监管, 自然资源, 生态环境, 应急管理, 文旅, 医保, 退役军人),
 *    old ones abolished with a successor (their items move in the same atomic append), renames,
 *    items moved (人社 → 医保 …), a 三定 for every new or renamed department;
 *  - delegations down a level (下放: province → cities, city → counties, county → townships 2020-22)
 *    and a few recalls (上收);
 *  - corrections recorded late (45-400 days): the wrong record is retracted and, most of the time,
 *    recorded again with the right date.
 */
import { CommandContext, eventIdFor } from '../../libs/application/src';
import { DocumentRef, ItemType, Level, Role } from '../../libs/domain/src';
import { CARRY, CATALOGUE, KIND, KINDS, PROVINCE_ABBR, REFORM_MOVES, SizeSpec, TOWNSHIP_KINDS, TYPE_CODE, TYPE_WEIGHTS } from './model';
import { itemBasis, itemName } from './names';
import { ProvinceTree, Region } from './regions';
import { Rng, dateOf, dayOf, yearOf } from './rng';

export type CommandName =
  | 'registerRegion'
  | 'establishDepartment'
  | 'renameDepartment'
  | 'abolishDepartment'
  | 'issueSanding'
  | 'reportActualStaffing'
  | 'defineCatalogItem'
  | 'reviseCatalogItem'
  | 'retireCatalogItem'
  | 'assignItem'
  | 'transferItem'
  | 'withdrawItem'
  | 'delegateItem'
  | 'recallItem'
  | 'retractEvent';

export interface GenCommand {
  name: CommandName;
  payload: any;
  ctx: CommandContext & { commandId: string };
  /** The day it is recorded (UTC day number). */
  day: number;
}

interface Dept {
  id: string;
  kind: string;
  established: number;
  abolished?: number;
  name: string;
}

interface Item {
  code: string;
  kind: string;
  tkind?: string;
  type: ItemType;
  levels: Level[];
  name: string;
  basis: string[];
  defined: number;
  recorded: number;
  retired?: number;
  delegatedEver: boolean;
  /** Entries of this item waiting for a correction: no retirement meanwhile. */
  lockedEntries: number;
  /** A revision waiting for its correction. */
  revisionLocked: boolean;
  n: number;
}

interface Entry {
  rs: RegionState;
  item: Item;
  holders: Map<string, Role>;
  lastEff: number;
  locked: boolean;
  delegatedTo?: string[];
  receivedFrom?: string;
  withdrawn: boolean;
}

interface RegionState {
  region: Region;
  prov: ProvinceState;
  depts: Map<string, Dept>;
  entries: Entry[];
  entryByItem: Map<string, Entry>;
  listDay?: number;
  reformDay?: number;
  /** Index into prov.newItems up to which new items were considered. */
  newItemCursor: number;
  docs: number;
  delegations: Array<{ item: Item; children: string[]; day: number }>;
}

interface ProvinceState {
  tree: ProvinceTree;
  abbr: string;
  items: Item[];
  itemByCode: Map<string, Item>;
  newItems: Item[];
  regions: Map<string, RegionState>;
  docs: number;
  sectorCounters: Map<string, number>;
  withList: boolean;
}

interface Job {
  day: number;
  seq: number;
  run: () => GenCommand[];
}

const START = dayOf('2015-01-01');
const END = dayOf('2024-12-31');
/** Corrections of the last years are still recorded until then. */
export const HORIZON = dayOf('2025-06-30');
const SANDING_DUTIES = ['贯彻执行国家和省有关方针政策和法律法规', '拟订本行业发展规划并组织实施', '负责本领域行政执法和监督检查', '组织开展行业安全生产监督管理', '负责本领域信用体系建设', '指导下级部门业务工作', '负责本领域统计和信息化工作', '完成本级党委和政府交办的其他任务', '负责本领域应急管理和风险防控', '组织实施本领域标准化工作', '负责本领域人才队伍建设', '承担本领域行政审批事项的事中事后监管'];
const ORGANS = ['办公室', '政策法规科', '行政审批科', '执法监督科', '规划发展科', '安全监管科', '综合科', '财务科', '人事科', '信息中心'];

class Heap {
  private a: Job[] = [];
  private less = (x: Job, y: Job) => x.day < y.day || (x.day === y.day && x.seq < y.seq);
  get size() {
    return this.a.length;
  }
  push(j: Job) {
    const a = this.a;
    a.push(j);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Job | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

export interface PlanStats {
  commands: number;
  byCommand: Record<string, number>;
  regions: number;
  departments: number;
  items: number;
  entries: number;
}

export class Planner {
  private readonly heap = new Heap();
  private seq = 0;
  private cmdSeq = 0;
  private readonly provinces: ProvinceState[] = [];
  readonly stats: PlanStats = { commands: 0, byCommand: {}, regions: 0, departments: 0, items: 0, entries: 0 };

  constructor(
    private readonly trees: ProvinceTree[],
    private readonly size: SizeSpec,
    private readonly seed: number,
  ) {
    const rng = new Rng(`quanze-gen:${seed}`);
    for (const tree of trees) {
      const code2 = tree.province.code.slice(0, 2);
      const prov: ProvinceState = {
        tree,
        abbr: PROVINCE_ABBR[code2] ?? tree.province.name.slice(0, 1),
        items: [],
        itemByCode: new Map(),
        newItems: [],
        regions: new Map(),
        docs: 0,
        sectorCounters: new Map(),
        withList: size.provinceList,
      };
      for (const r of tree.all) {
        prov.regions.set(r.code, { region: r, prov, depts: new Map(), entries: [], entryByItem: new Map(), newItemCursor: 0, docs: 0, delegations: [] });
      }
      this.provinces.push(prov);
      this.scheduleProvince(prov, rng.fork(code2));
    }
  }

  /** The commands in recorded order; `day` on each. */
  *commands(): Generator<GenCommand> {
    for (;;) {
      const job = this.heap.pop();
      if (!job) return;
      this.runningDay = job.day;
      for (const c of job.run()) {
        this.stats.commands++;
        this.stats.byCommand[c.name] = (this.stats.byCommand[c.name] ?? 0) + 1;
        yield c;
      }
    }
  }

  /** The last day anything is recorded, for progress bars. */
  get lastDay(): number {
    return HORIZON;
  }
  get firstDay(): number {
    return START;
  }

  // ---- scheduling ----

  private at(day: number, run: () => GenCommand[]) {
    this.heap.push({ day, seq: this.seq++, run });
  }

  private cmd(name: CommandName, payload: any, day: number, actor: string, correlationId: string): GenCommand {
    return { name, payload, day, ctx: { actor, commandId: `g${this.seed}-${++this.cmdSeq}`, correlationId } };
  }

  private scheduleProvince(prov: ProvinceState, rng: Rng) {
    const { tree } = prov;
    const P = prov.regions.get(tree.province.code)!;
    const all = tree.all.map((r) => prov.regions.get(r.code)!);
    const cities = all.filter((r) => r.region.level === 'city');
    const counties = all.filter((r) => r.region.level === 'county');
    const townships = all.filter((r) => r.region.level === 'township');
    const withDepts = all.filter((r) => r.region.level !== 'province' || prov.withList);

    this.at(dayOf('2015-01-05'), () => this.registerRegions(prov));
    this.at(dayOf('2015-01-06'), () => withDepts.flatMap((rs) => this.establishInitial(rs)));
    this.at(dayOf('2015-03-02'), () => this.defineCatalogue(prov, rng.fork('catalogue')));

    // Lists.
    if (prov.withList) {
      const eff = dayOf('2015-06-30');
      this.at(eff + 6, () => this.publishList(P, eff, rng.fork(`list:${P.region.code}`)));
    }
    for (const c of cities) {
      const eff = rng.int(dayOf('2015-09-01'), dayOf('2015-12-31'));
      this.at(eff + rng.int(3, 20), () => this.publishList(c, eff, rng.fork(`list:${c.region.code}`)));
    }
    for (const c of counties) {
      const eff = rng.int(dayOf('2016-01-04'), dayOf('2016-08-31'));
      this.at(eff + rng.int(3, 20), () => this.publishList(c, eff, rng.fork(`list:${c.region.code}`)));
    }
    for (const t of townships) {
      const eff = rng.int(dayOf('2020-03-02'), dayOf('2020-12-15'));
      this.at(eff + rng.int(3, 20), () => this.publishList(t, eff, rng.fork(`list:${t.region.code}`)));
    }

    // Reform.
    const reformOf = (rs: RegionState): number =>
      rs.region.level === 'province' ? dayOf('2018-10-26') : rs.region.level === 'city' ? rng.int(dayOf('2019-01-05'), dayOf('2019-01-31')) : rng.int(dayOf('2019-02-15'), dayOf('2019-04-15'));
    for (const rs of withDepts) {
      if (rs.region.level === 'township') continue;
      const eff = reformOf(rs);
      rs.reformDay = eff;
      this.at(eff + rng.int(3, 15), () => this.reform(rs, eff, rng.fork(`reform:${rs.region.code}`)));
    }
    // 行政审批服务管理局 (2017) and 乡村振兴局 (2021).
    for (const rs of [...cities, ...counties]) {
      const eff = rng.int(dayOf('2017-04-03'), dayOf('2017-10-31'));
      this.at(eff + rng.int(3, 15), () => this.approvalBureau(rs, eff, rng.fork(`sp:${rs.region.code}`)));
    }
    for (const rs of withDepts) {
      if (rs.region.level === 'township') continue;
      const eff = rng.int(dayOf('2021-03-01'), dayOf('2021-06-30'));
      this.at(eff + rng.int(3, 15), () => this.laterRenames(rs, eff));
    }

    // Yearly catalogue work and list adjustments.
    for (let y = 2016; y <= 2024; y++) {
      const day = rng.int(dayOf(`${y}-02-10`), dayOf(`${y}-04-20`));
      this.at(day, () => this.catalogueYear(prov, y, day, rng.fork(`cat:${y}`)));
    }
    for (const rs of withDepts) {
      const first = rs.region.level === 'township' ? 2021 : rs.region.level === 'county' ? 2017 : 2016;
      for (let y = first; y <= 2024; y++) {
        let day = rng.int(dayOf(`${y}-03-01`), dayOf(`${y}-11-30`));
        // Not in the weeks around the region's reform.
        if (rs.reformDay !== undefined && Math.abs(day - rs.reformDay) < 40) day = rs.reformDay + 40 + rng.int(0, 30);
        this.at(day, () => this.annual(rs, y, day, rng.fork(`annual:${rs.region.code}:${y}`)));
      }
    }

    // Delegations down a level and recalls.
    if (prov.withList) {
      for (const d of ['2016-08-15', '2017-09-11', '2020-06-22', '2022-07-05']) {
        const day = dayOf(d);
        this.at(day, () => this.delegate(P, cities, day, Math.max(1, Math.round(P.entries.length * 0.008)), rng.fork(`dlg:${P.region.code}:${d}`)));
      }
      const day = dayOf('2021-09-13');
      this.at(day, () => this.recall(P, day, 0.1, dayOf('2018-01-01'), rng.fork(`rcl:${P.region.code}`)));
    }
    for (const c of cities) {
      const kids = counties.filter((x) => x.region.parentCode === c.region.code);
      if (kids.length === 0) continue;
      for (const y of [2017, 2019, 2021]) {
        const day = rng.int(dayOf(`${y}-06-01`), dayOf(`${y}-11-30`));
        this.at(day, () => this.delegate(c, kids, day, Math.max(1, Math.round(c.entries.length * 0.012)), rng.fork(`dlg:${c.region.code}:${y}`)));
      }
      const day = rng.int(dayOf('2023-03-01'), dayOf('2023-10-31'));
      this.at(day, () => this.recall(c, day, 0.08, dayOf('2022-01-01'), rng.fork(`rcl:${c.region.code}`)));
    }
    for (const c of counties) {
      const kids = townships.filter((x) => x.region.parentCode === c.region.code);
      if (kids.length === 0) continue;
      const d1 = rng.int(dayOf('2020-10-08'), dayOf('2021-06-30'));
      this.at(d1, () => this.delegate(c, kids, d1, Math.max(1, Math.round(c.entries.length * 0.017)), rng.fork(`dlg:${c.region.code}:1`), true));
      const d2 = rng.int(dayOf('2022-03-01'), dayOf('2022-10-31'));
      this.at(d2, () => this.delegate(c, kids, d2, Math.max(1, Math.round(c.entries.length * 0.006)), rng.fork(`dlg:${c.region.code}:2`), true));
      const d3 = rng.int(dayOf('2023-06-01'), dayOf('2024-10-31'));
      this.at(d3, () => this.recall(c, d3, 0.05, dayOf('2023-01-01'), rng.fork(`rcl:${c.region.code}`)));
    }
  }

  // ---- helpers ----

  private actor(rs: RegionState) {
    return `${rs.region.code}-bianban`;
  }

  private doc(rs: RegionState, day: number, kind: 'list' | 'annual' | 'reform' | 'sp' | 'delegate' | 'recall' | 'correction' | 'rename' | 'divisions' | 'establish'): DocumentRef {
    const y = yearOf(day);
    const r = rs.region;
    const abbr = r.level === 'province' ? rs.prov.abbr : r.name.slice(0, 2);
    const n = ++rs.docs;
    switch (kind) {
      case 'divisions':
        return { number: '国家统计局2023年统计用区划代码', title: '统计用区划代码和城乡划分代码', issuedBy: '国家统计局' };
      case 'establish':
        return { number: `${abbr}编发〔${y}〕${n}号`, title: `关于${r.name}人民政府工作部门设置的通知` };
      case 'list':
        return r.level === 'township'
          ? { number: `${r.name.slice(0, 3)}发〔${y}〕${n}号`, title: `关于公布${r.name}权责清单的通知`, issuedOn: dateOf(day) }
          : { number: `${abbr}政发〔${y}〕${n}号`, title: `关于公布${r.name}人民政府工作部门权责清单的通知`, issuedBy: `${r.name}人民政府`, issuedOn: dateOf(day) };
      case 'annual':
        return { number: `${abbr}编办发〔${y}〕${n}号`, title: `关于调整${r.name}权责清单部分事项的通知` };
      case 'reform':
        return { number: `${abbr}发〔${y}〕${n}号`, title: `${r.name}机构改革实施方案`, issuedBy: `中共${r.name}委员会、${r.name}人民政府` };
      case 'sp':
        return { number: `${abbr}编发〔${y}〕${n}号`, title: `${r.name}相对集中行政许可权改革实施方案` };
      case 'delegate':
        return { number: `${abbr}政发〔${y}〕${n}号`, title: `关于向下级下放一批行政权力事项的决定` };
      case 'recall':
        return { number: `${abbr}政发〔${y}〕${n}号`, title: `关于收回部分下放行政权力事项的决定` };
      case 'correction':
        return { number: `${abbr}编办函〔${y}〕${n}号`, title: '关于更正权责清单登记错误的函' };
      case 'rename':
        return { number: `${abbr}编发〔${y}〕${n}号`, title: '关于部门更名的批复' };
    }
  }

  private kindNames(kind: string, level: Level): string | undefined {
    const k = KIND.get(kind)!;
    return (k.names as Record<string, string | undefined>)[level];
  }

  private deptName(rs: RegionState, base: string) {
    return rs.region.level === 'province' ? `${rs.region.name}${base}` : `${rs.region.name}${base}`;
  }

  /** The active department of a kind (following successors after the reform). */
  private deptFor(rs: RegionState, kind: string, day: number): Dept | undefined {
    let k: string | undefined = kind;
    for (let i = 0; i < 4 && k; i++) {
      const d = rs.depts.get(k);
      if (d && d.established <= day && (d.abolished === undefined || day < d.abolished)) return d;
      const kk = KIND.get(k);
      k = kk?.reform && 'abolishInto' in kk.reform ? kk.reform.abolishInto : undefined;
    }
    return undefined;
  }

  private activeDepts(rs: RegionState, day: number): Dept[] {
    return [...rs.depts.values()].filter((d) => d.established <= day && d.abolished === undefined);
  }

  private entryFor(rs: RegionState, item: Item): Entry {
    let e = rs.entryByItem.get(item.code);
    if (!e) {
      e = { rs, item, holders: new Map(), lastEff: 0, locked: false, withdrawn: true };
      rs.entryByItem.set(item.code, e);
      rs.entries.push(e);
      this.stats.entries++;
    }
    return e;
  }

  private lead(e: Entry): string | undefined {
    for (const [d, r] of e.holders) if (r === 'lead') return d;
    return undefined;
  }

  /** May an ordinary adjustment touch this entry on `eff`? */
  private adjustable(e: Entry, eff: number): boolean {
    return !e.locked && !e.withdrawn && !e.delegatedTo && e.item.retired === undefined && e.lastEff < eff && this.lead(e) !== undefined;
  }

  // ---- jobs ----

  private registerRegions(prov: ProvinceState): GenCommand[] {
    const day = dayOf('2015-01-05');
    const P = prov.regions.get(prov.tree.province.code)!;
    const doc = this.doc(P, day, 'divisions');
    this.stats.regions += prov.tree.all.length;
    return prov.tree.all.map((r) =>
      this.cmd('registerRegion', { code: r.code, name: r.name, level: r.level, ...(r.parentCode ? { parentCode: r.parentCode } : {}), effectiveFrom: '2000-01-01', document: doc }, day, 'registry-admin', `regions-${P.region.code}`),
    );
  }

  private establish(rs: RegionState, kind: string, name: string, eff: number, day: number, doc: DocumentRef, corr: string): GenCommand {
    const id = `${rs.region.code}-${kind}`;
    rs.depts.set(kind, { id, kind, established: eff, name });
    this.stats.departments++;
    return this.cmd('establishDepartment', { id, name, regionCode: rs.region.code, effectiveFrom: dateOf(eff), document: doc }, day, this.actor(rs), corr);
  }

  private establishInitial(rs: RegionState): GenCommand[] {
    const day = dayOf('2015-01-06');
    const doc = this.doc(rs, day, 'establish');
    const corr = `establish-${rs.region.code}`;
    const out: GenCommand[] = [];
    if (rs.region.level === 'township') {
      for (const k of TOWNSHIP_KINDS) out.push(this.establish(rs, k.key, `${rs.region.name}${k.name}`, dayOf('2014-01-01'), day, doc, corr));
      return out;
    }
    for (const k of KINDS) {
      const base = this.kindNames(k.key, rs.region.level);
      if (k.era !== 'pre' || !base) continue;
      out.push(this.establish(rs, k.key, this.deptName(rs, base), dayOf('2010-01-01'), day, doc, corr));
    }
    return out;
  }

  private newItem(prov: ProvinceState, levels: Level[], rng: Rng, defined: number): Item {
    const has = (kind: string) => levels.filter((l) => l !== 'township').every((l) => this.kindNames(kind, l) !== undefined);
    const needsKind = levels.some((l) => l !== 'township');
    const kind = needsKind ? rng.weighted(KINDS.filter((k) => k.era === 'pre' && k.weight > 0 && has(k.key)).map((k) => [k.key, k.weight] as const)) : 'ZHZF';
    const tkind = levels.includes('township') ? rng.weighted(TOWNSHIP_KINDS.map((k) => [k.key, k.weight] as const)) : undefined;
    const type = rng.weighted(TYPE_WEIGHTS);
    const sector = needsKind ? kind : tkind!;
    const n = prov.sectorCounters.get(`${sector}:${type}`) ?? 0;
    prov.sectorCounters.set(`${sector}:${type}`, n + 1);
    const seq = prov.items.length + 1;
    const item: Item = {
      code: `${prov.tree.province.code.slice(0, 2)}-${TYPE_CODE[type]}-${String(seq).padStart(6, '0')}`,
      kind,
      tkind,
      type,
      levels,
      name: itemName(sector, type, n),
      basis: itemBasis(rng, sector, n),
      defined,
      recorded: defined,
      delegatedEver: false,
      lockedEntries: 0,
      revisionLocked: false,
      n,
    };
    prov.items.push(item);
    prov.itemByCode.set(item.code, item);
    this.stats.items++;
    return item;
  }

  private defineCatalogue(prov: ProvinceState, rng: Rng): GenCommand[] {
    const day = dayOf('2015-03-02');
    const eff = dayOf('2015-03-01');
    const P = prov.regions.get(prov.tree.province.code)!;
    const doc = { number: `${prov.abbr}编办发〔2015〕${++P.docs}号`, title: `${prov.tree.province.name}权责清单通用目录`, issuedBy: `${prov.tree.province.name}机构编制委员会办公室` };
    const out: GenCommand[] = [];
    for (const c of CATALOGUE) {
      const n = Math.max(1, Math.round(c.items * this.size.catalogueScale));
      for (let i = 0; i < n; i++) {
        const item = this.newItem(prov, c.levels, rng, eff);
        item.recorded = day;
        out.push(this.defineCmd(item, eff, day, doc, `catalogue-${P.region.code}-2015`, P));
      }
    }
    return out;
  }

  private defineCmd(item: Item, eff: number, day: number, doc: DocumentRef, corr: string, P: RegionState): GenCommand {
    return this.cmd('defineCatalogItem', { code: item.code, name: item.name, type: item.type, basis: item.basis, levels: item.levels, effectiveFrom: dateOf(eff), document: doc }, day, this.actor(P), corr);
  }

  private sectorDept(rs: RegionState, item: Item, eff: number): Dept | undefined {
    if (rs.region.level === 'township') return rs.depts.get(item.tkind ?? 'ZHZF');
    return this.deptFor(rs, item.kind, eff);
  }

  private assign(rs: RegionState, item: Item, dept: Dept, role: Role, eff: number, day: number, doc: DocumentRef, corr: string, asPublished?: { name: string }): GenCommand {
    const e = this.entryFor(rs, item);
    e.holders.set(dept.id, role);
    e.withdrawn = false;
    e.lastEff = Math.max(e.lastEff, eff);
    return this.cmd(
      'assignItem',
      { regionCode: rs.region.code, itemCode: item.code, departmentId: dept.id, role, effectiveFrom: dateOf(eff), document: doc, ...(asPublished ? { asPublished } : {}) },
      day,
      this.actor(rs),
      corr,
    );
  }

  private publishList(rs: RegionState, eff: number, rng: Rng): GenCommand[] {
    const day = this.runningDay;
    const doc = this.doc(rs, eff, 'list');
    const corr = `list-${rs.region.code}`;
    rs.listDay = eff;
    const out: GenCommand[] = [];
    const level = rs.region.level;
    for (const item of rs.prov.items) {
      if (!item.levels.includes(level) || item.recorded > day || item.defined > eff || item.retired !== undefined) continue;
      if (!rng.chance(CARRY[level])) continue;
      const existing = rs.entryByItem.get(item.code);
      if (existing && (!existing.withdrawn || existing.receivedFrom)) continue; // received by delegation already
      const dept = this.sectorDept(rs, item, eff);
      if (!dept) continue;
      const asPublished = rng.chance(0.02) ? { name: item.name.replace(/^对/, '').replace(/的处罚/, '的行政处罚') + (level === 'county' ? '（县级）' : '') } : undefined;
      out.push(this.assign(rs, item, dept, 'lead', eff, day, doc, corr, asPublished));
      const others = rng.chance(0.03) || rng.chance(0.001) ? this.activeDepts(rs, eff).filter((d) => d.id !== dept.id) : [];
      if (others.length && rng.chance(0.97)) out.push(this.assign(rs, item, rng.pick(others), 'cooperating', eff, day, doc, corr));
      else if (others.length) out.push(this.assign(rs, item, rng.pick(others), 'lead', eff, day, doc, corr)); // two leads: a conflict the registry reports
    }
    rs.newItemCursor = rs.prov.newItems.length;
    return out;
  }

  private catalogueYear(prov: ProvinceState, y: number, day: number, rng: Rng): GenCommand[] {
    const P = prov.regions.get(prov.tree.province.code)!;
    const doc = { number: `${prov.abbr}编办发〔${y}〕${++P.docs}号`, title: `${prov.tree.province.name}权责清单通用目录（${y}年调整）`, issuedBy: `${prov.tree.province.name}机构编制委员会办公室` };
    const corr = `catalogue-${P.region.code}-${y}`;
    const out: GenCommand[] = [];
    const live = prov.items.filter((i) => i.retired === undefined);
    // Revisions (3%): a new legal basis; one in ten also renames the item.
    for (const item of rng.sample(live, Math.round(live.length * 0.03))) {
      if (item.revisionLocked || item.defined >= day) continue;
      const before = { name: item.name, basis: item.basis };
      const basis = [...item.basis.slice(0, 1).map((b) => `${b.slice(0, 80)}（${y}年修订）`), ...item.basis.slice(1)];
      const rename = rng.chance(0.1) ? `${item.name.replace(/（\d{4}年调整）$/, '')}（${y}年调整）` : undefined;
      item.basis = basis;
      if (rename) item.name = rename;
      const payload = { code: item.code, ...(rename ? { name: rename } : {}), basis, effectiveFrom: dateOf(day), document: doc };
      const c = this.cmd('reviseCatalogItem', payload, day, this.actor(P), corr);
      out.push(c);
      if (rng.chance(0.05)) {
        const when = day + rng.int(45, 400);
        if (when <= HORIZON) {
          item.revisionLocked = true;
          this.at(when, () => this.correctRevision(P, item, c, payload, before, when, rng.fork(`cr:${c.ctx.commandId}`)));
        }
      }
    }
    // New items (1% of the catalogue), spread over the levels like the catalogue.
    const total = CATALOGUE.reduce((a, c) => a + c.items, 0);
    const nNew = Math.max(1, Math.round(prov.items.length * 0.01));
    for (let i = 0; i < nNew; i++) {
      const levels = rng.weighted(CATALOGUE.map((c) => [c.levels, c.items / total] as const));
      const item = this.newItem(prov, levels, rng, day);
      item.recorded = day;
      prov.newItems.push(item);
      out.push(this.defineCmd(item, day, day, doc, corr, P));
    }
    // Retirements (0.3%): items never delegated, with no correction pending.
    for (const item of rng.sample(live, Math.round(live.length * 0.003))) {
      if (item.delegatedEver || item.lockedEntries > 0 || item.revisionLocked || item.defined >= day) continue;
      item.retired = day;
      out.push(this.cmd('retireCatalogItem', { code: item.code, effectiveFrom: dateOf(day), document: doc, reason: '法律法规修订，事项取消' }, day, this.actor(P), corr));
    }
    return out;
  }

  private correctRevision(P: RegionState, item: Item, c: GenCommand, payload: any, before: { name: string; basis: string[] }, day: number, rng: Rng): GenCommand[] {
    const doc = this.doc(P, day, 'correction');
    const corr = `correction-${c.ctx.commandId}`;
    const out = [this.cmd('retractEvent', { eventId: eventIdFor(c.ctx.commandId, 0), reason: '录入错误：修订生效日期有误', document: doc }, day, this.actor(P), corr)];
    item.revisionLocked = false;
    const eff = dayOf(payload.effectiveFrom) + rng.int(10, 60);
    if (rng.chance(0.6) && item.retired === undefined) {
      out.push(this.cmd('reviseCatalogItem', { ...payload, effectiveFrom: dateOf(eff), document: doc }, day, this.actor(P), corr));
    } else {
      item.name = before.name;
      item.basis = before.basis;
    }
    return out;
  }

  private annual(rs: RegionState, y: number, day: number, rng: Rng): GenCommand[] {
    if (rs.listDay === undefined) return [];
    const doc = this.doc(rs, day, 'annual');
    const corr = `annual-${rs.region.code}-${y}`;
    const out: GenCommand[] = [];
    const level = rs.region.level;
    const backdate = () => day - (rng.chance(0.6) ? rng.int(0, 10) : rng.int(11, 90));

    // New catalogue items that apply here.
    const fresh = rs.prov.newItems.slice(rs.newItemCursor).filter((i) => i.recorded <= day);
    rs.newItemCursor += fresh.length;
    for (const item of fresh) {
      if (!item.levels.includes(level) || item.retired !== undefined || !rng.chance(CARRY[level])) continue;
      if (rs.entryByItem.has(item.code)) continue;
      const eff = Math.max(item.defined, backdate());
      const dept = this.sectorDept(rs, item, eff);
      if (!dept) continue;
      const e = this.entryFor(rs, item);
      const snapshot = new Map(e.holders);
      const c = this.assign(rs, item, dept, 'lead', eff, day, doc, corr);
      out.push(c);
      if (rng.chance(0.02)) this.scheduleCorrection(rs, e, c, snapshot, 0, day, rng);
    }
    // Retired items leave the list.
    for (const e of rs.entries) {
      if (e.item.retired === undefined || e.item.retired > day || e.withdrawn || e.delegatedTo || e.locked) continue;
      if (e.holders.size === 0 && !e.receivedFrom) continue;
      const eff = Math.max(e.item.retired, e.lastEff + 1);
      e.holders.clear();
      e.withdrawn = true;
      e.receivedFrom = undefined;
      e.lastEff = eff;
      out.push(this.cmd('withdrawItem', { regionCode: rs.region.code, itemCode: e.item.code, effectiveFrom: dateOf(eff), document: doc, reason: '目录事项取消' }, day, this.actor(rs), corr));
    }
    // Transfers (~1.5% of the list).
    const nT = Math.round(rs.entries.length * 0.015 * (0.5 + rng.next()));
    for (const e of rng.sample(rs.entries, nT)) {
      const eff = Math.max(e.lastEff + 1, backdate());
      if (!this.adjustable(e, eff) || eff > day) continue;
      const from = this.lead(e)!;
      const to = this.activeDepts(rs, day).filter((d) => !e.holders.has(d.id) && d.established <= eff);
      if (to.length === 0) continue;
      const target = rng.pick(to);
      const snapshot = new Map(e.holders);
      const lastBefore = e.lastEff;
      e.holders.delete(from);
      e.holders.set(target.id, 'lead');
      e.lastEff = eff;
      const c = this.cmd('transferItem', { regionCode: rs.region.code, itemCode: e.item.code, fromDepartmentId: from, toDepartmentId: target.id, effectiveFrom: dateOf(eff), document: doc }, day, this.actor(rs), corr);
      out.push(c);
      if (rng.chance(0.03)) this.scheduleCorrection(rs, e, c, snapshot, lastBefore, day, rng);
    }
    // Withdrawals (~0.4%), never of an item received by delegation.
    for (const e of rng.sample(rs.entries, Math.round(rs.entries.length * 0.004))) {
      const eff = Math.max(e.lastEff + 1, backdate());
      if (!this.adjustable(e, eff) || e.receivedFrom || eff > day) continue;
      e.holders.clear();
      e.withdrawn = true;
      e.lastEff = eff;
      out.push(this.cmd('withdrawItem', { regionCode: rs.region.code, itemCode: e.item.code, effectiveFrom: dateOf(eff), document: doc, reason: '清单调整，事项不再由本级实施' }, day, this.actor(rs), corr));
    }
    // A cooperating department added (~0.3%).
    for (const e of rng.sample(rs.entries, Math.round(rs.entries.length * 0.003))) {
      const eff = Math.max(e.lastEff + 1, backdate());
      if (!this.adjustable(e, eff) || eff > day) continue;
      const to = this.activeDepts(rs, day).filter((d) => !e.holders.has(d.id) && d.established <= eff);
      if (to.length === 0) continue;
      out.push(this.assign(rs, e.item, rng.pick(to), 'cooperating', eff, day, doc, corr));
    }
    return out;
  }

  /**
   * A record found wrong later: retracted between 45 and 400 days after, before the region's reform
   * when it was made before it (so that the reform never moves an entry with a correction pending),
   * and recorded again with the right date most of the time. The entry is left alone meanwhile.
   */
  private scheduleCorrection(rs: RegionState, e: Entry, c: GenCommand, snapshot: Map<string, Role>, lastBefore: number, day: number, rng: Rng) {
    let when = day + rng.int(45, 400);
    const limit = rs.reformDay !== undefined && day < rs.reformDay ? rs.reformDay - 5 : HORIZON;
    when = Math.min(when, limit, HORIZON);
    if (when <= day + 7) return;
    e.locked = true;
    e.item.lockedEntries++;
    const payload = c.payload;
    this.at(when, () => {
      const doc = this.doc(rs, when, 'correction');
      const corr = `correction-${c.ctx.commandId}`;
      const isTransfer = c.name === 'transferItem';
      const out = [this.cmd('retractEvent', { eventId: eventIdFor(c.ctx.commandId, 0), reason: isTransfer ? '录入错误：划转生效日期有误' : '录入错误：承接日期有误', document: doc }, when, this.actor(rs), corr)];
      e.locked = false;
      e.item.lockedEntries--;
      e.holders = new Map(snapshot);
      e.lastEff = lastBefore;
      if (snapshot.size === 0) e.withdrawn = true;
      const eff = Math.min(dayOf(payload.effectiveFrom) + rng.int(10, 60), when - 1, rs.reformDay !== undefined && dayOf(payload.effectiveFrom) < rs.reformDay ? rs.reformDay - 1 : Infinity);
      const retired = e.item.retired !== undefined && e.item.retired <= eff;
      if (rng.chance(0.6) && eff > dayOf(payload.effectiveFrom) && !retired) {
        if (isTransfer) {
          e.holders.delete(payload.fromDepartmentId);
          e.holders.set(payload.toDepartmentId, 'lead');
        } else {
          e.holders.set(payload.departmentId, payload.role);
          e.withdrawn = false;
        }
        e.lastEff = eff;
        out.push(this.cmd(c.name, { ...payload, effectiveFrom: dateOf(eff), document: doc }, when, this.actor(rs), corr));
      }
      return out;
    });
  }

  private approvalBureau(rs: RegionState, eff: number, rng: Rng): GenCommand[] {
    const day = this.runningDay;
    if (rs.listDay === undefined) return [];
    const doc = this.doc(rs, eff, 'sp');
    const corr = `sp-${rs.region.code}`;
    const base = this.kindNames('SP', rs.region.level)!;
    const out = [this.establish(rs, 'SP', this.deptName(rs, base), eff, day, doc, corr)];
    const sp = rs.depts.get('SP')!;
    for (const e of rs.entries) {
      if (e.item.type !== '行政许可' || !this.adjustable(e, eff) || !rng.chance(0.7)) continue;
      const from = this.lead(e)!;
      e.holders.delete(from);
      e.holders.set(sp.id, 'lead');
      e.lastEff = eff;
      out.push(this.cmd('transferItem', { regionCode: rs.region.code, itemCode: e.item.code, fromDepartmentId: from, toDepartmentId: sp.id, effectiveFrom: dateOf(eff), document: doc, reason: '相对集中行政许可权' }, day, this.actor(rs), corr));
    }
    return out;
  }

  /** The recording day of the job running now (jobs are run in day order). */
  private runningDay = 0;

  private reform(rs: RegionState, eff: number, rng: Rng): GenCommand[] {
    const day = this.runningDay;
    const level = rs.region.level;
    const doc = this.doc(rs, eff, 'reform');
    const corr = `reform-${rs.region.code}`;
    const out: GenCommand[] = [];
    const actor = this.actor(rs);
    // New departments.
    const created: Dept[] = [];
    for (const k of KINDS) {
      const base = this.kindNames(k.key, level);
      if (k.era !== 'post' || !base) continue;
      out.push(this.establish(rs, k.key, this.deptName(rs, base), eff, day, doc, corr));
      created.push(rs.depts.get(k.key)!);
    }
    // Renames.
    for (const k of KINDS) {
      const d = rs.depts.get(k.key);
      if (!d || !k.reform || !('rename' in k.reform)) continue;
      const base = (k.reform.rename as Record<string, string | undefined>)[level];
      if (!base) continue;
      const name = this.deptName(rs, base);
      if (name === d.name) continue;
      d.name = name;
      created.push(d);
      out.push(this.cmd('renameDepartment', { id: d.id, name, effectiveFrom: dateOf(eff), document: doc }, day, actor, corr));
    }
    // Items that move to a new department.
    for (const m of REFORM_MOVES) {
      const from = rs.depts.get(m.from);
      const to = rs.depts.get(m.to);
      if (!from || !to || from.abolished !== undefined) continue;
      for (const e of rs.entries) {
        if (e.holders.get(from.id) !== 'lead' || !this.adjustable(e, eff) || e.holders.has(to.id) || !rng.chance(m.share)) continue;
        e.holders.delete(from.id);
        e.holders.set(to.id, 'lead');
        e.lastEff = eff;
        out.push(this.cmd('transferItem', { regionCode: rs.region.code, itemCode: e.item.code, fromDepartmentId: from.id, toDepartmentId: to.id, effectiveFrom: dateOf(eff), document: doc, reason: '机构改革职责调整' }, day, actor, corr));
      }
    }
    // Abolitions with a successor: the registry moves every item held on that day in the same append.
    for (const k of KINDS) {
      const d = rs.depts.get(k.key);
      if (!d || !k.reform || !('abolishInto' in k.reform) || d.abolished !== undefined) continue;
      const succ = this.deptFor(rs, k.reform.abolishInto, eff);
      if (!succ) continue;
      d.abolished = eff;
      for (const e of rs.entries) {
        const role = e.holders.get(d.id);
        if (role === undefined) continue;
        e.holders.delete(d.id);
        e.holders.set(succ.id, role);
        e.lastEff = Math.max(e.lastEff, eff);
      }
      out.push(this.cmd('abolishDepartment', { id: d.id, successorId: succ.id, effectiveFrom: dateOf(eff), document: doc, reason: `机构改革，职责划入${succ.name}` }, day, actor, corr));
    }
    // 三定 for each new or renamed department, two months on.
    const sEff = eff + rng.int(30, 75);
    const sDoc = { ...doc, number: doc.number.replace(/号$/, '-三定号'), title: `${rs.region.name}机构改革部门"三定"规定` };
    for (const d of created) {
      const nDuties = level === 'province' ? 12 : level === 'city' ? 10 : 8;
      const nOrgans = level === 'province' ? 8 : level === 'city' ? 6 : 4;
      const duties = SANDING_DUTIES.slice(0, nDuties).map((t, i) => ({ id: `D${i + 1}`, text: `${t}（${d.name}）` }));
      const internalOrgans = ORGANS.slice(0, nOrgans).map((name, i) => ({ id: `O${i + 1}`, name, duties: [{ id: `O${i + 1}-1`, text: `承担${name}相关工作` }, { id: `O${i + 1}-2`, text: `负责${name}职责范围内的权责事项办理` }] }));
      const authorized = level === 'province' ? rng.int(60, 160) : level === 'city' ? rng.int(30, 90) : rng.int(12, 45);
      // 定编制: categories, posts and nature, and the actual staff from the same date (a fork of the
      // generator's randomness, so the rest of the history is what it was without staffing)
      const leaders = Math.max(2, Math.round(authorized / 12));
      const [head, deputy] = level === 'province' ? ['厅长', '副厅长'] : ['局长', '副局长'];
      const support = Math.round(authorized * 0.08);
      const staffing = { categories: { 行政编制: authorized - support, 工勤编制: support }, leaderPosts: { [head]: 1, [deputy]: leaders - 1 }, nature: '行政机关' };
      out.push(this.cmd('issueSanding', { id: d.id, duties, internalOrgans, staffing, effectiveFrom: dateOf(sEff), document: sDoc }, day, actor, corr));
      const sr = rng.fork(`staffing:${d.id}`);
      const used = Math.round((authorized - support) * (sr.int(55, 108) / 100));
      const counts = { 行政编制: used, 工勤编制: support };
      const filled = { [head]: 1, [deputy]: sr.chance(0.04) ? leaders : leaders - 1 };
      out.push(this.cmd('reportActualStaffing', { departmentId: d.id, effectiveFrom: dateOf(sEff), document: sDoc, reason: '年度核对', counts, leaders: filled, outside: sr.int(0, 8) }, day, actor, corr));
    }
    return out;
  }

  private laterRenames(rs: RegionState, eff: number): GenCommand[] {
    const day = this.runningDay;
    const out: GenCommand[] = [];
    const doc = this.doc(rs, eff, 'rename');
    for (const k of KINDS) {
      if (!k.laterRename) continue;
      const d = rs.depts.get(k.key);
      const base = (k.laterRename.names as Record<string, string | undefined>)[rs.region.level];
      if (!d || !base || d.abolished !== undefined) continue;
      const name = this.deptName(rs, base);
      if (name === d.name) continue;
      d.name = name;
      out.push(this.cmd('renameDepartment', { id: d.id, name, effectiveFrom: dateOf(eff), document: doc }, day, this.actor(rs), `rename-${rs.region.code}-${yearOf(eff)}`));
    }
    return out;
  }

  private delegate(parent: RegionState, children: RegionState[], day: number, count: number, rng: Rng, toTownships = false): GenCommand[] {
    if (parent.listDay === undefined || parent.listDay >= day) return [];
    const childLevel = children[0].region.level;
    const doc = this.doc(parent, day, 'delegate');
    const corr = `delegate-${parent.region.code}-${dateOf(day)}`;
    const out: GenCommand[] = [];
    const eff = day - rng.int(0, 30);
    const candidates = parent.entries.filter((e) => {
      if (!this.adjustable(e, eff) || e.receivedFrom) return false;
      if (!toTownships && !e.item.levels.includes(childLevel)) return false;
      if (toTownships && !['行政处罚', '行政强制', '行政检查'].includes(e.item.type) && !rng.chance(0.2)) return false;
      return children.every((c) => {
        const ce = c.entryByItem.get(e.item.code);
        return !ce || (!ce.locked && ce.lastEff < eff && !ce.delegatedTo);
      });
    });
    for (const e of rng.sample(candidates, count)) {
      const departmentIds: Record<string, string> = {};
      for (const c of children) {
        const d = toTownships ? c.depts.get(['行政处罚', '行政强制', '行政检查'].includes(e.item.type) ? 'ZHZF' : 'BMFW') : this.sectorDept(c, e.item, eff);
        if (d) departmentIds[c.region.code] = d.id;
      }
      if (Object.keys(departmentIds).length !== children.length) continue;
      e.holders.clear();
      e.delegatedTo = children.map((c) => c.region.code);
      e.lastEff = eff;
      e.item.delegatedEver = true;
      for (const c of children) {
        const ce = this.entryFor(c, e.item);
        ce.holders.clear();
        const d = departmentIds[c.region.code];
        if (d) ce.holders.set(d, 'lead');
        ce.receivedFrom = parent.region.code;
        ce.withdrawn = false;
        ce.lastEff = eff;
      }
      parent.delegations.push({ item: e.item, children: e.delegatedTo, day: eff });
      out.push(this.cmd('delegateItem', { regionCode: parent.region.code, itemCode: e.item.code, toRegionCodes: e.delegatedTo, departmentIds, effectiveFrom: dateOf(eff), document: doc, reason: '推进简政放权，方便基层就近办理' }, day, this.actor(parent), corr));
    }
    return out;
  }

  private recall(parent: RegionState, day: number, share: number, before: number, rng: Rng): GenCommand[] {
    const doc = this.doc(parent, day, 'recall');
    const corr = `recall-${parent.region.code}-${dateOf(day)}`;
    const out: GenCommand[] = [];
    const eff = day - rng.int(0, 20);
    const candidates = parent.delegations.filter((d) => d.day < before);
    for (const dl of rng.sample(candidates, Math.round(candidates.length * share))) {
      const e = parent.entryByItem.get(dl.item.code)!;
      if (!e.delegatedTo || e.delegatedTo.join() !== dl.children.join() || e.locked || e.lastEff >= eff || dl.item.retired !== undefined) continue;
      const kids = dl.children.map((c) => parent.prov.regions.get(c)!.entryByItem.get(dl.item.code)!);
      if (kids.some((k) => k.receivedFrom !== parent.region.code || k.withdrawn || k.locked || k.lastEff >= eff)) continue;
      const dept = this.sectorDept(parent, dl.item, eff);
      if (!dept) continue;
      e.delegatedTo = undefined;
      e.holders = new Map([[dept.id, 'lead' as Role]]);
      e.lastEff = eff;
      for (const k of kids) {
        k.holders.clear();
        k.receivedFrom = undefined;
        k.withdrawn = true;
        k.lastEff = eff;
      }
      out.push(this.cmd('recallItem', { regionCode: parent.region.code, itemCode: dl.item.code, fromRegionCodes: dl.children, departmentId: dept.id, effectiveFrom: dateOf(eff), document: doc, reason: '基层承接能力不足，事项收回' }, day, this.actor(parent), corr));
    }
    return out;
  }
}
