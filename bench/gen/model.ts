/**
 * The generator's model of a province's government: which departments each level has, before and
 * after the 2018-19 institutional reform (机构改革), which of them hold which share of the catalogue, and
 * how a province's catalogue (通用目录) is spread over the levels. The figures are planning figures from
 * ../shared/docs/DOMAIN.md ("Scale") and the real Karamay lists; see docs/benchmarking.md.
 */
import { ItemType, Level } from '../../libs/domain/src';

/** P = province, C = city, X = county (district), as they appear in `levels`. */
export interface DepartmentKind {
  key: string;
  /** Name per level (without the region's name in front). */
  names: { province?: string; city?: string; county?: string };
  /** Share of the catalogue this kind of department holds (relative weight). */
  weight: number;
  /** 'pre': exists from the start; 'post': established by the reform; 'sp2017': 相对集中行政许可 (行政审批服务管理局). */
  era: 'pre' | 'post' | 'sp2017';
  /** At the reform: abolished with this successor, or renamed (per level). */
  reform?: { abolishInto: string } | { rename: { province?: string; city?: string; county?: string } };
  /** Renamed later (e.g. 扶贫办 → 乡村振兴局 in 2021). */
  laterRename?: { year: number; names: { province?: string; city?: string; county?: string } };
}

const pcx = (p: string, c: string, x: string) => ({ province: p, city: c, county: x });
const pc = (p: string, c: string) => ({ province: p, city: c });

