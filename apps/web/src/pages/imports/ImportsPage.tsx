// 导入 (editors): published lists (.xls/.xlsx/.csv) uploaded for a region, with progress, then the report:
// every row recorded, unchanged or rejected (with file, sheet, row and reason). POST /api/imports (multipart).
// Before importing, 试读表头 (dryRun=true) shows per sheet which column became which field and why, with
// sample rows; 指定列 names the columns the importer could not recognise (the API's `columns`, as the CLI's
// --columns), tried again and then sent with the import.
import { UploadOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Checkbox, Form, Input, Progress, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
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
import { IMPORT_FIELD_LABELS, MAPPABLE_IMPORT_FIELDS } from '../../../../../libs/contract/src';

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

/** What POST /api/imports answers with dryRun=true: per file and sheet, the mapping and three sample rows. */
interface ColumnMapping {
  column: string;
  header: string;
  field?: string;
  fieldLabel?: string;
  extra?: string;
  why: string;
}
interface DryRunSheet {
  sheet: string;
  headerRow?: number;
  mapping: ColumnMapping[];
  dataRows: number;
  samples: Array<{ row: number; 事项名称: string; 子项: string[]; 事项类型: string; 实施依据: string; 实施主体: string; problems: string[] }>;
  unreadRows?: number;
}
export interface DryRunReport {
  dryRun: true;
  rowsRead: number;
  files: Array<{ file: string; error?: string; errorCode?: string; sheets: DryRunSheet[] }>;
}

/** The fields a column can be named as (the `columns` option's field names, CONTRACT.md "Import, more layouts"): the importer's own table (libs/contract). */
const MAPPABLE = MAPPABLE_IMPORT_FIELDS.map((f) => IMPORT_FIELD_LABELS[f]);
/** The codes of a file that cannot be read as a list (the dry run answers 400 with them when no file can). */
const UNREADABLE = new Set(['NO_HEADER', 'CORRUPT_FILE', 'UNSUPPORTED_TYPE', 'EMPTY_FILE', 'ENCRYPTED']);
type Overrides = Partial<Record<string, string>>;

/** The `columns` form field: "事项名称=职能,事项类型=类别" (empty entries left out). */
export function columnsOption(o: Overrides): string {
  return MAPPABLE.filter((f) => o[f]?.trim()).map((f) => `${f}=${o[f]!.trim()}`).join(',');
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
  const [dry, setDry] = useState<DryRunReport | null>(null);
  const [overrides, setOverrides] = useState<Overrides>({});
  const [trying, setTrying] = useState(false);

  const formData = (v: Values): FormData => {
    const fd = new FormData();
    for (const f of v.files) if (f.originFileObj) fd.append('files', f.originFileObj, f.name);
    fd.append('region', v.region);
    fd.append('effective', v.effective);
    fd.append('document', v.document.trim());
    if (v.department) fd.append('department', v.department);
    if (v.createDepartments) fd.append('createDepartments', 'true');
    if (v.asCatalogue) fd.append('asCatalogue', 'true');
    const columns = columnsOption(overrides);
    if (columns) fd.append('columns', columns);
    return fd;
  };

  const fieldErrors = (err: unknown) => {
    const e = err instanceof ApiError ? new ApiError(err.status, { ...err.body, fields: err.fields.map((f) => ({ ...f, field: f.field === 'file' ? 'files' : f.field })) }) : err;
    applyFieldErrors(form, e, [['files'], ['region'], ['effective'], ['document'], ['department']]);
    return e;
  };

  /** 试读表头: the same upload with dryRun=true — nothing is recorded. */
  const tryRead = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setReport(null);
    setError(null);
    setTrying(true);
    try {
      const fd = formData(v);
      fd.append('dryRun', 'true');
      setDry((await upload(fd, () => undefined)) as DryRunReport);
    } catch (err) {
      // every file unreadable (400 NO_HEADER, CORRUPT_FILE…): still a reading to show, with 指定列 to fix it
      if (err instanceof ApiError && err.status === 400 && err.body?.code && !err.fields.length && UNREADABLE.has(err.body.code)) {
        const lines = String(err.body.message ?? '').split('\n').filter(Boolean);
        setDry({ dryRun: true, rowsRead: 0, files: lines.map((error) => ({ file: '', error, errorCode: err.body.code, sheets: [] })) });
      } else {
        setDry(null);
        setError(fieldErrors(err));
      }
    } finally {
      setTrying(false);
    }
  };

  const submit = async (v: Values) => {
    setReport(null);
    setError(null);
    const fd = formData(v);
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
      setDry(null);
    } catch (err) {
      setError(fieldErrors(err));
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
            <Space wrap>
              <Button onClick={tryRead} loading={trying} disabled={phase.step !== 'idle'}>
                试读表头（不登记）
              </Button>
              <Button type="primary" htmlType="submit" loading={phase.step !== 'idle'} disabled={trying}>
                上传并导入
              </Button>
            </Space>
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
      {dry ? <MappingView dry={dry} overrides={overrides} setOverrides={setOverrides} onRetry={tryRead} trying={trying} /> : null}
      <div className="result" aria-live="polite">
        {error ? <ErrorNotice error={error} title={error instanceof ApiError && !error.notEnabled ? '未导入' : undefined} /> : report ? <ReportView r={report} region={region} effective={effective} /> : null}
      </div>
    </>
  );
}

