// 发现: for a region and date, the findings the registry computes (职责交叉, 相似职责, 多层重复执法, 职责缺位,
// 三定 against the lists, 四级四同 deviations) counted by kind, the 四级四同 deviations with both wordings,
// how well each department's 三定 covers its items, and the findings ledger (预警台账): each finding
// explains itself, and editors move it on (待派发 → 核查中 → 已销号) with a note and an optional 文号.
import { Alert, App, Button, Collapse, Empty, Form, Input, Pagination, Progress, Select, Space, Table, Tag, Timeline } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ErrorNotice, docText } from '../../components/Feedback';
import { applyFieldErrors, compact } from '../../components/forms';
import { ApiError, api, errorMessage } from '../../lib/api';
import { FIELD_ZH, LEVEL_ZH, ROLE_ZH, fmtVal } from '../../lib/labels';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { useSession } from '../../lib/session';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { BarChart } from '../list/BarChart';
import { ResultArea } from '../../components/ResultArea';
import { QueryBar, RegionDate } from '../list/QueryBar';
import './findings.css';
import { FINDING_STATUSES, FINDING_TRANSITIONS, findingNoteRequired } from '../../../../../libs/contract/src';
import type { CoverageRow, Finding, FindingKind, FindingStatus, GapsAnswer as Gaps, LedgerAnswer as Ledger } from '../../../../../libs/contract/src';
export type { Finding };

type Status = FindingStatus;
const STATUSES = FINDING_STATUSES;
const STATUS_COLOR: Record<Status, string> = { 待派发: 'gold', 核查中: 'blue', 已销号: 'green' };
/** The moves the ledger allows, and those that must say why: the contract's table, which the domain decides by. */
const NEXT = FINDING_TRANSITIONS;
const NOTE_REQUIRED = findingNoteRequired;

const KINDS = ['conflict', 'similar', 'multi-level', 'unowned', 'abolished-holder', 'no-sanding', 'unapproved-duty', 'duty-deviation', 'duty-missing', 'conformance'] as const;
/** Kinds this page names and colours; a kind the server adds later is shown by its code. */
type Kind = FindingKind;
const KIND_ZH: Record<Kind, string> = {
  conflict: '职责交叉',
  similar: '相似职责/事项',
  'multi-level': '多层重复执法',
  unowned: '无人负责',
  'abolished-holder': '撤销部门仍持有事项',
  'no-sanding': '部门无三定',
  'unapproved-duty': '新增职责未核定',
  'duty-deviation': '职责偏离',
  'duty-missing': '职责缺失',
  conformance: '四级四同偏差',
};
const KIND_COLOR: Record<Kind, string> = {
  conflict: '#c8102e',
  similar: '#8a4a12',
  'multi-level': '#7a4ea3',
  unowned: '#8f4306',
  'abolished-holder': '#a8323e',
  'no-sanding': '#2f5a85',
  'unapproved-duty': '#21665a',
  'duty-deviation': '#55661d',
  'duty-missing': '#4a6a8a',
  conformance: '#9c6b00',
};
const score = (n: unknown) => (typeof n === 'number' ? n.toFixed(2) : '—');

interface DeptRef {
  departmentId: string;
  departmentName?: string;
}

type Q = RegionDate;
interface LedgerFilters {
  kind?: string;
  status?: string;
  q?: string;
}
type Settled<T> = { ok: true; v: T } | { ok: false; e: unknown };
const settle = <T,>(p: Promise<T>): Promise<Settled<T>> => p.then((v) => ({ ok: true as const, v }), (e) => ({ ok: false as const, e }));

const PAGE_SIZE = 20;

