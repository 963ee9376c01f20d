// 争议报告 (reviewers): who was responsible for an item on a date, as published then, as recorded then and as known now, with
// the whole chain of evidence — exactly as the server renders it, in a sandboxed frame, printable.
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ResultArea } from '../../components/ResultArea';
import { RegionField, ItemField, DateAtField, AsKnownAtField } from '../../components/QueryFields';
import { api, errorMessage } from '../../lib/api';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import { todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import './report.css';

interface Q {
  region: string;
  item: string;
  at: string;
  /** 按当日登记 as of this instant; empty: the end of the day (China time). */
  asKnownAt?: string;
}

function download(name: string, body: string, type: string) {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function ReportPage({ params, setParams }: PageProps) {
  const [form] = Form.useForm<Q>();
  const initial: Q = { region: params.region ?? '', item: params.item ?? '', at: params.at || todayChina(), asKnownAt: params.asKnownAt ?? '' };
  const [q, setQ] = useState<Q | null>(params.region && params.item ? initial : null);
  const report = useLoad((signal) => (q ? api<string>('/api/disputes/report', { query: { ...q, format: 'html' }, text: true, signal }) : undefined), [q]);

  const submit = (v: Q) => {
    const next = { region: v.region ?? '', item: v.item ?? '', at: v.at || todayChina(), asKnownAt: v.asKnownAt ?? '' };
    setParams(next);
    setQ(next);
  };

  return (
    <>
      <Card className="query-bar no-print">
        <Typography.Paragraph className="lead">
          争议发生之日由谁负责：按当日公布的清单版本、按当日登记、按现有记录（含其后更正）三种口径，附事项版本、“三定”职责、职责分工条款、全部依据文件和登记顺序。可打印，可存档。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" className="query" initialValues={initial} onFinish={submit}>
          <div className="form-grid">
            <RegionField extra="可搜索名称或代码，也可展开区划树" />
            <ItemField extra="输入事项编码或名称中的几个字" />
            <DateAtField label="争议日期" extra="争议所涉的那一天（生效日期轴）" />
            <AsKnownAtField extra="“按当日登记”所依据的时刻，北京时间。留空＝争议日期当日结束" />
          </div>
          <Button type="primary" htmlType="submit">
            生成报告
          </Button>
        </Form>
      </Card>
      <ResultArea asked={!!q} loaded={report} prompt="请选择行政区划、事项和争议日期。" waiting="生成中…" hideStale>
        {(html) => <Report html={html} q={q!} />}
      </ResultArea>
    </>
  );
}

function Report({ html, q }: { html: string; q: Q }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [jsonError, setJsonError] = useState('');
  const [height, setHeight] = useState(900);
  const base = `争议报告_${q.region}_${q.item}_${q.at}`;
  const fit = () => {
    const doc = frame.current?.contentDocument;
    if (doc?.documentElement) setHeight(Math.max(600, doc.documentElement.scrollHeight + 24));
  };
  const json = async () => {
    setJsonError('');
    try {
      const r = await api('/api/disputes/report', { query: { ...q, format: 'json' } });
      download(`${base}.json`, JSON.stringify(r, null, 2), 'application/json;charset=utf-8');
    } catch (e) {
      setJsonError(errorMessage(e));
    }
  };
  return (
    <div className="report">
      <div className="report-bar no-print">
        <Space wrap>
          <Button type="primary" id="print-report" icon={<PrinterOutlined />} onClick={() => frame.current?.contentWindow?.print()}>
            打印报告
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => download(`${base}.html`, html, 'text/html;charset=utf-8')}>
            下载 HTML
          </Button>
          <Button type="link" className="json-link" onClick={json}>
            JSON 数据（供系统对接）
          </Button>
        </Space>
        <span className="muted">
          <a href={hashLink('history', { region: q.region, item: q.item, at: q.at })}>事项历史（时间轴）</a>
        </span>
      </div>
      {jsonError ? <Alert type="error" showIcon title={jsonError} className="no-print" /> : null}
      <div className="report-paper">
        <iframe
          ref={frame}
          className="report-frame"
          title="职责争议证据报告（可打印）"
          // the server's HTML runs no script here; same origin so the page can print it and read its height
          sandbox="allow-same-origin allow-modals"
          srcDoc={html}
          onLoad={fit}
          style={{ height }}
        />
      </div>
    </div>
  );
}
