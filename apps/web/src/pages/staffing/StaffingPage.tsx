// 编制资源: a region's departments on a date — authorised and actual staff per category (行政/事业/工勤编制),
// leader posts authorised and filled, 编外, and 编制使用率 coloured by the band of indicator 4.1.1 — with the
// staffing warnings (red 合规类, blue 资源效益类) linked to the findings ledger, and one department's
// staffing over time as a chart.
import { Button, Card, Descriptions, Empty, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ResultArea } from '../../components/ResultArea';
import { AsKnownAtField, DateAtField, RegionField } from '../../components/QueryFields';
import { api } from '../../lib/api';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { StaffingChart } from './StaffingChart';
import type { DepartmentStaffing, RegionStaffing, StaffingHistory, UsageFigure } from '../../../../../libs/contract/src';
import './staffing.css';
import { pct } from './format';

type Figure = UsageFigure;
/** The API's answer: the contract's RegionStaffing with the region's name. */
type RegionAnswer = RegionStaffing & { regionName: string };

interface LedgerFinding {
  id: string;
  kind: string;
  title: string;
  severity: 'red' | 'blue';
  status: string;
  department?: { departmentId: string };
}
interface Ledger {
  counts: { bySeverity?: { red: number; blue: number } };
  findings: LedgerFinding[];
}
const STAFFING_KINDS = ['overstaffed', 'over-leaders', 'unapproved-organ', 'low-usage'];
export const KIND_SHORT: Record<string, string> = { overstaffed: '超编', 'over-leaders': '超职数', 'unapproved-organ': '擅设机构', 'low-usage': '使用率偏低' };
/** Tag colours by band: dark enough for white text (axe-core contrast). */
export const BAND_COLOR: Record<string, string> = { '85-95': '#0050b3', '75-85': '#876800', '60-75': '#ad4e00', '0-60': '#a8071a' };
export const BANDS = [
  { band: '85-95', label: '85%＜使用率≤95%' },
  { band: '75-85', label: '75%＜使用率≤85%' },
  { band: '60-75', label: '60%＜使用率≤75%' },
  { band: '0-60', label: '使用率≤60%' },
];
export function UsageTag({ f }: { f: Figure }) {
  if (f.usage === null) return <span className="muted">—</span>;
  if (f.usage > 1) return <Tag color="#820014" className="usage usage-over">{pct(f.usage)} 超编</Tag>;
  if (!f.band) return <Tag color="#237804" className="usage">{pct(f.usage)}</Tag>;
  return (
    <Tag color={BAND_COLOR[f.band]} className={`usage usage-${f.band}`} title={f.bandLabel}>
      {pct(f.usage)}
    </Tag>
  );
}

interface Q {
  region: string;
  at: string;
  asKnownAt: string;
}

/** The region's staffing and the staffing warnings of the ledger on the same date. */
async function board(q: Q, signal: AbortSignal) {
  const query = { at: q.at, asKnownAt: q.asKnownAt };
  const [staffing, ledger] = await Promise.all([
    api<RegionAnswer>(`/api/regions/${encodeURIComponent(q.region)}/staffing`, { query, signal }),
    api<Ledger>('/api/findings', { query: { region: q.region, ...query }, signal }),
  ]);
  return { staffing, warnings: ledger.findings.filter((f) => STAFFING_KINDS.includes(f.kind)), bySeverity: ledger.counts.bySeverity };
}