/** The ledger (every finding on the date, all statuses) and the 三定 coverage beside it; the ledger's error is the page's. */
async function loadFindings(q: Q, signal: AbortSignal): Promise<{ ledger: Ledger; gaps: Settled<Gaps> }> {
  const query = { region: q.region, at: q.at, asKnownAt: q.asKnownAt };
  const [ledger, gaps] = await Promise.all([settle(api<Ledger>('/api/findings', { query: { ...query, leads: 'include' }, signal })), settle(api<Gaps>('/api/gaps', { query, signal }))]);
  if (!ledger.ok) throw ledger.e;
  return { ledger: ledger.v, gaps };
}

export default function FindingsPage({ params, setParams }: PageProps) {
  const initial: Q = { region: params.region ?? '', at: params.at || todayChina(), asKnownAt: params.asKnownAt ?? '' };
  const [q, setQ] = useState<Q | null>(params.region ? initial : null);
  const [filters, setFilters] = useState<LedgerFilters>({ kind: params.kind, status: params.status, q: params.q });
  const [page, setPage] = useState(Number(params.page) || 1);
  const answer = useLoad((signal) => (q ? loadFindings(q, signal) : undefined), [q]);

  useEffect(() => {
    if (q) setParams({ ...q, ...filters, page: page > 1 ? page : undefined });
  }, [q, filters, page, setParams]);

  const submit = (next: Q) => {
    setPage(1);
    setQ(next);
  };

  return (
    <>
      <QueryBar
        lead="职责交叉、相似职责、多层重复执法、职责缺位、三定与清单的对照、四级四同偏差——按区划和日期由登记簿自动计算；发现台账记录每条发现的处理状态（待派发 → 核查中 → 已销号）。"
        atHint="按这一天施行的清单与三定计算"
        submit="查看"
        initial={initial}
        onSubmit={submit}
      />
      <ResultArea asked={!!q} loaded={answer} waiting="计算中…">
        {(data) => (
          <Findings
            ledger={data.ledger}
            gaps={data.gaps}
            filters={filters}
            page={page}
            onFilters={(f) => {
              setFilters(f);
              setPage(1);
            }}
            onPage={setPage}
            reload={answer.reload}
          />
        )}
      </ResultArea>
    </>
  );
}

