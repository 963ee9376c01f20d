// 调整方案: a region's batch of commands, not in force until published. List and open (editor); add
// commands through the 录入 forms with ?changeSet=<id>; preview (the list diff and the findings it would
// open and close); submit (editor) → approve or return with a note (reviewer) → publish (admin, 文号,
// date, optionally as a numbered edition); withdraw; the history of every step.
import { App, Button, Form, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ChangeSetPreviewAnswer, ChangeSetStatus, ChangeSetView, ChangeSetsAnswer } from '../../../../../libs/contract/src';
import { CHANGESET_STATUS_ZH } from '../../../../../libs/contract/src';
import { DateField } from '../../components/DateFields';
import { ErrorNotice, docText } from '../../components/Feedback';
import { RegionField } from '../../components/QueryFields';
import { api } from '../../lib/api';
import type { PageProps } from '../../lib/pages';
import { hashLink, navigate } from '../../lib/route';
import { useSession } from '../../lib/session';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { DiffView } from '../list/DiffView';
import './change-sets.css';

// The answers of /api/change-sets (CONTRACT.md "Change sets"): the contract's types (libs/contract/src/change-sets.ts).
type Status = ChangeSetStatus;
type ChangeSet = ChangeSetView;
type Preview = ChangeSetPreviewAnswer;

export const CS_STATUS_ZH = CHANGESET_STATUS_ZH as Record<Status, string>;
const STATUS_COLOR: Record<Status, string> = { draft: 'default', submitted: 'blue', approved: 'cyan', returned: 'orange', published: 'green', withdrawn: 'default' };
const StatusTag = ({ s }: { s: Status }) => (
  <Tag color={STATUS_COLOR[s]} className={`cs-status cs-${s}`}>
    {CS_STATUS_ZH[s] ?? s}
  </Tag>
);

export default function ChangeSetsPage({ params, setParams }: PageProps) {
  if (params.id) return <ChangeSetView id={params.id} />;
  return <ChangeSetList region={params.region ?? ''} onRegion={(region) => setParams({ region })} />;
}

function ChangeSetList({ region: initial, onRegion }: { region: string; onRegion(r: string): void }) {
  const { can } = useSession();
  const [region, setRegion] = useState(initial);
  const [form] = Form.useForm<{ region: string }>();
  const [open] = Form.useForm<{ title: string; docNumber?: string }>();
  const [error, setError] = useState<unknown>();
  const list = useLoad((signal) => (region ? api<ChangeSetsAnswer>('/api/change-sets', { query: { region }, signal }) : undefined), [region]);
  const create = async (v: { title: string; docNumber?: string }) => {
    setError(undefined);
    try {
      const r = await api<{ id: string }>('/api/change-sets', { method: 'POST', body: { regionCode: region, title: v.title, ...(v.docNumber ? { document: { number: v.docNumber } } : {}) } });
      navigate('change-sets', { id: r.id });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <Form form={form} layout="vertical" className="card query-bar" initialValues={{ region }} onFinish={(v) => { setRegion(v.region); onRegion(v.region); }}>
        <p className="lead">调整方案是一批尚未生效的变更：起草、提交、审核、发布后才一次登记生效。选择行政区划查看其调整方案。</p>
        <div className="form-grid">
          <RegionField />
        </div>
        <Button type="primary" htmlType="submit">
          查看调整方案
        </Button>
      </Form>
      {!region ? null : list.error ? <ErrorNotice error={list.error} /> : !list.data ? <p className="muted">载入中…</p> : (
        <section className="card cs-list" aria-labelledby="cs-list-title">
          <h2 id="cs-list-title">调整方案</h2>
          <Table<ChangeSet>
            size="middle"
            rowKey="id"
            pagination={false}
            dataSource={list.data.changeSets}
            locale={{ emptyText: '尚无调整方案' }}
            onRow={(c) => ({ 'data-cs': c.id }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: '方案', key: 'title', render: (_, c) => <a href={hashLink('change-sets', { id: c.id })}>{c.title}</a> },
              { title: '状态', key: 'status', render: (_, c) => <StatusTag s={c.status} /> },
              { title: '命令数', key: 'n', render: (_, c) => c.commands.length },
              { title: '更新于', key: 'u', render: (_, c) => fmtInstant(c.updatedAt) },
            ]}
          />
          {can('editor') ? (
            <Form form={open} name="cs-open" layout="vertical" onFinish={create} className="cs-open">
              <h3>新建调整方案</h3>
              <div className="form-grid">
                <Form.Item label="方案名称" name="title" rules={[{ required: true, whitespace: true, message: '请填写方案名称' }]}>
                  <Input />
                </Form.Item>
                <Form.Item label="依据文号（可选）" name="docNumber">
                  <Input />
                </Form.Item>
              </div>
              <ErrorNotice error={error} />
              <Button type="primary" htmlType="submit">
                新建方案
              </Button>
            </Form>
          ) : null}
        </section>
      )}
    </>
  );
}

