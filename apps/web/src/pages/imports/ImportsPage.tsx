// 导入 (editors): published lists (.xls/.xlsx/.csv) uploaded for a region, with progress, then the report:
// every row recorded, unchanged or rejected (with file, sheet, row and reason). POST /api/imports (multipart).
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input, Progress, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useState } from 'react';
import { DateField } from '../../components/DateFields';
import { DepartmentSelect } from '../../components/DepartmentSelect';
import { ErrorNotice } from '../../components/Feedback';
import { applyFieldErrors } from '../../components/forms';
import { RegionPicker } from '../../components/RegionPicker';
import { ApiError, api, getToken } from '../../lib/api';
import type { PageProps } from '../../lib/pages';
import { hashLink } from '../../lib/route';
import './imports.css';

const ACCEPT = '.xls,.xlsx,.csv,application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

interface Rejected {
  file: string;
  sheet: string;
  row: number;
  reason: string;
}
interface FileSummary {
  file: string;
  format: string;
  encoding?: string;
  sheets?: Array<{ sheet: string; headerRow?: number }>;
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: number;
}
export interface ImportReport {
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: Rejected[];
  departmentsCreated: Array<{ id: string; name: string }> | number;
  files?: FileSummary[];
  regionsRegistered?: Array<{ code: string; name: string }>;
  itemsDefined?: number;
  itemsRevised?: number;
  assignments?: number;
  warnings?: Array<{ file: string; sheet: string; row: number; code: string; message: string }>;
}

interface Values {
  files: UploadFile[];
  region: string;
  effective: string;
  document: string;
  department?: string;
  createDepartments?: boolean;
  asCatalogue?: boolean;
}

type Phase = { step: 'idle' } | { step: 'upload'; percent: number } | { step: 'import'; text: string; percent?: number };