function Findings({
  ledger,
  gaps,
  filters,
  page,
  onFilters,
  onPage,
  reload,
}: {
  ledger: Ledger;
  gaps: Settled<Gaps>;
  filters: LedgerFilters;
  page: number;
  onFilters(f: LedgerFilters): void;
  onPage(p: number): void;
  reload(): void;
}) {
  const [form] = Form.useForm<LedgerFilters>();
  // the ledger's entries; leads (线索: kinds whose precision is below the bar) are listed apart
  const all = useMemo(() => ledger.findings.filter((f) => !f.lead), [ledger]);
  const leads = useMemo(() => ledger.findings.filter((f) => f.lead), [ledger]);
  const red = all.filter((f) => f.severity === 'red').length;
  const settledCount = all.filter((f) => f.settledBy && f.status !== '已销号').length;
  const byStatus = useMemo(() => {
    const m: Record<string, number> = {};
    for (const f of all) m[f.status] = (m[f.status] ?? 0) + 1;
    return m;
  }, [all]);
  const byKind = useMemo(() => {
    const m = new Map<Kind, number>();
    for (const f of all) m.set(f.kind, (m.get(f.kind) ?? 0) + 1);
    return m;
  }, [all]);
  const pick = useMemo(() => {
    const text = (filters.q ?? '').trim().toLowerCase();
    return (f: Finding) => (!filters.kind || f.kind === filters.kind) && (!filters.status || f.status === filters.status) && (!text || f.title.toLowerCase().includes(text) || f.id.includes(text));
  }, [filters]);
  const shown = useMemo(() => all.filter(pick), [all, pick]);
  const shownLeads = useMemo(() => leads.filter(pick), [leads, pick]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const slice = shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const set = (patch: LedgerFilters) => {
    const next = { ...filters, ...patch };
    form.setFieldsValue({ kind: undefined, status: undefined, q: undefined, ...next });
    onFilters(next);
    document.getElementById('ledger-title')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  const deviations = all.filter((f) => f.kind === 'conformance');
  const basis = ledger.asKnownAt ? `按 ${fmtInstant(ledger.asKnownAt, { ms: true })}（北京时间）时的登记` : '按现有记录（含其后所有更正）';

  if (ledger.regionName === null) return <Alert type="info" showIcon title="在所选登记时刻，登记簿中还没有这个区划的记录。" />;
  return (
    <>
      <section className="card findings-head" aria-labelledby="findings-title">
        <h2 id="findings-title">
          {ledger.regionName}（{ledger.region}）{ledger.at} 的发现
        </h2>
        <p className="muted">{basis}</p>
        <div className="findings-summary">
          <div>
            <h3>台账状态</h3>
            <ul className="status-tiles" aria-label="按台账状态">
              <li>
                <button type="button" className={`stile stile-all${!filters.status ? ' stile-active' : ''}`} aria-pressed={!filters.status} onClick={() => set({ status: undefined })}>
                  <span>全部发现</span>
                  <strong>{all.length}</strong>
                </button>
              </li>
              {STATUSES.map((s) => (
                <li key={s}>
                  <button type="button" className={`stile stile-${STATUS_COLOR[s]}${filters.status === s ? ' stile-active' : ''}`} aria-pressed={filters.status === s} onClick={() => set({ status: s })}>
                    <span>{s}</span>
                    <strong>{byStatus[s] ?? 0}</strong>
                  </button>
                </li>
              ))}
            </ul>
            <p className="severity-line" aria-label="按性质">
              <Tag color="red">合规类 {red}</Tag>
              <Tag color="blue">资源效益类 {all.length - red}</Tag>
              <Tag color="green">已由职责分工解决 {settledCount}</Tag>
              <Tag>线索 {leads.length}（另列，不计入台账）</Tag>
            </p>
            <p className="muted ledger-note">发现由登记簿按所选日期自动计算；处理状态的每次变更都作为事件记入台账，可按登记时刻回溯。点选状态或类别即筛选下方台账。</p>
          </div>
          <div className="kind-mix">
            <h3>按类别</h3>
            <BarChart title="按类别的发现数" unit="条" bars={KINDS.map((k) => ({ key: k, label: KIND_ZH[k], value: byKind.get(k) ?? 0, color: KIND_COLOR[k] }))} onPick={(k) => set({ kind: k })} />
          </div>
        </div>
      </section>

      <DepartmentTable ledger={ledger} entries={all} onPick={(name) => set({ q: name })} />
      {deviations.length ? <DeviationTable findings={deviations} region={ledger.region} at={ledger.at} /> : null}
      <CoverageTable gaps={gaps} region={ledger.region} at={ledger.at} />

      <section className="card ledger-card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">发现台账</h2>
        <Form form={form} name="ledger" layout="vertical" className="ledger-filters" role="search" aria-label="筛选发现台账" initialValues={filters} onValuesChange={(_, v) => onFilters(v)}>
          <Form.Item label="类别" name="kind">
            <Select allowClear placeholder="全部类别" options={KINDS.filter((k) => byKind.get(k)).map((k) => ({ value: k, label: `${KIND_ZH[k]}（${byKind.get(k)}）` }))} popupMatchSelectWidth={false} />
          </Form.Item>
          <Form.Item label="台账状态" name="status">
            <Select allowClear placeholder="全部状态" options={STATUSES.map((s) => ({ value: s, label: `${s}（${byStatus[s] ?? 0}）` }))} />
          </Form.Item>
          <Form.Item label="搜索" name="q">
            <Input allowClear placeholder="部门、事项或职责中的字词" autoComplete="off" />
          </Form.Item>
        </Form>
        <p className="muted ledger-count">
          {shown.length === all.length ? `共 ${all.length} 条` : `筛选出 ${shown.length} 条（共 ${all.length} 条）`}
        </p>
        {slice.length ? (
          <ol className="ledger">
            {slice.map((f) => (
              <FindingItem key={f.id} f={f} at={ledger.at} reload={reload} />
            ))}
          </ol>
        ) : (
          <Empty description={all.length ? '台账中没有符合条件的发现' : '该日没有发现'} />
        )}
        {shown.length > PAGE_SIZE ? (
          <Pagination className="ledger-pager" current={current} pageSize={PAGE_SIZE} total={shown.length} showSizeChanger={false} onChange={onPage} showTotal={(t, [a, b]) => `第 ${a}–${b} 条，共 ${t} 条`} />
        ) : null}
      </section>
      {shownLeads.length ? <Leads key={`${filters.kind}|${filters.status}|${filters.q}`} leads={shownLeads} at={ledger.at} reload={reload} /> : null}
    </>
  );
}

/** 线索: findings of kinds whose measured precision is below the ledger's bar — worth a look, not ledger entries. */
function Leads({ leads, at, reload }: { leads: Finding[]; at: string; reload(): void }) {
  const [page, setPage] = useState(1);
  const slice = leads.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <section className="card leads-card" aria-labelledby="leads-title">
      <h2 id="leads-title">线索（{leads.length} 条）</h2>
      <p className="muted">这些类别在真实清单样本上的精度低于台账标准（0.9），只作为线索列出，需人工判断后再决定是否派发。</p>
      <ol className="ledger">
        {slice.map((f) => (
          <FindingItem key={f.id} f={f} at={at} reload={reload} />
        ))}
      </ol>
      {leads.length > PAGE_SIZE ? <Pagination className="ledger-pager" current={page} pageSize={PAGE_SIZE} total={leads.length} showSizeChanger={false} onChange={setPage} /> : null}
    </section>
  );
}

/** The ledger by department, the departments with most 合规类 problems first. */
function DepartmentTable({ ledger, entries, onPick }: { ledger: Ledger; entries: Finding[]; onPick(name: string): void }) {
  const ids = new Set(entries.map((f) => f.id));
  const rows = (ledger.byDepartment ?? [])
    .map((g) => {
      const mine = g.findingIds.filter((id) => ids.has(id));
      const list = entries.filter((f) => mine.includes(f.id));
      return { ...g, total: mine.length, red: list.filter((f) => f.severity === 'red').length, settled: list.filter((f) => f.settledBy && f.status !== '已销号').length };
    })
    .filter((g) => g.total > 0)
    .sort((a, b) => b.red - a.red || b.total - a.total);
  if (!rows.length) return null;
  return (
    <section className="card" aria-labelledby="dept-title">
      <h2 id="dept-title">按部门</h2>
      <Table
        size="small"
        rowKey="departmentId"
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        columns={[
          { title: '部门', key: 'dept', render: (_, r) => <Button type="link" size="small" onClick={() => onPick(r.departmentName)}>{r.departmentName}</Button> },
          { title: '合规类', key: 'red', render: (_, r) => r.red },
          { title: '资源效益类', key: 'blue', render: (_, r) => r.total - r.red },
          { title: '已由职责分工解决', key: 'settled', render: (_, r) => r.settled },
          { title: '合计', key: 'total', render: (_, r) => r.total },
        ]}
      />
    </section>
  );
}

function DeviationTable({ findings, region, at }: { findings: Finding[]; region: string; at: string }) {
  const rows = findings.flatMap((f) =>
    (f.deviations as Array<{ field: string; catalogue: unknown; list: unknown }>).map((d, k) => ({ key: `${f.id}-${k}`, f, d, first: k === 0, span: f.deviations.length })),
  );
  return (
    <section className="card deviations" aria-labelledby="dev-title">
      <h2 id="dev-title">四级四同偏差</h2>
      <p className="muted">本级清单的写法与施行中的目录不一致之处：目录（标准）与清单（本级）两种写法并列。</p>
      <Table
        size="small"
        rowKey="key"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          {
            title: '事项',
            key: 'item',
            onCell: (r) => ({ rowSpan: r.first ? r.span : 0 }),
            render: (_, r) => <ItemLink item={r.f.item} region={region} at={at} />,
          },
          { title: '部门', key: 'dept', onCell: (r) => ({ rowSpan: r.first ? r.span : 0 }), render: (_, r) => <DeptLink d={r.f.department} region={region} at={at} /> },
          { title: '要素', key: 'field', width: 90, render: (_, r) => FIELD_ZH[r.d.field] ?? r.d.field },
          { title: '目录（标准）', key: 'cat', render: (_, r) => <span className="val-cat">{fmtVal(r.d.catalogue)}</span> },
          { title: '清单（本级）', key: 'list', render: (_, r) => <span className="val-list">{fmtVal(r.d.list)}</span> },
        ]}
      />
    </section>
  );
}

