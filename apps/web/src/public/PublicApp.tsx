// 公示: the published lists, to anyone, without a token or sign-in. Everything shown comes from
// /api/public/… (published editions only: no draft, finding, actor or later record). Plain HTML
// controls and tables: light, printable, usable with the keyboard and a screen reader.
import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { PublicEdition, PublicEditions, PublicItem, PublicItemHistory, PublicList, PublicRegions } from '../../../../libs/contract/src';
import { ApiError, api, errorMessage } from '../lib/api';
import { LEVEL_ZH } from '../lib/labels';
import { todayChina } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { PublicRoute, absolute, follow, go, href, useRoute } from './route';

const SITE = '权责清单公示';
const PAGE_SIZE = 50;
/** Public answers, never with the tab's token (the public API needs none and must not see one). */
const get = <T,>(path: string, query: Record<string, string | undefined>, signal: AbortSignal) => api<T>(path, { query, token: '', signal });
const exportHref = (region: string, edition: string) => `/api/public/regions/${region}/editions/${encodeURIComponent(edition)}/export.xlsx`;

export function PublicApp() {
  const route = useRoute();
  return (
    <div className="pub">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>跳到正文</a>
      <header className="pub-top">
        <a className="pub-brand" href={href({})} onClick={(e) => follow(e, {})}>
          <span className="logo" aria-hidden="true">公</span>
          {SITE}
        </a>
        <span className="pub-note">依法公布的各级政府部门权力和责任清单</span>
      </header>
      <main id="main" tabIndex={-1}>
        {route.region && route.item ? <ItemPage route={route} /> : route.region ? <RegionPage route={route} /> : <HomePage />}
      </main>
      <footer className="pub-foot no-print">
        <span>本页只显示已公布的版本；清单以正式公布的文件为准。</span>
      </footer>
    </div>
  );
}

let firstTitle = true;