export const KINDS: DepartmentKind[] = [
  { key: 'FGW', names: pcx('发展和改革委员会', '发展和改革委员会', '发展和改革局'), weight: 3, era: 'pre' },
  { key: 'JY', names: pcx('教育厅', '教育局', '教育局'), weight: 2, era: 'pre' },
  { key: 'KJ', names: pcx('科学技术厅', '科学技术局', '科学技术局'), weight: 1, era: 'pre' },
  { key: 'GX', names: pcx('经济和信息化委员会', '经济和信息化委员会', '经济和信息化局'), weight: 2, era: 'pre', reform: { rename: pcx('工业和信息化厅', '工业和信息化局', '工业和信息化局') } },
  { key: 'MZZJ', names: pc('民族宗教事务委员会', '民族宗教事务局'), weight: 0.5, era: 'pre' },
  { key: 'GA', names: pcx('公安厅', '公安局', '公安局'), weight: 5, era: 'pre' },
  { key: 'MZ', names: pcx('民政厅', '民政局', '民政局'), weight: 2, era: 'pre' },
  { key: 'SF', names: pcx('司法厅', '司法局', '司法局'), weight: 1.5, era: 'pre' },
  { key: 'CZ', names: pcx('财政厅', '财政局', '财政局'), weight: 1.5, era: 'pre' },
  { key: 'RS', names: pcx('人力资源和社会保障厅', '人力资源和社会保障局', '人力资源和社会保障局'), weight: 3, era: 'pre' },
  { key: 'GT', names: pcx('国土资源厅', '国土资源局', '国土资源局'), weight: 5, era: 'pre', reform: { abolishInto: 'ZRZY' } },
  { key: 'HB', names: pcx('环境保护厅', '环境保护局', '环境保护局'), weight: 7, era: 'pre', reform: { abolishInto: 'STHJ' } },
  { key: 'ZJ', names: pcx('住房和城乡建设厅', '住房和城乡建设局', '住房和城乡建设局'), weight: 6, era: 'pre' },
  { key: 'JT', names: pcx('交通运输厅', '交通运输局', '交通运输局'), weight: 5, era: 'pre' },
  { key: 'SL', names: pcx('水利厅', '水利局', '水利局'), weight: 4, era: 'pre' },
  { key: 'NY', names: pcx('农业厅', '农业委员会', '农业局'), weight: 7, era: 'pre', reform: { rename: pcx('农业农村厅', '农业农村局', '农业农村局') } },
  { key: 'SW', names: pcx('商务厅', '商务局', '商务局'), weight: 2, era: 'pre' },
  { key: 'WH', names: pcx('文化厅', '文化局', '文化局'), weight: 2.5, era: 'pre', reform: { abolishInto: 'WHLY' } },
  { key: 'LYW', names: pcx('旅游发展委员会', '旅游发展委员会', '旅游局'), weight: 1, era: 'pre', reform: { abolishInto: 'WHLY' } },
  { key: 'WJ', names: pcx('卫生和计划生育委员会', '卫生和计划生育委员会', '卫生和计划生育局'), weight: 5, era: 'pre', reform: { rename: pcx('卫生健康委员会', '卫生健康委员会', '卫生健康局') } },
  { key: 'SJ', names: pcx('审计厅', '审计局', '审计局'), weight: 0.5, era: 'pre' },
  { key: 'GZW', names: pc('人民政府国有资产监督管理委员会', '人民政府国有资产监督管理委员会'), weight: 0.5, era: 'pre' },
  { key: 'GS', names: pcx('工商行政管理局', '工商行政管理局', '工商行政管理局'), weight: 8, era: 'pre', reform: { abolishInto: 'SCJG' } },
  { key: 'ZJJ', names: pcx('质量技术监督局', '质量技术监督局', '质量技术监督局'), weight: 5, era: 'pre', reform: { abolishInto: 'SCJG' } },
  { key: 'SYJ', names: pcx('食品药品监督管理局', '食品药品监督管理局', '食品药品监督管理局'), weight: 6, era: 'pre', reform: { abolishInto: 'SCJG' } },
  { key: 'AJ', names: pcx('安全生产监督管理局', '安全生产监督管理局', '安全生产监督管理局'), weight: 4, era: 'pre', reform: { abolishInto: 'YJGL' } },
  { key: 'TJ', names: pcx('统计局', '统计局', '统计局'), weight: 0.5, era: 'pre' },
  { key: 'LC', names: pcx('林业厅', '林业局', '林业局'), weight: 3, era: 'pre', reform: { rename: pcx('林业和草原局', '林业局', '林业局') } },
  { key: 'TY', names: pcx('体育局', '体育局', '体育局'), weight: 0.7, era: 'pre' },
  { key: 'RF', names: pcx('人民防空办公室', '人民防空办公室', '人民防空办公室'), weight: 0.5, era: 'pre' },
  { key: 'WJJ', names: pc('物价局', '物价局'), weight: 1, era: 'pre', reform: { abolishInto: 'SCJG' } },
  { key: 'JGSW', names: pc('机关事务管理局', '机关事务管理局'), weight: 0.3, era: 'pre' },
  { key: 'GH', names: { city: '城乡规划局' }, weight: 1.5, era: 'pre', reform: { abolishInto: 'ZRZY' } },
  { key: 'CG', names: { city: '城市管理局', county: '城市管理和综合执法局' }, weight: 4, era: 'pre' },
  { key: 'XF', names: pcx('信访局', '信访局', '信访局'), weight: 0.2, era: 'pre' },
  { key: 'DA', names: pcx('档案局', '档案局', '档案局'), weight: 0.3, era: 'pre' },
  { key: 'MT', names: pcx('煤炭工业厅', '煤炭工业局', '煤炭工业局'), weight: 3, era: 'pre', reform: { rename: pcx('能源局', '能源局', '能源局') } },
  { key: 'DZ', names: pc('地震局', '防震减灾局'), weight: 0.3, era: 'pre' },
  { key: 'ZSCQ', names: pc('知识产权局', '知识产权局'), weight: 0.5, era: 'pre', reform: { abolishInto: 'SCJG' } },
  { key: 'WB', names: { province: '外事办公室' }, weight: 0.2, era: 'pre' },
  { key: 'FP', names: pcx('扶贫开发办公室', '扶贫开发办公室', '扶贫开发服务中心'), weight: 0.3, era: 'pre', laterRename: { year: 2021, names: pcx('乡村振兴局', '乡村振兴局', '乡村振兴局') } },
  { key: 'XW', names: pcx('新闻出版广电局', '文物局', '新闻出版广电局'), weight: 1, era: 'pre', reform: { abolishInto: 'WHLY' } },
  { key: 'LS', names: pc('粮食局', '粮食局'), weight: 0.5, era: 'pre' },
  { key: 'JR', names: pc('人民政府金融工作办公室', '人民政府金融工作办公室'), weight: 0.3, era: 'pre', reform: { rename: pc('地方金融监督管理局', '地方金融监督管理局') } },
  { key: 'JYGL', names: { province: '监狱管理局' }, weight: 0.2, era: 'pre' },
  { key: 'ZYY', names: { province: '中医药管理局' }, weight: 0.3, era: 'pre' },
  { key: 'QW', names: { province: '人民政府侨务办公室' }, weight: 0.1, era: 'pre' },
  { key: 'YC', names: { province: '人民政府研究室' }, weight: 0.05, era: 'pre' },
  { key: 'SP', names: { city: '行政审批服务管理局', county: '行政审批服务管理局' }, weight: 0, era: 'sp2017' },
  { key: 'SCJG', names: pcx('市场监督管理局', '市场监督管理局', '市场监督管理局'), weight: 0, era: 'post' },
  { key: 'ZRZY', names: pcx('自然资源厅', '自然资源局', '自然资源局'), weight: 0, era: 'post' },
  { key: 'STHJ', names: pcx('生态环境厅', '生态环境局', '生态环境局'), weight: 0, era: 'post' },
  { key: 'YJGL', names: pcx('应急管理厅', '应急管理局', '应急管理局'), weight: 0, era: 'post' },
  { key: 'WHLY', names: pcx('文化和旅游厅', '文化和旅游局', '文化和旅游局'), weight: 0, era: 'post' },
  { key: 'YB', names: pcx('医疗保障局', '医疗保障局', '医疗保障局'), weight: 0, era: 'post' },
  { key: 'TYJR', names: pcx('退役军人事务厅', '退役军人事务局', '退役军人事务局'), weight: 0, era: 'post' },
  { key: 'GD', names: { province: '广播电视局' }, weight: 0, era: 'post' },
  { key: 'YJ', names: { province: '药品监督管理局' }, weight: 0, era: 'post' },
];
export const KIND = new Map(KINDS.map((k) => [k.key, k]));

