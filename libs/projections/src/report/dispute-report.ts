import { Change, DocumentRef, NotFoundError, catalogVersionOn, departmentNameOn, entryOn, sandingOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { OwnershipAnswer, ownership } from '../ownership/ownership.query';
import { EditionsProjection } from '../editions/editions.projection';
import { EditionSummary, publishedOwnership } from '../editions/editions.query';
import { EVENT_ZH, LEVEL_ZH, ROLE_ZH, STATUS_ZH, zh } from '../../../contract/src';
import type { DisputeReport, EvolutionStep, LabelledAnswer, PublishedAnswer } from '../../../contract/src';
import { Fact } from '../projection';
import type { EventStore } from '../../../event-store/src';

/** The end of a calendar day in China time, as a UTC instant: "what the registry said on that day". */
export const endOfDayChina = (date: string) => new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();

/** The report's shape is the contract's (libs/contract/src/report.ts): one declaration. */
export type { DisputeReport, EvolutionStep, LabelledAnswer, LabelledOwner, PublishedAnswer } from '../../../contract/src';

const NO_RECORD = '当时尚无登记';
const NO_EDITION = '当日尚无已公布的清单版本';
const label = (a: OwnershipAnswer) => `${a.status}:${a.owners.map((o) => `${o.departmentId}/${o.role}`).join(',')}`;
const statusLabelOf = (a: Pick<OwnershipAnswer, 'status' | 'recorded'>) => (a.recorded === false ? NO_RECORD : zh(STATUS_ZH, a.status));
const labelled = (a: OwnershipAnswer): LabelledAnswer => ({ ...a, statusLabel: statusLabelOf(a), owners: a.owners.map((o) => ({ ...o, roleLabel: zh(ROLE_ZH, o.role) })) });
const ENTRY_TYPES = new Set(['ItemAssigned', 'ItemTransferred', 'ItemWithdrawn', 'ItemDelegated', 'ItemReceived', 'ItemRecalled', 'ItemReturned']);

/**
 * Which steps are the item's original record in the region: its catalogue definition, the first entry
 * of the list, and what came with that entry (recorded at the same instant, or under the same document
 * with the same effective date — the other rows of the same published list). Retractions never are.
 */
function originalSteps(steps: Array<Pick<EvolutionStep, 'type' | 'recordedAt' | 'effectiveFrom' | 'document' | 'eventId'>>, correlations?: ReadonlyMap<string, string>): boolean[] {
  const firstEntry = steps.find((s) => ENTRY_TYPES.has(s.type));
  // the run that recorded the first entry (an import, a back-fill script, a change set's publication): its
  // correlation id, when the caller read them from the store (buildDisputeReport does)
  const run = firstEntry ? correlations?.get(firstEntry.eventId) : undefined;
  let defined = false;
  return steps.map((s) => {
    if (s.type === 'CatalogItemDefined' && !defined) return (defined = true);
    if (!firstEntry || !ENTRY_TYPES.has(s.type)) return false;
    return (
      s === firstEntry ||
      s.recordedAt === firstEntry.recordedAt ||
      (!!s.document && s.document.number === firstEntry.document?.number && s.effectiveFrom === firstEntry.effectiveFrom) ||
      // later history back-filled in the same run, each step under its own document: still the original record
      (run !== undefined && correlations?.get(s.eventId) === run)
    );
  });
}

/** Every fact that can change the answer for an item in a region: its list entry, its catalogue item, and their retractions. */
function answerFacts(view: RegistryProjection, q: { region: string; item: string }): Fact[] {
  const entryFacts = view.recordedEntryFacts(q.region, q.item);
  const catalogFacts = view.recordedCatalogFacts(q.item);
  const retractionFacts = [...entryFacts, ...catalogFacts].map((f) => view.retractionOf(f.eventId)?.retraction).filter((f): f is Fact => f !== undefined);
  return [...entryFacts, ...catalogFacts, ...retractionFacts].sort((a, b) => a.position - b.position);
}

/**
 * The dispute report as the API and the CLI give it: with the store's chain head, and with the correlation
 * id of each event the answer rests on, read from the store (the read model does not keep them), so that
 * later history back-filled in the same run as the list is told apart from a correction.
 */
export async function buildDisputeReport(
  view: RegistryProjection,
  store: Pick<EventStore, 'readEvent' | 'chainHead'>,
  q: { region: string; item: string; at: string; asKnownAt?: string },
  ctx: { now: string; editions: EditionsProjection },
): Promise<DisputeReport> {
  const chainHead = store.chainHead ? await store.chainHead() : undefined;
  const correlations = new Map<string, string>();
  let facts: Fact[] = [];
  try {
    facts = answerFacts(view, q);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  for (const f of facts) {
    const stored = await store.readEvent(f.eventId);
    const id = (stored?.metadata as { correlationId?: unknown } | undefined)?.correlationId;
    if (typeof id === 'string') correlations.set(f.eventId, id);
  }
  return disputeReport(view, q, { ...ctx, chainHead, correlations });
}

/**
 * The evidence for who was responsible on a date, three ways: as published then (the edition in force
 * on the day, with its 文号 and dates), as recorded then (as known at `asKnownAt`, default the end of
 * the day in China time) and as known now; how the answer evolved record by record, the item's version,
 * the 三定 duties and boundary clauses it rests on, every document, and the later corrections — only
 * what, recorded after the as-recorded instant, changed the answer for that day.
 */
export function disputeReport(
  view: RegistryProjection,
  q: { region: string; item: string; at: string; asKnownAt?: string },
  ctx: { now: string; chainHead?: { position: number; hash: string }; editions: EditionsProjection; correlations?: ReadonlyMap<string, string> },
): DisputeReport {
  const now = ownership(view, { region: q.region, item: q.item, at: q.at });
  const asKnownAt = q.asKnownAt ?? endOfDayChina(q.at);
  let then: OwnershipAnswer;
  try {
    then = ownership(view, { region: q.region, item: q.item, at: q.at, asKnownAt });
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    then = { ...now, asKnownAt, status: 'not-in-list', owners: [], recorded: false };
  }
  const published = publishedOwnership(view, ctx.editions, { region: q.region, item: q.item, at: q.at });
  const asPublishedThen: PublishedAnswer = { ...labelled(published), edition: published.edition, ...(published.edition ? {} : { statusLabel: NO_EDITION }) };
  const version = catalogVersionOn(view.catalogItem(q.item), q.at) ?? null;

  const facts = answerFacts(view, q);
  let previous = '';
  const steps = facts.map((f) => {
    let a: OwnershipAnswer | undefined;
    try {
      a = ownership(view, { region: q.region, item: q.item, at: q.at, asKnownAt: f.recordedAt });
    } catch {
      a = undefined;
    }
    const l = a ? label(a) : 'unknown';
    const d = f.event.data as unknown as Partial<Change> & { eventId?: string };
    const step = {
      recordedAt: f.recordedAt,
      eventId: f.eventId,
      type: f.event.type,
      typeLabel: zh(EVENT_ZH, f.event.type),
      ...(d.effectiveFrom ? { effectiveFrom: d.effectiveFrom } : {}),
      ...(d.document ? { document: d.document } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
      ...(f.actor ? { actor: f.actor } : {}),
      ...(f.event.type === 'EventRetracted' ? { retracts: d.eventId } : {}),
      status: a?.status ?? 'unknown',
      statusLabel: a ? statusLabelOf(a) : NO_RECORD,
      owners: a ? a.owners.map((o) => `${o.departmentName}（${zh(ROLE_ZH, o.role)}）`) : [],
      changedTheAnswer: l !== previous,
    };
    previous = l;
    return step;
  });
  const original = originalSteps(steps, ctx.correlations);
  // The original record stands apart from corrections only when it was itself recorded after the instant asked about (back-filled).
  const firstEntry = steps.find((s) => ENTRY_TYPES.has(s.type));
  const backFilled = then.recorded === false || (!!firstEntry && firstEntry.recordedAt > asKnownAt);
  const evolution: EvolutionStep[] = steps.map((s, i) => ({
    ...s,
    original: original[i],
    correction: s.recordedAt > asKnownAt && s.changedTheAnswer && !(original[i] && (s.type === 'CatalogItemDefined' || backFilled)),
  }));

  const holdings = entryOn(view.assignmentFacts(q.region, q.item), q.at).holdings;
  const duties: DisputeReport['duties'] = [];
  for (const h of holdings) {
    const d = view.department(h.departmentId);
    const s = d ? sandingOn(d, q.at) : undefined;
    if (!d || !s) continue;
    const wanted = new Set(h.dutyIds ?? []);
    const all = [...s.duties.map((x) => ({ ...x, organ: undefined as string | undefined })), ...s.internalOrgans.flatMap((o) => o.duties.map((x) => ({ ...x, organ: o.name })))];
    const cited = all.filter((x) => wanted.has(x.id));
    for (const duty of cited.length ? cited : all) {
      duties.push({ departmentId: d.id, departmentName: departmentNameOn(d, q.at), dutyId: duty.id, text: duty.text, ...(duty.organ ? { organ: duty.organ } : {}), cited: cited.length > 0, sandingFrom: s.effectiveFrom, sandingDocument: s.document });
    }
  }
  const boundaryClauses = view
    .boundaryClauses(q.region)
    .filter((c) => c.effectiveFrom <= q.at && (c.itemCodes?.includes(q.item) || (version && !c.itemCodes?.length && c.matter.includes(version.name))))
    .map((c) => ({ clauseId: c.clauseId, matter: c.matter, leadDepartmentId: c.leadDepartmentId, assistingDepartmentIds: c.assistingDepartmentIds, effectiveFrom: c.effectiveFrom, document: c.document, recordedAt: c.recordedAt }));

  const docs = new Map<string, DocumentRef & { citedFor: string[] }>();
  const cite = (doc: DocumentRef | undefined, why: string) => {
    if (!doc) return;
    const e = docs.get(doc.number) ?? { ...doc, citedFor: [] };
    if (!e.citedFor.includes(why)) e.citedFor.push(why);
    docs.set(doc.number, e);
  };
  if (published.edition) cite(published.edition.document, `清单版本 ${published.edition.number}（${published.edition.publishedOn} 公布，自 ${published.edition.effectiveFrom} 施行）`);
  for (const s of evolution) cite(s.document, `${s.typeLabel}${s.effectiveFrom ? ` 自 ${s.effectiveFrom}` : ''}`);
  for (const d of duties) cite(d.sandingDocument, `三定（${d.departmentName}，自 ${d.sandingFrom}）`);
  for (const c of boundaryClauses) cite(c.document, `职责分工：${c.matter}`);

  const usedTypes = [...new Set(evolution.map((s) => s.type))];
  return {
    title: '职责争议证据报告',
    question: { region: q.region, regionName: now.regionName, item: q.item, itemName: version?.name ?? now.itemName, at: q.at, asKnownAt },
    generatedAt: ctx.now,
    chainHead: ctx.chainHead ?? null,
    itemVersion: version ? { code: version.code, name: version.name, type: version.type, basis: version.basis, levels: version.levels, levelLabels: version.levels.map((l) => zh(LEVEL_ZH, l)), from: version.from, retired: version.retired, document: version.document } : null,
    asPublishedThen,
    asRecordedOnTheDay: labelled(then),
    asKnownNow: labelled(now),
    answersDiffer: label(then) !== label(now),
    publishedDiffers: published.edition ? label(published) !== label(now) : null,
    backFilled,
    evolution,
    duties,
    boundaryClauses,
    documents: [...docs.values()],
    corrections: evolution.filter((s) => s.correction),
    labels: { statuses: { ...STATUS_ZH }, roles: { ...ROLE_ZH }, levels: { ...LEVEL_ZH }, eventTypes: Object.fromEntries(usedTypes.map((t) => [t, zh(EVENT_ZH, t)])) },
  };
}

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const owners = (a: LabelledAnswer) =>
  a.owners.length ? a.owners.map((o) => `${esc(o.departmentName)}（${esc(o.roleLabel)}，自 ${esc(o.since)}，依据 ${esc(o.document.number)}）`).join('<br>') : '—';
/** An instant in China time, as a reviewer reads it: 2020-02-20 23:59:59（北京时间）. */
export const chinaTime = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
};
const editionText = (e: EditionSummary) =>
  `${esc(e.number)}${e.title ? `《${esc(e.title)}》` : ''}，${esc(e.document.number)}，${esc(e.publishedOn)} 公布，自 ${esc(e.effectiveFrom)} 施行`;

/** A page a reviewer can print and sign. Self-contained: no external fonts, scripts or styles. */
export function renderDisputeReportHtml(r: DisputeReport): string {
  const row = (cells: unknown[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(r.title)} · ${esc(r.question.itemName)} · ${esc(r.question.at)}</title>
<style>
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun","WenQuanYi Zen Hei",serif;margin:2cm;color:#111;line-height:1.6}
h1{font-size:20pt;text-align:center;margin-bottom:0}h2{font-size:13pt;border-bottom:1px solid #444;margin-top:1.6em}
.meta{text-align:center;color:#444;font-size:10pt}table{border-collapse:collapse;width:100%;font-size:10pt}
td,th{border:1px solid #888;padding:4px 6px;vertical-align:top;text-align:left}th{background:#eee}
.answer{font-size:12pt}.differ{color:#a00;font-weight:bold}.mono{font-family:monospace;font-size:9pt;word-break:break-all}
.sign{margin-top:3em;display:flex;justify-content:space-between}.sign div{width:30%;border-top:1px solid #000;padding-top:4px}
@media print{body{margin:1.5cm}a{color:#000;text-decoration:none}}
</style></head><body>
<h1>${esc(r.title)}</h1>
<p class="meta">${esc(r.question.regionName)}（${esc(r.question.region)}）· 事项 ${esc(r.question.itemName)}（${esc(r.question.item)}）· 争议日期 ${esc(r.question.at)}<br>
生成时间 ${esc(r.generatedAt)} · 证据链头 ${r.chainHead ? `位置 ${r.chainHead.position}，<span class="mono">${esc(r.chainHead.hash)}</span>` : '（该事件库不维护哈希链）'}</p>

<h2>一、结论</h2>
<table class="answer">
<tr><th style="width:25%">按当日公布的清单</th><td>${r.asPublishedThen.edition ? `${editionText(r.asPublishedThen.edition)}<br>${esc(r.asPublishedThen.statusLabel)}<br>${owners(r.asPublishedThen)}` : esc(r.asPublishedThen.statusLabel)}</td></tr>
<tr><th>按当日登记（截至 ${esc(chinaTime(r.question.asKnownAt))}）</th><td>${esc(r.asRecordedOnTheDay.statusLabel)}<br>${owners(r.asRecordedOnTheDay)}</td></tr>
<tr><th>按现有记录（含其后更正）</th><td>${esc(r.asKnownNow.statusLabel)}<br>${owners(r.asKnownNow)}</td></tr>
</table>
${r.backFilled ? `<p>说明：截至 ${esc(chinaTime(r.question.asKnownAt))}，登记簿中尚无该事项在本级清单中的原始登记（清单系其后补录），“按当日登记”一栏因此${r.answersDiffer ? '与现有记录不同' : '与现有记录相同'}；原始登记（列入目录、首次列入清单及同一文件同日登记的内容）不计为更正。</p>` : ''}
${r.corrections.length ? `<p class="differ">注意：${esc(chinaTime(r.question.asKnownAt))} 之后登记了 ${r.corrections.length} 项改变该日答案的更正，见第五部分。</p>` : r.answersDiffer && !r.backFilled ? '<p class="differ">注意：当日登记与现有记录不一致。</p>' : r.backFilled ? '' : '<p>当日登记与现有记录一致。</p>'}
${r.publishedDiffers ? '<p class="differ">注意：当日公布的清单版本与现有记录不一致（公布之后登记了改变该日答案的内容）。</p>' : r.publishedDiffers === false ? '<p>当日公布的清单版本与现有记录一致。</p>' : ''}

<h2>二、当日施行的事项版本</h2>
${r.itemVersion ? `<table><tr><th style="width:15%">名称</th><td>${esc(r.itemVersion.name)}</td></tr><tr><th>类型</th><td>${esc(r.itemVersion.type)}</td></tr><tr><th>依据</th><td>${r.itemVersion.basis.map(esc).join('<br>') || '—'}</td></tr><tr><th>行使层级</th><td>${esc(r.itemVersion.levelLabels.join('、'))}</td></tr><tr><th>版本</th><td>自 ${esc(r.itemVersion.from)}，依据 ${esc(r.itemVersion.document.number)}${r.itemVersion.retired ? '（已取消）' : ''}</td></tr></table>` : '<p>当日该事项尚未列入目录。</p>'}

<h2>三、所依据的三定职责与职责分工</h2>
${r.duties.length ? `${r.duties.some((d) => !d.cited) ? '<p>清单登记未指明所依据的职责条目，下列为负责部门当日施行的三定全部职责，供核对。</p>' : ''}<table><tr><th>部门</th><th>职责条目</th><th>三定版本</th></tr>${r.duties.map((d) => row([esc(d.departmentName), `${esc(d.dutyId)}${d.organ ? `（${esc(d.organ)}）` : ''}：${esc(d.text)}${d.cited ? '（清单引用）' : ''}`, `自 ${esc(d.sandingFrom)}，${esc(d.sandingDocument.number)}`])).join('')}</table>` : '<p>负责部门当日没有登记施行中的三定。</p>'}
${r.boundaryClauses.length ? `<table><tr><th>职责分工</th><th>牵头</th><th>配合</th><th>施行</th></tr>${r.boundaryClauses.map((c) => row([esc(c.matter), esc(c.leadDepartmentId), esc(c.assistingDepartmentIds.join('、')), `自 ${esc(c.effectiveFrom)}，${esc(c.document.number)}`])).join('')}</table>` : '<p>无涉及该事项的职责分工条款。</p>'}

<h2>四、登记经过（按登记先后）</h2>
<table><tr><th>登记时间</th><th>变更</th><th>生效日期</th><th>文号</th><th>登记人</th><th>性质</th><th>其后对争议日期的答案</th></tr>
${r.evolution.map((s) => row([esc(chinaTime(s.recordedAt)), `${esc(s.typeLabel)}${s.retracts ? `（撤回 <span class="mono">${esc(s.retracts)}</span>）` : ''}${s.reason ? `<br>${esc(s.reason)}` : ''}`, esc(s.effectiveFrom ?? '—'), esc(s.document?.number ?? '—'), esc(s.actor ?? '—'), s.correction ? '<b>更正</b>' : s.original ? '原始登记' : s.recordedAt > r.question.asKnownAt ? '其后登记（未改变该日答案）' : '当日已登记', `${s.changedTheAnswer ? '<b>' : ''}${esc(s.statusLabel)}${s.owners.length ? '：' + s.owners.map(esc).join('、') : ''}${s.changedTheAnswer ? '</b>' : ''}`])).join('')}
</table>

<h2>五、其后的更正</h2>
${r.corrections.length ? `<table><tr><th>登记时间</th><th>更正</th><th>生效日期</th><th>文号</th><th>登记人</th><th>更正后该日的答案</th></tr>${r.corrections.map((s) => row([esc(chinaTime(s.recordedAt)), esc(s.typeLabel) + (s.reason ? `：${esc(s.reason)}` : ''), esc(s.effectiveFrom ?? '—'), esc(s.document?.number ?? '—'), esc(s.actor ?? '—'), `${esc(s.statusLabel)}${s.owners.length ? '：' + s.owners.map(esc).join('、') : ''}`])).join('')}</table>` : `<p>${esc(chinaTime(r.question.asKnownAt))} 之后没有登记改变该日答案的更正。</p>`}

<h2>六、引用文件</h2>
<table><tr><th>文号</th><th>标题</th><th>发文机关</th><th>发文日期</th><th>用于</th></tr>
${r.documents.map((d) => row([esc(d.number), esc(d.title ?? ''), esc(d.issuedBy ?? ''), esc(d.issuedOn ?? ''), d.citedFor.map(esc).join('<br>')])).join('')}
</table>

<div class="sign"><div>审查人（签字）</div><div>复核人（签字）</div><div>日期</div></div>
</body></html>
`;
}