export default function StaffingPage({ params, setParams }: PageProps) {
  const [form] = Form.useForm<Q>();
  const initial: Q = { region: params.region ?? '', at: params.at || todayChina(), asKnownAt: params.asKnownAt ?? '' };
  const [q, setQ] = useState<Q | null>(params.region ? initial : null);
  const [dept, setDept] = useState<string | undefined>(params.id || undefined);
  const answer = useLoad(
    (signal) => (q ? board(q, signal) : undefined),
    [q],
  );
  const run = (v: Q) => {
    const next = { region: v.region ?? '', at: v.at || todayChina(), asKnownAt: v.asKnownAt ?? '' };
    setParams({ ...next, id: dept });
    setQ(next);
  };
  const pickDept = (id: string) => {
    setDept(id);
    if (q) setParams({ ...q, id });
  };
  return (
    <>
      <Card className="query-bar">
        <Typography.Paragraph className="lead">
          一个区划各部门在某一日的编制资源：分类核定编制与实有在编、领导职数核定与实配、编外人员、编制使用率（编制使用数 ÷ 核定数，评估指标 4.1.1
          分档着色），以及超编、超职数、擅自设立机构、编制闲置的预警。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" className="query" initialValues={initial} onFinish={run}>
          <div className="form-grid">
            <RegionField />
            <DateAtField />
            <AsKnownAtField />
          </div>
          <Space>
            <Button type="primary" htmlType="submit">
              查看
            </Button>
            <Button onClick={() => form.setFieldValue('asKnownAt', '')}>清除登记时刻</Button>
          </Space>
        </Form>
      </Card>
      <ResultArea asked={!!q} loaded={answer} prompt="请选择行政区划和日期。">
        {(a) => <Board s={a.staffing} warnings={a.warnings} bySeverity={a.bySeverity} dept={dept} onDept={pickDept} />}
      </ResultArea>
    </>
  );
}