/** The page title: the document's title, and the focus target after navigation (announced by screen readers). */
function Title({ children, text }: { children: ReactNode; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${text} · ${SITE}`;
    // not on the first page load (the browser's own start); after every navigation inside the page
    if (!firstTitle) ref.current?.focus({ preventScroll: true });
    firstTitle = false;
  }, [text]);
  return (
    <h1 id="page-title" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

function Loading() {
  return <p role="status" className="pub-loading">载入中…</p>;
}

function Problem({ error }: { error: unknown }) {
  const text = error instanceof ApiError && error.code === 'NO_EDITION' ? `${error.message}。` : errorMessage(error);
  return (
    <div role="alert" className="pub-error">
      {text}
    </div>
  );
}

const docLine = (e: PublicEdition) => [e.document.number, e.document.title, e.document.issuedBy].filter(Boolean).join('，');

function HomePage() {
  const r = useLoad((s) => get<PublicRegions>('/api/public/regions', {}, s), []);
  return (
    <section aria-labelledby="page-title">
      <Title text={SITE}>{SITE}</Title>
      <p>按行政区划查看已公布的权责清单：现行版本与历史版本、按部门和权力类型浏览、搜索事项、打印或下载。</p>
      {r.error ? <Problem error={r.error} /> : !r.data ? <Loading /> : r.data.regions.length === 0 ? (
        <p>尚无已公布的权责清单。</p>
      ) : (
        <table className="pub-table regions">
          <caption>已公布清单的行政区划</caption>
          <thead>
            <tr>
              <th scope="col">行政区划</th>
              <th scope="col">层级</th>
              <th scope="col">最新版本</th>
              <th scope="col">公布日期</th>
              <th scope="col">事项数</th>
              <th scope="col">版本数</th>
            </tr>
          </thead>
          <tbody>
            {r.data.regions.map((x) => (
              <tr key={x.code}>
                <th scope="row">
                  <a href={href({ region: x.code })} onClick={(e) => follow(e, { region: x.code })}>
                    {x.name}
                  </a>{' '}
                  <span className="muted">（{x.code}）</span>
                </th>
                <td>{LEVEL_ZH[x.level] ?? x.level}</td>
                <td>{x.latest.title ?? x.latest.number}</td>
                <td>{x.latest.publishedOn}</td>
                <td>{x.latest.itemCount}</td>
                <td>{x.editions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** In force (现行): the latest published whose effective date has come; later ones are 待施行, earlier 历史. */
function editionStates(editions: PublicEdition[], today = todayChina()): Map<string, '现行' | '待施行' | '历史'> {
  const out = new Map<string, '现行' | '待施行' | '历史'>();
  let current: string | undefined;
  for (const e of editions) {
    if (e.effectiveFrom > today) out.set(e.number, '待施行');
    else if (!current) out.set((current = e.number), '现行');
    else out.set(e.number, '历史');
  }
  return out;
}

function RegionPage({ route }: { route: PublicRoute }) {
  const region = route.region!;
  const eds = useLoad((s) => get<PublicEditions>(`/api/public/regions/${region}/editions`, {}, s), [region]);
  const states = useMemo(() => editionStates(eds.data?.editions ?? []), [eds.data]);
  const shown = route.edition ?? [...states].find(([, s]) => s === '现行')?.[0] ?? eds.data?.editions[0]?.number;
  const list = useLoad(
    (s) => (eds.data && shown && eds.data.editions.some((e) => e.number === shown) ? get<PublicList>(`/api/public/regions/${region}/list`, { edition: shown, department: route.department, q: route.q }, s) : undefined),
    [eds.data, shown, route.department, route.q],
  );
  const regionName = eds.data?.regionName ?? list.data?.regionName ?? region;
  const title = shown ? `${regionName}权责清单（${shown}）` : `${regionName}权责清单`;
  if (eds.error) {
    return (
      <section aria-labelledby="page-title">
        <Title text="权责清单">权责清单</Title>
        <Problem error={eds.error} />
        <p>
          <a href={href({})} onClick={(e) => follow(e, {})}>返回公示首页</a>
        </p>
      </section>
    );
  }
  if (!eds.data) return <Loading />;
  if (!eds.data.editions.length) {
    return (
      <section aria-labelledby="page-title">
        <Title text={title}>{title}</Title>
        <p role="alert">{regionName}尚未公布权责清单。</p>
      </section>
    );
  }
  const edition = eds.data.editions.find((e) => e.number === shown);
  const base: PublicRoute = { region, edition: shown };
  return (
    <section aria-labelledby="page-title">
      <nav aria-label="位置" className="crumbs no-print">
        <a href={href({})} onClick={(e) => follow(e, {})}>公示首页</a> › <span>{regionName}</span>
      </nav>
      <Title text={title}>{title}</Title>
      {!edition ? (
        <p role="alert" className="pub-error">
          {regionName}没有版本“{shown}”。请在下方选择已公布的版本。
        </p>
      ) : (
        <EditionFacts edition={edition} state={states.get(edition.number)!} region={region} />
      )}
      <EditionTable editions={eds.data.editions} states={states} region={region} shown={shown} />
      {edition ? list.error ? <Problem error={list.error} /> : !list.data ? <Loading /> : <ListView list={list.data} busy={list.loading} route={{ ...route, ...base }} /> : null}
    </section>
  );
}

function EditionFacts({ edition, state, region }: { edition: PublicEdition; state: string; region: string }) {
  const permalink = absolute({ region, edition: edition.number });
  return (
    <div className="edition-facts">
      <dl>
        <div>
          <dt>版本</dt>
          <dd>
            {edition.title ?? edition.number} <span className={`state state-${state}`}>{state}</span>
          </dd>
        </div>
        <div>
          <dt>公布文号</dt>
          <dd>{docLine(edition)}</dd>
        </div>
        <div>
          <dt>公布日期</dt>
          <dd>{edition.publishedOn}</dd>
        </div>
        <div>
          <dt>施行日期</dt>
          <dd>{edition.effectiveFrom}</dd>
        </div>
        <div>
          <dt>事项数</dt>
          <dd>{edition.itemCount}</dd>
        </div>
        <div>
          <dt>本版永久链接</dt>
          <dd>
            <a href={permalink} className="permalink">
              {decodeURI(permalink)}
            </a>
          </dd>
        </div>
        <div>
          <dt>内容校验码（SHA-256）</dt>
          <dd className="hash">{edition.hash}</dd>
        </div>
      </dl>
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          打印本版
        </button>
        <a className="button" href={exportHref(region, edition.number)} download>
          下载本版 Excel（.xlsx）
        </a>
      </div>
    </div>
  );
}

function EditionTable({ editions, states, region, shown }: { editions: PublicEdition[]; states: Map<string, string>; region: string; shown?: string }) {
  return (
    <section aria-labelledby="editions-title" className="no-print">
      <h2 id="editions-title">现行版本与历史版本</h2>
      <table className="pub-table editions">
        <thead>
          <tr>
            <th scope="col">版本</th>
            <th scope="col">状态</th>
            <th scope="col">公布文号</th>
            <th scope="col">公布日期</th>
            <th scope="col">施行日期</th>
            <th scope="col">事项数</th>
            <th scope="col">下载</th>
          </tr>
        </thead>
        <tbody>
          {editions.map((e) => (
            <tr key={e.number} aria-current={e.number === shown ? 'true' : undefined}>
              <th scope="row">
                {e.number === shown ? (
                  <span>{e.number}（正在查看）</span>
                ) : (
                  <a href={href({ region, edition: e.number })} onClick={(ev) => follow(ev, { region, edition: e.number })}>
                    {e.number}
                  </a>
                )}
              </th>
              <td>{states.get(e.number)}</td>
              <td>{docLine(e)}</td>
              <td>{e.publishedOn}</td>
              <td>{e.effectiveFrom}</td>
              <td>{e.itemCount}</td>
              <td>
                <a href={exportHref(region, e.number)} download>
                  .xlsx<span className="sr-only">（{e.number}）</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const deptText = (i: PublicItem) => i.departments.map((d) => `${d.name}（${d.role}）`).join('、');

function ListView({ list, route, busy }: { list: PublicList; route: PublicRoute; busy: boolean }) {
  const [page, setPage] = useState(0);
  const [q, setQ] = useState(route.q ?? '');
  useEffect(() => setQ(route.q ?? ''), [route.q]);
  const types = Object.entries(list.byType).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const items = route.type ? list.items.filter((i) => i.type === route.type) : list.items;
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const at = Math.min(page, pages - 1);
  const filtered = route.department || route.type || route.q;
  const base: PublicRoute = { region: route.region, edition: route.edition };
  const set = (patch: Partial<PublicRoute>) => {
    setPage(0);
    go({ ...route, ...patch });
  };
  return (
    <section aria-labelledby="list-title" className="pub-list" aria-busy={busy}>
      <h2 id="list-title" className="no-print">清单事项</h2>
      <div className="pub-filters no-print">
        <form
          role="search"
          aria-label="搜索事项"
          onSubmit={(e) => {
            e.preventDefault();
            set({ q: q.trim() || undefined });
          }}
        >
          <label htmlFor="pub-q">搜索事项名称或编码</label>
          <input id="pub-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          <button type="submit">搜索</button>
        </form>
        <div className="field">
          <label htmlFor="pub-dept">实施部门</label>
          <select id="pub-dept" value={route.department ?? ''} onChange={(e) => set({ department: e.target.value || undefined })}>
            <option value="">全部部门</option>
            {list.departments.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name}（{d.count}）
              </option>
            ))}
            {route.department && !list.departments.some((d) => d.name === route.department) ? <option value={route.department}>{route.department}</option> : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pub-type">权力类型</label>
          <select id="pub-type" value={route.type ?? ''} onChange={(e) => set({ type: e.target.value || undefined })}>
            <option value="">全部类型</option>
            {types.map(([t, n]) => (
              <option key={t} value={t}>
                {t}（{n}）
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <a href={href(base)} onClick={(e) => { setQ(''); setPage(0); follow(e, base); }}>
            清除筛选
          </a>
        ) : null}
      </div>
      <div className="pub-groups no-print">
        <section aria-labelledby="by-dept">
          <h3 id="by-dept">按部门</h3>
          <ul>
            {list.departments.map((d) => (
              <li key={d.name}>
                <a href={href({ ...base, department: d.name })} aria-current={route.department === d.name ? 'true' : undefined} onClick={(e) => { setPage(0); follow(e, { ...base, department: d.name }); }}>
                  {d.name}
                </a>{' '}
                <span className="muted">{d.count} 项</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="by-type">
          <h3 id="by-type">按权力类型</h3>
          <ul>
            {types.map(([t, n]) => (
              <li key={t}>
                <a href={href({ ...base, type: t })} aria-current={route.type === t ? 'true' : undefined} onClick={(e) => { setPage(0); follow(e, { ...base, type: t }); }}>
                  {t}
                </a>{' '}
                <span className="muted">{n} 项</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <p role="status" className="pub-count">
        {filtered
          ? `共 ${list.total} 项，${[route.department && `部门“${route.department}”`, route.type && `类型“${route.type}”`, route.q && `含“${route.q}”`].filter(Boolean).join('、')}：${items.length} 项`
          : `共 ${list.total} 项`}
      </p>
      {items.length === 0 ? (
        <p>没有符合条件的事项。</p>
      ) : (
        <table className="pub-table items">
          <caption className="sr-only">{`${list.regionName}权责清单（${list.edition.number}）事项`}</caption>
          <thead>
            <tr>
              <th scope="col">序号</th>
              <th scope="col">事项编码</th>
              <th scope="col">事项名称</th>
              <th scope="col">权力类型</th>
              <th scope="col">实施部门</th>
              <th scope="col">设定依据</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i, n) => (
              // every row is in the page, those of other pages shown only in print: a printout is the whole edition
              <tr key={i.code} className={Math.floor(n / PAGE_SIZE) === at ? undefined : 'print-only'}>
                <td>{n + 1}</td>
                <td className="code">{i.code}</td>
                <th scope="row">
                  <a href={href({ region: route.region, item: i.code })} onClick={(e) => follow(e, { region: route.region, item: i.code })}>
                    {i.name}
                  </a>
                </th>
                <td>{i.type}</td>
                <td>{deptText(i)}</td>
                <td className="basis">{i.basis.join('；')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav aria-label="分页" className="pager no-print">
          <button type="button" disabled={at === 0} onClick={() => setPage(at - 1)}>
            上一页
          </button>
          <span aria-live="polite">
            第 {at + 1} / {pages} 页
          </span>
          <button type="button" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>
            下一页
          </button>
        </nav>
      ) : null}
    </section>
  );
}

function ItemPage({ route }: { route: PublicRoute }) {
  const region = route.region!;
  const item = route.item!;
  const h = useLoad((s) => get<PublicItemHistory>(`/api/public/items/${encodeURIComponent(item)}`, { region }, s), [region, item]);
  const latest = h.data?.editions.find((e) => e.item)?.item;
  const title = latest ? `${latest.name}（${item}）` : `事项 ${item}`;
  return (
    <section aria-labelledby="page-title">
      <nav aria-label="位置" className="crumbs no-print">
        <a href={href({})} onClick={(e) => follow(e, {})}>公示首页</a> ›{' '}
        <a href={href({ region })} onClick={(e) => follow(e, { region })}>
          {h.data?.regionName ?? region}
        </a>{' '}
        › <span>{item}</span>
      </nav>
      <Title text={title}>{title}</Title>
      {h.error ? <Problem error={h.error} /> : !h.data ? <Loading /> : (
        <>
          <p>
            {h.data.regionName}已公布的各版本中，本事项的权力类型、实施部门和设定依据。
          </p>
          <table className="pub-table item-editions">
            <caption className="sr-only">本事项在各版本中的内容</caption>
            <thead>
              <tr>
                <th scope="col">版本</th>
                <th scope="col">公布日期</th>
                <th scope="col">是否列入</th>
                <th scope="col">事项名称</th>
                <th scope="col">权力类型</th>
                <th scope="col">实施部门</th>
                <th scope="col">设定依据</th>
              </tr>
            </thead>
            <tbody>
              {h.data.editions.map(({ edition, item: it }) => (
                <tr key={edition.number}>
                  <th scope="row">
                    <a href={href({ region, edition: edition.number, q: item })} onClick={(e) => follow(e, { region, edition: edition.number, q: item })}>
                      {edition.number}
                    </a>
                  </th>
                  <td>{edition.publishedOn}</td>
                  <td>{it ? '列入' : '未列入'}</td>
                  <td>{it?.name ?? '—'}</td>
                  <td>{it?.type ?? '—'}</td>
                  <td>{it ? deptText(it) : '—'}</td>
                  <td className="basis">{it ? it.basis.join('；') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {latest ? <Wording item={latest} /> : null}
        </>
      )}
    </section>
  );
}

/** The published row's other columns (责任事项, 追责情形 …) of the latest edition that lists the item. */
function Wording({ item }: { item: PublicItem }) {
  const fields = (item.published as { fields?: Record<string, string> } | undefined)?.fields;
  if (!fields || !Object.keys(fields).length) return null;
  return (
    <section aria-labelledby="wording-title">
      <h2 id="wording-title">公布的其他内容</h2>
      <dl className="wording">
        {Object.entries(fields).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
