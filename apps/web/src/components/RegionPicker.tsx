// The region picker: Ant Design's TreeSelect over the four-level tree (省 → 市 → 县 → 乡, children loaded
// as a level opens), with search by name or code across all levels (the server searches).
import { TreeSelect } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../lib/api';
import { LEVEL_ZH } from '../lib/labels';

export interface RegionRow {
  code: string;
  name: string;
  level: string;
  parentCode?: string;
  children: number;
  path?: Array<{ code: string; name: string }>;
}

interface Node {
  id: string;
  pId?: string;
  value: string;
  title: string;
  isLeaf: boolean;
  row: RegionRow;
}

export const regionLabel = (r: { name: string; code: string }) => `${r.name}（${r.code}）`;
const regionDetail = (r: RegionRow) => [LEVEL_ZH[r.level], r.path?.map((p) => p.name).join(' / ')].filter(Boolean).join(' · ');
const toNode = (r: RegionRow): Node => ({ id: r.code, pId: r.parentCode, value: r.code, title: regionLabel(r), isLeaf: !r.children, row: r });

const cache = new Map<string, Promise<RegionRow | null>>();
export function fetchRegion(code: string): Promise<RegionRow | null> {
  if (!cache.has(code)) cache.set(code, api<RegionRow>(`/api/regions/${encodeURIComponent(code)}`).catch(() => null));
  return cache.get(code)!;
}

export interface RegionPickerProps {
  value?: string;
  onChange?(code: string, row?: RegionRow): void;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
}

export function RegionPicker({ value, onChange, id, placeholder = '输入名称或区划代码，如 克拉玛依 / 650200；或展开区划树', allowClear = true, style, ...rest }: RegionPickerProps) {
  const [nodes, setNodes] = useState<Map<string, Node>>(new Map());
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Node[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [expanded, setExpanded] = useState<string[]>([]);
  const seq = useRef(0);

  const add = (rows: RegionRow[]) =>
    setNodes((prev) => {
      const next = new Map(prev);
      for (const r of rows) next.set(r.code, toNode(r));
      return next;
    });

  useEffect(() => {
    api<{ items: RegionRow[] }>('/api/regions', { query: { limit: 200 } }).then((r) => add(r.items), () => undefined);
  }, []);
  // a value given from outside (the address): show its name
  useEffect(() => {
    if (value && !nodes.has(value)) fetchRegion(value).then((r) => r && add([r]));
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps

  // the chosen region in its place in the tree, its ancestors open: the dropdown scrolls to it on opening
  // (a node under a closed parent is not in the list, and Ant Design's scroll to it never ends)
  useEffect(() => {
    const chain: string[] = [];
    for (let p = value ? nodes.get(value)?.pId : undefined; p && nodes.has(p); p = nodes.get(p)?.pId) chain.push(p);
    if (chain.some((k) => !expanded.includes(k))) setExpanded((e) => [...new Set([...e, ...chain])]);
  }, [value, nodes]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const q = search.trim();
    if (!q) {
      setFound(null);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    const t = setTimeout(async () => {
      try {
        const r = await api<{ items: RegionRow[] }>('/api/regions', { query: { q, limit: 30 } });
        if (mine === seq.current) setFound(r.items.map((x) => ({ ...toNode(x), pId: undefined, isLeaf: true, title: `${regionLabel(x)} ${regionDetail(x)}` })));
      } catch {
        if (mine === seq.current) setFound([]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 150);
    return () => clearTimeout(t);
  }, [search]);

  const treeData = useMemo(() => {
    if (found) return found;
    // a node whose parent is not loaded yet shows at the top until the parent is opened
    return [...nodes.values()].map((n) => (n.pId && !nodes.has(n.pId) ? { ...n, pId: undefined } : n));
  }, [nodes, found]);

  const loadData = async (node: any) => {
    const code = node.value as string;
    const rows: RegionRow[] = [];
    for (let offset = 0; ; offset += 200) {
      const r = await api<{ items: RegionRow[]; total: number }>('/api/regions', { query: { parent: code, limit: 200, offset } });
      rows.push(...r.items);
      if (!r.items.length || rows.length >= r.total) break;
    }
    add(rows);
  };

  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      style={{ minWidth: 280, ...style }}
      value={value || undefined}
      treeDataSimpleMode
      virtual={false}
      treeData={treeData}
      loadData={found ? undefined : loadData}
      treeExpandedKeys={expanded}
      onTreeExpand={(keys) => setExpanded(keys as string[])}
      showSearch={{ searchValue: search, onSearch: setSearch, filterTreeNode: false }}
      treeNodeLabelProp="title"
      notFoundContent={loading ? '搜索中…' : search ? '没有匹配的区划' : '载入中…'}
      placeholder={placeholder}
      allowClear={allowClear}
      popupMatchSelectWidth={false}
      onChange={(code: string | undefined) => {
        setSearch('');
        const n = code ? nodes.get(code) ?? found?.find((f) => f.value === code) : undefined;
        if (n && !nodes.has(n.value)) add([n.row]);
        onChange?.(code ?? '', n?.row);
      }}
    />
  );
}