function Board({ s, warnings, bySeverity, dept, onDept }: { s: RegionAnswer; warnings: LedgerFinding[]; bySeverity?: { red: number; blue: number }; dept?: string; onDept(id: string): void }) {
  const byDept = new Map<string, LedgerFinding[]>();
  for (const w of warnings) if (w.department) byDept.set(w.department.departmentId, [...(byDept.get(w.department.departmentId) ?? []), w]);
  const red = warnings.filter((w) => w.severity === 'red').length;
  const findingsLink = (extra: Record<string, string> = {}) => hashLink('findings', { region: s.region, at: s.at, ...(s.asKnownAt ? { asKnownAt: s.asKnownAt } : {}), ...extra });
  const cat = (d: DepartmentStaffing, c: string) => d.categories.find((x) => x.category === c)!;
  const chosen = dept && s.departments.some((d) => d.departmentId === dept) ? dept : s.departments.find((d) => d.actualSince)?.departmentId;
  return (
    <div className="staffing" data-region={s.region}>
      <Card className="staffing-summary" title={<h2 className="staffing-title">{s.regionName} · {s.at} 编制资源</h2>}>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'auth', label: '核定编制', children: <strong className="total-authorized">{s.totals.authorized} 名</strong> },
            { key: 'act', label: '实有在编', children: <strong className="total-actual">{s.totals.actual} 人</strong> },
            { key: 'usage', label: '编制使用率', children: <UsageTag f={s.totals} /> },
            { key: 'out', label: '编外人员', children: `${s.totals.outside} 人` },
            { key: 'lead', label: '领导职数（核定/实配）', children: `${s.totals.leadersAuthorized} / ${s.totals.leadersFilled}` },
            {
              key: 'warn',
              label: '编制预警',
              children: (
                <Space wrap>
                  <a href={findingsLink()} className="warn-red">
                    <Tag color="#a8071a">红色（合规类）{red}</Tag>
                  </a>
                  <a href={findingsLink()} className="warn-blue">
                    <Tag color="#0050b3">蓝色（资源效益类）{warnings.length - red}</Tag>
                  </a>
                  {bySeverity ? <span className="muted">全部发现：红 {bySeverity.red}、蓝 {bySeverity.blue}</span> : null}
                </Space>
              ),
            },
          ]}
        />
        <ul className="staffing-legend" aria-label="编制使用率分档（评估指标 4.1.1）">
          {BANDS.map((b) => (
            <li key={b.band}>
              <Tag color={BAND_COLOR[b.band]}>{b.label}</Tag>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={<h3>各部门编制（{s.departments.length} 个部门）</h3>}>
        <Table<DepartmentStaffing>
          className="staffing-table"
          size="small"
          rowKey="departmentId"
          dataSource={s.departments}
          pagination={s.departments.length > 30 ? { pageSize: 30, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          onRow={(d) => ({ 'data-dept': d.departmentId, 'data-band': d.total.band ?? '', 'data-over': String((d.total.usage ?? 0) > 1) }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该区划当日没有部门" /> }}
          columns={[
            {
              title: '部门',
              key: 'name',
              fixed: 'left',
              render: (_, d) => (
                <Space direction="vertical" size={0}>
                  <a href={hashLink('department', { region: s.region, id: d.departmentId, at: s.at })}>{d.departmentName}</a>
                  <span className="muted">{d.nature ?? (d.sanding ? '' : '无施行中的三定')}</span>
                </Space>
              ),
            },
            ...['行政编制', '事业编制', '工勤编制'].map((c) => ({
              title: `${c}（核定/实有）`,
              key: c,
              className: 'num',
              render: (_: unknown, d: DepartmentStaffing) => `${cat(d, c).authorized} / ${cat(d, c).actual}`,
            })),
            { title: '合计（核定/实有）', key: 'total', className: 'num', render: (_, d) => `${d.total.authorized} / ${d.total.actual}` },
            { title: '编制使用率', key: 'usage', render: (_, d) => <UsageTag f={d.total} /> },
            {
              title: '领导职数（核定/实配）',
              key: 'leaders',
              render: (_, d) => (
                <span title={d.leaders.map((l) => `${l.post} ${l.authorized}/${l.filled}`).join('，')}>
                  {d.leadersTotal.authorized} / {d.leadersTotal.filled}
                  {d.leaders.length ? <span className="muted">（{d.leaders.map((l) => `${l.post}${l.authorized}/${l.filled}`).join('、')}）</span> : null}
                </span>
              ),
            },
            { title: '编外', dataIndex: 'outside', className: 'num' },
            {
              title: '预警',
              key: 'warn',
              render: (_, d) => (
                <span className="warn-links">
                  {(byDept.get(d.departmentId) ?? []).map((w) => (
                    <a key={w.id} href={findingsLink({ kind: w.kind })} title={w.title} data-finding={w.id}>
                      <Tag color={w.severity === 'red' ? '#a8071a' : '#0050b3'}>{KIND_SHORT[w.kind] ?? w.kind}</Tag>
                    </a>
                  ))}
                </span>
              ),
            },
            {
              title: '趋势',
              key: 'chart',
              render: (_, d) => (
                <Button size="small" type={d.departmentId === chosen ? 'primary' : 'default'} onClick={() => onDept(d.departmentId)} aria-label={`查看${d.departmentName}的编制变化`}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {chosen ? <DepartmentTrend id={chosen} at={s.at} asKnownAt={s.asKnownAt} departments={s.departments} onDept={onDept} /> : null}
    </div>
  );
}

function DepartmentTrend({ id, at, asKnownAt, departments, onDept }: { id: string; at: string; asKnownAt: string | null; departments: DepartmentStaffing[]; onDept(id: string): void }) {
  const h = useLoad((signal) => api<StaffingHistory>(`/api/departments/${encodeURIComponent(id)}/staffing`, { query: { asKnownAt: asKnownAt ?? '' }, signal }), [id, asKnownAt]);
  return (
    <Card
      className="staffing-trend"
      title={<h3>编制变化：{h.data?.departmentName ?? id}</h3>}
      extra={
        <Select
          aria-label="选择部门"
          value={id}
          style={{ minWidth: 240 }}
          onChange={onDept}
          options={departments.map((d) => ({ value: d.departmentId, label: d.departmentName }))}
        />
      }
    >
      {h.data ? <StaffingChart title={`${h.data.departmentName}编制变化`} series={h.data.series} until={at} /> : <p className="muted">{h.error ? '载入失败' : '载入中…'}</p>}
    </Card>
  );
}
