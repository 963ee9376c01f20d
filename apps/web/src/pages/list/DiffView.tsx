// What changed in a region's list: between two dates (清单) or two editions (版本). Added, cancelled
// (移出), transferred (from → to), a lead added beside the existing one (增加牵头部门, a 职责交叉), and
// revised with the columns that changed (before struck through → after).
import { Alert, Table } from 'antd';
import type { ListDiff } from '../../../../../libs/contract/src';
import { FIELD_ZH, fmtVal } from '../../lib/labels';
import { hashLink } from '../../lib/route';
import './diff.css';

type DiffRow = { code: string; name: string };
export type AnyDiff = Pick<ListDiff, 'region' | 'added' | 'removed' | 'transferred' | 'revised'> & Partial<Pick<ListDiff, 'leadAdded'>>;

/** `from`/`to`: how the two sides are named (dates or edition numbers); `at`: the date item links open on. */
export function DiffView({ d, from, to, at }: { d: AnyDiff; from: string; to: string; at: string }) {
  const link = (code: string) => (
    <a className="mono nowrap" href={hashLink('history', { region: d.region, item: code, at })}>
      {code}
    </a>
  );
  const names = (xs: string[]) => (xs.length ? xs.join('、') : <span className="muted">（无牵头部门）</span>);
  const sections: Array<{ key: string; label: string; rows: DiffRow[]; title: string; cell(x: any): React.ReactNode }> = [
    { key: 'added', label: '新增', rows: d.added, title: '牵头部门', cell: (x: ListDiff['added'][number]) => names(x.owners) },
    { key: 'removed', label: '移出', rows: d.removed, title: '原牵头部门', cell: (x: ListDiff['removed'][number]) => names(x.owners) },
    {
      key: 'transferred',
      label: '划转',
      rows: d.transferred,
      title: '划转',
      cell: (x: ListDiff['transferred'][number]) => (
        <span className="move">
          <span className="from">{names(x.from)}</span>
          <span aria-label="划转至" className="arrow">
            →
          </span>
          <span className="to">{names(x.to)}</span>
        </span>
      ),
    },
    {
      key: 'leadAdded',
      label: '增加牵头部门',
      rows: d.leadAdded ?? [],
      title: '牵头部门（职责交叉）',
      cell: (x: ListDiff['leadAdded'][number]) => (
        <span className="lead-added">
          原有 {names(x.leads)}，增加 <strong className="added">{x.added.join('、')}</strong>
        </span>
      ),
    },
    {
      key: 'revised',
      label: '要素变更',
      rows: d.revised,
      title: '变更要素',
      cell: (x: ListDiff['revised'][number]) => (
        <ul className="plain">
          {x.fields.map((f) => (
            <li key={f}>
              {FIELD_ZH[f] ?? f}：<del>{fmtVal(x.before[f])}</del> → {fmtVal(x.after[f])}
            </li>
          ))}
        </ul>
      ),
    },
  ].filter((s) => s.rows.length);
  if (!sections.length) return <Alert className="diff" type="info" showIcon title={`${from} 至 ${to} 之间清单没有变化。`} />;
  return (
    <div className="diff">
      <p className="diff-sum">
        {from} 至 {to}：{sections.map((s) => `${s.label} ${s.rows.length} 项`).join('，')}
      </p>
      {sections.map((s) => (
        <Table<DiffRow>
          key={s.key}
          size="small"
          pagination={false}
          rowKey="code"
          className={`diff-table diff-table-${s.key}`}
          title={() => <h3 className={`diff-h diff-${s.key}`}>{`${s.label} ${s.rows.length} 项`}</h3>}
          dataSource={s.rows}
          columns={[
            { title: '编码', dataIndex: 'code', width: 170, render: link },
            { title: '事项名称', dataIndex: 'name' },
            { title: s.title, key: 'what', render: (_, x) => s.cell(x) },
          ]}
        />
      ))}
    </div>
  );
}
