// A region's departments (with their names on `at`) to pick from; reloaded when the region or date changes.
import { Select } from 'antd';
import { api } from '../lib/api';
import { DEPT_STATUS_ZH } from '../lib/labels';
import { todayChina } from '../lib/time';
import { useLoad } from '../lib/use-load';

export interface DepartmentRow {
  id: string;
  name: string;
  regionCode: string;
  status: 'active' | 'abolished' | 'not-yet-established';
  establishedOn: string;
  abolishedOn?: string;
  hasSanding?: boolean;
}

export interface DepartmentSelectProps {
  region?: string;
  at?: string;
  value?: string;
  onChange?(id: string, row?: DepartmentRow): void;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
  allowClear?: boolean;
  /** Only departments that exist on `at`. */
  activeOnly?: boolean;
  style?: React.CSSProperties;
}

export function useDepartments(region?: string, at?: string, activeOnly = false) {
  return useLoad(
    (signal) =>
      region
        ? api<{ items: DepartmentRow[] }>(`/api/regions/${encodeURIComponent(region)}/departments`, { query: { at: at || todayChina(), limit: 200, all: activeOnly ? 'false' : undefined }, signal }).then((r) => r.items)
        : undefined,
    [region, at, activeOnly],
  );
}

export function DepartmentSelect({ region, at, value, onChange, placeholder, allowClear = true, activeOnly = false, style, ...rest }: DepartmentSelectProps) {
  const { data = [], loading, error } = useDepartments(region, at, activeOnly);
  const options = data.map((d) => ({
    value: d.id,
    label: `${d.name}（${d.id}）${d.status === 'active' ? '' : ' · ' + DEPT_STATUS_ZH[d.status]}`,
  }));
  if (value && !data.some((d) => d.id === value)) options.push({ value, label: value });
  return (
    <Select
      {...rest}
      style={{ minWidth: 280, ...style }}
      value={value || undefined}
      loading={loading}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder ?? (!region ? '请先选择区划' : error ? '部门载入失败' : data.length ? '请选择部门' : '该区划尚无部门')}
      options={options}
      popupMatchSelectWidth={false}
      virtual={false}
      onChange={(id: string | undefined) => onChange?.(id ?? '', data.find((d) => d.id === id))}
    />
  );
}
