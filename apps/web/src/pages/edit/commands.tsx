// Every command of CONTRACT.md as a form: its fields, the URL and body it sends, the record whose version
// guards it (expectedVersion), and how its inputs go into the address.
import { Checkbox, Form, Input, Select } from 'antd';
import type { ComponentType } from 'react';
import { compact } from '../../components/forms';
import type { Query } from '../../lib/api';
import { ITEM_TYPES, LEVELS, LEVEL_ZH, ROLE_ZH } from '../../lib/labels';
import {
  ActualStaffingFields,
  AssignmentBasisFields,
  countsOf,
  postsOf,
  ChildRegionsField,
  DepartmentChecksField,
  DepartmentField,
  ItemField,
  LinesField,
  RegionField,
  SandingFields,
  TextField,
  lines,
} from './controls';

type Values = Record<string, any>;
type Params = Record<string, string>;

export interface CommandDef {
  id: string;
  group: string;
  label: string;
  /** A sentence on what the command records. */
  about: string;
  path(v: Values): string;
  /** The request body (besides expectedVersion), path parameters left out. */
  body(v: Values): Values;
  /** The record whose version guards the command, once it is chosen. */
  version?(v: Values): Query | null;
  /** Names the API gives fields that are path parameters → the form's field. */
  alias?: Record<string, string>;
  /** Fields that hold no value of their own (pickers): where field errors may land. */
  known: string[];
  /** Fields emptied when another changes (departments follow their region). */
  dependents?: Record<string, string[]>;
  initial(p: Params): Values;
  toParams(v: Values): Params;
  /** Retraction: no effective date, a reason required. */
  noDate?: boolean;
  Fields: ComponentType;
}

const enc = encodeURIComponent;
const DOC = ['effectiveFrom', 'document.number', 'document.title', 'document.issuedBy', 'document.issuedOn', 'reason'];
const LEVEL_OPTIONS = LEVELS.map((l) => ({ value: l, label: LEVEL_ZH[l] }));
const TYPE_OPTIONS = ITEM_TYPES.map((t) => ({ value: t, label: t }));
const change = (v: Values) => ({ effectiveFrom: v.effectiveFrom, document: v.document, reason: v.reason });
const req = (label: string) => [{ required: true, whitespace: true, message: `请填写${label}` }];

/** The five commands on a region's list entry (region + item in the path, the entry's version). */
function onEntry(id: string, label: string, about: string, verb: string, body: (v: Values) => Values, Fields: ComponentType, deps: string[], extra: Partial<CommandDef> = {}): CommandDef {
  return {
    id,
    group: '清单',
    label,
    about,
    path: (v) => `/api/regions/${enc(v.regionCode)}/items/${enc(v.itemCode)}/${verb}`,
    body: (v) => compact({ ...body(v), ...change(v) }),
    version: (v) => (v.regionCode && v.itemCode ? { region: v.regionCode, item: v.itemCode } : null),
    alias: { code: 'regionCode', item: 'itemCode' },
    known: ['regionCode', 'itemCode', ...deps, ...DOC],
    dependents: { regionCode: deps },
    initial: (p) => ({ regionCode: p.region, itemCode: p.item }),
    toParams: (v) => ({ region: v.regionCode, item: v.itemCode }),
    Fields,
    ...extra,
  };
}

/** Commands on one department, picked within its region (the region is only for the picker). */
function onDepartment(id: string, label: string, about: string, verb: string, body: (v: Values) => Values, Rest: ComponentType, extraKnown: string[] = [], extra: Partial<CommandDef> = {}): CommandDef {
  return {
    id,
    group: '部门',
    label,
    about,
    path: (v) => `/api/departments/${enc(v.id)}/${verb}`,
    body: (v) => compact({ ...body(v), ...change(v) }),
    version: (v) => (v.id ? { department: v.id } : null),
    known: ['_region', 'id', ...extraKnown, ...DOC],
    dependents: { _region: ['id', ...extraKnown.filter((k) => k.endsWith('Id'))] },
    initial: (p) => ({ _region: p.region, id: p.id }),
    toParams: (v) => ({ region: v._region, id: v.id }),
    Fields: () => (
      <>
        <RegionField name="_region" label="所属区划" />
        <DepartmentField name="id" label="部门" regionField="_region" />
        <Rest />
      </>
    ),
    ...extra,
  };
}

/** A 三定's staffing from the form: with categories (or posts) the totals are their sums, left to the server. */
function sandingStaffing(st: Values): Values {
  const categories = countsOf(st.categories);
  const leaderPosts = postsOf(st.postsText);
  return compact({
    authorized: categories ? undefined : st.authorized,
    leaders: leaderPosts ? undefined : st.leaders,
    categories,
    leaderPosts,
    nature: st.nature || undefined,
  });
}

