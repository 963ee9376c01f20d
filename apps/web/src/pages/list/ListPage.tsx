// 清单: a region's list of powers on a date (as known now or at an instant) — counts, the type mix,
// a filterable table of 50 rows a page, exports (the server's xlsx of the whole list, a CSV of the
// filtered view), and what changed between two dates.
import { App, Button, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { DateField } from '../../components/DateFields';
import { ErrorNotice, docText } from '../../components/Feedback';
import { api, errorMessage } from '../../lib/api';
import { FIELD_ZH, ROLE_ZH, STATUS_COLOR, STATUS_SHORT, STATUS_ZH, fmtVal } from '../../lib/labels';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { fmtInstant, todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { download, saveAs } from '../../lib/download';
import { toCsv } from '../../../../../libs/export/src/csv';
import { BarChart } from './BarChart';
import { ResultArea } from '../../components/ResultArea';
import { QueryBar, RegionDate } from './QueryBar';
import { DiffView } from './DiffView';
import { PublishedColumns } from '../../components/PublishedColumns';
import './list.css';
import type { ListDiff, ListItem, RegionList } from '../../../../../libs/contract/src';
export type { ListItem, RegionList };

type Q = RegionDate;
interface Filters {
  type?: string;
  dept?: string;
  conf?: string;
  status?: string;
  q?: string;
}

const PAGE_SIZE = 50;
const TYPE_COLORS = ['#1f5fa8', '#2f7d6d', '#b5651d', '#7a4ea3', '#a8323e', '#3d6f9e', '#6b7f2a', '#8a5a44', '#4a6a8a', '#9c6b00', '#5b5b5b'];

function shiftYear(date: string, n: number): string {
  const y = Number(date.slice(0, 4)) + n;
  const md = date.slice(4) === '-02-29' ? '-02-28' : date.slice(4);
  return `${String(y).padStart(4, '0')}${md}`;
}

export default function ListPage({ params, setParams }: PageProps) {
  const initial: Q = { region: params.region ?? '', at: params.at || todayChina(), asKnownAt: params.asKnownAt ?? '' };
  const [q, setQ] = useState<Q | null>(params.region ? initial : null);
  const [filters, setFilters] = useState<Filters>({ type: params.type, dept: params.dept, conf: params.conf, status: params.status, q: params.q });
  const [page, setPage] = useState(Number(params.page) || 1);
  const [diff, setDiff] = useState<{ from: string; to: string } | null>(params.from && params.to ? { from: params.from, to: params.to } : null);
  const list = useLoad((signal) => (q ? api<RegionList>(`/api/regions/${encodeURIComponent(q.region)}/list`, { query: { at: q.at, asKnownAt: q.asKnownAt }, signal }) : undefined), [q]);

  useEffect(() => {
    if (!q) return;
    setParams({ ...q, ...filters, page: page > 1 ? page : undefined, from: diff?.from, to: diff?.to });
  }, [q, filters, page, diff, setParams]);

  const submit = (next: Q) => {
    setPage(1);
    setQ(next);
  };

  return (
    <>
      <QueryBar
        lead="选择行政区划和日期，查看当日施行的权责清单：事项、负责部门、与目录的一致性（四级四同），并可导出、比较两个日期之间的变化。"
        atHint="清单在这一天的法律效力状态"
        submit="显示清单"
        initial={initial}
        onSubmit={submit}
      />
      <ResultArea asked={!!q} loaded={list}>
        {(data) => (
          <>
            <ListView
              list={data}
              filters={filters}
              page={page}
              onFilters={(f) => {
                setFilters(f);
                setPage(1);
              }}
              onPage={setPage}
            />
            <DiffCard key={`${data.region}|${data.asKnownAt ?? ''}|${diff ? '' : data.at}`} list={data} value={diff} onChange={setDiff} />
          </>
        )}
      </ResultArea>
    </>
  );
}

function ListView({ list, filters, page, onFilters, onPage }: { list: RegionList; filters: Filters; page: number; onFilters(f: Filters): void; onPage(p: number): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Filters>();
  const [exporting, setExporting] = useState(false);
  const c = list.counts;
  const types = useMemo(() => Object.keys(c.byType).sort((a, b) => c.byType[b] - c.byType[a] || a.localeCompare(b, 'zh')), [c.byType]);
  const depts = useMemo(() => {
    const m = new Map<string, { name: string; n: number }>();
    for (const i of list.items) for (const o of i.owners) m.set(o.departmentId, { name: o.departmentName, n: (m.get(o.departmentId)?.n ?? 0) + 1 });
    return [...m].sort((a, b) => a[1].name.localeCompare(b[1].name, 'zh'));
  }, [list.items]);

  const rows = useMemo(() => {
    const text = (filters.q ?? '').trim().toLowerCase();
    return list.items.filter(
      (i) =>
        (!filters.type || i.type === filters.type) &&
        (!filters.dept || i.owners.some((o) => o.departmentId === filters.dept)) &&
        (!filters.conf || (filters.conf === 'yes') === i.conforms) &&
        (!filters.status || i.status === filters.status) &&
        (!text || i.code.toLowerCase().includes(text) || i.name.toLowerCase().includes(text)),
    );
  }, [list.items, filters]);
  const filtering = Object.values(filters).some((v) => v);

  const set = (patch: Filters) => {
    const next = { ...filters, ...patch };
    form.setFieldsValue({ type: undefined, dept: undefined, conf: undefined, status: undefined, q: undefined, ...next });
    onFilters(next);
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download(`/api/regions/${encodeURIComponent(list.region)}/list/export`, { at: list.at, asKnownAt: list.asKnownAt ?? undefined, format: 'xlsx' }, `${list.regionName}权责清单_${list.at}.xlsx`);
    } catch (e) {
      message.error(`导出失败：${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };
  const exportCsv = () => {
    const head = ['事项编码', '事项名称', '事项类型', '牵头部门', '配合部门', '自', '依据文号', '状态', '四级四同', '设定依据'];
    const lines = rows.map((i) => {
      const leads = i.owners.filter((o) => o.role === 'lead');
      const coop = i.owners.filter((o) => o.role !== 'lead');
      return [
        i.code,
        i.name,
        i.type,
        leads.map((o) => o.departmentName),
        coop.map((o) => o.departmentName),
        leads[0]?.since ?? '',
        leads.map((o) => o.document.number),
        STATUS_ZH[i.status],
        i.conforms ? '一致' : `偏离：${i.deviations.map((d) => FIELD_ZH[d.field] ?? d.field).join('、')}`,
        i.basis,
      ];
    });
    saveAs(`${list.regionName}权责清单_${list.at}${filtering ? '_筛选' : ''}.csv`, new Blob([toCsv([head, ...lines])], { type: 'text/csv;charset=utf-8' }));
  };

  const tiles: Array<{ label: string; n: number; kind: string; hint: string; apply?: Filters; active?: boolean }> = [
    { label: '事项', n: c.items, kind: 'total', hint: '清单中的事项总数（显示全部）', apply: { type: undefined, dept: undefined, conf: undefined, status: undefined, q: undefined }, active: !filtering },
    { label: '职责交叉', n: c.conflict, kind: c.conflict ? 'conflict' : 'zero', hint: '多个牵头部门的事项', apply: { status: 'conflict' }, active: filters.status === 'conflict' },
    { label: '无人负责', n: c.unowned, kind: c.unowned ? 'unowned' : 'zero', hint: '没有牵头部门的事项', apply: { status: 'unowned' }, active: filters.status === 'unowned' },
    { label: '偏离目录', n: c.deviating, kind: c.deviating ? 'warn' : 'zero', hint: '名称、类型或依据与目录不一致（四级四同）', apply: { conf: 'no' }, active: filters.conf === 'no' },
  ];

  const columns: ColumnsType<ListItem> = [
    {
      title: '编码',
      dataIndex: 'code',
      width: 170,
      sorter: (a, b) => a.code.localeCompare(b.code),
      render: (code: string) => (
        <a className="mono nowrap" href={hashLink('history', { region: list.region, item: code, at: list.at })} title="事项历史">
          {code}
        </a>
      ),
    },
    {
      title: '事项名称',
      key: 'name',
      render: (_, i) => (
        <div className="item-name">
          <span>{i.name}</span>
          {i.published?.subItem ? <span className="muted sub-item">（子项：{i.published.subItem}）</span> : null}
          {i.retiredInCatalogue ? <Tag color="default">目录已取消</Tag> : null}
          {i.receivedFrom ? <Tag color="geekblue">承接自 {i.receivedFrom}</Tag> : null}
          {i.basis.length ? (
            <Typography.Paragraph className="basis" ellipsis={{ rows: 2, expandable: 'collapsible', symbol: (open: boolean) => (open ? '收起' : '展开') }}>
              依据：{i.basis.join('；')}
            </Typography.Paragraph>
          ) : null}
        </div>
      ),
    },
    { title: '类型', dataIndex: 'type', width: 110, sorter: (a, b) => a.type.localeCompare(b.type, 'zh'), render: (t: string) => <span className="nowrap">{t}</span> },
    {
      title: '负责部门',
      key: 'owners',
      width: 300,
      render: (_, i) =>
        i.owners.length ? (
          <ul className="owners">
            {i.owners.map((o) => (
              <li key={`${o.departmentId}-${o.role}`}>
                <a href={hashLink('department', { region: list.region, id: o.departmentId, at: list.at })}>{o.departmentName}</a>{' '}
                <Tag className="role-tag" color={o.role === 'lead' ? 'blue' : 'green'}>
                  {ROLE_ZH[o.role] ?? o.role}
                </Tag>
                <Tooltip title={`依据 ${docText(o.document)}`}>
                  <span className="muted since" tabIndex={0}>
                    自 {o.since}
                  </span>
                </Tooltip>
                {o.departmentActive === false ? <Tag color="red">部门已撤销</Tag> : null}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (s: string) => (
        <Tag color={STATUS_COLOR[s]} className={`status-badge badge-${s}`} title={STATUS_ZH[s]}>
          {STATUS_SHORT[s] ?? s}
        </Tag>
      ),
    },
    {
      title: '四级四同',
      key: 'conf',
      width: 180,
      render: (_, i) =>
        i.conforms ? (
          <span className="conform-ok">✓ 与目录一致</span>
        ) : (
          <div className="conform-no">
            <Tag color="orange">偏离 {i.deviations.length} 项</Tag>
            <ul>
              {i.deviations.map((d) => (
                <li key={d.field}>
                  {FIELD_ZH[d.field] ?? d.field}：目录“{fmtVal(d.catalogue)}”，清单“{fmtVal(d.list)}”
                </li>
              ))}
            </ul>
          </div>
        ),
    },
  ];

  return (
    <>
      <section className="card list-head" aria-labelledby="list-title">
        <div className="list-title-row">
          <div>
            <h2 id="list-title">
              {list.regionName}（{list.region}）权责清单
            </h2>
            <p className="muted">
              施行日期 {list.at} · {list.asKnownAt ? `按 ${fmtInstant(list.asKnownAt, { ms: true })}（北京时间）时的登记` : '按现有记录（含其后所有更正）'}
            </p>
          </div>
          <Space wrap className="no-print">
            <Button onClick={exportXlsx} loading={exporting}>
              导出 Excel（全部事项）
            </Button>
            <Button onClick={exportCsv}>导出 CSV（当前筛选）</Button>
          </Space>
        </div>
        <div className="list-summary">
          <ul className="tiles" aria-label="清单概况">
            {tiles.map((t) => (
              <li key={t.label}>
                <button type="button" className={`tile tile-${t.kind}${t.active ? ' tile-active' : ''}`} aria-pressed={!!t.active} title={t.hint} onClick={() => t.apply && set(t.apply)}>
                  <span className="tile-label">{t.label}</span>
                  <strong className="tile-n">{t.n}</strong>
                </button>
              </li>
            ))}
          </ul>
          <div className="type-mix">
            <h3>按事项类型</h3>
            {types.length ? (
              <BarChart
                title="按事项类型的事项数"
                bars={types.map((t, k) => ({ key: t, label: t, value: c.byType[t], color: TYPE_COLORS[k % TYPE_COLORS.length] }))}
                onPick={(t) => set({ type: t })}
              />
            ) : (
              <p className="muted">清单中没有事项。</p>
            )}
          </div>
        </div>
      </section>

      <section className="card list-table" aria-labelledby="table-title">
        <h2 id="table-title" className="sr-only">
          事项表
        </h2>
        <Form form={form} name="filters" layout="vertical" className="filters" role="search" aria-label="筛选清单" initialValues={filters} onValuesChange={(_, all) => onFilters(all)}>
          <Form.Item label="类型" name="type">
            <Select allowClear placeholder="全部类型" options={types.map((t) => ({ value: t, label: `${t}（${c.byType[t]}）` }))} popupMatchSelectWidth={false} />
          </Form.Item>
          <Form.Item label="部门" name="dept">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部部门"
              options={depts.map(([id, d]) => ({ value: id, label: `${d.name}（${d.n}）` }))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
          <Form.Item label="四级四同" name="conf">
            <Select
              allowClear
              placeholder="全部"
              options={[
                { value: 'yes', label: '与目录一致' },
                { value: 'no', label: '偏离目录' },
              ]}
            />
          </Form.Item>
          <Form.Item label="状态" name="status">
            <Select allowClear placeholder="全部" options={['owned', 'conflict', 'unowned'].map((s) => ({ value: s, label: STATUS_ZH[s] }))} popupMatchSelectWidth={false} />
          </Form.Item>
          <Form.Item label="搜索" name="q">
            <Input allowClear placeholder="事项编码或名称" autoComplete="off" />
          </Form.Item>
        </Form>
        <Table<ListItem>
          size="middle"
          rowKey="code"
          columns={columns}
          dataSource={rows}
          onRow={(i) => ({ 'data-code': i.code }) as React.HTMLAttributes<HTMLElement>}
          expandable={{
            // the list's own columns of the row as published (承办机构, 责任事项, 追责情形 …), by their headers
            rowExpandable: (i) => !!i.published?.fields && Object.keys(i.published.fields).length > 0,
            expandedRowRender: (i) => <PublishedColumns fields={i.published?.fields} label={`${i.name}：清单各列（如公布）`} />,
            columnTitle: <span className="sr-only">清单各列</span>,
          }}
          locale={{ emptyText: filtering ? '没有符合条件的事项' : '清单中没有事项' }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            showSizeChanger: false,
            hideOnSinglePage: false,
            showTotal: (total, [a, b]) => `${filtering ? `筛选出 ${total} 项（共 ${c.items} 项）` : `共 ${total} 项`}${total ? `，第 ${a}–${b} 项` : ''}`,
            onChange: onPage,
          }}
        />
      </section>
    </>
  );
}

function DiffCard({ list, value, onChange }: { list: RegionList; value: { from: string; to: string } | null; onChange(v: { from: string; to: string }): void }) {
  const [form] = Form.useForm<{ from: string; to: string }>();
  const initial = value ?? { from: shiftYear(list.at, -1), to: list.at };
  const answer = useLoad(
    (signal) => (value ? api<ListDiff>(`/api/regions/${encodeURIComponent(list.region)}/list/diff`, { query: { from: value.from, to: value.to, asKnownAt: list.asKnownAt }, signal }) : undefined),
    [value?.from, value?.to, list.region, list.asKnownAt],
  );
  return (
    <section className="card diff-card" aria-labelledby="diff-title">
      <h2 id="diff-title">两个日期之间的变化</h2>
      <Form form={form} name="diff" layout="inline" className="diff-form" initialValues={initial} onFinish={(v) => onChange({ from: v.from, to: v.to })}>
        <Form.Item label="自" name="from" rules={[{ required: true, message: '请填写起始日期' }]}>
          <DateField allowClear={false} />
        </Form.Item>
        <Form.Item label="至" name="to" rules={[{ required: true, message: '请填写截止日期' }]}>
          <DateField allowClear={false} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            比较
          </Button>
        </Form.Item>
      </Form>
      <div aria-live="polite" className="diff-result">
        {!value ? null : answer.error ? <ErrorNotice error={answer.error} /> : answer.data ? <DiffView d={answer.data} from={answer.data.from} to={answer.data.to} at={answer.data.to} /> : <p className="muted">比较中…</p>}
      </div>
    </section>
  );
}
