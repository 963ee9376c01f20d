// Chinese names for the codes the API speaks.
import { ROLE_RANK, type Role } from '../../../../libs/contract/src';
export type { Role };
export const RANK = ROLE_RANK;
export const USER_ROLE_ZH: Record<Role, string> = { reader: '只读用户', reviewer: '审查人员', editor: '录入人员', admin: '管理员' };
export const LEVEL_ZH: Record<string, string> = { province: '省级', city: '市级', county: '县级', township: '乡级' };
export const LEVELS = ['province', 'city', 'county', 'township'] as const;
export const ROLE_ZH: Record<string, string> = { lead: '牵头', cooperating: '配合' };
export const STATUS_ZH: Record<string, string> = {
  owned: '有明确牵头部门',
  conflict: '职责交叉（多个牵头部门）',
  unowned: '无人负责（职责缺位）',
  'not-in-list': '不在本级清单中',
};
export const STATUS_SHORT: Record<string, string> = { owned: '明确', conflict: '交叉', unowned: '缺位', 'not-in-list': '不在清单' };
/** AntD Tag/Badge colours per ownership status. */
export const STATUS_COLOR: Record<string, string> = { owned: 'green', conflict: 'red', unowned: 'orange', 'not-in-list': 'default' };
export const DEPT_STATUS_ZH: Record<string, string> = { active: '存续', abolished: '已撤销', 'not-yet-established': '尚未设立' };
export const ITEM_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '行政裁决', '其他行政权力', '公共服务'];
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
};
