// One command's form: reads the version of the record it changes (sent back as expectedVersion), submits,
// and says what happened — recorded (with the warnings the command returns), field errors at their
// fields, someone else's change first (409 WRONG_EXPECTED_VERSION), or a refusal.
import { Alert, Button, Form, Space, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { ErrorNotice } from '../../components/Feedback';
import { EffectiveAndDocument, applyFieldErrors, namePath } from '../../components/forms';
import { ApiError, api } from '../../lib/api';
import { EVENT_ZH } from '../../lib/labels';
import { hashLink } from '../../lib/route';
import { fmtInstant } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import type { CommandDef } from './commands';
import type { CommandResult } from '../../../../../libs/contract/src';

type Outcome =
  | { kind: 'ok'; r: CommandResult; values: Record<string, any> }
  | { kind: 'drafted'; changeSet: string; index: number; warnings: Array<{ code: string; message: string }> }
  | { kind: 'stale'; mine?: number; actual?: number }
  | { kind: 'fields'; rest: string[] }
  | { kind: 'error'; err: unknown };

/** The API's field names put on this form's fields: path parameters renamed, unknown paths on their nearest known parent. */
function onThisForm(def: CommandDef, form: ReturnType<typeof Form.useForm>[0], err: ApiError): { err: ApiError; known: (string | number)[][] } {
  const known = new Set(def.known);
  const placed = err.fields.map((f) => {
    let name = def.alias?.[f.field] ?? f.field;
    for (let n = name; n; n = n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : '') {
      if (known.has(n) || form.getFieldInstance(namePath(n) as any)) {
        name = n;
        break;
      }
    }
    return { ...f, field: name };
  });
  return { err: new ApiError(err.status, { ...err.body, fields: placed }), known: placed.map((f) => namePath(f.field)).filter((n) => known.has(n.join('.')) || form.getFieldInstance(n as any)) };
}

/** With `changeSet`: the command goes into that 调整方案 (`?changeSet=<id>`, 202) instead of being recorded. */
export function CommandForm({ def, params, remember, changeSet }: { def: CommandDef; params: Record<string, string>; remember(p: Record<string, string | undefined>): void; changeSet?: string }) {
  const [form] = Form.useForm();
  const initial = useMemo(() => def.initial(params), []); // eslint-disable-line react-hooks/exhaustive-deps
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  // expectedVersion: the version of the record as the form read it when the record was picked
  const select = useCallback((v: Record<string, any>) => (def.version ? def.version(v ?? {}) : null), [def]);
  const vq = Form.useWatch(select, form);
  const vkey = vq ? JSON.stringify(vq) : '';
  const version = useLoad((signal) => (vq ? api<{ stream: string; version: number }>('/api/versions', { query: vq, signal }) : undefined), [vkey]);
  const expected = vq && !version.loading && !version.error ? version.data?.version : undefined;

  const onValuesChange = (changed: Record<string, any>, all: Record<string, any>) => {
    const reset: Record<string, undefined> = {};
    for (const k of Object.keys(changed)) for (const d of def.dependents?.[k] ?? []) reset[d] = undefined;
    if (Object.keys(reset).length) form.setFieldsValue(reset);
    if (Object.keys(changed).some((k) => k !== 'document' && k !== 'reason')) remember(def.toParams(all));
  };

  const submit = async (values: Record<string, any>) => {
    setOutcome(null);
    // in a change set the record's version is the draft's business (its earlier commands count): none sent
    const body = { ...def.body(values), ...(expected !== undefined && !changeSet ? { expectedVersion: expected } : {}) };
    setBusy(true);
    try {
      if (changeSet) {
        const d = await api<{ changeSet: string; index: number; warnings: Array<{ code: string; message: string }> }>(def.path(values), { method: 'POST', body, query: { changeSet } });
        setOutcome({ kind: 'drafted', changeSet: d.changeSet, index: d.index, warnings: d.warnings ?? [] });
        return;
      }
      const r = await api<CommandResult>(def.path(values), { method: 'POST', body });
      setOutcome({ kind: 'ok', r, values });
      version.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WRONG_EXPECTED_VERSION') {
        setOutcome({ kind: 'stale', mine: err.details?.expectedVersion ?? expected, actual: err.details?.actualVersion });
      } else if (err instanceof ApiError && err.status === 400 && err.fields.length) {
        const mapped = onThisForm(def, form, err);
        setOutcome({ kind: 'fields', rest: applyFieldErrors(form, mapped.err, mapped.known) });
      } else {
        setOutcome({ kind: 'error', err });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      className="card command"
      data-command={def.id}
      aria-labelledby={`cmd-title-${def.id}`}
      initialValues={initial}
      onValuesChange={onValuesChange}
      onFinish={submit}
      scrollToFirstError={{ focus: true, block: 'center' }}
    >
      <h2 id={`cmd-title-${def.id}`}>{def.label}</h2>
      <Typography.Paragraph type="secondary">{def.about}</Typography.Paragraph>
      <div className="form-grid">
        <def.Fields />
      </div>
      {def.noDate ? <EffectiveAndDocument withDate={false} withReason={false} /> : <EffectiveAndDocument />}
      {def.version ? (
        <p className="version muted" aria-live="polite">
          {!vq ? (
            '选定记录后读取其当前版本，提交时核对。'
          ) : version.loading ? (
            '正在读取记录版本…'
          ) : version.error ? (
            '（无法读取记录版本，提交时不作版本核对）'
          ) : version.data ? (
            <>
              {version.data.version < 0 ? '该记录尚无登记（第 -1 版，将新建）' : `记录当前为第 ${version.data.version} 版`}
              ；提交时将核对，若他人已先行修改，本次提交会被拒绝。
              <Button type="link" size="small" onClick={version.reload}>
                重新读取
              </Button>
            </>
          ) : null}
        </p>
      ) : null}
      <Space className="actions">
        <Button type="primary" htmlType="submit" loading={busy}>
          {changeSet ? '加入调整方案' : '提交登记'}
        </Button>
      </Space>
      <div className="outcome" aria-live="polite">
        {outcome ? <OutcomeView outcome={outcome} def={def} onReread={() => { version.reload(); setOutcome(null); }} /> : null}
      </div>
    </Form>
  );
}

function OutcomeView({ outcome, def, onReread }: { outcome: Outcome; def: CommandDef; onReread(): void }) {
  switch (outcome.kind) {
    case 'drafted':
      return (
        <Alert
          type="success"
          showIcon
          className="notice-drafted"
          title={`已加入调整方案（第 ${outcome.index} 条），尚未生效`}
          description={
            <>
              {outcome.warnings.map((w) => (
                <div key={w.code}>提示：{w.message}</div>
              ))}
              <a href={hashLink('change-sets', { id: outcome.changeSet })}>回到调整方案</a>
            </>
          }
        />
      );
    case 'ok':
      return <Recorded r={outcome.r} values={outcome.values} def={def} />;
    case 'stale':
      return (
        <Alert
          type="warning"
          showIcon
          role="alert"
          className="notice-warn"
          title="他人已先行修改了同一条记录"
          description={
            <>
              <p>
                {outcome.mine !== undefined ? `您读取时是第 ${outcome.mine} 版，` : ''}
                {outcome.actual !== undefined ? `现在已是第 ${outcome.actual} 版。` : '现在已有更新的版本。'}本次提交未作任何变更。
              </p>
              <p>请先查看最新情况（如“谁负责”或“事项历史”），确认仍需变更后，重新读取版本再提交。</p>
              <Button onClick={onReread}>重新读取版本</Button>
            </>
          }
        />
      );
    case 'fields':
      return (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="notice-error"
          title="有字段需要更正：请查看标红的字段"
          description={outcome.rest.length ? <ul>{outcome.rest.map((m) => <li key={m}>{m}</li>)}</ul> : undefined}
        />
      );
    default:
      return <ErrorNotice error={outcome.err} title={outcome.err instanceof ApiError && outcome.err.status === 409 ? '未登记：登记簿拒绝了此变更' : undefined} />;
  }
}

function Recorded({ r, values, def }: { r: CommandResult; values: Record<string, any>; def: CommandDef }) {
  const region: string | undefined = values.regionCode ?? values._region;
  const item: string | undefined = values.itemCode ?? (def.group === '目录' ? values.code : undefined);
  const dept: string | undefined = def.group === '部门' ? values.id : undefined;
  return (
    <section className="ok-card" role="status" aria-labelledby="ok-title">
      <h3 id="ok-title">已登记</h3>
      <p>
        {def.label}：事件 {r.eventIds.length} 条，登记时刻 {fmtInstant(r.recordedAt, { ms: true })}（北京时间），记录现为第 {r.streamVersion} 版。
      </p>
      <details>
        <summary>事件 id</summary>
        <ul className="mono event-ids">
          {r.eventIds.map((id) => (
            <li key={id}>{id}</li>
          ))}
        </ul>
      </details>
      {r.warnings?.length ? (
        <Alert
          type="warning"
          showIcon
          className="notice-warn warnings"
          title="注意：本次登记使情况变差（已按文件登记，并作为发现报告）"
          description={
            <ul>
              {r.warnings.map((w, i) => (
                <li key={i} data-warning={w.code}>
                  {w.message}（{w.code}）
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Space wrap className="links">
        {region && item ? <a href={hashLink('owner', { region, item, at: values.effectiveFrom })}>谁负责（生效日）</a> : null}
        {region && item ? <a href={hashLink('history', { region, item })}>事项历史</a> : null}
        {region && dept ? <a href={hashLink('department', { region, id: dept, at: values.effectiveFrom })}>部门详情</a> : null}
        {def.id === 'retract' ? <span className="muted">{EVENT_ZH.EventRetracted}已登记；事项历史中原事件以删除线显示。</span> : null}
      </Space>
    </section>
  );
}
