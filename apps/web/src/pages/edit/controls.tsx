// The form controls the commands share: region, item and department pickers bound to form fields (the
// department lists follow the chosen region and the effective date), child regions with their receiving
// departments, the 三定 duties an assignment rests on, and the 三定 rows themselves (Form.List).
import { AutoComplete, Button, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { formatPosts, parsePosts } from '../../../../../libs/contract/src';
import type { ReactNode } from 'react';
import { DepartmentSelect, useDepartments } from '../../components/DepartmentSelect';
import { ItemPicker } from '../../components/ItemPicker';
import { RegionPicker, regionLabel } from '../../components/RegionPicker';
import { api, errorMessage } from '../../lib/api';
import { todayChina } from '../../lib/time';
import { useLoad } from '../../lib/use-load';

const required = (label: string, verb = '请选择') => [{ required: true, message: `${verb}${label}` }];

export function RegionField({ name = 'regionCode', label = '行政区划', optional = false, extra }: { name?: string; label?: string; optional?: boolean; extra?: ReactNode }) {
  return (
    <Form.Item label={label} name={name} data-field={name} rules={optional ? [] : required(label)} extra={extra}>
      <RegionPicker />
    </Form.Item>
  );
}

export function ItemField({ name = 'itemCode', label = '事项' }: { name?: string; label?: string }) {
  return (
    <Form.Item label={label} name={name} data-field={name} rules={required(label)} extra="输入事项编码或名称中的几个字">
      <ItemPicker />
    </Form.Item>
  );
}

/** The date department names and lists are read on: the effective date once given, else today. */
export function useEffectiveDate(): string {
  const at = Form.useWatch('effectiveFrom', Form.useFormInstance());
  return at || todayChina();
}

export function DepartmentField({
  name,
  label,
  regionField = 'regionCode',
  optional = false,
  placeholder,
  extra,
}: {
  name: string;
  label: string;
  regionField?: string;
  optional?: boolean;
  placeholder?: string;
  extra?: ReactNode;
}) {
  const region = Form.useWatch(regionField, Form.useFormInstance());
  const at = useEffectiveDate();
  return (
    <Form.Item label={label} name={name} data-field={name} rules={optional ? [] : required(label)} extra={extra}>
      <DepartmentSelect region={region} at={at} placeholder={region ? placeholder : undefined} />
    </Form.Item>
  );
}

export function TextField({ name, label, rules, extra, wide, numeric }: { name: string | (string | number)[]; label: string; rules?: any[]; extra?: ReactNode; wide?: boolean; numeric?: boolean }) {
  const key = Array.isArray(name) ? name.join('.') : name;
  return (
    <Form.Item label={label} name={name} data-field={key} rules={rules} extra={extra} className={wide ? 'wide' : undefined}>
      <Input autoComplete="off" inputMode={numeric ? 'numeric' : undefined} />
    </Form.Item>
  );
}

/** One entry a line (设定依据, 事项编码): a text area whose lines become the list the API takes. */
export function LinesField({ name, label, extra, requiredMsg }: { name: string | string[]; label: string; extra?: ReactNode; requiredMsg?: string }) {
  const key = Array.isArray(name) ? name.join('.') : name;
  return (
    <Form.Item label={label} name={name} data-field={key} extra={extra} className="wide" rules={requiredMsg ? [{ required: true, whitespace: true, message: requiredMsg }] : []}>
      <Input.TextArea rows={3} />
    </Form.Item>
  );
}

export const lines = (v: unknown): string[] | undefined => {
  if (typeof v !== 'string') return undefined;
  const out = v
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);
  return out.length ? out : undefined;
};

interface RegionRow {
  code: string;
  name: string;
}

/**
 * The chosen region's child regions as checkboxes (下放 / 上收); with `withDepartments`, each checked child
 * gets a select of its own departments (the receiving department, optional).
 */
