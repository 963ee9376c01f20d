// The list's own columns of a published row (承办机构, 责任事项, 追责情形 …) under their headers, line breaks
// kept as published: the 清单's expanded row and the 事项历史's assignment events.
import './published-columns.css';

export function PublishedColumns({ fields, label }: { fields?: Record<string, string>; label: string }) {
  const cells = Object.entries(fields ?? {}).filter(([, v]) => v.trim());
  if (!cells.length) return null;
  return (
    <dl className="published-columns" aria-label={label}>
      {cells.map(([header, text]) => (
        <div key={header} className="published-column">
          <dt>{header}</dt>
          <dd>{text}</dd>
        </div>
      ))}
    </dl>
  );
}
