// 录入 (editors): choose a command, fill its form, submit. Every change names its 文号 and effective date;
// nothing recorded is ever edited — a mistake is retracted (更正) and history keeps both.
import { Alert, Card, Form, Select, Typography } from 'antd';
import { hashLink } from '../../lib/route';
import { useRef, useState } from 'react';
import type { PageProps } from '../../lib/pages';
import { CommandForm } from './CommandForm';
import { COMMANDS, commandById } from './commands';
import './edit.css';

const GROUPS = [...new Set(COMMANDS.map((c) => c.group))].map((g) => ({
  label: g,
  title: g,
  options: COMMANDS.filter((c) => c.group === g).map((c) => ({ value: c.id, label: c.label })),
}));

export default function EditPage({ params, setParams }: PageProps) {
  const [cmd, setCmd] = useState(commandById(params.cmd)?.id ?? 'assign');
  // what the forms remember in the address (region, item, department…), carried to the next command
  const carried = useRef<Record<string, string | undefined>>(Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'cmd')));
  const def = commandById(cmd)!;
  const remember = (p: Record<string, string | undefined>) => {
    carried.current = { ...carried.current, ...p };
    setParams({ cmd, ...carried.current });
  };
  const choose = (id: string) => {
    setCmd(id);
    setParams({ cmd: id, ...carried.current });
  };
  return (
    <>
      <Card className="query-bar edit-chooser">
        <Typography.Paragraph className="lead">
          每一项变更都须注明授权文件的文号和生效日期。登记后不可修改，只能撤回（更正），历史完整保留。
        </Typography.Paragraph>
        <Form layout="vertical" component="div">
          <Form.Item label="录入事项" htmlFor="edit-cmd" style={{ marginBottom: 0 }}>
            <Select id="edit-cmd" value={cmd} onChange={choose} options={GROUPS} showSearch={{ optionFilterProp: 'label' }} popupMatchSelectWidth={false} virtual={false} />
          </Form.Item>
        </Form>
      </Card>
      {params.changeSet ? (
        <Alert
          type="info"
          showIcon
          className="cs-banner"
          title={`正在向调整方案 ${params.changeSet} 添加命令：命令按方案中已有的命令检查，加入方案但不生效，发布后才登记。`}
          description={<a href={hashLink('change-sets', { id: params.changeSet })}>回到调整方案</a>}
        />
      ) : null}
      <CommandForm key={cmd} def={def} params={carried.current as Record<string, string>} remember={remember} changeSet={params.changeSet} />
    </>
  );
}