export default function ImportsPage({ params, setParams }: PageProps) {
  const [form] = Form.useForm<Values>();
  const region = Form.useWatch('region', form);
  const effective = Form.useWatch('effective', form);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (v: Values) => {
    setReport(null);
    setError(null);
    const fd = new FormData();
    for (const f of v.files) if (f.originFileObj) fd.append('files', f.originFileObj, f.name);
    fd.append('region', v.region);
    fd.append('effective', v.effective);
    fd.append('document', v.document.trim());
    if (v.department) fd.append('department', v.department);
    if (v.createDepartments) fd.append('createDepartments', 'true');
    if (v.asCatalogue) fd.append('asCatalogue', 'true');
    setPhase({ step: 'upload', percent: 0 });
    try {
      let r: any = await upload(fd, (percent) => setPhase(percent < 100 ? { step: 'upload', percent } : { step: 'import', text: '已上传，服务器正在读取并登记各行…' }));
      // an import that runs in the background (202 + id): followed until its report is there
      const id = r && !('rowsRead' in r) && !r.report ? (r.id ?? r.jobId) : null;
      while (id && !('rowsRead' in r) && !r.report && r.status !== 'failed') {
        setPhase({ step: 'import', text: `导入中…${r.rowsRead !== undefined ? `已读 ${r.rowsRead} 行` : ''}`, percent: typeof r.progress === 'number' ? Math.round(r.progress * 100) : undefined });
        await new Promise((res) => setTimeout(res, 700));
        r = await api(`/api/imports/${encodeURIComponent(id)}`);
      }
      if (r.status === 'failed') throw new ApiError(500, { code: 'IMPORT_FAILED', message: r.error ?? r.message ?? '导入失败' });
      setReport(r.report ?? r);
    } catch (err) {
      const e = err instanceof ApiError ? new ApiError(err.status, { ...err.body, fields: err.fields.map((f) => ({ ...f, field: f.field === 'file' ? 'files' : f.field })) }) : err;
      applyFieldErrors(form, e, [['files'], ['region'], ['effective'], ['document'], ['department']]);
      setError(e);
    } finally {
      setPhase({ step: 'idle' });
    }
  };

  return (
    <>
      <Card className="query-bar">
        <Typography.Paragraph className="lead">
          导入各部门公布的权责清单表格：自动识别表头、合并单元格和续行；每一行或被登记，或未变，或被拒绝并说明原因。同一文件重复导入不会重复登记。
        </Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          className="import-form"
          requiredMark
          initialValues={{ files: [], region: params.region ?? '', effective: params.effective ?? '', document: params.document ?? '' }}
          onValuesChange={(_, all) => setParams({ region: all.region, effective: all.effective, document: all.document })}
          onFinish={submit}
          scrollToFirstError={{ focus: true, block: 'center' }}
        >
          <Form.Item
            label="清单文件"
            name="files"
            data-field="files"
            valuePropName="fileList"
            getValueFromEvent={(e: { fileList: UploadFile[] }) => e?.fileList ?? []}
            rules={[{ required: true, type: 'array', min: 1, message: '请选择至少一个清单文件' }]}
            extra="可多选；.xls、.xlsx 或 .csv（GBK 编码的 CSV 请另存为 UTF-8）"
          >
            <Upload multiple accept={ACCEPT} beforeUpload={() => false}>
              <Button icon={<UploadOutlined aria-hidden="true" />}>选择文件…</Button>
            </Upload>
          </Form.Item>
          <div className="form-grid">
            <Form.Item label="行政区划" name="region" data-field="region" rules={[{ required: true, message: '请选择行政区划' }]} extra="清单所属的区划；国家区划代码表中的区划首次使用时自动登记">
              <RegionPicker />
            </Form.Item>
            <Form.Item label="生效日期" name="effective" data-field="effective" rules={[{ required: true, message: '请填写生效日期' }]} extra="清单自哪一天起施行">
              <DateField />
            </Form.Item>
            <Form.Item label="文号" name="document" data-field="document" rules={[{ required: true, whitespace: true, message: '请填写公布该清单的文件文号' }]} extra="公布该清单的文件文号">
              <Input autoComplete="off" placeholder="如 克政办发〔2024〕7号" />
            </Form.Item>
            <Form.Item label="承担部门（可选）" name="department" data-field="department" extra="表中未写明行使主体的行，由该部门承担">
              <DepartmentSelect region={region} at={effective || undefined} placeholder={region ? '（按表中“行使主体”匹配）' : undefined} />
            </Form.Item>
          </div>
          <Space wrap className="import-options">
            <Form.Item name="createDepartments" valuePropName="checked" noStyle>
              <Checkbox>自动设立部门（表中的部门尚不存在时）</Checkbox>
            </Form.Item>
            <Form.Item name="asCatalogue" valuePropName="checked" noStyle>
              <Checkbox>作为目录导入（指导目录，多层级）</Checkbox>
            </Form.Item>
          </Space>
          <div className="actions">
            <Button type="primary" htmlType="submit" loading={phase.step !== 'idle'}>
              上传并导入
            </Button>
          </div>
          <div className="import-progress" aria-live="polite">
            {phase.step === 'upload' ? (
              <>
                <Progress percent={phase.percent} status="active" aria-label="上传进度" />
                <span className="muted">上传中… {phase.percent}%</span>
              </>
            ) : phase.step === 'import' ? (
              <>
                <Progress percent={phase.percent ?? 100} status="active" showInfo={phase.percent !== undefined} aria-label="导入进度" />
                <span className="muted">{phase.text}</span>
              </>
            ) : null}
          </div>
        </Form>
      </Card>
      <div className="result" aria-live="polite">
        {error ? <ErrorNotice error={error} title={error instanceof ApiError && !error.notEnabled ? '未导入' : undefined} /> : report ? <ReportView r={report} region={region} effective={effective} /> : null}
      </div>
    </>
  );
}

/** multipart upload with progress (fetch has no upload progress) */
function upload(fd: FormData, onProgress: (percent: number) => void): Promise<any> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/imports');
    x.setRequestHeader('Authorization', `Bearer ${getToken()}`);
    x.setRequestHeader('Accept', 'application/json');
    x.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    x.upload.onload = () => onProgress(100);
    x.onload = () => {
      let body: any;
      try {
        body = JSON.parse(x.responseText);
      } catch {
        body = { message: x.responseText.slice(0, 200) || `HTTP ${x.status}` };
      }
      if (x.status >= 200 && x.status < 300) resolve(body);
      else {
        // an expired token: the shell's usual handling (back to sign-in) through the api client
        if (x.status === 401) api('/api/session').catch(() => undefined);
        reject(new ApiError(x.status, body));
      }
    };
    x.onerror = () => reject(new ApiError(0, { code: 'NETWORK', message: '上传失败：无法连接服务器' }));
    x.send(fd);
  });
}

