/**
 * Item names and legal bases. Names are composed from each sector's matters and the wording real lists
 * use per type ("对…的处罚", "…许可", "对…的监督检查"); the legal-basis texts are cut from the real
 * Karamay items of libs/demo/src/demo-data.json, so an item's size in bytes is that of a real one
 * (real items: 1.44 references, ~363 characters of basis on average).
 */
import { ItemType } from '../../libs/domain/src';
import { readDemoData } from '../../libs/demo/src';
import { Rng } from './rng';

const LAWS: Record<string, string[]> = {
  FGW: ['价格法', '招标投标法', '节约能源法', '电力法'],
  JY: ['教育法', '民办教育促进法', '义务教育法'],
  KJ: ['科学技术进步法', '促进科技成果转化法'],
  GX: ['中小企业促进法', '无线电管理条例', '清洁生产促进法'],
  MZZJ: ['宗教事务条例'],
  GA: ['治安管理处罚法', '道路交通安全法', '消防法', '枪支管理法', '居民身份证法'],
  MZ: ['社会团体登记管理条例', '殡葬管理条例', '慈善法'],
  SF: ['律师法', '公证法', '人民调解法'],
  CZ: ['会计法', '政府采购法', '预算法'],
  RS: ['劳动法', '劳动合同法', '社会保险法', '就业促进法'],
  GT: ['土地管理法', '矿产资源法', '测绘法'],
  HB: ['环境保护法', '大气污染防治法', '水污染防治法', '固体废物污染环境防治法', '环境影响评价法'],
  ZJ: ['建筑法', '城乡规划法', '城市房地产管理法', '建设工程质量管理条例'],
  JT: ['公路法', '道路运输条例', '港口法'],
  SL: ['水法', '防洪法', '水土保持法'],
  NY: ['农产品质量安全法', '种子法', '动物防疫法', '农药管理条例', '土壤污染防治法'],
  SW: ['对外贸易法', '拍卖法', '直销管理条例'],
  WH: ['文物保护法', '娱乐场所管理条例', '营业性演出管理条例'],
  LYW: ['旅游法', '旅行社条例'],
  WJ: ['基本医疗卫生与健康促进法', '传染病防治法', '执业医师法', '母婴保健法'],
  SJ: ['审计法'],
  GZW: ['企业国有资产法'],
  GS: ['反不正当竞争法', '广告法', '消费者权益保护法', '公司法', '商标法'],
  ZJJ: ['产品质量法', '计量法', '标准化法', '特种设备安全法'],
  SYJ: ['食品安全法', '药品管理法', '医疗器械监督管理条例', '化妆品监督管理条例'],
  AJ: ['安全生产法', '危险化学品安全管理条例', '矿山安全法'],
  TJ: ['统计法', '全国经济普查条例'],
  LC: ['森林法', '野生动物保护法', '草原法'],
  TY: ['体育法'],
  RF: ['人民防空法'],
  WJJ: ['价格法', '价格违法行为行政处罚规定'],
  JGSW: ['机关事务管理条例'],
  GH: ['城乡规划法'],
  CG: ['城市市容和环境卫生管理条例', '城市绿化条例', '城市道路管理条例'],
  XF: ['信访工作条例'],
  DA: ['档案法'],
  MT: ['煤炭法', '煤矿安全监察条例'],
  DZ: ['防震减灾法'],
  ZSCQ: ['专利法'],
  WB: ['外国人入境出境管理条例'],
  FP: ['乡村振兴促进法'],
  XW: ['出版管理条例', '广播电视管理条例', '印刷业管理条例'],
  LS: ['粮食流通管理条例'],
  JR: ['融资担保公司监督管理条例'],
  JYGL: ['监狱法'],
  ZYY: ['中医药法'],
  QW: ['归侨侨眷权益保护法'],
  YC: ['地方各级人民政府组织法'],
  DZB: ['地方各级人民政府组织法'],
  ZHZF: ['行政处罚法', '城市市容和环境卫生管理条例', '村庄和集镇规划建设管理条例'],
  JJFZ: ['统计法', '农民专业合作社法'],
  SHSW: ['社会救助暂行办法', '老年人权益保障法', '残疾人保障法'],
  NYNC: ['农村土地承包法', '动物防疫法'],
  PAJS: ['人民调解法'],
  BMFW: ['社会保险法', '居民身份证法'],
  YJB: ['安全生产法', '突发事件应对法'],
};