function ChangeSetView({ id }: { id: string }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const cs = useLoad((signal) => api<ChangeSet>(`/api/change-sets/${encodeURIComponent(id)}`, { signal }), [id]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState('');
  if (cs.error) return <ErrorNotice error={cs.error} />;
  if (!cs.data) return <p className="muted">载入中…</p>;
  const c = cs.data;
  const editable = c.status === 'draft' || c.status === 'returned';
  const step = async (what: string, path: string, body: object, done: string) => {
    setBusy(what);
    setError(undefined);
    try {
      await api(`/api/change-sets/${encodeURIComponent(id)}${path}`, { method: path.startsWith('/commands/') ? 'DELETE' : 'POST', body: { ...body, expectedVersion: c.version } });
      message.success(done);
      setPreview(null);
      cs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };
  const loadPreview = async () => {
    setBusy('preview');
    setPreviewError(undefined);
    try {
      setPreview(await api<Preview>(`/api/change-sets/${encodeURIComponent(id)}/preview`));
    } catch (e) {
      setPreviewError(e);
    } finally {
      setBusy('');
    }
  };
  return (
    <>
      <section className="card cs-head" aria-labelledby="cs-title">
        <p>
          <a href={hashLink('change-sets', { region: c.regionCode })}>← 本区划的调整方案</a>
        </p>
        <h2 id="cs-title">
          {c.title} <StatusTag s={c.status} />
        </h2>
        <p className="muted">
          区划 {c.regionCode}
          {c.document ? ` · 依据 ${docText(c.document)}` : ''} · 第 {c.version} 版
        </p>
      </section>
      <section className="card cs-commands" aria-labelledby="cs-cmds">
        <h2 id="cs-cmds">命令（{c.commands.length} 条）</h2>
        <Table
          size="small"
          rowKey="index"
          pagination={false}
          dataSource={c.commands}
          locale={{ emptyText: '尚无命令' }}
          columns={[
            { title: '序号', dataIndex: 'index', width: 60 },
            { title: '命令', key: 'route', render: (_, x) => <code>{x.route}</code> },
            { title: '生效日期', key: 'eff', render: (_, x) => x.body.effectiveFrom ?? '—' },
            { title: '提示', key: 'w', render: (_, x) => x.warnings.map((w) => <Tag key={w.code} color="orange">{w.message}</Tag>) },
            ...(editable && can('editor')
              ? [{ title: '操作', key: 'op', render: (_: unknown, x: ChangeSet['commands'][number]) => <Button size="small" danger onClick={() => step('drop', `/commands/${x.index}`, {}, `已删除第 ${x.index} 条`)} aria-label={`删除第 ${x.index} 条命令`}>删除</Button> }]
              : []),
          ]}
        />
        {editable && can('editor') ? (
          <p>
            <a className="cs-add" href={hashLink('edit', { changeSet: c.id, region: c.regionCode })}>
              用录入表单添加命令
            </a>
          </p>
        ) : null}
      </section>
      {c.status !== 'published' && c.status !== 'withdrawn' ? (
        <section className="card cs-preview" aria-labelledby="cs-prev">
          <h2 id="cs-prev">预览：发布后的清单与发现</h2>
          <Button onClick={loadPreview} loading={busy === 'preview'}>
            预览
          </Button>
          <div aria-live="polite" className="cs-preview-result">
            <ErrorNotice error={previewError} />
            {preview ? <PreviewView p={preview} /> : null}
          </div>
        </section>
      ) : null}
      <section className="card cs-actions" aria-labelledby="cs-act">
        <h2 id="cs-act">审批</h2>
        <ErrorNotice error={error} />
        <Actions c={c} busy={busy} step={step} />
      </section>
      <section className="card cs-history" aria-labelledby="cs-hist">
        <h2 id="cs-hist">经过</h2>
        <Table
          size="small"
          rowKey={(h) => `${h.recordedAt}-${h.status}`}
          pagination={false}
          dataSource={c.history}
          columns={[
            { title: '时间', key: 't', render: (_, h) => fmtInstant(h.recordedAt) },
            { title: '状态', key: 's', render: (_, h) => <StatusTag s={h.status} /> },
            { title: '说明', key: 'n', render: (_, h) => h.note ?? '' },
            { title: '经办', key: 'a', render: (_, h) => h.actor ?? '' },
          ]}
        />
      </section>
    </>
  );
}

function PreviewView({ p }: { p: Preview }) {
  const { opened, closed } = p.findings;
  return (
    <div className="cs-preview-body">
      <DiffView d={{ region: p.region, ...p.diff }} from="现在" to="发布后" at={p.at} />
      <h3>发布后新出现的发现（{opened.length}）</h3>
      {opened.length ? (
        <ul className="cs-opened">
          {opened.map((f) => (
            <li key={f.id}>
              <Tag color="red">{f.lead ? '线索' : '发现'}</Tag>
              {f.title}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">无</p>
      )}
      <h3>发布后消除的发现（{closed.length}）</h3>
      {closed.length ? (
        <ul className="cs-closed">
          {closed.map((f) => (
            <li key={f.id}>{f.title}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">无</p>
      )}
    </div>
  );
}

function Actions({ c, busy, step }: { c: ChangeSet; busy: string; step(what: string, path: string, body: object, done: string): Promise<void> }) {
  const { can } = useSession();
  const [review] = Form.useForm<{ note?: string }>();
  const [publish] = Form.useForm<{ docNumber: string; publishedOn: string; edition?: string }>();
  const editable = c.status === 'draft' || c.status === 'returned';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {editable && can('editor') ? (
        <Button type="primary" loading={busy === 'submit'} disabled={!c.commands.length} onClick={() => step('submit', '/submit', {}, '已提交审核')}>
          提交审核
        </Button>
      ) : null}
      {c.status === 'submitted' && can('reviewer') ? (
        <Form form={review} name="cs-review" layout="vertical">
          <Form.Item label="审核意见" name="note" extra="退回时必填">
            <Input.TextArea rows={2} />
          </Form.Item>
          <Space>
            <Button type="primary" loading={busy === 'approve'} onClick={() => step('approve', '/review', { decision: 'approve', note: review.getFieldValue('note') || undefined }, '已审核通过')}>
              审核通过
            </Button>
            <Button loading={busy === 'return'} onClick={() => step('return', '/review', { decision: 'return', note: review.getFieldValue('note') || undefined }, '已退回')}>
              退回修改
            </Button>
          </Space>
        </Form>
      ) : null}
      {c.status === 'approved' && can('admin') ? (
        <Form form={publish} name="cs-publish" layout="vertical" initialValues={{ publishedOn: todayChina() }} onFinish={(v) => step('publish', '/publish', { document: { number: v.docNumber, issuedOn: v.publishedOn }, publishedOn: v.publishedOn, ...(v.edition ? { edition: { number: v.edition } } : {}) }, '已发布')}>
          <div className="form-grid">
            <Form.Item label="发布文号" name="docNumber" rules={[{ required: true, whitespace: true, message: '请填写发布文件的文号' }]}>
              <Input />
            </Form.Item>
            <Form.Item label="发布日期" name="publishedOn" rules={[{ required: true, message: '请填写发布日期' }]}>
              <DateField />
            </Form.Item>
            <Form.Item label="同时发布为年版（可选）" name="edition" extra="如 2025年版；留空则只登记变更">
              <Input />
            </Form.Item>
          </div>
          <Button type="primary" htmlType="submit" loading={busy === 'publish'}>
            发布
          </Button>
        </Form>
      ) : null}
      {c.status !== 'published' && c.status !== 'withdrawn' && can('editor') ? (
        <Button danger loading={busy === 'withdraw'} onClick={() => step('withdraw', '/withdraw', {}, '已撤回')}>
          撤回方案
        </Button>
      ) : null}
      {c.status === 'published' ? <p>已发布：全部命令已一次登记生效。</p> : null}
    </Space>
  );
}

