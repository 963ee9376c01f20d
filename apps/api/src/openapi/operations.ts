import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = NonNullable<OpenAPIObject['components']>['schemas'] extends Record<string, infer S> | undefined ? S : never;

/** What the document says about one operation beyond what the controllers declare. */
export interface ApiOperationDoc {
  /** One line in Chinese. */
  summary: string;
  description?: string;
  /** The answer's schema: a name of contract.schemas.json / a DTO, or a schema. */
  answer?: string | Schema;
  answerDescription?: string;
  /** When the answer is not JSON. */
  contentType?: string;
  /** When the answer has several media types: each with its schema (a name or a schema); overrides answer/contentType. */
  answers?: Record<string, string | Schema>;
  /** The query's DTO when the handler takes the query untyped (validated by hand on a hot path). */
  query?: string;
  /** A command route that does not take `?changeSet=<id>` (default: every route answering a CommandResult does). */
  noChangeSet?: true;
  /** Error statuses beyond the ones derived from the route (params → 400, token → 401/403, path → 404, write → 409/413/503). */
  errors?: number[];
}

const CMD = 'CommandResult';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const file = { type: 'string', contentMediaType: 'application/octet-stream' } as Schema;
const obj = (required: string[], properties: Record<string, Schema>): Schema => ({ type: 'object', required, properties }) as Schema;
const str = { type: 'string' } as Schema;
const int = { type: 'integer' } as Schema;
const bool = { type: 'boolean' } as Schema;
const arr = (items: Schema): Schema => ({ type: 'array', items }) as Schema;
const nullable = (x: Schema): Schema => ({ oneOf: [x, { type: 'null' }] }) as Schema;
/** A page of a listing: `items`, `total`, `limit`, `offset` (and what the listing adds). */
const page = (item: Schema, extra: Record<string, Schema> = {}, required: string[] = []): Schema => obj(['items', 'total', 'limit', 'offset', ...required], { items: arr(item), total: int, limit: int, offset: int, ...extra });
const REGION = obj(['code', 'name', 'level', 'since', 'children', 'path'], {
  code: str, name: str, level: { type: 'string', enum: ['province', 'city', 'county', 'township'] } as Schema, parentCode: str, since: str, until: nullable(str),
  children: int, path: arr(obj(['code', 'name'], { code: str, name: str })),
});
const DOCUMENT = { $ref: '#/components/schemas/DocumentRef' } as Schema;

