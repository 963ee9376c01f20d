// 部门: a department on a date — its name and status, the 三定 in force (duties, internal organs, staffing),
// the items it holds with the duties they rest on, and its versions over time — as known now or at an instant.
import { Alert, Button, Card, Descriptions, Empty, Form, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { DepartmentSelect } from '../../components/DepartmentSelect';
import { ResultArea } from '../../components/ResultArea';
import { docText } from '../../components/Feedback';
import { RegionField, DateAtField, AsKnownAtField } from '../../components/QueryFields';
import { api } from '../../lib/api';
import { DEPT_STATUS_ZH, ROLE_ZH } from '../../lib/labels';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { useSession } from '../../lib/session';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import type { DepartmentView } from '../../../../../libs/contract/src';
import './department.css';
import { StaffingHistory, posts } from '../staffing/format';

interface Duty {
  id: string;
  text: string;
}
/** GET /api/departments/{id}: the contract's answer type (libs/contract/src/browse.ts). */
type HeldItem = DepartmentView['items'][number];

interface Q {
  region: string;
  id: string;
  at: string;
  asKnownAt: string;
}

const STATUS_COLOR: Record<string, string> = { active: 'green', abolished: 'red', 'not-yet-established': 'orange' };

export default function DepartmentPage({ params, setParams }: PageProps) {
  const [form] = Form.useForm<Q>();
  const initial: Q = { region: params.region ?? '', id: params.id ?? '', at: params.at || todayChina(), asKnownAt: params.asKnownAt ?? '' };
  const [q, setQ] = useState<Q | null>(params.id ? initial : null);
  const region = Form.useWatch('region', form) ?? initial.region;
  const at = Form.useWatch('at', form) ?? initial.at;
  const answer = useLoad(
    (signal) => (q ? api<DepartmentView>(`/api/departments/${encodeURIComponent(q.id)}`, { query: { at: q.at, asKnownAt: q.asKnownAt }, signal }) : undefined),
    [q],
  );

  const run = (v: Q) => {
    const next = { region: v.region ?? '', id: v.id ?? '', at: v.at || todayChina(), asKnownAt: v.asKnownAt ?? '' };
    setParams(next);
    setQ(next);
  };
  /** Another date for the same department (a version's own date). */
  const onDate = (date: string) => {
    form.setFieldValue('at', date);
    run({ ...form.getFieldsValue(), at: date });
    document.getElementById('page-title')?.scrollIntoView({ behavior: 'smooth' });
  };

  return (
    <>
      <Card className="query-bar">
        <Typography.Paragraph className="lead">一个部门在某一日的名称与状态、施行中的“三定”规定（职责、内设机构、编制）、承担的事项，以及它的历次版本。</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          className="query"
          initialValues={initial}
          onFinish={run}
          onValuesChange={(changed) => {
            if ('region' in changed) form.setFieldValue('id', '');
          }}
        >
          <div className="form-grid">
            <RegionField extra="部门所属的区划" />
            <Form.Item label="部门" name="id" rules={[{ required: true, message: '请选择部门' }]} extra="可输入名称中的几个字筛选">
              <DepartmentSelect region={region} at={at} />
            </Form.Item>
            <DateAtField label="日期" extra="法律效力上的日期（生效日期轴）" />
            <AsKnownAtField extra="北京时间。留空＝按现有记录（含所有更正）" />
          </div>
          <Space>
            <Button type="primary" htmlType="submit">
              查看
            </Button>
            <Button onClick={() => form.setFieldValue('asKnownAt', '')}>清除登记时刻</Button>
          </Space>
        </Form>
      </Card>
      <ResultArea asked={!!q} loaded={answer} prompt="请选择区划和部门。">
        {(d) => <Department d={d} onDate={onDate} />}
      </ResultArea>
    </>
  );
}

function Department({ d, onDate }: { d: DepartmentView; onDate(date: string): void }) {
  const { can } = useSession();
  const s = d.sanding;
  const duties = new Map<string, string>();
  if (s) {
    for (const x of s.duties) duties.set(x.id, x.text);
    for (const o of s.internalOrgans) for (const x of o.duties) duties.set(x.id, `${o.name}：${x.text}`);
  }
  const basis = d.asKnownAt ? `按 ${fmtInstant(d.asKnownAt, { ms: true })}（北京时间）时的登记` : '按现有记录';
  return (
    <div className="dept" data-dept={d.id}>
      <Card className="dept-head">
        <h2>
          <span className="dept-name">{d.name}</span>
          <Tag color={STATUS_COLOR[d.status]} className={`dept-status status-${d.status}`}>
            {DEPT_STATUS_ZH[d.status] ?? d.status}
          </Tag>
        </h2>
        <p className="muted dept-basis">
          {d.at} · {basis}
        </p>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'region', label: '所属区划', children: `${d.regionName}（${d.regionCode}）` },
            { key: 'id', label: '部门代码', children: d.id },
            { key: 'est', label: '设立日期', children: d.establishedOn },
            ...(d.abolishedOn ? [{ key: 'abol', label: '撤销日期', children: d.abolishedOn }] : []),
            ...(d.successorId
              ? [{ key: 'succ', label: '承继部门', children: <a href={hashLink('department', { region: d.regionCode, id: d.successorId, at: d.at })}>{d.successorId}</a> }]
              : []),
          ]}
        />
      </Card>

      <Card className="sanding" title={<h3>“三定”规定（当日施行）</h3>} extra={can('editor') ? <a href={hashLink('edit', { cmd: 'issueSanding', region: d.regionCode, id: d.id })}>录入新一版三定</a> : null}>
        {s ? (
          <>
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 2, lg: 4 }}
              className="staffing"
              items={[
                { key: 'from', label: '施行日期', children: `${s.from} 起` },
                { key: 'doc', label: '依据文件', children: docText(s.document) },
                { key: 'auth', label: '核定编制', children: <strong>{s.staffing.authorized} 名</strong> },
                { key: 'lead', label: '领导职数', children: <strong>{s.staffing.leaders} 名</strong> },
                ...(s.staffing.nature ? [{ key: 'nature', label: '机构性质', children: s.staffing.nature }] : []),
                ...(s.staffing.categories ? [{ key: 'cats', label: '分类核定', children: posts(s.staffing.categories) }] : []),
                ...(s.staffing.leaderPosts ? [{ key: 'posts', label: '职数按职务', children: posts(s.staffing.leaderPosts) }] : []),
              ]}
            />
            <h4>主要职责（{s.duties.length} 条）</h4>
            <Duties duties={s.duties} />
            <h4>内设机构（{s.internalOrgans.length} 个）</h4>
            {s.internalOrgans.length ? (
              <div className="organs">
                {s.internalOrgans.map((o) => (
                  <section key={o.id} className="organ" data-organ={o.id} aria-label={o.name}>
                    <div className="organ-name">
                      <strong>{o.name}</strong> <span className="muted">{o.id}</span>
                    </div>
                    <Duties duties={o.duties} />
                  </section>
                ))}
              </div>
            ) : (
              <p className="muted">（无）</p>
            )}
          </>
        ) : (
          <Alert type="warning" showIcon title={`${d.at} 没有施行中的“三定”规定。`} />
        )}
      </Card>

      <Card className="held" title={<h3>当日承担的事项（{d.items.length} 项）</h3>}>
        <Table<HeldItem>
          size="small"
          rowKey={(i) => `${i.regionCode}-${i.itemCode}-${i.role}`}
          dataSource={d.items}
          pagination={d.items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="当日不承担任何事项" /> }}
          columns={[
            {
              title: '事项',
              key: 'item',
              render: (_, i) => (
                <a href={hashLink('history', { region: i.regionCode, item: i.itemCode, at: d.at })}>
                  {i.itemName}（{i.itemCode}）
                </a>
              ),
            },
            { title: '类型', dataIndex: 'type', width: 100 },
            { title: '角色', key: 'role', width: 70, render: (_, i) => <Tag color={i.role === 'lead' ? 'blue' : 'green'}>{ROLE_ZH[i.role] ?? i.role}</Tag> },
            { title: '区划', dataIndex: 'regionCode', width: 90 },
            { title: '自', dataIndex: 'since', width: 110 },
            { title: '依据文件', key: 'doc', render: (_, i) => i.document.number },
            {
              title: '依据的三定职责',
              key: 'duties',
              render: (_, i) =>
                i.dutyIds?.length ? (
                  <Space size={4} wrap>
                    {i.dutyIds.map((id) =>
                      duties.has(id) ? (
                        <Tooltip key={id} title={duties.get(id)}>
                          <Tag className="duty-tag" tabIndex={0} aria-label={`${id}：${duties.get(id)}`}>
                            {id}
                          </Tag>
                        </Tooltip>
                      ) : (
                        <Tag key={id} color="orange">
                          {id} · 不在现行三定中
                        </Tag>
                      ),
                    )}
                  </Space>
                ) : (
                  <span className="muted">未注明</span>
                ),
            },
          ]}
        />
      </Card>

      <StaffingHistoryCard d={d} />

      <Card className="versions" title={<h3>历次版本</h3>}>
        <div className="versions-grid">
          <section aria-labelledby="v-names">
            <h4 id="v-names">名称</h4>
            <Versions
              rows={d.names.map((n) => ({ from: n.from, when: `${n.from} 起`, what: n.name, view: `查看 ${n.from}（${n.name}）` }))}
              current={d.names.filter((x) => x.from <= d.at).pop()?.from}
              currentTag={<Tag color="blue">当日名称</Tag>}
              viewText="查看该日"
              onDate={onDate}
            />
          </section>
          <section aria-labelledby="v-sanding">
            <h4 id="v-sanding">“三定”版本</h4>
            {d.sandingVersions.length ? (
              <Versions
                rows={d.sandingVersions.map((v) => ({ from: v.from, when: `${v.from} 起施行`, what: docText(v.document), view: `查看 ${v.from} 起施行的三定` }))}
                current={s?.from}
                currentTag={<Tag color="green">当日施行</Tag>}
                viewText="查看该版"
                onDate={onDate}
              />
            ) : (
              <p className="muted">尚未登记“三定”。</p>
            )}
          </section>
        </div>
      </Card>
    </div>
  );
}