function ReportView({ r, region, effective }: { r: ImportReport; region?: string; effective?: string }) {
  const [q, setQ] = useState('');
  const rejected = r.rejected ?? [];
  const created = Array.isArray(r.departmentsCreated) ? r.departmentsCreated : [];
  const createdCount = Array.isArray(r.departmentsCreated) ? r.departmentsCreated.length : (r.departmentsCreated ?? 0);
  const shown = q.trim() ? rejected.filter((x) => `${x.file} ${x.sheet} ${x.row} ${x.reason}`.includes(q.trim())) : rejected;
  const balanced = r.recorded + r.unchanged + rejected.length === r.rowsRead;
  return (
    <section className="card import-report" aria-labelledby="import-report-title">
      <h2 id="import-report-title">导入报告</h2>
      <div className="stats">
        <Statistic title="读取行数" value={r.rowsRead} className="stat-read" />
        <Statistic title="已登记" value={r.recorded} className="stat-recorded" />
        <Statistic title="未变" value={r.unchanged} className="stat-unchanged" />
        <Statistic title="被拒绝" value={rejected.length} className="stat-rejected" styles={{ content: rejected.length ? { color: '#cf1322' } : undefined }} />
        <Statistic title="新设部门" value={createdCount} className="stat-created" />
      </div>
      <Alert
        type={balanced ? 'success' : 'warning'}
        showIcon
        title={balanced ? '每一行都有去向：已登记 + 未变 + 被拒绝 = 读取行数。' : '注意：各项之和与读取行数不符。'}
      />
      {r.files?.length ? (
        <Table<FileSummary>
          size="small"
          className="import-files"
          rowKey="file"
          pagination={false}
          title={() => '各文件'}
          dataSource={r.files}
          columns={[
            { title: '文件', dataIndex: 'file' },
            { title: '格式', key: 'format', render: (_, f) => [f.format, f.encoding].filter(Boolean).join(' · ') },
            { title: '工作表', key: 'sheets', render: (_, f) => (f.sheets ?? []).map((s) => `${s.sheet}${s.headerRow ? `（表头第 ${s.headerRow} 行）` : ''}`).join('、') },
            { title: '读取', dataIndex: 'rowsRead' },
            { title: '登记', dataIndex: 'recorded' },
            { title: '未变', dataIndex: 'unchanged' },
            { title: '拒绝', dataIndex: 'rejected' },
          ]}
        />
      ) : null}
      {created.length ? (
        <div className="departments-created">
          <h3>新设部门</h3>
          <Space wrap>
            {created.map((d) => (
              <Tag key={d.id}>
                {d.name}（{d.id}）
              </Tag>
            ))}
          </Space>
        </div>
      ) : null}
      {r.itemsDefined !== undefined || r.assignments !== undefined ? (
        <p className="muted import-effects">
          目录新增事项 {r.itemsDefined ?? 0} 项、修改 {r.itemsRevised ?? 0} 项；清单登记（认领、划转等）{r.assignments ?? 0} 条。
        </p>
      ) : null}
      {r.regionsRegistered?.length ? <p>自动登记的区划：{r.regionsRegistered.map((x) => `${x.name}（${x.code}）`).join('、')}</p> : null}
      {r.warnings?.length ? (
        <Alert
          type="warning"
          showIcon
          className="notice-warn"
          title={`注意（${r.warnings.length}）：以下各行已登记，但使情况变差`}
          description={
            <ul>
              {r.warnings.slice(0, 200).map((w, i) => (
                <li key={i} data-warning={w.code}>
                  {w.file} · {w.sheet} · 第 {w.row} 行：{w.message}（{w.code}）
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <h3>被拒绝的行（{rejected.length}）</h3>
      {rejected.some((x) => /create-departments/.test(x.reason)) ? (
        <Alert type="info" showIcon className="notice-info" title="表中有部门尚未设立：勾选“自动设立部门”后重新导入，这些行即可登记（已登记的行不会重复登记）。" />
      ) : null}
      {rejected.length ? <Input.Search allowClear placeholder="按文件、工作表、行号或原因筛选" aria-label="筛选被拒绝的行" onChange={(e) => setQ(e.target.value)} onSearch={setQ} style={{ maxWidth: 360, marginBottom: 8 }} /> : null}
      <Table<Rejected & { key: number }>
        size="small"
        className="rejected"
        rowKey="key"
        dataSource={shown.map((x, key) => ({ ...x, key }))}
        locale={{ emptyText: rejected.length ? '没有符合筛选的行' : '没有被拒绝的行' }}
        pagination={shown.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          { title: '文件', dataIndex: 'file' },
          { title: '工作表', dataIndex: 'sheet' },
          { title: '行', dataIndex: 'row', width: 80 },
          { title: '原因', dataIndex: 'reason' },
        ]}
      />
      {region ? (
        <p className="links">
          <a href={hashLink('list', { region, at: effective })}>查看本级清单（生效日）</a>
        </p>
      ) : null}
    </section>
  );
}