function CoverageTable({ gaps, region, at }: { gaps: Settled<Gaps>; region: string; at: string }) {
  if (!gaps.ok) {
    return (
      <section className="card" aria-labelledby="cov-title">
        <h2 id="cov-title">三定与清单对照</h2>
        <ErrorNotice error={gaps.e} />
      </section>
    );
  }
  const rows = Object.values(gaps.v.coverage ?? {}).sort((a, b) => a.departmentName.localeCompare(b.departmentName, 'zh'));
  if (!rows.length) return null;
  return (
    <section className="card" aria-labelledby="cov-title">
      <h2 id="cov-title">三定与清单对照</h2>
      <p className="muted">有施行中三定的部门：三定职责中有事项承接的比例，所持事项中有三定职责依据的比例。</p>
      <Table<CoverageRow>
        size="small"
        rowKey="departmentId"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          { title: '部门', key: 'dept', render: (_, r) => <DeptLink d={r} region={region} at={at} /> },
          {
            title: '三定职责有事项承接',
            key: 'duties',
            render: (_, r) => <Share done={r.dutiesWithItems} of={r.duties} share={r.dutyCoverage} />,
          },
          { title: '事项有三定职责依据', key: 'items', render: (_, r) => <Share done={r.itemsWithDuties} of={r.items} share={r.itemCoverage} /> },
        ]}
      />
    </section>
  );
}

