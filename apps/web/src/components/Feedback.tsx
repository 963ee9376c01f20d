// How pages show errors and answers: one place for the wording.
import { Alert } from 'antd';
import { ApiError, errorMessage } from '../lib/api';

/** An API error as people read it: 功能尚未启用 for a route this server lacks, 无权限 for a 403, else the message. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const notEnabled = error instanceof ApiError && error.notEnabled;
  return (
    <Alert
      type={notEnabled ? 'info' : 'error'}
      showIcon
      className={notEnabled ? 'notice-info' : 'notice-error'}
      role="alert"
      title={title ?? (notEnabled ? '功能尚未启用' : undefined)}
      description={errorMessage(error)}
    />
  );
}

export function docText(doc?: { number: string; title?: string; issuedBy?: string; issuedOn?: string } | null): string {
  if (!doc) return '';
  const extra = [doc.title, doc.issuedBy, doc.issuedOn].filter(Boolean).join('，');
  return extra ? `${doc.number}（${extra}）` : doc.number;
}