export function ChildRegionsField({ name, label, withDepartments = false }: { name: string; label: string; withDepartments?: boolean }) {
  const form = Form.useFormInstance();
  const region = Form.useWatch('regionCode', form);
  const picked: string[] = Form.useWatch(name, form) ?? [];
  const at = useEffectiveDate();
  const children = useLoad(
    (signal) => (region ? api<{ items: RegionRow[] }>('/api/regions', { query: { parent: region, limit: 200 }, signal }).then((r) => r.items) : undefined),
    [region],
  );
  const rows = children.data ?? [];
  return (
    <div className="wide child-regions">
      <Form.Item
        label={label}
        name={name}
        data-field={name}
        rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个下级区划' }]}
        extra={!region ? '请先选择区划' : children.error ? errorMessage(children.error) : children.data && !rows.length ? '该区划没有下级区划' : undefined}
      >
        <Checkbox.Group role="group" aria-label={label} options={rows.map((c) => ({ value: c.code, label: regionLabel(c) }))} />
      </Form.Item>
      {withDepartments && rows.some((c) => picked.includes(c.code)) ? (
        <fieldset className="sub-fields">
          <legend>承接部门（可选，不选则待定）</legend>
          <div className="form-grid">
            {rows
              .filter((c) => picked.includes(c.code))
              .map((c) => (
                <Form.Item key={c.code} label={`${c.name} 承接部门`} name={['departmentIds', c.code]} data-field={`departmentIds.${c.code}`}>
                  <DepartmentSelect region={c.code} at={at} activeOnly placeholder="（承接部门待定）" />
                </Form.Item>
              ))}
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}

/** A region's departments as checkboxes (the assisting departments of a 职责分工 clause). */
export function DepartmentChecksField({ name, label }: { name: string; label: string }) {
  const form = Form.useFormInstance();
  const region = Form.useWatch('regionCode', form);
  const at = useEffectiveDate();
  const lead = Form.useWatch('leadDepartmentId', form);
  const { data = [], error } = useDepartments(region, at, true);
  return (
    <Form.Item
      label={label}
      name={name}
      data-field={name}
      className="wide"
      rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个配合部门' }]}
      extra={!region ? '请先选择区划' : error ? errorMessage(error) : undefined}
    >
      <Checkbox.Group role="group" aria-label={label} options={data.map((d) => ({ value: d.id, label: d.name, disabled: d.id === lead }))} />
    </Form.Item>
  );
}

interface Duty {
  id: string;
  text: string;
}
interface Organ {
  id: string;
  name: string;
  duties: Duty[];
}
export interface Sanding {
  duties: Duty[];
  internalOrgans: Organ[];
  staffing: { authorized: number; leaders: number; categories?: Partial<Record<string, number>>; leaderPosts?: Record<string, number>; nature?: string };
  from?: string;
}

export function useSanding(departmentId: string | undefined, at: string) {
  return useLoad(
    (signal) => (departmentId ? api<{ sanding: Sanding | null }>(`/api/departments/${encodeURIComponent(departmentId)}`, { query: { at }, signal }).then((d) => d.sanding) : undefined),
    [departmentId, at],
  );
}

/** 认领: the internal organ (offered from the department's 三定) and the 三定 duties it rests on, as checkboxes. */
export function AssignmentBasisFields() {
  const form = Form.useFormInstance();
  const dept = Form.useWatch('departmentId', form);
  const at = useEffectiveDate();
  const s = useSanding(dept, at);
  const duties = s.data ? [...s.data.duties.map((d) => ({ ...d, organ: '' })), ...s.data.internalOrgans.flatMap((o) => o.duties.map((d) => ({ ...d, organ: o.name })))] : [];
  const hint = !dept ? '请先选择实施部门' : s.error ? errorMessage(s.error) : s.data === null ? `该部门在 ${at} 没有施行中的三定` : undefined;
  return (
    <>
      <Form.Item label="承办机构（内设机构，可选）" name="internalOrgan" data-field="internalOrgan">
        <AutoComplete options={(s.data?.internalOrgans ?? []).map((o) => ({ value: o.name }))} placeholder="从三定所列内设机构中选择，或直接填写" />
      </Form.Item>
      <Form.Item label="所依据的三定职责（可选）" name="dutyIds" data-field="dutyIds" className="wide" extra={hint}>
        <Checkbox.Group
          role="group"
          aria-label="所依据的三定职责"
          className="duty-checks"
          options={duties.map((d) => ({
            value: d.id,
            label: (
              <span>
                <span className="duty-id">{d.id}</span> {d.organ ? `${d.organ}：` : ''}
                {d.text}
              </span>
            ),
          }))}
        />
      </Form.Item>
    </>
  );
}

/** Duty rows (编号 + 内容) of a Form.List at `name`, errors landing on each cell (`duties.2.text`). */
function DutyRows({ name, title }: { name: (string | number)[] | string; title: string }) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div className="rows">
          {fields.map((f, i) => (
            <fieldset key={f.key} className="row-item">
              <legend>
                {title} {i + 1}
              </legend>
              <Form.Item label="编号" name={[f.name, 'id']} className="narrow" rules={[{ required: true, whitespace: true, message: '请填写编号' }]}>
                <Input autoComplete="off" placeholder="如 YB-1" />
              </Form.Item>
              <Form.Item label="职责内容" name={[f.name, 'text']} className="grow" rules={[{ required: true, whitespace: true, message: '请填写职责内容' }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Button type="link" danger onClick={() => remove(f.name)} aria-label={`删除${title} ${i + 1}`}>
                删除
              </Button>
            </fieldset>
          ))}
          <Button onClick={() => add({ id: '', text: '' })}>增加一条{title}</Button>
        </div>
      )}
    </Form.List>
  );
}

/** 印发三定: duties, internal organs (each with its duties) and staffing — a whole new version. */
export function SandingFields() {
  const form = Form.useFormInstance();
  const dept = Form.useWatch('id', form);
  const at = useEffectiveDate();
  const current = useSanding(dept, at);
  const load = () => {
    const s = current.data;
    if (!s) return;
    form.setFieldsValue({
      duties: s.duties.map((d) => ({ ...d })),
      internalOrgans: s.internalOrgans.map((o) => ({ id: o.id, name: o.name, duties: o.duties.map((d) => ({ ...d })) })),
      staffing: { ...s.staffing, postsText: formatPosts(s.staffing.leaderPosts) },
    });
  };
  return (
    <div className="wide sanding">
      <Space wrap className="sanding-source">
        <Button onClick={load} disabled={!current.data}>
          载入现行三定作底稿
        </Button>
        <span className="muted">{!dept ? '选择部门后可载入其现行三定' : current.data ? `现行三定自 ${current.data.from} 起施行` : current.data === null ? `该部门在 ${at} 没有施行中的三定` : ''}</span>
      </Space>
      <fieldset className="sub-fields" data-field="duties">
        <legend>主要职责</legend>
        <DutyRows name="duties" title="职责" />
      </fieldset>
      <fieldset className="sub-fields" data-field="internalOrgans">
        <legend>内设机构</legend>
        <Form.List name="internalOrgans">
          {(fields, { add, remove }) => (
            <div className="rows">
              {fields.map((f, i) => (
                <fieldset key={f.key} className="organ">
                  <legend>内设机构 {i + 1}</legend>
                  <div className="organ-head">
                    <Form.Item label="编号" name={[f.name, 'id']} className="narrow" rules={[{ required: true, whitespace: true, message: '请填写编号' }]}>
                      <Input autoComplete="off" placeholder="如 YB-JG" />
                    </Form.Item>
                    <Form.Item label="机构名称" name={[f.name, 'name']} className="grow" rules={[{ required: true, whitespace: true, message: '请填写机构名称' }]}>
                      <Input autoComplete="off" />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(f.name)} aria-label={`删除内设机构 ${i + 1}`}>
                      删除
                    </Button>
                  </div>
                  <DutyRows name={[f.name, 'duties']} title="机构职责" />
                </fieldset>
              ))}
              <Button onClick={() => add({ id: '', name: '', duties: [] })}>增加一个内设机构</Button>
            </div>
          )}
        </Form.List>
      </fieldset>
      <div className="form-grid">
        <Form.Item label="核定编制（名）" name={['staffing', 'authorized']} data-field="staffing.authorized" extra="填写分类核定编制时取其合计">
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="领导职数（名）" name={['staffing', 'leaders']} data-field="staffing.leaders" extra="按职务填写时取其合计">
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="机构性质（可选）" name={['staffing', 'nature']} data-field="staffing.nature">
          <Select allowClear options={NATURES.map((n) => ({ value: n, label: n }))} />
        </Form.Item>
        <PostsField name={['staffing', 'postsText']} label="领导职数按职务（可选）" field="staffing.leaderPosts" />
      </div>
      <CountsFields name={['staffing', 'categories']} legend="分类核定编制（可选）" field="staffing.categories" />
    </div>
  );
}

