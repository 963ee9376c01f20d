/**
 * The Chinese names of the codes the API speaks: ownership statuses, roles, levels and event types.
 * One table for the server's Chinese pages (the dispute report) and the web app.
 */
export const LEVEL_ZH: Record<string, string> = { province: '省级', city: '市级', county: '县级', township: '乡级' };
export const ROLE_ZH: Record<string, string> = { lead: '牵头', cooperating: '配合' };
/** 调整方案 statuses (ChangeSetStatus), as the web app, the CLI and reports show them. */
export const CHANGESET_STATUS_ZH: Record<string, string> = { draft: '草稿', submitted: '已提交待审', approved: '已审核通过', returned: '已退回', published: '已发布', withdrawn: '已撤回' };
export const STATUS_ZH: Record<string, string> = {
  owned: '有明确牵头部门',
  conflict: '职责交叉（多个牵头部门）',
  unowned: '无人负责（职责缺位）',
  'not-in-list': '不在本级清单中',
};
export const EVENT_ZH: Record<string, string> = {
  RegionRegistered: '登记区划',
  CatalogItemDefined: '列入目录',
  CatalogItemRevised: '修改目录要素',
  CatalogItemRetired: '从目录取消',
  DepartmentEstablished: '设立部门',
  DepartmentRenamed: '部门更名',
  DepartmentAbolished: '撤销部门',
  SandingIssued: '印发三定',
  ItemAssigned: '认领（列入本级清单）',
  ItemTransferred: '划转',
  ItemWithdrawn: '移出清单',
  ItemDelegated: '下放',
  ItemReceived: '承接下放',
  ItemRecalled: '上收',
  ItemReturned: '交回（被上收）',
  BoundaryClauseAgreed: '职责分工',
  EventRetracted: '撤回（更正）',
  FindingStatusChanged: '发现状态变更',
  ActualStaffingReported: '报告实有人员',
  EditionPublished: '发布清单版本',
  ListRowDuplicated: '清单重复行（未导入）',
};
/** A code's Chinese name, or the code itself when the table has none (never an empty cell). */
export const zh = (table: Record<string, string>, code: string | undefined): string => (code === undefined ? '' : (table[code] ?? code));
