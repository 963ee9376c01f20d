// 谁负责: who owned an item in a region on a date, as known now or as known at an earlier instant.
import { Alert, Button, Card, Form, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ResultArea } from '../../components/ResultArea';
import { docText } from '../../components/Feedback';
import { RegionField, ItemField, DateAtField, AsKnownAtField } from '../../components/QueryFields';
import { api } from '../../lib/api';
import { ROLE_ZH, STATUS_COLOR, STATUS_ZH } from '../../lib/labels';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { useSession } from '../../lib/session';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import type { Owner, OwnershipAnswer } from '../../../../../libs/contract/src';

interface Q {
  region: string;
  item: string;
  at: string;
  asKnownAt: string;
}

export default function OwnerPage({ params, setParams }: PageProps) {
  const [form] = Form.useForm<Q>();
  const initial: Q = { region: params.region ?? '', item: params.item ?? '', at: params.at || todayChina(), asKnownAt: params.asKnownAt ?? '' };
  const [q, setQ] = useState<Q | null>(params.region && params.item ? initial : null);
  const answer = useLoad((signal) => (q ? api<OwnershipAnswer>('/api/ownership', { query: { ...q }, signal }) : undefined), [q]);

  const submit = (v: Q) => {
    const next = { region: v.region ?? '', item: v.item ?? '', at: v.at ?? '', asKnownAt: v.asKnownAt ?? '' };
    setParams(next);
    setQ(next);
  };

  return (
    <>
      <Card className="query-bar">
        <Typography.Paragraph className="lead">选择行政区划和事项，给出日期，即可查到当日由哪个部门负责、依据哪份文件。</Typography.Paragraph>
        <Form form={form} layout="vertical" className="query" initialValues={initial} onFinish={submit}>
          <div className="form-grid">
            <RegionField extra="可搜索名称或代码，也可展开区划树（省→市→县→乡）" />
            <ItemField extra="输入事项编码或名称中的几个字" />
            <DateAtField label="日期" extra="法律效力上的日期（生效日期轴）" />
            <AsKnownAtField extra="北京时间。留空＝按现有记录（含所有更正）；填入则只看该时刻以前登记的内容" />
          </div>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button onClick={() => form.setFieldValue('asKnownAt', '')}>清除登记时刻</Button>
          </Space>
        </Form>
      </Card>
      <ResultArea asked={!!q} loaded={answer} prompt="请选择行政区划、事项和日期。" waiting="查询中…">
        {(r) => <Answer r={r} />}
      </ResultArea>
    </>
  );
}

function Answer({ r }: { r: OwnershipAnswer }) {
  const { can } = useSession();
  const basis = r.asKnownAt ? `按 ${fmtInstant(r.asKnownAt, { ms: true })}（北京时间）时的登记` : '按现有记录（含其后所有更正）';
  const leads = r.owners.filter((o) => o.role === 'lead');
  return (
    <article className={`card answer status-${r.status}`} data-status={r.status} aria-labelledby="answer-title">
      <h2 id="answer-title">
        {r.itemName ?? r.item}（{r.item}）
      </h2>
      <p className="muted">
        {r.regionName ?? r.region}（{r.region}）· {r.at} · {basis}
      </p>
      <p className="verdict">
        <Tag color={STATUS_COLOR[r.status]} className={`status-badge badge-${r.status}`}>
          {STATUS_ZH[r.status] ?? r.status}
        </Tag>
        {leads.length === 1 ? (
          <>
            <span className="owner-name">{leads[0].departmentName}</span>
            <span className="muted">
              {' '}
              自 {leads[0].since} 起负责，依据 {leads[0].document.number}
            </span>
          </>
        ) : null}
      </p>
      {r.recorded === false ? <Alert type="info" showIcon title="在所选登记时刻，登记簿中还没有这个区划或事项的任何记录。" /> : null}
      {r.delegatedTo?.length ? (
        <Alert
          type="info"
          showIcon
          title={
            <>
              该事项已下放至下级区划：{r.delegatedTo.join('、')}。
              {r.delegatedTo.map((c) => (
                <a key={c} href={hashLink('owner', { region: c, item: r.item, at: r.at, asKnownAt: r.asKnownAt })}>
                  {' '}
                  查看 {c}
                </a>
              ))}
            </>
          }
        />
      ) : null}
      {r.receivedFrom ? <Alert type="info" showIcon title={`该事项由上级区划 ${r.receivedFrom} 下放承接。`} /> : null}
      {r.owners.length ? (
        <Table<Owner>
          size="small"
          pagination={false}
          rowKey={(o) => `${o.departmentId}-${o.role}`}
          title={() => '负责部门'}
          dataSource={r.owners}
          columns={[
            { title: '部门', key: 'dept', render: (_, o) => <a href={hashLink('department', { region: r.region, id: o.departmentId, at: r.at, asKnownAt: r.asKnownAt })}>{o.departmentName}</a> },
            { title: '角色', key: 'role', render: (_, o) => ROLE_ZH[o.role] ?? o.role },
            { title: '自', dataIndex: 'since' },
            { title: '依据文件（文号）', key: 'doc', render: (_, o) => docText(o.document) },
            { title: '备注', key: 'note', render: (_, o) => (o.departmentActive === false ? <Tag color="red">该日部门已撤销或尚未设立</Tag> : null) },
          ]}
        />
      ) : null}
      <div className="links">
        <Space wrap>
          <a href={hashLink('history', { region: r.region, item: r.item, at: r.at })}>事项历史（时间轴）</a>
          {can('reviewer') ? <a href={hashLink('report', { region: r.region, item: r.item, at: r.at })}>争议报告</a> : null}
          <a href={hashLink('list', { region: r.region, at: r.at })}>本级清单</a>
          {can('editor') && leads.length ? <a href={hashLink('edit', { cmd: 'transfer', region: r.region, item: r.item, from: leads[0].departmentId })}>录入划转</a> : null}
          {can('editor') && !r.owners.length ? <a href={hashLink('edit', { cmd: 'assign', region: r.region, item: r.item })}>录入认领</a> : null}
        </Space>
      </div>
    </article>
  );
}