/** Items that move to a new department at the reform besides those of abolished ones (from, to, share of from's items). */
export const REFORM_MOVES: Array<{ from: string; to: string; share: number }> = [
  { from: 'RS', to: 'YB', share: 0.2 },
  { from: 'WJ', to: 'YB', share: 0.1 },
  { from: 'FGW', to: 'YB', share: 0.05 },
  { from: 'MZ', to: 'TYJR', share: 0.15 },
  { from: 'SL', to: 'ZRZY', share: 0.08 },
  { from: 'NY', to: 'ZRZY', share: 0.04 },
  { from: 'FGW', to: 'SCJG', share: 0.1 },
  { from: 'WJ', to: 'YJ', share: 0.15 },
];

/** A township's eight offices (乡镇"七站八所"整合后), with the share of township items each holds. */
export const TOWNSHIP_KINDS: Array<{ key: string; name: string; weight: number }> = [
  { key: 'DZB', name: '党政综合办公室', weight: 3 },
  { key: 'ZHZF', name: '综合行政执法队', weight: 35 },
  { key: 'JJFZ', name: '经济发展办公室', weight: 8 },
  { key: 'SHSW', name: '社会事务办公室', weight: 15 },
  { key: 'NYNC', name: '农业农村办公室', weight: 12 },
  { key: 'PAJS', name: '平安建设办公室', weight: 4 },
  { key: 'BMFW', name: '便民服务中心', weight: 15 },
  { key: 'YJB', name: '应急管理办公室', weight: 8 },
];

/** Type mix of the real Karamay lists (1,702 items of 14 lists, scripts/build-demo-data.ts --dump-all). */
export const TYPE_WEIGHTS: Array<[ItemType, number]> = [
  ['行政处罚', 1309],
  ['行政检查', 117],
  ['行政许可', 98],
  ['其他行政权力', 70],
  ['行政强制', 58],
  ['行政奖励', 21],
  ['行政确认', 19],
  ['行政征收', 5],
  ['行政裁决', 3],
  ['行政给付', 2],
];
export const TYPE_CODE: Record<ItemType, string> = {
  行政许可: 'XK',
  行政处罚: 'CF',
  行政强制: 'QZ',
  行政征收: 'ZS',
  行政给付: 'JF',
  行政检查: 'JC',
  行政确认: 'QR',
  行政奖励: 'JL',
  行政裁决: 'CJ',
  其他行政权力: 'QT',
  公共服务: 'GG',
};

/**
 * How the province's catalogue is spread over the levels (items per combination of levels), and the
 * chance that a region of a level carries an applicable item in its list. With these a province list
 * has ~3,000 items, a city ~3,100, a county ~2,600 (over ~33 departments), a township ~230 (over 8).
 */
export const CATALOGUE: Array<{ levels: Level[]; items: number }> = [
  { levels: ['province'], items: 1000 },
  { levels: ['province', 'city'], items: 300 },
  { levels: ['province', 'city', 'county'], items: 1700 },
  { levels: ['city', 'county'], items: 1100 },
  { levels: ['city'], items: 250 },
  { levels: ['county'], items: 150 },
  { levels: ['county', 'township'], items: 120 },
  { levels: ['township'], items: 230 },
];
export const CARRY: Record<Level, number> = { province: 1, city: 0.92, county: 0.85, township: 0.65 };

/** Per size: which regions, how much of the catalogue. */
export interface SizeSpec {
  name: string;
  /** 2-digit province codes and, optionally, the only cities kept (4-digit). */
  provinces: Array<{ code: string; cities?: string[] }>;
  /** Whether the province level keeps a list and departments (not for size S: one city). */
  provinceList: boolean;
  /** Scales the catalogue (1 = the figures above). */
  catalogueScale: number;
  /** Use the demo's Karamay regions instead of the shared data (tests). */
  demoRegions?: boolean;
}

export const SIZES: Record<string, SizeSpec> = {
  /** A tiny case for the identity test: Karamay (in the repo), 10% of the catalogue. */
  XS: { name: 'XS', provinces: [{ code: '65' }], provinceList: true, catalogueScale: 0.1, demoRegions: true },
  /** One city: 太原市 (10 counties, 102 townships) under 山西. */
  S: { name: 'S', provinces: [{ code: '14', cities: ['1401'] }], provinceList: false, catalogueScale: 1 },
  /** A whole province: 山西 (11 cities, 117 counties, 1,341 townships). */
  M: { name: 'M', provinces: [{ code: '14' }], provinceList: true, catalogueScale: 1 },
  /** Five northern provinces, about five times M: 山西, 河北, 内蒙古, 辽宁, 吉林. */
  L: { name: 'L', provinces: [{ code: '14' }, { code: '13' }, { code: '15' }, { code: '21' }, { code: '22' }], provinceList: true, catalogueScale: 1 },
};

export const PROVINCE_ABBR: Record<string, string> = { '13': '冀', '14': '晋', '15': '内蒙古', '21': '辽', '22': '吉', '61': '陕', '65': '新' };
