// 事项历史: an item in one region on the valid-time axis (one lane per department), replayable "as known
// at" every recorded moment, and every event in recorded order with its retractions.
import { CaretLeftOutlined, CaretRightOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Slider, Space, Tag, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useDepartments } from '../../components/DepartmentSelect';
import { ResultArea } from '../../components/ResultArea';
import { ErrorNotice, docText } from '../../components/Feedback';
import { RegionField, ItemField, DateAtField } from '../../components/QueryFields';
import { api } from '../../lib/api';
import { EVENT_ZH, ROLE_ZH } from '../../lib/labels';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { useSession } from '../../lib/session';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { COLORS, Layout, TimelineChart, TimelineData, conflicts } from './TimelineChart';
import './history.css';
import type { HistoryEntry as HistoryEvent, ItemHistory as History } from '../../../../../libs/contract/src';
import { PublishedColumns } from '../../components/PublishedColumns';
export type { HistoryEvent };

interface Q {
  region: string;
  item: string;
  at: string;
}

export default function HistoryPage({ params, setParams }: PageProps) {
  const [form] = Form.useForm<Q>();
  const initial: Q = { region: params.region ?? '', item: params.item ?? '', at: params.at ?? '' };
  const [q, setQ] = useState<Q | null>(params.region && params.item ? initial : null);
  // the replayed moment from the address, used once (a new query starts at "now")
  const [startAt, setStartAt] = useState(params.asKnownAt ?? '');
  const hist = useLoad((signal) => (q ? api<History>(`/api/items/${encodeURIComponent(q.item)}/history`, { query: { region: q.region }, signal }) : undefined), [q]);

  const submit = (v: Q) => {
    const next = { region: v.region ?? '', item: v.item ?? '', at: v.at ?? '' };
    setStartAt('');
    setParams(next);
    setQ(next);
  };

  return (
    <>
      <Card className="query-bar">
        <Typography.Paragraph className="lead">
          一个事项在一个区划内由哪些部门负责、从何时到何时（横轴为生效日期）；回放滑块按登记时刻重现登记簿当时的回答——更正（撤回后重新登记）会让分界线移动。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" className="query" initialValues={initial} onFinish={submit}>
          <div className="form-grid">
            <RegionField extra="可搜索名称或代码，也可展开区划树" />
            <ItemField extra="输入事项编码或名称中的几个字" />
            <DateAtField label="查看日期（可选）" required={false} extra="在时间轴上标出这一天，并列出当日的负责部门" />
          </div>
          <Button type="primary" htmlType="submit">
            显示历史
          </Button>
        </Form>
      </Card>
      <ResultArea asked={!!q} loaded={hist} prompt="请选择行政区划和事项。" hideStale>
        {(h) => <HistoryView key={`${q!.region}|${q!.item}|${q!.at}`} hist={h} q={q!} startAt={startAt} setParams={setParams} />}
      </ResultArea>
    </>
  );
}

