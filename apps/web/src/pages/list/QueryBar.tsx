// The region + date (+ "as known at") form that 清单 and 发现 open with, and the answer's place below it.
import { Button, Card, Form } from 'antd';
import { AsKnownAtField, DateAtField, RegionField } from '../../components/QueryFields';
import './query-bar.css';

export interface RegionDate {
  region: string;
  at: string;
  asKnownAt: string;
}

export function QueryBar({ lead, atHint, submit, initial, onSubmit }: { lead: string; atHint: string; submit: string; initial: RegionDate; onSubmit(q: RegionDate): void }) {
  const [form] = Form.useForm<RegionDate>();
  return (
    <Card className="query-bar">
      <p className="lead">{lead}</p>
      <Form
        form={form}
        layout="vertical"
        className="query"
        initialValues={initial}
        onFinish={(v) => onSubmit({ region: v.region ?? '', at: v.at ?? '', asKnownAt: v.asKnownAt ?? '' })}
      >
        <div className="form-grid">
          <RegionField extra="可搜索名称或代码，也可展开区划树" />
          <DateAtField label="日期" extra={atHint} />
          <AsKnownAtField extra="北京时间。留空＝按现有记录（含所有更正）" />
        </div>
        <Button type="primary" htmlType="submit">
          {submit}
        </Button>
      </Form>
    </Card>
  );
}
