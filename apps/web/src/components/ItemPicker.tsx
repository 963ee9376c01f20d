// The item picker: the catalogue searched by code or by part of the Chinese name (the server searches).
import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api';

export interface CatalogRow {
  code: string;
  name: string;
  type: string;
  retired?: boolean;
}

export interface ItemPickerProps {
  value?: string;
  onChange?(code: string, row?: CatalogRow): void;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
  style?: React.CSSProperties;
}

const label = (i: { name: string; code: string }) => `${i.name}（${i.code}）`;

export function ItemPicker({ value, onChange, id, placeholder = '输入事项编码或名称中的几个字', style, ...rest }: ItemPickerProps) {
  const [options, setOptions] = useState<CatalogRow[]>([]);
  const [known, setKnown] = useState<Record<string, CatalogRow>>({});
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    if (value && !known[value])
      api<CatalogRow>(`/api/catalog/items/${encodeURIComponent(value)}`).then(
        (r) => setKnown((k) => ({ ...k, [r.code]: r })),
        () => undefined,
      );
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps

  const search = (q: string) => {
    const mine = ++seq.current;
    if (!q.trim()) {
      setOptions([]);
      return;
    }
    setLoading(true);
    setTimeout(async () => {
      if (mine !== seq.current) return;
      try {
        const r = await api<{ items: CatalogRow[] }>('/api/catalog/items', { query: { q: q.trim(), limit: 20 } });
        if (mine === seq.current) setOptions(r.items);
      } catch {
        if (mine === seq.current) setOptions([]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 150);
  };

  const shown = [...options];
  if (value && known[value] && !shown.some((o) => o.code === value)) shown.unshift(known[value]);
  return (
    <Select
      id={id}
      aria-label={rest['aria-label']}
      style={{ minWidth: 320, ...style }}
      showSearch={{ filterOption: false, onSearch: search }}
      value={value || undefined}
      placeholder={placeholder}
      allowClear
      loading={loading}
      notFoundContent={loading ? '搜索中…' : '输入后搜索目录'}
      popupMatchSelectWidth={false}
      virtual={false}
      options={shown.map((i) => ({
        value: i.code,
        label: label(i),
        title: label(i),
        row: i,
      }))}
      optionRender={(o) => (
        <span>
          {o.label} <span className="muted">{(o.data as any).row.type}{(o.data as any).row.retired ? ' · 已取消' : ''}</span>
        </span>
      )}
      onChange={(code: string | undefined) => {
        const row = shown.find((o) => o.code === code);
        if (row) setKnown((k) => ({ ...k, [row.code]: row }));
        onChange?.(code ?? '', row);
      }}
    />
  );
}
