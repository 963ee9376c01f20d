// Form pieces every command shares: the authorising document (文号…) and the API's field errors put back
// on the fields they concern (`document.number`, `duties.2.text`, …).
import { Form, FormInstance, Input } from 'antd';
import { ApiError } from '../lib/api';
import { DateField } from './DateFields';

/** 'duties.2.text' → ['duties', 2, 'text'] (Ant Design's name path). */
export const namePath = (field: string): (string | number)[] => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/**
 * Puts each field error of a 400 on its form field and focuses the first one. Returns the messages that
 * belong to no field on this form (to be shown above it).
 */
export function applyFieldErrors(form: FormInstance, err: unknown, known: (string | number)[][] = []): string[] {
  if (!(err instanceof ApiError) || !err.fields.length) return [];
  const byField = new Map<string, string[]>();
  for (const f of err.fields) byField.set(f.field, [...(byField.get(f.field) ?? []), f.message]);
  const onForm: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  const registered = (name: (string | number)[]) =>
    known.some((k) => k.join('.') === name.join('.')) || form.getFieldInstance(name as any) !== undefined || form.getFieldValue(name as any) !== undefined;
  for (const [field, messages] of byField) {
    const name = namePath(field);
    if (registered(name)) onForm.push({ name, errors: messages });
    else rest.push(...messages.map((m) => `${field}：${m}`));
  }
  form.setFields(onForm);
  if (onForm.length) form.scrollToField(onForm[0].name, { focus: true, block: 'center' });
  return rest;
}

/** The document that authorises a change, and the date it takes effect. */
export function EffectiveAndDocument({ dateLabel = '生效日期', withReason = true, withDate = true }: { dateLabel?: string; withReason?: boolean; withDate?: boolean }) {
  return (
    <>
      {withDate ? (
        <Form.Item label={dateLabel} name="effectiveFrom" data-field="effectiveFrom" rules={[{ required: true, message: `请填写${dateLabel}` }]}>
          <DateField />
        </Form.Item>
      ) : null}
      <fieldset className="doc-fields">
        <legend>依据文件</legend>
        <Form.Item label="文号" name={['document', 'number']} data-field="document.number" rules={[{ required: true, whitespace: true, message: '请填写文号，如 克编办〔2024〕2号' }]}>
          <Input placeholder="如 克编办〔2024〕2号" autoComplete="off" />
        </Form.Item>
        <Form.Item label="文件标题" name={['document', 'title']} data-field="document.title">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="发文机关" name={['document', 'issuedBy']} data-field="document.issuedBy">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="发文日期" name={['document', 'issuedOn']} data-field="document.issuedOn">
          <DateField />
        </Form.Item>
      </fieldset>
      {withReason ? (
        <Form.Item label="理由（可选）" name="reason" data-field="reason">
          <Input.TextArea rows={2} />
        </Form.Item>
      ) : null}
    </>
  );
}

/** Drops empty strings and empty document parts so the API sees only what was filled in. */
export function compact<T>(v: T): T {
  if (Array.isArray(v)) return v.map(compact) as T;
  if (v && typeof v === 'object') {
    const out: any = {};
    for (const [k, x] of Object.entries(v)) {
      const c = compact(x);
      if (c === '' || c === undefined || c === null) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}