/**
 * The mapping step: which column of each sheet became which field and why, sample rows as they would be
 * read, the files that could not be read; and 指定列, one box per field, to name a column by its header.
 */
function MappingView({ dry, overrides, setOverrides, onRetry, trying }: { dry: DryRunReport; overrides: Overrides; setOverrides: (o: Overrides) => void; onRetry: () => void; trying: boolean }) {
  const headers = [...new Set(dry.files.flatMap((f) => f.sheets.flatMap((s) => s.mapping.map((m) => m.header)).filter((h) => h.trim() !== '')))];
  const unreadable = dry.files.filter((f) => f.error);
  const noName = dry.files.flatMap((f) => f.sheets.filter((s) => s.headerRow !== undefined && !s.mapping.some((m) => m.field === 'name')).map((s) => `${f.file}「${s.sheet}」`));
  return (
    <section className="card import-mapping" aria-labelledby="import-mapping-title">
      <h2 id="import-mapping-title">表头识别（试读，未登记任何内容）</h2>
      <p className="muted">共读到 {dry.rowsRead} 行数据。请核对各列识别为哪个字段；识别不了或识别错的列，在下方“指定列”中按表头文字指明，再试读或直接导入。</p>
      {unreadable.length ? (
        <Alert
          type="error"
          showIcon
          className="mapping-errors"
          title={unreadable.length === dry.files.length ? '读不出表头：请在下方“指定列”中按表头文字指明各列' : `${unreadable.length} 个文件读不出（其余文件照常导入）`}
          description={
            <ul>
              {unreadable.map((f, i) => (
                <li key={`${f.file}|${i}`} data-error={f.errorCode}>
                  {f.error}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      {noName.length ? <Alert type="warning" showIcon title={`以下工作表没有识别出“事项名称”列：${noName.join('、')}`} /> : null}
      {dry.files
        .filter((f) => !f.error)
        .map((f) =>
          f.sheets.map((s) => (
            <div key={`${f.file}|${s.sheet}`} className="mapping-sheet" data-sheet={s.sheet}>
              <h3>
                {f.file} · {s.sheet}
                {s.headerRow ? `（表头第 ${s.headerRow} 行，数据 ${s.dataRows} 行）` : '（未找到表头：本表未读取）'}
              </h3>
              {s.mapping.length ? (
                <Table<ColumnMapping>
                  size="small"
                  className="mapping"
                  rowKey="column"
                  pagination={false}
                  dataSource={s.mapping}
                  columns={[
                    { title: '列', dataIndex: 'column', width: 56 },
                    { title: '表头', dataIndex: 'header' },
                    { title: '识别为', key: 'field', render: (_, m) => (m.fieldLabel ? <Tag color="blue">{m.fieldLabel}</Tag> : m.extra ? <span className="muted">保留为“{m.extra}”</span> : <span className="muted">—</span>) },
                    { title: '依据', dataIndex: 'why' },
                  ]}
                />
              ) : null}
              {s.samples.length ? (
                <Table
                  size="small"
                  className="mapping-samples"
                  rowKey="row"
                  pagination={false}
                  title={() => '示例行（按上述识别读取）'}
                  dataSource={s.samples}
                  columns={[
                    { title: '行', dataIndex: 'row', width: 56 },
                    { title: '事项名称', key: 'name', render: (_, x) => [x.事项名称, ...x.子项].filter(Boolean).join(' / ') },
                    { title: '事项类型', dataIndex: '事项类型' },
                    { title: '实施依据', dataIndex: '实施依据', ellipsis: true },
                    { title: '实施主体', dataIndex: '实施主体' },
                    { title: '问题', key: 'problems', render: (_, x) => x.problems.join('；') },
                  ]}
                />
              ) : null}
            </div>
          )),
        )}
      <h3 id="import-columns-title">指定列</h3>
      <div className="mapping-overrides form-grid" role="group" aria-labelledby="import-columns-title">
        {MAPPABLE.map((field) => (
          <label key={field} className="mapping-override">
            <span>{field}</span>
            <AutoComplete
              aria-label={`${field}列的表头`}
              value={overrides[field] ?? ''}
              options={headers.map((h) => ({ value: h }))}
              filterOption={(input, o) => String(o?.value ?? '').includes(input)}
              placeholder="（自动识别）"
              allowClear
              onChange={(value: string) => setOverrides({ ...overrides, [field]: value })}
            />
          </label>
        ))}
      </div>
      <p className="muted">
        将随导入发送：<code className="columns-option">{columnsOption(overrides) || '（无，全部自动识别）'}</code>
      </p>
      <Button onClick={onRetry} loading={trying}>
        按指定列重新试读
      </Button>
    </section>
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
