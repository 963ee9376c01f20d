// Chinese names for the codes the API speaks.
import { ROLE_RANK, type Role, LEVEL_ZH, ROLE_ZH, STATUS_ZH, EVENT_ZH } from '../../../../libs/contract/src';
export { LEVEL_ZH, ROLE_ZH, STATUS_ZH, EVENT_ZH };
export type { Role };
export const RANK = ROLE_RANK;
export const USER_ROLE_ZH: Record<Role, string> = { reader: '只读用户', reviewer: '审查人员', editor: '录入人员', admin: '管理员' };
export const LEVELS = ['province', 'city', 'county', 'township'] as const;
export const STATUS_SHORT: Record<string, string> = { owned: '明确', conflict: '交叉', unowned: '缺位', 'not-in-list': '不在清单' };
/** AntD Tag/Badge colours per ownership status. */
export const STATUS_COLOR: Record<string, string> = { owned: 'green', conflict: 'red', unowned: 'orange', 'not-in-list': 'default' };
export const DEPT_STATUS_ZH: Record<string, string> = { active: '存续', abolished: '已撤销', 'not-yet-established': '尚未设立' };
export const ITEM_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '行政裁决', '其他行政权力', '公共服务'];
/** The catalogue fields a list item's revision or a 四级四同 deviation names. */
export const FIELD_ZH: Record<string, string> = { name: '名称', type: '类型', basis: '设定依据', code: '编码', levels: '适用层级' };
/** A field's value as text: lists joined with ；, nothing as —. */
export const fmtVal = (v: unknown): string => (Array.isArray(v) ? v.flat().join('；') : v === undefined || v === null || v === '' ? '—' : String(v));
