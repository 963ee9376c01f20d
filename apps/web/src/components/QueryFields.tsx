// The fields every question starts with — region, item, date, "as known at" — worded once for all pages.
import { Form } from 'antd';
import { DateField, InstantField } from './DateFields';
import { ItemPicker } from './ItemPicker';
import { RegionPicker } from './RegionPicker';

export function RegionField({ extra = '可搜索名称或代码，也可展开区划树（省→市→县→乡）' }: { extra?: string }) {
  return (
    <Form.Item label="行政区划" name="region" rules={[{ required: true, message: '请选择行政区划' }]} extra={extra}>
      <RegionPicker />
    </Form.Item>
  );
}

export function ItemField({ extra = '输入事项编码或名称中的几个字' }: { extra?: string }) {
  return (
    <Form.Item label="事项" name="item" rules={[{ required: true, message: '请选择事项' }]} extra={extra}>
      <ItemPicker />
    </Form.Item>
  );
}

/** The date on the valid-time axis (法律效力上的日期). */
export function DateAtField({ label = '日期', required = true, extra = '法律效力上的日期（生效日期轴）' }: { label?: string; required?: boolean; extra?: string }) {
  return (
    <Form.Item label={label} name="at" rules={required ? [{ required: true, message: `请填写${label}` }] : []} extra={extra}>
      <DateField />
    </Form.Item>
  );
}

/** The optional recording instant: the registry's answer as it stood then (before later corrections). */
export function AsKnownAtField({ extra = '北京时间。留空＝按现有记录（含所有更正）' }: { extra?: string }) {
  return (
    <Form.Item label="按某一时刻的登记（可选）" name="asKnownAt" extra={extra}>
      <InstantField />
    </Form.Item>
  );
}
