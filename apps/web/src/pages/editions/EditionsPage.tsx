// 版本: a region's numbered editions (年版) as published — 文号, dates, items, content hash (checked on
// request) — what changed between two of them (新增, 移出, 划转, 增加牵头部门, 要素变更 with the columns),
// downloads of an edition (xlsx, csv), and its public page (公示). Admins declare a new edition here.
import { App, Button, Form, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { EditionDiff, EditionList, RegionEditions, EditionSummary } from '../../../../../libs/contract/src';
import { DateField } from '../../components/DateFields';
import { ErrorNotice, docText } from '../../components/Feedback';
import { RegionField } from '../../components/QueryFields';
import { api, errorMessage } from '../../lib/api';
import { download } from '../../lib/download';
import type { PageProps } from '../../lib/pages';
import { useSession } from '../../lib/session';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { DiffView } from '../list/DiffView';
import './editions.css';

const publicLink = (region: string, number: string) => `/public/?${new URLSearchParams({ region, edition: number })}`;

export default function EditionsPage({ params, setParams }: PageProps) {
  const [region, setRegion] = useState(params.region ?? '');
  const [pair, setPair] = useState<{ from: string; to: string } | null>(params.from && params.to ? { from: params.from, to: params.to } : null);
  const editions = useLoad((signal) => (region ? api<RegionEditions>(`/api/regions/${encodeURIComponent(region)}/editions`, { signal }) : undefined), [region]);
  useEffect(() => setParams({ region, from: pair?.from, to: pair?.to }), [region, pair, setParams]);
  const [form] = Form.useForm<{ region: string }>();
  return (
    <>
      <Form form={form} layout="vertical" className="card query-bar" initialValues={{ region }} onFinish={(v) => { setPair(null); setRegion(v.region); }}>
        <p className="lead">选择行政区划，查看其已公布的权责清单版本（年版）：文号、公布和施行日期、内容校验码，两个版本之间的变化，以及各版本的下载和公示页面。</p>
        <div className="form-grid">
          <RegionField />
        </div>
        <Button type="primary" htmlType="submit">
          查看版本
        </Button>
      </Form>
      {!region ? null : editions.error ? (
        <ErrorNotice error={editions.error} />
      ) : !editions.data ? (
        <p className="muted">载入中…</p>
      ) : (
        <>
          <EditionsTable data={editions.data} />
          {editions.data.editions.length >= 2 ? <EditionDiffCard data={editions.data} pair={pair} onPair={setPair} /> : null}
          <PublishCard region={region} regionName={editions.data.regionName} onPublished={editions.reload} />
        </>
      )}
    </>
  );
}

function EditionsTable({ data }: { data: RegionEditions }) {
  const { message } = App.useApp();
  const [checked, setChecked] = useState<Record<string, boolean | 'checking'>>({});
  const check = async (e: EditionSummary) => {
    setChecked((c) => ({ ...c, [e.number]: 'checking' }));
    try {
      const l = await api<EditionList>(`/api/regions/${encodeURIComponent(data.region)}/editions/${encodeURIComponent(e.number)}`);
      setChecked((c) => ({ ...c, [e.number]: l.edition.hashValid }));
    } catch (err) {
      setChecked((c) => {
        const { [e.number]: _, ...rest } = c;
        return rest;
      });
      message.error(`校验失败：${errorMessage(err)}`);
    }
  };
  const save = async (e: EditionSummary, format: 'xlsx' | 'csv') => {
    try {
      await download(`/api/regions/${encodeURIComponent(data.region)}/list/export`, { edition: e.number, format }, `${data.regionName}权责清单-${e.number}.${format}`);
    } catch (err) {
      message.error(`下载失败：${errorMessage(err)}`);
    }
  };
  return (
    <section className="card editions-card" aria-labelledby="editions-title">
      <h2 id="editions-title">
        {data.regionName}（{data.region}）的版本
      </h2>
      <Table<EditionSummary>
        size="middle"
        rowKey="number"
        className="editions-table"
        pagination={false}
        dataSource={data.editions}
        onRow={(e) => ({ 'data-edition': e.number }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: '尚未公布任何版本（管理员可在下方发布）' }}
        columns={[
          {
            title: '版本',
            key: 'number',
            render: (_, e, i) => (
              <Space orientation="vertical" size={0}>
                <strong>{e.number}</strong>
                {e.title ? <span className="muted">{e.title}</span> : null}
                {i === 0 ? <Tag color="green">最新</Tag> : null}
              </Space>
            ),
          },
          { title: '文号', key: 'doc', render: (_, e) => docText(e.document) },
          { title: '公布日期', dataIndex: 'publishedOn', width: 110 },
          { title: '施行日期', dataIndex: 'effectiveFrom', width: 110 },
          { title: '事项数', dataIndex: 'itemCount', width: 80 },
          {
            title: '登记',
            key: 'recorded',
            width: 170,
            render: (_, e) => (
              <Tooltip title={`内容按 ${fmtInstant(e.contentAsKnownAt, { ms: true })} 的登记`}>
                <span>{fmtInstant(e.recordedAt)}</span>
              </Tooltip>
            ),
          },
          {
            title: '内容校验码',
            key: 'hash',
            width: 200,
            render: (_, e) => {
              const c = checked[e.number];
              return (
                <Space orientation="vertical" size={2}>
                  <code className="hash" title={e.hash}>
                    {e.hash.slice(0, 16)}…
                  </code>
                  {c === true ? (
                    <Tag color="green" className="hash-ok">内容与发布时一致</Tag>
                  ) : c === false ? (
                    <Tag color="red" className="hash-bad">内容与校验码不符</Tag>
                  ) : (
                    <Button size="small" loading={c === 'checking'} onClick={() => check(e)} aria-label={`校验${e.number}的内容`}>
                      校验
                    </Button>
                  )}
                </Space>
              );
            },
          },
          {
            title: '下载与公示',
            key: 'actions',
            render: (_, e) => (
              <Space wrap size="small">
                <Button size="small" onClick={() => save(e, 'xlsx')} aria-label={`下载${e.number} Excel`}>
                  Excel
                </Button>
                <Button size="small" onClick={() => save(e, 'csv')} aria-label={`下载${e.number} CSV`}>
                  CSV
                </Button>
                <a href={publicLink(data.region, e.number)} target="_blank" rel="noopener">
                  公示页<span className="sr-only">（{e.number}，新窗口）</span>
                </a>
              </Space>
            ),
          },
        ]}
      />
    </section>
  );
}

function EditionDiffCard({ data, pair, onPair }: { data: RegionEditions; pair: { from: string; to: string } | null; onPair(p: { from: string; to: string }): void }) {
  const [form] = Form.useForm<{ from: string; to: string }>();
  // newest first: by default the one before the latest → the latest
  const initial = pair ?? { from: data.editions[1].number, to: data.editions[0].number };
  const diff = useLoad(
    (signal) => (pair ? api<EditionDiff>(`/api/regions/${encodeURIComponent(data.region)}/list/diff`, { query: { fromEdition: pair.from, toEdition: pair.to }, signal }) : undefined),
    [pair?.from, pair?.to, data.region],
  );
  const options = data.editions.map((e) => ({ value: e.number, label: `${e.number}（${e.publishedOn} 公布）` }));
  return (
    <section className="card diff-card" aria-labelledby="ediff-title">
      <h2 id="ediff-title">两个版本之间的变化</h2>
      <Form form={form} name="ediff" layout="inline" className="diff-form" initialValues={initial} onFinish={(v) => onPair({ from: v.from, to: v.to })}>
        <Form.Item label="自版本" name="from" rules={[{ required: true, message: '请选择版本' }]}>
          <Select options={options} style={{ minWidth: 220 }} />
        </Form.Item>
        <Form.Item label="至版本" name="to" rules={[{ required: true, message: '请选择版本' }]}>
          <Select options={options} style={{ minWidth: 220 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            比较版本
          </Button>
        </Form.Item>
      </Form>
      <div aria-live="polite" className="diff-result">
        {!pair ? null : diff.error ? <ErrorNotice error={diff.error} /> : diff.data ? <DiffView d={diff.data} from={diff.data.fromEdition.number} to={diff.data.toEdition.number} at={diff.data.toEdition.effectiveFrom} /> : <p className="muted">比较中…</p>}
      </div>
    </section>
  );
}

interface PublishValues {
  number: string;
  title?: string;
  effectiveFrom: string;
  publishedOn: string;
  docNumber: string;
  docTitle?: string;
  issuedBy?: string;
}

/** Admins: declare the list in force on a date as a published edition (lists recorded earlier or imported). */
function PublishCard({ region, regionName, onPublished }: { region: string; regionName: string; onPublished(): void }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<PublishValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!can('admin')) return null;
  const submit = async (v: PublishValues) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ edition: { number: string; itemCount: number } }>(`/api/regions/${encodeURIComponent(region)}/editions`, {
        method: 'POST',
        body: { number: v.number, title: v.title || undefined, effectiveFrom: v.effectiveFrom, publishedOn: v.publishedOn, document: { number: v.docNumber, title: v.docTitle || undefined, issuedBy: v.issuedBy || undefined, issuedOn: v.publishedOn } },
      });
      message.success(`已发布 ${r.edition.number}（${r.edition.itemCount} 项）`);
      form.resetFields();
      onPublished();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card publish-card" aria-labelledby="publish-title">
      <h2 id="publish-title">发布新版本（管理员）</h2>
      <p className="muted">将{regionName}在施行日期当日的清单（按现有登记）声明为已公布的版本，并记录其内容校验码。</p>
      <Form form={form} name="publish" layout="vertical" onFinish={submit} initialValues={{ effectiveFrom: todayChina(), publishedOn: todayChina() }}>
        <div className="form-grid">
          <Form.Item label="版本号" name="number" rules={[{ required: true, whitespace: true, message: '请填写版本号，如 2025年版' }]}>
            <Input placeholder="如 2025年版" />
          </Form.Item>
          <Form.Item label="标题（可选）" name="title">
            <Input />
          </Form.Item>
          <Form.Item label="施行日期" name="effectiveFrom" rules={[{ required: true, message: '请填写施行日期' }]}>
            <DateField />
          </Form.Item>
          <Form.Item label="公布日期" name="publishedOn" rules={[{ required: true, message: '请填写公布日期' }]}>
            <DateField />
          </Form.Item>
          <Form.Item label="文号" name="docNumber" rules={[{ required: true, whitespace: true, message: '请填写公布文件的文号' }]}>
            <Input placeholder="如 克政办发〔2025〕1号" />
          </Form.Item>
          <Form.Item label="文件标题（可选）" name="docTitle">
            <Input />
          </Form.Item>
          <Form.Item label="发文机关（可选）" name="issuedBy">
            <Input />
          </Form.Item>
        </div>
        <ErrorNotice error={error} />
        <Button type="primary" htmlType="submit" loading={busy}>
          发布版本
        </Button>
      </Form>
    </section>
  );
}
