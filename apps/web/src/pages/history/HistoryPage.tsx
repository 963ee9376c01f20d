import type { PageProps } from '../../lib/pages';

export default function HistoryPage(_props: PageProps) {
  return <p className="muted">（建设中）</p>;
}