const NATURES = ['行政机关', '参公事业单位', '事业单位'];
export const CATEGORIES = ['行政编制', '事业编制', '工勤编制'];

/** Counts per 编制 category (blank = not given). */
export function CountsFields({ name, legend, field }: { name: string[]; legend: string; field: string }) {
  return (
    <fieldset className="sub-fields wide" data-field={field}>
      <legend>{legend}</legend>
      <div className="form-grid">
        {CATEGORIES.map((c) => (
          <Form.Item key={c} label={`${c}（名）`} name={[...name, c]}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        ))}
      </div>
    </fieldset>
  );
}

/** Leader posts as text, "局长1、副局长2", checked as it is typed. */
export function PostsField({ name, label, field }: { name: string[]; label: string; field: string }) {
  return (
    <Form.Item
      label={label}
      name={name}
      data-field={field}
      extra="如 局长1、副局长2"
      rules={[{ validator: (_: unknown, v: string) => (v?.trim() ? Promise.resolve(parsePosts(v)).then(() => undefined) : Promise.resolve()) }]}
    >
      <Input autoComplete="off" />
    </Form.Item>
  );
}

/** The counts filled in (blanks as 0), or undefined when none is. */
export function countsOf(v: Partial<Record<string, number | null>> | undefined): Record<string, number> | undefined {
  if (!v || !CATEGORIES.some((c) => typeof v[c] === 'number')) return undefined;
  return Object.fromEntries(CATEGORIES.map((c) => [c, typeof v[c] === 'number' ? (v[c] as number) : 0]));
}

/** Posts typed as text → { post: n } (undefined when blank). */
export const postsOf = (t: string | undefined) => (t?.trim() ? parsePosts(t) : undefined);

/** 实有人员: counts per category, leaders by post, 编外. */
export function ActualStaffingFields() {
  return (
    <>
      <CountsFields name={['counts']} legend="实有在编（人）" field="counts" />
      <div className="form-grid wide">
        <PostsField name={['leadersText']} label="实配领导（按职务）" field="leaders" />
        <Form.Item label="编外人员（人）" name="outside" data-field="outside">
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </div>
    </>
  );
}