const MATTERS = [
  '未依法取得许可擅自从事经营活动',
  '未按规定报送有关材料',
  '拒绝、阻碍监督检查',
  '提供虚假材料',
  '未建立相关管理制度',
  '超出核准范围从事活动',
  '未按规定公示信息',
  '伪造、变造、出租、出借许可证件',
  '未履行安全管理义务',
  '违反规定收取费用',
  '未按规定保存记录',
  '擅自变更登记事项',
  '未按规定开展自查',
  '不按规定配备专业人员',
  '逾期未改正',
  '违反操作规程',
  '未按规定进行年度报告',
  '未取得资格证书从业',
  '未按规定标注标识',
  '隐瞒有关情况',
];

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A name in the wording of its type; `n` makes it unique within the sector. */
export function itemName(kind: string, type: ItemType, n: number): string {
  const laws = LAWS[kind] ?? ['行政处罚法'];
  const law = laws[n % laws.length];
  const matter = MATTERS[Math.floor(n / laws.length) % MATTERS.length];
  const round = Math.floor(n / (laws.length * MATTERS.length));
  const tail = round > 0 ? `（${CN_NUM[(round - 1) % 10]}）` : '';
  switch (type) {
    case '行政处罚':
      return `对违反《${law}》${matter}的处罚${tail}`;
    case '行政许可':
      return `《${law}》规定的${matter.replace(/^未|擅自/g, '')}事项许可${tail}`;
    case '行政检查':
      return `对执行《${law}》情况的监督检查（${matter}）${tail}`;
    case '行政强制':
      return `对违反《${law}》${matter}的查封、扣押${tail}`;
    case '行政征收':
      return `依据《${law}》征收相关费用${tail}`;
    case '行政给付':
      return `依据《${law}》发放补助${tail}`;
    case '行政确认':
      return `依据《${law}》的资格确认（${matter}）${tail}`;
    case '行政奖励':
      return `对执行《${law}》成绩显著的单位和个人的奖励${tail}`;
    case '行政裁决':
      return `《${law}》相关纠纷的裁决${tail}`;
    default:
      return `依据《${law}》的其他行政权力（${matter}）${tail}`;
  }
}

let BASIS_POOL: string[] | undefined;
function basisPool(): string[] {
  if (!BASIS_POOL) BASIS_POOL = readDemoData().items.flatMap((i) => i.basis).filter((b) => b.length > 40);
  return BASIS_POOL;
}

/** One to three references: the law's title and article, then real article text cut to a realistic length. */
export function itemBasis(rng: Rng, kind: string, n: number): string[] {
  const laws = LAWS[kind] ?? ['行政处罚法'];
  const refs = rng.weighted([
    [1, 65],
    [2, 27],
    [3, 8],
  ] as const);
  const out: string[] = [];
  for (let i = 0; i < refs; i++) {
    const law = laws[(n + i) % laws.length];
    const text = rng.pick(basisPool());
    const len = Math.min(text.length, rng.int(120, 360));
    out.push(`【${law.endsWith('条例') || law.endsWith('规定') || law.endsWith('办法') ? '法规' : '法律'}】《${law.includes('条例') || law.includes('办法') || law.includes('规定') ? law : `中华人民共和国${law}`}》第${CN_NUM[rng.int(0, 9)]}十${CN_NUM[rng.int(0, 8)]}条：${text.slice(0, len)}`);
  }
  return out;
}