/** By operation id (`Controller.method`); test/openapi.e2e.spec.ts fails for a route missing here. */
export const API_OPERATIONS: Record<string, ApiOperationDoc> = {
  // 区划
  'RegionsController.register': { summary: '登记行政区划（省、市、县）', answer: CMD },
  'RegionsBrowseController.list': { summary: '列出区划（可按上级、层级筛选）', answer: page(REGION) },
  'RegionsBrowseController.get': { summary: '某区划的详情（名称、层级、上下级）', answer: REGION },
  'RegionsBrowseController.departments': {
    summary: '某区划在某日存续的部门',
    answer: page(obj(['id', 'name', 'regionCode', 'establishedOn', 'status', 'hasSanding'], { id: str, name: str, regionCode: str, establishedOn: str, status: { type: 'string', enum: ['active', 'abolished'] } as Schema, hasSanding: bool }), { region: str, at: str }, ['region', 'at']),
  },
  // 目录
  'CatalogController.define': { summary: '在权力事项目录中新增事项', answer: CMD },
  'CatalogController.revise': { summary: '修订目录事项（名称、类型、依据、层级）', answer: CMD },
  'CatalogController.retire': { summary: '废止目录事项', answer: CMD },
  'CatalogBrowseController.search': {
    summary: '检索目录事项（名称、编码、类型）',
    answer: page(obj(['code', 'name', 'type', 'levels', 'from', 'retired'], { code: str, name: str, type: str, levels: arr(str), from: str, retired: bool, inForce: bool }), { at: str }, ['at']),
  },
  'CatalogBrowseController.get': {
    summary: '某目录事项的详情与修订',
    answer: obj(['code', 'name', 'versions'], { code: str, name: str, versions: arr(obj(['code', 'name', 'type', 'basis', 'levels', 'from', 'retired', 'document'], { code: str, name: str, type: str, basis: arr(str), levels: arr(str), from: str, retired: bool, document: DOCUMENT })) }),
  },
  // 部门与三定
  'DepartmentsController.establish': { summary: '设立部门', answer: CMD },
  'DepartmentsController.rename': { summary: '部门更名', answer: CMD },
  'DepartmentsController.abolish': { summary: '撤销部门（其事项须先移交或一并处理）', answer: CMD },
  'DepartmentsController.get': { summary: '某部门的详情（名称沿革、所属区划）', answer: 'DepartmentView' },
  'DepartmentsController.sanding': { summary: '登记部门三定（职责、内设机构、编制）', answer: CMD },
  'DepartmentsController.staffingActual': { summary: '登记部门实有人员变动', answer: CMD },
  'StaffingController.region': { summary: '某区划某日的编制与实有人员（定编制）', answer: 'RegionStaffing' },
  'StaffingController.department': { summary: '某部门编制的历史', answer: 'StaffingHistory' },
  // 清单编辑
  'AssignmentsController.assign': { summary: '把事项列入清单并确定牵头或配合部门', answer: CMD },
  'AssignmentsController.transfer': { summary: '事项在部门之间划转', answer: CMD },
  'AssignmentsController.delegate': { summary: '事项下放至下级区划（一条命令，全部或全不）', answer: CMD },
  'AssignmentsController.recall': { summary: '从下级区划上收事项', answer: CMD },
  'AssignmentsController.withdraw': { summary: '事项从部门（或清单）中取消', answer: CMD },
  'BoundariesController.agree': { summary: '登记职责边界（分工）约定', answer: CMD },
  'EventsController.retract': { summary: '撤回一条录错的事件（另记一条撤回事件，原事件保留）', answer: CMD, description: '撤回他人事件：QUANZE_RETRACT_OTHERS_DAYS 天内 editor 可以，之后须 admin。' },
  'ImportsController.import': { summary: '导入 Excel/CSV 清单或编制表（整批全部或全不；可 dryRun 预览）', errors: [415], answer: { anyOf: [{ $ref: '#/components/schemas/ImportAnswer' }, { $ref: '#/components/schemas/ImportDryRunAnswer' }] } as Schema },
  // 查询
  'OwnershipController.get': { summary: '某事项在某日由谁负责（可按某时刻的登记情况回答）', answer: 'OwnershipAnswer', query: 'OwnershipQueryDto' },
  'ListsController.list': { summary: '某区划某日的权责清单（或某年版）', answer: 'RegionList' },
  'ListsController.export': { summary: '导出权责清单（CSV 或 xlsx，可按部门）', contentType: '*/*', answer: file, answerDescription: `text/csv 或 ${XLSX}` },
  'ListsController.diff': { summary: '清单在两日（或两年版）之间的变化', answer: 'ListDiff' },
  'HistoryController.get': { summary: '某事项的全部变动记录（含依据文件与录入人）', answer: 'ItemHistory' },
  'TimelineController.get': { summary: '某事项的时间线（图表用）', answer: 'ItemTimeline' },
  'VersionsController.get': { summary: '各流的当前版本（供 If-Match / expectedVersion 使用）', answer: obj(['stream', 'version'], { stream: str, version: nullable(int) }) },
  'ReportsController.get': { summary: '职责争议报告（JSON，或 format=html 的打印版）', answers: { 'application/json': 'DisputeReport', 'text/html': { type: 'string', description: 'format=html：可打印的报告页（自带样式，无外部资源）' } as Schema } },
  // 问题发现
  'OverlapsController.get': { summary: '职责交叉（同一事项多个牵头部门等）', answer: arr({ $ref: '#/components/schemas/Finding' } as Schema) },
  'GapsController.get': { summary: '职责缺位（目录要求而清单无人负责的事项）', answer: 'GapsAnswer' },
  'ConformanceController.get': { summary: '清单与目录的一致性（名称、依据、层级偏离）', answer: arr({ $ref: '#/components/schemas/Finding' } as Schema) },
  'FindingsController.list': { summary: '问题台账（交叉、缺位、偏离，按部门与状态）', answer: 'LedgerAnswer' },
  'FindingsController.export': { summary: '导出问题台账（CSV 或 xlsx，按部门分组）', contentType: '*/*', answer: file, answerDescription: `text/csv 或 ${XLSX}` },
  'FindingsController.progress': { summary: '问题计算的进度（大区划在后台计算）', answer: 'FindingsProgressAnswer' },
  'FindingsController.setStatus': { summary: '变更问题状态（待派发、核查中、已销号）', answer: CMD, noChangeSet: true },
  // 年版与公开
  'EditionsController.publish': { summary: '发布某区划的清单年版（冻结当时的内容与哈希）', answer: 'EditionPublication' },
  'EditionsController.list': { summary: '某区划已发布的年版', answer: 'RegionEditions' },
  'EditionsController.one': { summary: '某一年版的清单内容', answer: 'EditionList' },
  // 调整方案 (change sets): any command route also takes ?changeSet=<id> → 202 { changeSet, index, warnings, version }
  'ChangeSetsController.open': { summary: '新建调整方案（草稿）；此后在任一命令路由加 ?changeSet=<id> 把命令加入方案（202，答复见 ChangeSetAdded），不生效', answer: 'ChangeSetStep' },
  'ChangeSetsController.list': { summary: '某区划的调整方案（可按状态筛选）', answer: 'ChangeSetsAnswer' },
  'ChangeSetsController.one': { summary: '某调整方案：命令、状态与审核经过', answer: 'ChangeSetView' },
  'ChangeSetsController.drop': { summary: '从草稿或已退回的方案中删除一条命令', answer: 'ChangeSetStep' },
  'ChangeSetsController.preview': { summary: '预览：方案发布后的清单变化与将新增、消除的发现', answer: 'ChangeSetPreviewAnswer' },
  'ChangeSetsController.submit': { summary: '提交审核（草稿或已退回 → 已提交）', answer: 'ChangeSetStep' },
  'ChangeSetsController.review': { summary: '审核：通过，或写明理由退回', answer: 'ChangeSetStep' },
  'ChangeSetsController.withdraw': { summary: '撤回调整方案（发布前任一状态）', answer: 'ChangeSetStep' },
  'ChangeSetsController.publish': { summary: '发布调整方案：全部命令一次登记（或因已过期全部不登记，CHANGESET_STALE），可同时发布年版', answer: 'ChangeSetPublication' },
  'PublicController.regions': { summary: '公开：已发布清单的区划及其最新年版', answer: 'PublicRegions' },
  'PublicController.regionEditions': { summary: '公开：某区划已发布的年版', answer: 'PublicEditions' },
  'PublicController.list': { summary: '公开：某区划现行（已发布）清单', answer: 'PublicList' },
  'PublicController.item': { summary: '公开：某事项在某区划各年版中的内容', answer: 'PublicItemHistory' },
  'PublicController.export': { summary: '公开：下载某一年版的清单（xlsx，只含公布的内容）', contentType: XLSX, answer: file },
  // 运行
  'HealthController.get': {
    summary: '健康检查：事件库与读模型是否就绪',
    answer: obj(['status', 'store', 'projections'], {
      status: { type: 'string', enum: ['ok', 'catching-up'] } as Schema,
      store: obj(['kind', 'headPosition', 'events'], { kind: str, headPosition: int, events: int }),
      projections: { type: 'array', items: obj(['name', 'checkpoint', 'head', 'lag', 'live'], { name: str, checkpoint: int, head: int, lag: int, live: { type: 'boolean' } as Schema }) } as Schema,
    }),
  },
  'SessionController.get': { summary: '当前令牌的用户名与角色', answer: obj(['name', 'role'], { name: str, role: { $ref: '#/components/schemas/Role' } as Schema }) },
  'MetricsController.get': { summary: 'Prometheus 指标（文本格式）', contentType: 'text/plain', answer: str },
};