export const COMMANDS: CommandDef[] = [
  {
    id: 'registerRegion',
    group: '行政区划',
    label: '登记行政区划',
    about: '登记一个新的行政区划（省、市、县、乡）及其上级区划。',
    path: () => '/api/regions',
    body: (v) => compact({ code: v.code?.trim(), name: v.name, level: v.level, parentCode: v.parentCode, ...change(v) }),
    known: ['code', 'name', 'level', 'parentCode', ...DOC],
    initial: () => ({}),
    toParams: () => ({}),
    Fields: () => (
      <>
        <TextField name="code" label="区划代码" numeric rules={req('区划代码')} extra="GB/T 2260：省、市、县 6 位，乡镇 9 位" />
        <TextField name="name" label="名称" rules={req('名称')} />
        <Form.Item label="层级" name="level" data-field="level" rules={[{ required: true, message: '请选择层级' }]}>
          <Select options={LEVEL_OPTIONS} placeholder="请选择层级" />
        </Form.Item>
        <RegionField name="parentCode" label="上级区划" optional extra="省级不填" />
      </>
    ),
  },
  {
    id: 'defineItem',
    group: '目录',
    label: '目录新增事项',
    about: '在权责事项目录中新增一个事项，写明类型、设定依据和行使层级。',
    path: () => '/api/catalog/items',
    body: (v) => compact({ code: v.code?.trim(), name: v.name, type: v.type, basis: lines(v.basis) ?? [], levels: v.levels, ...change(v) }),
    known: ['code', 'name', 'type', 'basis', 'levels', ...DOC],
    initial: () => ({}),
    toParams: () => ({}),
    Fields: () => (
      <>
        <TextField name="code" label="事项编码" rules={req('事项编码')} />
        <TextField name="name" label="事项名称" rules={req('事项名称')} wide />
        <Form.Item label="事项类型" name="type" data-field="type" rules={[{ required: true, message: '请选择事项类型' }]}>
          <Select options={TYPE_OPTIONS} placeholder="请选择事项类型" />
        </Form.Item>
        <Form.Item label="行使层级" name="levels" data-field="levels" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个层级' }]}>
          <Checkbox.Group role="group" aria-label="行使层级" options={LEVEL_OPTIONS} />
        </Form.Item>
        <LinesField name="basis" label="设定依据" extra="每行一条：法律、法规名称及条款" requiredMsg="请填写设定依据" />
      </>
    ),
  },
  {
    id: 'reviseItem',
    group: '目录',
    label: '修改目录要素',
    about: '修改目录事项的名称、类型、设定依据或行使层级；只填写要改的要素，自生效日期起适用。',
    path: (v) => `/api/catalog/items/${enc(v.code)}/revise`,
    body: (v) => compact({ name: v.name, type: v.type, basis: lines(v.basis), levels: v.levels?.length ? v.levels : undefined, ...change(v) }),
    version: (v) => (v.code ? { item: v.code } : null),
    known: ['code', 'name', 'type', 'basis', 'levels', ...DOC],
    initial: (p) => ({ code: p.item }),
    toParams: (v) => ({ item: v.code }),
    Fields: () => (
      <>
        <ItemField name="code" />
        <TextField name="name" label="新名称（不改则留空）" wide />
        <Form.Item label="新类型（不改则不选）" name="type" data-field="type">
          <Select options={TYPE_OPTIONS} allowClear placeholder="（不修改）" />
        </Form.Item>
        <Form.Item label="新行使层级（不改则不勾选）" name="levels" data-field="levels">
          <Checkbox.Group role="group" aria-label="新行使层级" options={LEVEL_OPTIONS} />
        </Form.Item>
        <LinesField name="basis" label="新设定依据（不改则留空）" extra="每行一条；填写即整体替换" />
      </>
    ),
  },
  {
    id: 'retireItem',
    group: '目录',
    label: '从目录取消事项',
    about: '自生效日期起，该事项不再列入目录。',
    path: (v) => `/api/catalog/items/${enc(v.code)}/retire`,
    body: (v) => compact(change(v)),
    version: (v) => (v.code ? { item: v.code } : null),
    known: ['code', ...DOC],
    initial: (p) => ({ code: p.item }),
    toParams: (v) => ({ item: v.code }),
    Fields: () => <ItemField name="code" />,
  },
  {
    id: 'establishDepartment',
    group: '部门',
    label: '设立部门',
    about: '在一个行政区划设立部门；部门 id 是稳定标识，更名不变。',
    path: () => '/api/departments',
    body: (v) => compact({ regionCode: v.regionCode, id: v.id?.trim(), name: v.name, ...change(v) }),
    known: ['regionCode', 'id', 'name', ...DOC],
    initial: (p) => ({ regionCode: p.region }),
    toParams: (v) => ({ region: v.regionCode }),
    Fields: () => (
      <>
        <RegionField />
        <TextField name="id" label="部门 id" rules={req('部门 id')} extra="稳定标识：有统一社会信用代码时用它；字母、数字、点、横线" />
        <TextField name="name" label="部门名称" rules={req('部门名称')} wide />
      </>
    ),
  },
  onDepartment('renameDepartment', '部门更名', '部门自生效日期起使用新名称（id 与其事项不变）。', 'rename', (v) => ({ name: v.name }), () => <TextField name="name" label="新名称" rules={req('新名称')} wide />, ['name']),
  onDepartment(
    'abolishDepartment',
    '撤销部门',
    '部门自生效日期起撤销；如指定承继部门，其事项一并划转给承继部门。',
    'abolish',
    (v) => ({ successorId: v.successorId }),
    () => <DepartmentField name="successorId" label="承继部门（可选）" regionField="_region" optional placeholder="（无承继部门）" extra="选定则被撤销部门的事项一并划转给它" />,
    ['successorId'],
  ),
  onDepartment(
    'issueSanding',
    '印发三定（新一版）',
    '登记部门“三定”规定的新一版：主要职责、内设机构及其职责、人员编制。新一版整体取代旧版。',
    'sanding',
    (v) => ({
      duties: (v.duties ?? []).map((d: Values) => ({ id: d?.id?.trim() ?? '', text: d?.text ?? '' })),
      internalOrgans: (v.internalOrgans ?? []).map((o: Values) => ({ id: o?.id?.trim() ?? '', name: o?.name ?? '', duties: (o?.duties ?? []).map((d: Values) => ({ id: d?.id?.trim() ?? '', text: d?.text ?? '' })) })),
      staffing: sandingStaffing(v.staffing ?? {}),
    }),
    SandingFields,
    ['duties', 'internalOrgans', 'staffing', 'staffing.authorized', 'staffing.leaders', 'staffing.categories', 'staffing.leaderPosts', 'staffing.nature'],
  ),
  onDepartment(
    'reportActualStaffing',
    '实有人员变动',
    '登记部门自生效日期起的实有人员（分类实有在编、实配领导、编外人员）；须写明变动原因（招录、调入、调出、退休、年度核对等）。',
    'staffing-actual',
    (v) => ({ counts: countsOf(v.counts) ?? {}, leaders: postsOf(v.leadersText) ?? {}, outside: v.outside ?? 0 }),
    ActualStaffingFields,
    ['counts', 'leaders', 'outside'],
    { version: (v) => (v.id ? { staffing: v.id } : null) },
  ),
  onEntry(
    'assign',
    '认领事项（列入本级清单）',
    '把事项列入本级清单，由实施部门牵头或配合；可写明承办机构和所依据的三定职责。',
    'assign',
    (v) => ({ departmentId: v.departmentId, role: v.role, internalOrgan: v.internalOrgan, dutyIds: v.dutyIds?.length ? v.dutyIds : undefined, asPublished: { ...v.asPublished, basis: lines(v.asPublished?.basis) } }),
    () => (
      <>
        <RegionField />
        <ItemField />
        <DepartmentField name="departmentId" label="实施部门" />
        <Form.Item label="角色" name="role" data-field="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={Object.entries(ROLE_ZH).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <AssignmentBasisFields />
        <fieldset className="sub-fields wide">
          <legend>清单自身的表述（可选，四级四同比对用；不填则按目录表述）</legend>
          <div className="form-grid">
            <TextField name={['asPublished', 'name']} label="清单所列名称" />
            <TextField name={['asPublished', 'type']} label="清单所列类型" />
            <TextField name={['asPublished', 'code']} label="清单所列编码" />
            <LinesField name={['asPublished', 'basis']} label="清单所列依据（每行一条）" />
          </div>
        </fieldset>
      </>
    ),
    ['departmentId', 'role', 'internalOrgan', 'dutyIds', 'asPublished', 'asPublished.name', 'asPublished.type', 'asPublished.code', 'asPublished.basis'],
    { initial: (p) => ({ regionCode: p.region, itemCode: p.item, departmentId: p.department, role: 'lead' }), dependents: { regionCode: ['departmentId', 'dutyIds', 'internalOrgan'], departmentId: ['dutyIds', 'internalOrgan'] } },
  ),
  onEntry(
    'transfer',
    '划转事项',
    '事项自生效日期起由划出部门划转给划入部门（同一区划内）。',
    'transfer',
    (v) => ({ fromDepartmentId: v.fromDepartmentId, toDepartmentId: v.toDepartmentId }),
    () => (
      <>
        <RegionField />
        <ItemField />
        <DepartmentField name="fromDepartmentId" label="划出部门" />
        <DepartmentField name="toDepartmentId" label="划入部门" />
      </>
    ),
    ['fromDepartmentId', 'toDepartmentId'],
    { initial: (p) => ({ regionCode: p.region, itemCode: p.item, fromDepartmentId: p.from, toDepartmentId: p.to }), toParams: (v) => ({ region: v.regionCode, item: v.itemCode, from: v.fromDepartmentId, to: v.toDepartmentId }) },
  ),
  onEntry(
    'withdraw',
    '移出清单（取消）',
    '事项自生效日期起移出本级清单；选定部门则只移出该部门。',
    'withdraw',
    (v) => ({ departmentId: v.departmentId }),
    () => (
      <>
        <RegionField />
        <ItemField />
        <DepartmentField name="departmentId" label="部门（可选：不选则全部移出）" optional placeholder="（全部部门）" />
      </>
    ),
    ['departmentId'],
  ),
  onEntry(
    'delegate',
    '下放至下级区划',
    '事项自生效日期起下放给下级区划承接；可为每个下级区划指定承接部门。',
    'delegate',
    (v) => {
      const to: string[] = v.toRegionCodes ?? [];
      const map = Object.fromEntries(Object.entries((v.departmentIds ?? {}) as Record<string, string>).filter(([code, d]) => to.includes(code) && d));
      return { toRegionCodes: to, departmentIds: Object.keys(map).length ? map : undefined };
    },
    () => (
      <>
        <RegionField />
        <ItemField />
        <ChildRegionsField name="toRegionCodes" label="下放至（下级区划）" withDepartments />
      </>
    ),
    ['toRegionCodes', 'departmentIds'],
    { dependents: { regionCode: ['toRegionCodes', 'departmentIds'] } },
  ),
  onEntry(
    'recall',
    '自下级区划上收',
    '事项自生效日期起从下级区划收回，由本级部门负责。',
    'recall',
    (v) => ({ fromRegionCodes: v.fromRegionCodes ?? [], departmentId: v.departmentId }),
    () => (
      <>
        <RegionField />
        <ItemField />
        <ChildRegionsField name="fromRegionCodes" label="自以下下级区划上收" />
        <DepartmentField name="departmentId" label="上收后由本级哪个部门负责" />
      </>
    ),
    ['fromRegionCodes', 'departmentId'],
    { dependents: { regionCode: ['fromRegionCodes', 'departmentId'] } },
  ),
  {
    id: 'boundary',
    group: '职责分工',
    label: '登记职责分工条款',
    about: '登记部门间的职责分工（边界）条款：一件事由谁牵头、谁配合；它可以化解相应的职责交叉。',
    path: () => '/api/boundaries',
    body: (v) => compact({ regionCode: v.regionCode, matter: v.matter, leadDepartmentId: v.leadDepartmentId, assistingDepartmentIds: v.assistingDepartmentIds ?? [], itemCodes: lines(v.itemCodes), ...change(v) }),
    known: ['regionCode', 'matter', 'leadDepartmentId', 'assistingDepartmentIds', 'itemCodes', ...DOC],
    dependents: { regionCode: ['leadDepartmentId', 'assistingDepartmentIds'] },
    initial: (p) => ({ regionCode: p.region }),
    toParams: (v) => ({ region: v.regionCode }),
    Fields: () => (
      <>
        <RegionField />
        <DepartmentField name="leadDepartmentId" label="牵头部门" />
        <Form.Item label="分工事项" name="matter" data-field="matter" className="wide" rules={req('分工事项')} extra="分工所涉的事务，如“医疗保障基金监督检查”">
          <Input.TextArea rows={2} />
        </Form.Item>
        <DepartmentChecksField name="assistingDepartmentIds" label="配合部门" />
        <LinesField name="itemCodes" label="涉及事项编码（可选，每行一个）" />
      </>
    ),
  },
  {
    id: 'retract',
    group: '更正',
    label: '撤回事件（更正）',
    about: '撤回一条登记错误的事件：自现在起视为从未发生；历史中两者都保留，可按登记时刻回看。',
    path: (v) => `/api/events/${enc(v.eventId?.trim())}/retract`,
    body: (v) => compact({ reason: v.reason, document: v.document }),
    known: ['eventId', 'reason', 'document.number', 'document.title', 'document.issuedBy', 'document.issuedOn'],
    initial: (p) => ({ eventId: p.eventId }),
    toParams: (v) => ({ eventId: v.eventId }),
    noDate: true,
    Fields: () => (
      <>
        <TextField name="eventId" label="事件 id" rules={req('事件 id')} wide extra="在“事项历史”页点“撤回此事件”会自动填入" />
        <Form.Item label="撤回理由" name="reason" data-field="reason" className="wide" rules={req('撤回理由')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </>
    ),
  },
];

export const commandById = (id: string | undefined) => COMMANDS.find((c) => c.id === id);
