import type { PageProps } from '../../lib/pages';

export default function EditPage(_props: PageProps) {
  return <p className="muted">（建设中）</p>;
}