/** "3/5 项（60%）" with a bar beside it (the bar is decoration: the text says it). */
function Share({ done, of, share }: { done: number; of: number; share: number | null }) {
  const pct = share === null ? null : Math.round(share * 100);
  return (
    <div className="cov">
      <Progress percent={pct ?? 0} size="small" showInfo={false} status={share === 1 ? 'success' : 'normal'} aria-hidden />
      <span>
        {done}/{of} 项{pct === null ? '' : `（${pct}%）`}
      </span>
    </div>
  );
}

const ItemLink = ({ item, region, at }: { item?: { itemCode: string; itemName?: string; type?: string }; region: string; at: string }) =>
  item?.itemCode ? (
    <a href={hashLink('history', { region, item: item.itemCode, at })}>{item.itemName ? `${item.itemName}（${item.itemCode}）` : item.itemCode}</a>
  ) : null;

const DeptLink = ({ d, region, at }: { d?: DeptRef; region: string; at: string }) =>
  d?.departmentId ? <a href={hashLink('department', { region, id: d.departmentId, at })}>{d.departmentName ?? d.departmentId}</a> : null;

const span = (x: { from: string; until?: string }) => (x.until ? `${x.from} 至 ${x.until}` : `${x.from} 起`);

function FindingItem({ f, at, reload }: { f: Finding; at: string; reload(): void }) {
  const { can } = useSession();
  return (
    <li className={`finding kind-${f.kind}`} data-finding={f.id} aria-labelledby={`t-${f.id}`}>
      <div className="finding-head">
        <Tag color={KIND_COLOR[f.kind]} className="kind-tag">
          {KIND_ZH[f.kind] ?? f.kind}
        </Tag>
        <Tag color={STATUS_COLOR[f.status]} className="status-badge" data-status={f.status}>
          {f.status}
        </Tag>
        <span className="muted holds">存在期间：{span(f)}</span>
        <span className="muted finding-id mono">{f.id}</span>
      </div>
      <p className="finding-title" id={`t-${f.id}`}>
        {f.title}
      </p>
      <Collapse
        size="small"
        ghost
        className="finding-why"
        items={[{ key: 'why', label: `说明（依据与状态记录${f.history?.length ? ` · ${f.history.length} 次变更` : ''}）`, children: <Explain f={f} at={at} /> }]}
      />
      {can('editor') ? <StatusForm key={f.status} f={f} reload={reload} /> : null}
    </li>
  );
}