/** 定编制: what each 三定 authorised and every report of actual staff, with its reason and document. */
function StaffingHistoryCard({ d }: { d: DepartmentView }) {
  const h = useLoad((signal) => api<StaffingHistory>(`/api/departments/${encodeURIComponent(d.id)}/staffing`, { query: { asKnownAt: d.asKnownAt ?? '' }, signal }), [d.id, d.asKnownAt]);
  const rows = h.data?.actual ?? [];
  return (
    <Card
      className="staffing-history"
      title={<h3>编制历史（实有人员变动）</h3>}
      extra={<a href={hashLink('staffing', { region: d.regionCode, at: d.at, id: d.id })}>编制资源</a>}
    >
      <Table
        size="small"
        rowKey="eventId"
        dataSource={rows as Array<(typeof rows)[number] & { eventId?: string }>}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={h.error ? '载入失败' : '尚无实有人员记录'} /> }}
        onRow={(r) => ({ 'data-retracted': String(!!r.retractedAt) }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '自', dataIndex: 'effectiveFrom', width: 110 },
          { title: '原因', key: 'reason', render: (_, r) => (r.retractedAt ? <span><Tag>已撤回</Tag>{r.reason}</span> : r.reason) },
          { title: '实有在编', key: 'counts', render: (_, r) => posts(r.counts) },
          { title: '实配领导', key: 'leaders', render: (_, r) => posts(r.leaders) },
          { title: '编外', dataIndex: 'outside', width: 60 },
          { title: '依据文件', key: 'doc', render: (_, r) => r.document?.number ?? '—' },
          { title: '登记时刻', key: 'rec', render: (_, r) => fmtInstant(r.recordedAt) },
        ]}
      />
    </Card>
  );
}

function Duties({ duties }: { duties: Duty[] }) {
  if (!duties.length) return <p className="muted">（未列职责）</p>;
  return (
    <ol className="duties">
      {duties.map((x) => (
        <li key={x.id} data-duty={x.id}>
          <span className="duty-id">{x.id}</span>
          <span className="duty-text">{x.text}</span>
        </li>
      ))}
    </ol>
  );
}

/** Versions over time, the one in force on the date marked, every other viewable on its own date. */
function Versions(props: {
  rows: Array<{ from: string; when: string; what: string; view: string }>;
  current?: string;
  currentTag: React.ReactNode;
  viewText: string;
  onDate(date: string): void;
}) {
  return (
    <ol className="version-list">
      {props.rows.map((r) => (
        <li key={r.from} className={r.from === props.current ? 'current' : ''}>
          <span className="v-date">{r.when}</span>
          <span className="v-what">{r.what}</span>
          {r.from === props.current ? (
            props.currentTag
          ) : (
            <Button type="link" size="small" onClick={() => props.onDate(r.from)} aria-label={`${props.viewText}：${r.view}`}>
              {props.viewText}
            </Button>
          )}
        </li>
      ))}
    </ol>
  );
}