function HistoryView({ hist, q, startAt, setParams }: { hist: History; q: Q; startAt: string; setParams: PageProps['setParams'] }) {
  const { can } = useSession();
  const depts = useDepartments(q.region);
  const names = useMemo(() => new Map((depts.data ?? []).map((d) => [d.id, d.name])), [depts.data]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const moments = useMemo(() => [...new Set(hist.events.map((e) => e.recordedAt))].sort(), [hist]);
  const retractionMoments = useMemo(() => new Set(hist.events.filter((e) => e.type === 'EventRetracted').map((e) => e.recordedAt)), [hist]);
  // every effective date ever recorded: the axis does not jump while replaying
  const domain = useMemo(() => hist.events.flatMap((e) => (e.effectiveFrom ? [e.effectiveFrom] : [])), [hist]);
  const N = moments.length;
  const [idx, setIdx] = useState(() => {
    const i = startAt ? moments.indexOf(startAt) : -1;
    return i >= 0 ? i : N;
  });
  const T = idx < N ? moments[idx] : '';
  const cache = useRef(new Map<string, TimelineData>());
  const tl = useLoad(
    (signal) => {
      const hit = cache.current.get(T);
      if (hit) return Promise.resolve({ T, data: hit });
      return api<TimelineData>(`/api/items/${encodeURIComponent(hist.item)}/timeline`, { query: { region: q.region, asKnownAt: T }, signal }).then((data) => {
        cache.current.set(T, data);
        return { T, data };
      });
    },
    [T, hist.item, q.region],
  );
  const [layout, setLayout] = useState<Layout>({ x: {} });

  const go = (i: number) => {
    const n = Math.max(0, Math.min(N, i));
    setIdx(n);
    setParams({ region: q.region, item: q.item, at: q.at, asKnownAt: n < N ? moments[n] : '' });
  };

  const shown = tl.data; // the picture stays while the next moment loads
  const shownT = shown?.T ?? T;
  const atMoment = T ? hist.events.filter((e) => e.recordedAt === T) : [];
  const looked = q.at || todayChina();
  const held = shown ? shown.data.lanes.flatMap((l) => l.segments.filter((g) => g.from <= looked && (!g.to || looked < g.to)).map((g) => ({ l, g }))) : [];
  const valueText = (v: number) => (v >= N ? '现在（按现有记录）' : `第 ${v + 1}/${N} 次登记，${fmtInstant(moments[v], { ms: true })}（北京时间）`);
  const marks: Record<number, any> = { [N]: { label: '现在', style: { fontWeight: 600 } } };
  moments.forEach((m, i) => {
    if (retractionMoments.has(m)) marks[i] = { label: '更正', style: { color: COLORS.conflict } };
  });

  return (
    <div className="history">
      <h2 className="history-title">{shown ? `${shown.data.itemName}（${shown.data.item}）· ${shown.data.regionName}` : `${hist.item} · ${q.region}`}</h2>
      <Card className="replay" size="small">
        <div className="replay-head">
          <span id="replay-label" className="replay-label">
            按登记时刻回放（“当时所知”）
          </span>
          <span className="muted">共 {N} 次登记 · 键盘：← → 逐次，Home / End 首末</span>
        </div>
        <div className="replay-row">
          <Button icon={<CaretLeftOutlined />} aria-label="上一次登记" title="上一次登记" disabled={idx <= 0} onClick={() => go(idx - 1)} />
          <Slider
            id="replay"
            className="replay-slider"
            min={0}
            max={N}
            step={1}
            value={idx}
            dots={N <= 60}
            marks={marks}
            onChange={(v: number) => go(v)}
            ariaLabelledByForHandle="replay-label"
            ariaValueTextFormatterForHandle={valueText}
            tooltip={{ formatter: (v?: number) => (v === undefined ? '' : v >= N ? '现在' : fmtInstant(moments[v], { ms: true })) }}
          />
          <Button icon={<CaretRightOutlined />} aria-label="下一次登记" title="下一次登记" disabled={idx >= N} onClick={() => go(idx + 1)} />
          <Button type={idx >= N ? 'default' : 'primary'} onClick={() => go(N)}>
            现在
          </Button>
        </div>
        <p id="replay-now" className="replay-now" aria-live="polite">
          {T ? (
            <>
              <strong>按 {fmtInstant(T, { ms: true })}（北京时间）时的登记</strong>：第 {idx + 1}/{N} 次登记。此刻登记了{' '}
              {atMoment.map((e) => `${EVENT_ZH[e.type] ?? e.type}${e.effectiveFrom ? `（生效 ${e.effectiveFrom}）` : ''}`).join('、')}。
            </>
          ) : (
            <>
              <strong>按现有记录</strong>（含全部 {N} 次登记及其后的所有更正）。
            </>
          )}
        </p>
      </Card>

      {tl.error ? <ErrorNotice error={tl.error} /> : null}
      {shown ? (
        <section className="timeline" data-as-known-at={shownT} aria-labelledby="timeline-title" aria-busy={tl.loading}>
          <h3 id="timeline-title" className="sr-only">
            负责部门时间轴
          </h3>
          <TimelineChart
            data={shown.data}
            at={q.at || undefined}
            domain={domain}
            label={`${shown.data.itemName}在${shown.data.regionName}的负责部门时间轴（${shownT ? `按 ${fmtInstant(shownT)} 时的登记` : '按现有记录'}），数据见下表`}
            onLayout={setLayout}
          />
          <Legend />
          <Conflicts data={shown.data} />
          <SpanTable data={shown.data} layout={layout} />
        </section>
      ) : (
        <p className="muted">时间轴载入中…</p>
      )}
      <p className="cursor-text" aria-live="polite">
        {shown ? (
          <>
            <strong>{q.at ? looked : `今天（${looked}）`}</strong> 负责部门：
            {held.length
              ? held.map(({ l, g }, i) => (
                  <span key={`${l.departmentId}-${g.role}`}>
                    {i ? '、' : ''}
                    <a href={hashLink('department', { region: q.region, id: l.departmentId, at: looked })}>{l.departmentName}</a>（{ROLE_ZH[g.role]}）
                  </span>
                ))
              : '无'}
            {held.filter(({ g }) => g.role === 'lead').length > 1 ? <Tag color="red" className="cursor-conflict">职责交叉</Tag> : null}
            <span className="muted">{shownT ? '（按所选登记时刻）' : '（按现有记录）'}</span>
          </>
        ) : null}
      </p>

      <h2 className="events-title">全部事件（按登记顺序）</h2>
      <p className="muted">被撤回的事件以删除线显示，并注明撤回记录；撤回不抹去历史。{T ? '所选登记时刻之后才登记的事件以灰色显示。' : ''}</p>
      <ol className="events">
        {hist.events.map((e) => (
          <EventRow key={e.eventId} e={e} T={T} nameOf={nameOf} canEdit={can('editor')} />
        ))}
      </ol>
      <div className="links">
        <Space wrap>
          <a href={hashLink('owner', { region: q.region, item: q.item, at: q.at })}>谁负责</a>
          {can('reviewer') ? <a href={hashLink('report', { region: q.region, item: q.item, at: q.at || todayChina() })}>争议报告</a> : null}
          <a href={hashLink('list', { region: q.region, at: q.at })}>本级清单</a>
        </Space>
      </div>
    </div>
  );
}

function Legend() {
  const key = (cls: string, text: string) => (
    <span className="legend-item">
      <span className={`key ${cls}`} aria-hidden="true" />
      {text}
    </span>
  );
  return (
    <p className="legend">
      {key('key-lead', '牵头')}
      {key('key-cooperating', '配合')}
      {key('key-delegated', '下放 / 承接')}
      {key('key-conflict', '职责交叉（同时多个牵头部门）')}
      {key('key-today', '今天')}
      {key('key-cursor', '查看日期')}
      <span className="legend-item muted">右端箭头：至今仍有效</span>
    </p>
  );
}

/** The intervals with more than one lead department, said in words (the red bands of the chart). */
function Conflicts({ data }: { data: TimelineData }) {
  const bands = conflicts(data.lanes);
  if (!bands.length) return null;
  const leadsIn = (b: { from: string }) =>
    data.lanes.filter((l) => l.segments.some((g) => g.role === 'lead' && g.from <= b.from && (!g.to || b.from < g.to))).map((l) => l.departmentName);
  return (
    <Alert
      type="error"
      showIcon
      className="conflicts"
      title="职责交叉"
      description={
        <ul>
          {bands.map((b) => (
            <li key={b.from} data-conflict-from={b.from} data-conflict-to={b.to ?? ''}>
              {b.from} 起{b.to ? `至 ${b.to}` : '至今'}：{leadsIn(b).join('、')} 同时牵头
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** The chart's text alternative: every span held, with the document. */
function SpanTable({ data, layout }: { data: TimelineData; layout: Layout }) {
  const rows = data.lanes.flatMap((l) => l.segments.map((g) => ({ l, g })));
  return (
    <details className="lane-table">
      <summary>时间轴数据（表格，{rows.length} 段）</summary>
      <table className="spans">
        <caption className="sr-only">各部门负责的时段</caption>
        <thead>
          <tr>
            <th scope="col">部门</th>
            <th scope="col">角色</th>
            <th scope="col">自</th>
            <th scope="col">至</th>
            <th scope="col">依据文件</th>
          </tr>
        </thead>
        <tbody>
          {rows.length ? (
            rows.map(({ l, g }) => (
              <tr key={`${l.departmentId}|${g.from}|${g.role}`} data-dept={l.departmentId} data-from={g.from} data-to={g.to ?? ''} data-role={g.role} data-x={layout.x[`${l.departmentId}|${g.from}`] ?? ''}>
                <th scope="row">{l.departmentName}</th>
                <td>{ROLE_ZH[g.role] ?? g.role}</td>
                <td>{g.from}</td>
                <td>{g.to ?? '今'}</td>
                <td>{docText(g.document)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={5} className="muted">
                （所选登记时刻没有任何部门负责该事项）
              </td>
            </tr>
          )}
          {data.delegations.map((g) => (
            <tr key={`del-${g.from}`} data-delegated={g.regions.join(',')} data-from={g.from} data-to={g.to ?? ''}>
              <th scope="row">已下放</th>
              <td>下放至 {g.regions.join('、')}</td>
              <td>{g.from}</td>
              <td>{g.to ?? '今'}</td>
              <td />
            </tr>
          ))}
          {data.received.map((g) => (
            <tr key={`rec-${g.from}`} data-received={g.fromRegion} data-from={g.from} data-to={g.to ?? ''}>
              <th scope="row">承接下放</th>
              <td>承接自 {g.fromRegion}</td>
              <td>{g.from}</td>
              <td>{g.to ?? '今'}</td>
              <td />
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function jump(id: string) {
  const el = document.getElementById(`ev-${id}`);
  el?.scrollIntoView({ block: 'center' });
  el?.focus({ preventScroll: true });
}

function EventRow({ e, T, nameOf, canEdit }: { e: HistoryEvent; T: string; nameOf(id: string): string; canEdit: boolean }) {
  const future = !!T && e.recordedAt > T;
  const retracted = !!e.retractedBy && (!T || e.retractedBy.recordedAt <= T);
  const isRetraction = e.type === 'EventRetracted';
  const body = (
    <span className="ev-body">
      <span className="ev-type">{EVENT_ZH[e.type] ?? e.type}</span>
      {describe(e, nameOf) ? <span className="ev-what">{describe(e, nameOf)}</span> : null}
      {e.effectiveFrom ? <span className="ev-eff">生效日期 {e.effectiveFrom}</span> : null}
      {e.document ? <span className="ev-doc">依据 {docText(e.document)}</span> : null}
      {e.reason ? <span className="ev-reason">理由：{e.reason}</span> : null}
    </span>
  );
  return (
    <li
      id={`ev-${e.eventId}`}
      className={`ev${retracted ? ' retracted' : ''}${future ? ' future' : ''}${isRetraction ? ' retraction' : ''}`}
      data-event-id={e.eventId}
      data-type={e.type}
      tabIndex={-1}
    >
      <div className="ev-head">
        <time dateTime={e.recordedAt} title={`UTC ${e.recordedAt}`}>
          登记于 {fmtInstant(e.recordedAt, { ms: true })}
        </time>
        {e.regionCode ? <span className="muted">区划 {e.regionCode}</span> : null}
        {e.actor ? <span className="ev-actor">登记人 {e.actor}</span> : null}
        {future ? <Tag className="ev-future-tag">该时刻尚未登记</Tag> : null}
        {retracted ? <Tag color="red">已撤回</Tag> : null}
      </div>
      <div className="ev-main">{retracted ? <del>{body}</del> : body}</div>
      {e.type === 'ItemAssigned' && e.data?.asPublished?.fields ? (
        <details className="ev-published">
          <summary>清单各列（如公布）</summary>
          <PublishedColumns fields={e.data.asPublished.fields as Record<string, string>} label="该次登记的清单各列" />
        </details>
      ) : null}
      {retracted && e.retractedBy ? (
        <p className="ev-retracted-by">
          已于 {fmtInstant(e.retractedBy.recordedAt, { ms: true })} 撤回：{e.retractedBy.reason}，依据 {docText(e.retractedBy.document)}
          {e.retractedBy.actor ? `（${e.retractedBy.actor}）` : ''}{' '}
          <Button type="link" size="small" className="jump" onClick={() => jump(e.retractedBy!.eventId)}>
            查看撤回记录
          </Button>
        </p>
      ) : null}
      {isRetraction && e.data?.eventId ? (
        <p className="ev-retracts">
          被撤回的事件：
          <Button type="link" size="small" className="jump" onClick={() => jump(String(e.data.eventId))}>
            跳转到该事件
          </Button>
        </p>
      ) : null}
      {canEdit && !e.retractedBy && !isRetraction && !future ? (
        <a className="ev-action" href={hashLink('edit', { cmd: 'retract', eventId: e.eventId })}>
          撤回此事件（更正）
        </a>
      ) : null}
    </li>
  );
}

function describe(e: HistoryEvent, name: (id: string) => string): string {
  const d = e.data ?? {};
  switch (e.type) {
    case 'ItemAssigned':
      return `${name(d.departmentId)} ${ROLE_ZH[d.role] ?? ''}${d.internalOrgan ? `（承办：${d.internalOrgan}）` : ''}`;
    case 'ItemTransferred':
      return `${name(d.fromDepartmentId)} → ${name(d.toDepartmentId)}`;
    case 'ItemWithdrawn':
      return d.departmentId ? `${name(d.departmentId)} 不再承担` : '全部部门不再承担';
    case 'ItemDelegated':
      return `下放至 ${(d.toRegionCodes ?? []).join('、')}`;
    case 'ItemReceived':
      return `承接自 ${d.fromRegionCode}${d.departmentId ? `，由 ${name(d.departmentId)} 负责` : ''}`;
    case 'ItemRecalled':
      return `自 ${(d.fromRegionCodes ?? []).join('、')} 上收，由 ${name(d.departmentId)} 负责`;
    case 'ItemReturned':
      return `被 ${d.toRegionCode} 上收`;
    case 'CatalogItemDefined':
      return `${d.name}（${d.type}）`;
    case 'CatalogItemRevised':
      return (
        ['name', 'type', 'basis', 'levels']
          .filter((k) => d[k] !== undefined)
          .map((k) => ({ name: '名称', type: '类型', basis: '依据', levels: '层级' })[k])
          .join('、') + ' 修改'
      );
    case 'BoundaryClauseAgreed':
      return d.text ? String(d.text) : '';
    case 'EventRetracted':
      return `撤回事件 ${String(d.eventId ?? '').slice(0, 8)}…`;
    default:
      return '';
  }
}