/** What the finding rests on, by kind: both texts with their departments and score, the clause that settles it, the dates, the history. */
function Explain({ f, at }: { f: Finding; at: string }) {
  const region = f.region;
  const D = ({ d }: { d?: DeptRef }) => <DeptLink d={d} region={region} at={at} />;
  const text = (t: any, extra?: string) =>
    t ? (
      <blockquote className="quote">
        <div className="quote-who">
          <D d={t} /> · {t.kind === 'item' || t.itemCode ? `事项 ${t.itemName ? `「${t.itemName}」` : ''}${t.itemCode ? `（${t.itemCode}）` : ''}` : `三定职责 ${t.dutyId ?? ''}`}
          {t.organ ? ` · ${t.organ.name ?? t.organ}` : ''}
          {t.score !== undefined ? ` · 相似度 ${score(t.score)}` : ''}
          {extra ? ` · ${extra}` : ''}
        </div>
        <div className="quote-text">{t.text ?? t.itemName ?? '—'}</div>
      </blockquote>
    ) : null;
  const rows: Array<[string, React.ReactNode]> = [];
  if (f.item?.itemCode) rows.push(['事项', <><ItemLink item={f.item} region={region} at={at} />{f.item.type ? <span className="muted"> · {f.item.type}</span> : null}</>]);
  if (f.department?.departmentId) {
    const d = f.department;
    const st = d.status === 'abolished' ? `已撤销（${d.abolishedOn ?? ''}）` : d.status === 'not-yet-established' ? `尚未设立（${d.establishedOn ?? ''} 设立）` : d.status === 'not-recorded' ? '未登记' : '';
    rows.push(['部门', <><D d={d} />{st ? <span className="muted"> · {st}</span> : null}{d.successor ? <> · 承继部门 <D d={d.successor} /></> : null}</>]);
  }
  switch (f.kind) {
    case 'conflict':
      rows.push([
        '牵头部门',
        <ul className="plain">
          {(f.leads ?? []).map((l: any) => (
            <li key={l.departmentId}>
              <D d={l} /> 牵头，自 {l.since}，依据 {docText(l.document)}
            </li>
          ))}
        </ul>,
      ]);
      break;
    case 'similar':
      rows.push([f.subject === 'item' ? '两个部门的事项' : '两个部门的三定职责', <div className="pair">{text(f.a)}{text(f.b)}</div>]);
      rows.push(['文本相似度', <strong>{score(f.score)}</strong>]);
      break;
    case 'multi-level': {
      const lvl = (r: any) => (
        <>
          {r.regionName ?? r.regionCode}（{LEVEL_ZH[r.level] ?? r.level}）：
          {(r.holders ?? []).map((h: any, k: number) => (
            <span key={h.departmentId}>
              {k ? '、' : ''}
              <a href={hashLink('department', { region: r.regionCode, id: h.departmentId, at })}>{h.departmentName ?? h.departmentId}</a> {ROLE_ZH[h.role] ?? h.role}，自 {h.since}
            </span>
          ))}
        </>
      );
      rows.push(['上级', lvl(f.upper)]);
      rows.push(['下级', lvl(f.lower)]);
      rows.push(['原因', (f.reasons ?? []).map((r: string) => (r === 'no-delegation' ? '无下放依据' : '目录适用层级不含其中一级')).join('；')]);
      rows.push(['目录适用层级', (f.catalogueLevels ?? []).map((l: string) => LEVEL_ZH[l] ?? l).join('、') || '—']);
      break;
    }
    case 'unowned':
      rows.push(['情形', f.inList ? '已列入本级清单，但没有牵头部门' : '目录适用于本级，但本级清单未列入、无部门负责']);
      if (f.item?.levels?.length) rows.push(['目录适用层级', f.item.levels.map((l: string) => LEVEL_ZH[l] ?? l).join('、')]);
      if (f.cooperating?.length) rows.push(['配合部门', <>{f.cooperating.map((c: DeptRef, k: number) => <span key={c.departmentId}>{k ? '、' : ''}<D d={c} /></span>)}</>]);
      if (f.receivedFrom) rows.push(['承接自', `${f.receivedFrom.regionName ?? ''}（${f.receivedFrom.regionCode}）`]);
      if (f.retiredInCatalogue) rows.push(['目录', '该事项已从目录取消']);
      break;
    case 'abolished-holder':
      rows.push([
        '仍持有的事项',
        <ul className="plain">
          {(f.items ?? []).map((i: any) => (
            <li key={i.itemCode}>
              <ItemLink item={i} region={region} at={at} /> {ROLE_ZH[i.role] ?? i.role}，自 {i.since}
            </li>
          ))}
        </ul>,
      ]);
      break;
    case 'no-sanding':
      rows.push(['持有事项', `${f.items} 项`]);
      if (f.itemCodes?.length)
        rows.push(['事项', <>{f.itemCodes.map((c: string, k: number) => <span key={c}>{k ? '、' : ''}<ItemLink item={{ itemCode: c }} region={region} at={at} /></span>)}</>]);
      break;
    case 'unapproved-duty':
      rows.push(['清单写法', <blockquote className="quote"><div className="quote-text">{f.item?.text ?? f.item?.itemName}</div></blockquote>]);
      if (f.reason === 'duty-ids-not-in-sanding') rows.push(['所引职责', `${(f.dutyIds ?? []).join('、')}（不在施行中的三定内）`]);
      else rows.push(['本部门三定中最接近的职责', f.bestMatch ? text(f.bestMatch) : '无（本部门三定中没有相近的职责）'], ['认定阈值', score(f.threshold)]);
      if (f.sanding) rows.push(['施行中的三定', `${f.sanding.from} 起，${docText(f.sanding.document)}`]);
      break;
    case 'duty-deviation':
      rows.push(['清单写法', <blockquote className="quote"><div className="quote-text">{f.item?.text ?? f.item?.itemName}</div></blockquote>]);
      rows.push(['对照', <div className="pair">{f.own ? text(f.own, '本部门最接近的职责') : <p className="muted">本部门三定中没有相近的职责</p>}{text(f.other, '其他部门的职责')}</div>]);
      break;
    case 'duty-missing':
      rows.push(['三定职责', text(f.duty)]);
      if (f.sanding) rows.push(['施行中的三定', `${f.sanding.from} 起，${docText(f.sanding.document)}`]);
      rows.push(['部门持有事项', `${f.itemsHeld ?? 0} 项，均不对应这条职责`]);
      break;
    case 'conformance':
      rows.push([
        '不一致之处',
        <ul className="plain">
          {(f.deviations ?? []).map((d: any) => (
            <li key={d.field}>
              {FIELD_ZH[d.field] ?? d.field}：目录“{fmtVal(d.catalogue)}”，清单“{fmtVal(d.list)}”
            </li>
          ))}
        </ul>,
      ]);
      if (f.catalogue) rows.push(['施行中的目录', `${f.catalogue.from} 起，${docText(f.catalogue.document)}`]);
      if (f.listedSince) rows.push(['列入清单', `${f.listedSince} 起（${ROLE_ZH[f.role] ?? f.role}）`]);
      break;
  }
  rows.push(['存在期间', (f.holds ?? []).map(span).join('；') || '—']);
  const s = f.settledBy;
  return (
    <div className="explain">
      <dl className="kv">
        {rows.map(([k, v], n) => (
          <div key={n} className="kv-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {s ? (
        <Alert
          type="success"
          showIcon
          className="settled"
          title="已有职责分工条款予以明确"
          description={
            <>
              {s.matter ? <>“{s.matter}”</> : null}（条款 {s.clauseId}）：由 <D d={s.lead} /> 牵头
              {s.assisting?.length ? <>，{s.assisting.map((a: DeptRef, k: number) => <span key={a.departmentId}>{k ? '、' : ''}<D d={a} /></span>)} 配合</> : null}；自 {s.effectiveFrom} 起，依据 {docText(s.document)}
              {s.matterScore !== undefined ? `；事项与条款的相似度 ${score(s.matterScore)}` : ''}
            </>
          }
        />
      ) : null}
      <h4 className="hist-title">状态记录</h4>
      {f.history?.length ? (
        <Timeline
          className="status-history"
          items={f.history.map((h) => ({
            color: STATUS_COLOR[h.status] === 'gold' ? 'orange' : STATUS_COLOR[h.status],
            content: (
              <>
                <span className="muted">{fmtInstant(h.recordedAt)}</span> {h.from} → <strong>{h.status}</strong>
                {h.note ? `：${h.note}` : ''}
                {h.document?.number ? `（${docText(h.document)}）` : ''}
                {h.actor ? <span className="muted"> · {h.actor}</span> : null}
              </>
            ),
          }))}
        />
      ) : (
        <p className="muted">尚无状态变更：自动计算得出，待派发。</p>
      )}
    </div>
  );
}

interface StatusValues {
  status: Status;
  note?: string;
  document?: { number?: string };
}

function StatusForm({ f, reload }: { f: Finding; reload(): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<StatusValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const next = NEXT[f.status] ?? STATUSES;
  const to = Form.useWatch('status', form) ?? next[0];
  const needNote = NOTE_REQUIRED(f.status, to);
  const submit = async (v: StatusValues) => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/findings/${encodeURIComponent(f.id)}/status`, { method: 'POST', body: compact({ status: v.status, note: v.note?.trim(), document: { number: v.document?.number?.trim() } }) });
      message.success(`已改为「${v.status}」`);
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NOTE_REQUIRED') {
        form.setFields([{ name: 'note', errors: [err.message] }]);
        form.scrollToField('note', { focus: true });
      } else {
        const rest = applyFieldErrors(form, err, [['status'], ['note'], ['document', 'number']]);
        if (!(err instanceof ApiError) || !err.fields.length || rest.length) setError(err);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      form={form}
      name={`st-${f.id}`}
      layout="inline"
      className="status-form"
      aria-label={`处理发现 ${f.id}`}
      initialValues={{ status: next[0], note: '', document: { number: '' } }}
      onFinish={submit}
    >
      <Form.Item label="状态" name="status" rules={[{ required: true, message: '请选择状态' }]}>
        <Select style={{ width: 120 }} options={next.map((s) => ({ value: s, label: s }))} />
      </Form.Item>
      <Form.Item label="说明" name="note" rules={needNote ? [{ required: true, whitespace: true, message: '这一变更须填写说明（核查结论或理由）' }] : []} className="note-item">
        <Input placeholder={needNote ? '核查结论或理由（必填）' : '处理说明，如 已派发某局核查'} autoComplete="off" maxLength={2000} />
      </Form.Item>
      <Form.Item label="文号" name={['document', 'number']}>
        <Input placeholder="可选" autoComplete="off" style={{ width: 180 }} />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            更新状态
          </Button>
        </Space>
      </Form.Item>
      {error ? (
        <div className="status-error">
          <Alert type="error" showIcon title={errorMessage(error)} />
        </div>
      ) : null}
    </Form>
  );
}
