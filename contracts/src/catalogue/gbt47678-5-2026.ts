/**
 * GB/T 47678.5-2026《城市运行管理服务平台 第5部分：管理部件和事项》: the standard catalogue of 管理部件
 * (components, Appendix A Table A.1) and 管理事项 (matters, Appendix C Table C.1) as versioned data (CMD-3).
 *
 * Source: transcribed from the mission domain notes (DOMAIN_NOTES.md §1.1), which took it from the one public secondary source found,
 * `Jackyhellolove/city-inspection-ai:supabase-gb47678.5-directory.sql` (commit 088839d…), itself typed from "a
 * PDF the user provided". The names were cross-checked against that SQL file. The official text has NOT been
 * seen: verify against the published standard and bump CATALOGUE_VERSION when you correct anything.
 *
 * Structure: a type code is 5 digits = 2-digit 大类 + 3-digit 小类. Components and matters reuse the same code
 * space (both have 01001), so an entry is identified by (kind, code), never by code alone. Matters of 大类 01–05
 * mirror the components one to one, named "<部件名>异常"; they are generated from the component list below.
 *
 * Gaps kept as in the source (see CATALOGUE_GAPS): components 01016, 05001, 05004–05008 and therefore the same
 * mirrored matters; matters 06031, 07005, 09007. They may be reserved or deleted codes, or transcription gaps;
 * a code in a gap is UNKNOWN until the official text says otherwise.
 *
 * English names are ours (short working translations for the UI), not the standard's; `en` is left undefined
 * where the Chinese term's meaning could not be pinned down (the UI then shows the Chinese).
 *
 * Data only, zod only: this file is shared by functions, web and tenants.
 */
import { z } from 'zod';

/** The standard this catalogue transcribes. */
export const CATALOGUE_STANDARD = 'GB/T 47678.5-2026' as const;
/**
 * The standard plus the revision of our transcription. Bump the revision (r2, r3…) whenever an entry is
 * corrected against the official text; store it with data that records type codes if you need to re-map later.
 */
export const CATALOGUE_VERSION = 'GB/T 47678.5-2026/r1' as const;
/** Where the data came from, for the audit trail and the UI's "about" panel. */
export const CATALOGUE_SOURCE =
  'GB/T 47678.5-2026 附录A 表A.1、附录C 表C.1 (via Jackyhellolove/city-inspection-ai supabase-gb47678.5-directory.sql @088839d; not yet checked against the official text)';

/** 部件 / 事项. Same values as CaseKind in case.ts (kept separate so case.ts may import the catalogue). */
export const CatalogueKind = z.enum(['component', 'matter']);
export type CatalogueKind = z.infer<typeof CatalogueKind>;

/** A 5-digit type code: 2-digit 大类 + 3-digit 小类. */
export const TypeCode = z.string().regex(/^\d{5}$/, { message: 'a type code has five digits: 2-digit 大类 + 3-digit 小类' });
export type TypeCode = z.infer<typeof TypeCode>;

/** A 大类 code: two digits. */
export const MajorCode = z.string().regex(/^\d{2}$/, { message: 'a 大类 code has two digits' });

/** A catalogue name: Chinese always, English when we could give one reliably. */
export const CatalogueName = z.object({ zh: z.string().min(1), en: z.string().min(1).optional() });
export type CatalogueName = z.infer<typeof CatalogueName>;

/** A 大类 name: Chinese and English. */
export const MajorName = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type MajorName = z.infer<typeof MajorName>;

export const CatalogueEntry = z.object({
  standard: z.literal(CATALOGUE_STANDARD),
  kind: CatalogueKind,
  code: TypeCode,
  name: CatalogueName,
  majorCode: MajorCode,
  majorName: MajorName,
  /** A remark on this entry's transcription (e.g. the 01066 oddity). */
  note: z.string().optional(),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntry>;

export interface CatalogueMajor {
  readonly kind: CatalogueKind;
  readonly code: string;
  readonly name: MajorName;
}

const major = (kind: CatalogueKind, code: string, zh: string, en: string): CatalogueMajor => Object.freeze({ kind, code, name: Object.freeze({ zh, en }) });

/** 管理部件 大类. */
export const COMPONENT_MAJORS: readonly CatalogueMajor[] = Object.freeze([
  major('component', '01', '市政公用设施', 'Municipal utilities'),
  major('component', '02', '交通设施', 'Traffic facilities'),
  major('component', '03', '市容环卫设施', 'Sanitation and city appearance facilities'),
  major('component', '04', '园林绿化设施', 'Landscaping facilities'),
  major('component', '05', '其他管理部件', 'Other components'),
]);

/** 管理事项 大类 (01–05 are the "…类" of the component 大类). */
export const MATTER_MAJORS: readonly CatalogueMajor[] = Object.freeze([
  major('matter', '01', '市政公用设施类', 'Municipal utility issues'),
  major('matter', '02', '交通设施类', 'Traffic facility issues'),
  major('matter', '03', '市容环卫设施类', 'Sanitation facility issues'),
  major('matter', '04', '园林绿化设施类', 'Landscaping facility issues'),
  major('matter', '05', '其他管理部件类', 'Other component issues'),
  major('matter', '06', '市容环境类', 'City environment'),
  major('matter', '07', '宣传广告类', 'Advertising and publicity'),
  major('matter', '08', '施工管理类', 'Construction management'),
  major('matter', '09', '街面秩序类', 'Street order'),
  major('matter', '10', '其他事项类', 'Other matters'),
]);

type Row = readonly [code: string, zh: string, en?: string];

/** Appendix A Table A.1: 153 管理部件. */
const COMPONENT_ROWS: readonly Row[] = [
  // 01 市政公用设施 (76; 01016 absent)
  ['01001', '供水井盖', 'Water supply manhole cover'],
  ['01002', '污水井盖', 'Sewer manhole cover'],
  ['01003', '雨水井盖', 'Storm drain manhole cover'],
  ['01004', '雨水箅子', 'Storm drain grate'],
  ['01005', '电力井盖', 'Power manhole cover'],
  ['01006', '路灯井盖', 'Street light manhole cover'],
  ['01007', '通信井盖', 'Telecom manhole cover'],
  ['01008', '电视井盖', 'Cable TV manhole cover'],
  ['01009', '网络井盖', 'Network manhole cover'],
  ['01010', '热力井盖', 'District heating manhole cover'],
  ['01011', '燃气井盖', 'Gas manhole cover'],
  ['01012', '公安井盖', 'Public security manhole cover'],
  ['01013', '消防设施', 'Fire-fighting facility'],
  ['01014', '园林井盖', 'Landscaping manhole cover'],
  ['01015', '信号灯电源井盖', 'Traffic signal power manhole cover'],
  ['01017', '电缆井盖', 'Cable manhole cover'],
  ['01018', '化粪池井盖', 'Septic tank manhole cover'],
  ['01019', '中水井盖', 'Reclaimed water manhole cover'],
  ['01020', '公交井盖', 'Public transport manhole cover'],
  ['01021', '输油（气）井盖', 'Oil or gas pipeline manhole cover'],
  ['01022', '特殊井盖', 'Special manhole cover'],
  ['01023', '不明井盖', 'Unidentified manhole cover'],
  ['01024', '水井', 'Water well'],
  ['01025', '供水器'],
  ['01026', '沟槽盖板', 'Trench cover plate'],
  ['01027', '通信交接箱', 'Telecom cross-connect cabinet'],
  ['01028', '电力设施', 'Power facility'],
  ['01029', '电力设施标识牌', 'Power facility sign'],
  ['01030', '电力立杆', 'Power pole'],
  ['01031', '通信立杆', 'Telecom pole'],
  ['01032', '公交立杆', 'Public transport pole'],
  ['01033', '特殊立杆', 'Special pole'],
  ['01034', '不明立杆', 'Unidentified pole'],
  ['01035', '旗杆', 'Flagpole'],
  ['01036', '输油（气）标志', 'Oil or gas pipeline marker'],
  ['01037', '路灯', 'Street light'],
  ['01038', '地灯', 'In-ground light'],
  ['01039', '景观灯', 'Landscape light'],
  ['01040', '报刊亭', 'Newsstand'],
  ['01041', '电话亭', 'Telephone booth'],
  ['01042', '邮筒', 'Postbox'],
  ['01043', '信息亭', 'Information kiosk'],
  ['01044', '售货亭', 'Sales kiosk'],
  ['01045', '自动售货机', 'Vending machine'],
  ['01046', '户外健身设施', 'Outdoor fitness equipment'],
  ['01047', '高压线铁塔', 'High-voltage pylon'],
  ['01048', '变压器（箱）', 'Transformer (box)'],
  ['01049', '燃气调压站（箱）', 'Gas pressure regulating station (box)'],
  ['01050', '监控电子眼设施', 'Surveillance camera'],
  ['01051', '治安岗亭', 'Police kiosk'],
  ['01052', '休息亭', 'Rest pavilion'],
  ['01053', '自助缴费机', 'Self-service payment machine'],
  ['01054', '充电桩', 'EV charging post'],
  ['01055', '防蚊闸'],
  ['01056', '跨河管道', 'Pipe crossing a river'],
  ['01057', '露天燃气管道', 'Exposed gas pipe'],
  ['01058', '晒衣架', 'Clothes-drying rack'],
  ['01059', '旧衣物回收箱', 'Used-clothing collection bin'],
  ['01060', '路灯配电箱', 'Street light distribution box'],
  ['01061', '露天供热管道', 'Exposed heating pipe'],
  ['01062', '通信基站', 'Telecom base station'],
  ['01063', '水塔', 'Water tower'],
  ['01064', '牌楼（门楼）', 'Memorial archway (gateway)'],
  ['01065', '管理责任公示牌', 'Management responsibility notice board'],
  ['01066', '紧急报警点SOS', 'Emergency call point (SOS)'],
  ['01067', '防汛监测设施', 'Flood monitoring facility'],
  ['01068', '水鹤', 'Water crane'],
  ['01069', '水域附属设施', 'Waterway ancillary facility'],
  ['01070', '水域护栏', 'Waterside railing'],
  ['01071', '防汛墙', 'Flood wall'],
  ['01072', '排水泵站', 'Drainage pumping station'],
  ['01073', '雨污水排放口', 'Storm or sewage outfall'],
  ['01074', '综合管廊附属设施', 'Utility tunnel ancillary facility'],
  ['01075', '快递柜', 'Parcel locker'],
  ['01076', '公用电梯', 'Public lift'],
  ['01077', '综合杆', 'Multi-function pole'],
  // 02 交通设施 (44)
  ['02001', '停车场', 'Car park'],
  ['02002', '立体车库', 'Mechanical parking garage'],
  ['02003', '停车计费设备', 'Parking meter'],
  ['02004', '公交站设施', 'Bus stop facility'],
  ['02005', '出租车停靠站', 'Taxi stand'],
  ['02006', '过街天桥', 'Pedestrian overpass'],
  ['02007', '地下通道', 'Underpass'],
  ['02008', '立交桥', 'Interchange'],
  ['02009', '跨河桥', 'River bridge'],
  ['02010', '交通标志牌及标线', 'Traffic signs and markings'],
  ['02011', '限高架标志', 'Height-limit gantry sign'],
  ['02012', '路名牌', 'Street name sign'],
  ['02013', '地名牌', 'Place name sign'],
  ['02014', '交通信号灯', 'Traffic light'],
  ['02015', '交通信号设施', 'Traffic signal equipment'],
  ['02016', '交通岗亭', 'Traffic police kiosk'],
  ['02017', '交通护栏', 'Traffic barrier'],
  ['02018', '防撞桶', 'Crash barrel'],
  ['02019', '安全岛', 'Traffic island'],
  ['02020', '人行横道桩', 'Crosswalk bollard'],
  ['02021', '便道桩', 'Pavement bollard'],
  ['02022', '柔性隔离体', 'Flexible lane divider'],
  ['02023', '道路信息显示屏', 'Road information display'],
  ['02024', '道路隔音屏', 'Road noise barrier'],
  ['02025', '非机动车停放点', 'Non-motor vehicle parking area'],
  ['02026', '自行车租赁点', 'Bike rental station'],
  ['02027', '存车支架', 'Bicycle rack'],
  ['02028', '铁道口设施', 'Level crossing facility'],
  ['02029', '栈桥', 'Trestle pier'],
  ['02030', '水域标示牌', 'Waterway sign'],
  ['02031', '港监设施', 'Harbour supervision facility'],
  ['02032', '轨道交通设施', 'Rail transit facility'],
  ['02033', '交通反视镜', 'Traffic convex mirror'],
  ['02034', '无障碍设施', 'Accessibility facility'],
  ['02035', '应急避难指示牌', 'Emergency shelter sign'],
  ['02036', '救助站指示牌', 'Relief station sign'],
  ['02037', '文物建筑标志牌', 'Heritage building sign'],
  ['02038', '门（楼号）牌', 'House (building) number plate'],
  ['02039', '公安指示牌', 'Police direction sign'],
  ['02040', '景区标识牌', 'Scenic area sign'],
  ['02041', '停车信息显示屏', 'Parking information display'],
  ['02042', '铁路桥涵', 'Railway bridge or culvert'],
  ['02043', '减速带', 'Speed bump'],
  ['02044', '公路隧道', 'Road tunnel'],
  // 03 市容环卫设施 (16)
  ['03001', '公共厕所', 'Public toilet'],
  ['03002', '公厕指示牌', 'Public toilet sign'],
  ['03003', '化粪池', 'Septic tank'],
  ['03004', '垃圾间（楼）', 'Refuse room (building)'],
  ['03005', '垃圾箱', 'Litter bin'],
  ['03006', '户外广告', 'Outdoor advertisement'],
  ['03007', '牌匾标识', 'Shop sign'],
  ['03008', '宣传栏', 'Publicity board'],
  ['03009', '气象监测站', 'Weather monitoring station'],
  ['03010', '环保监测站', 'Environmental monitoring station'],
  ['03011', '污水口监测站', 'Sewage outlet monitoring station'],
  ['03012', '污水监测器', 'Sewage monitor'],
  ['03013', '噪声显示屏', 'Noise display'],
  ['03014', '环卫工具间（箱）', 'Sanitation tool room (box)'],
  ['03015', '宠物拾便纸箱', 'Pet waste bag dispenser'],
  ['03016', '烟头收集器或灭烟处', 'Cigarette butt bin or smoking point'],
  // 04 园林绿化设施 (14)
  ['04001', '古树名木', 'Ancient or notable tree'],
  ['04002', '行道树', 'Street tree'],
  ['04003', '独立树', 'Solitary tree'],
  ['04004', '护树设施', 'Tree guard'],
  ['04005', '花架花钵', 'Flower stand or planter'],
  ['04006', '雕塑', 'Sculpture'],
  ['04007', '街头座椅', 'Street bench'],
  ['04008', '绿地护栏', 'Green space railing'],
  ['04009', '绿地附属设施', 'Green space ancillary facility'],
  ['04010', '喷泉', 'Fountain'],
  ['04011', '树池树穴', 'Tree pit'],
  ['04012', '高架挂箱'],
  ['04013', '绿地', 'Green space'],
  ['04014', '林地及林地管护设施', 'Woodland and its management facilities'],
  // 05 其他管理部件 (3; 05001, 05004–05008 absent)
  ['05002', '公房地下室', 'Public housing basement'],
  ['05003', '车辆加油（气、电）站', 'Vehicle fuelling (gas, charging) station'],
  ['05009', '文物古迹', 'Cultural heritage site'],
];

/** Appendix C Table C.1, 大类 06–10 (97 matters); 大类 01–05 are generated from COMPONENT_ROWS. */
const MATTER_ROWS: readonly Row[] = [
  // 06 市容环境类 (51; 06031 absent)
  ['06001', '私搭乱建', 'Unauthorised structure'],
  ['06002', '店面无证装修', 'Shopfront renovation without permit'],
  ['06003', '违章接坡', 'Unauthorised kerb ramp'],
  ['06004', '建筑物外立面污损', 'Soiled or damaged building facade'],
  ['06005', '临街阳台、屋顶脏乱差', 'Untidy street-facing balcony or roof'],
  ['06006', '擅自在临街的建筑物上挂彩旗', 'Unauthorised bunting on a street-facing building'],
  ['06007', '沿街晾挂', 'Laundry hung along the street'],
  ['06008', '擅自架设管线、杆线设施', 'Unauthorised pipes, cables or poles'],
  ['06009', '空调室外机低挂', 'Low-mounted air-conditioner unit'],
  ['06010', '暴露垃圾', 'Exposed garbage'],
  ['06011', '积存垃圾渣土', 'Accumulated garbage or spoil'],
  ['06012', '道路不洁', 'Dirty road'],
  ['06013', '道路破损', 'Damaged road'],
  ['06014', '道路遗撒（洒）', 'Spillage on the road'],
  ['06015', '沙（河）滩不洁', 'Dirty beach or riverbank'],
  ['06016', '交通标线不清晰', 'Faded road markings'],
  ['06017', '绿地脏乱', 'Littered green space'],
  ['06018', '绿化弃料', 'Green waste left behind'],
  ['06019', '非装饰性吊挂', 'Non-decorative hanging items'],
  ['06020', '焚烧垃圾、树叶', 'Burning garbage or leaves'],
  ['06021', '病虫害', 'Plant pests and diseases'],
  ['06022', '非法伐树', 'Illegal tree felling'],
  ['06023', '堤岸破损', 'Damaged embankment'],
  ['06024', '水域秩序乱象', 'Disorder on the water'],
  ['06025', '水域不洁', 'Dirty water surface'],
  ['06026', '河道污染', 'River pollution'],
  ['06027', '油烟污染', 'Cooking fume pollution'],
  ['06028', '噪声扰民', 'Noise nuisance'],
  ['06029', '露天烧烤', 'Open-air barbecue'],
  ['06030', '乱倒乱排污水、废水', 'Illegal discharge of sewage or wastewater'],
  ['06032', '非正规垃圾填埋场', 'Informal landfill'],
  ['06033', '乱丢弃医疗废物', 'Dumped medical waste'],
  ['06034', '废弃车辆', 'Abandoned vehicle'],
  ['06035', '废弃家具设备', 'Abandoned furniture or equipment'],
  ['06036', '乱堆杂物', 'Items piled in public space'],
  ['06037', '动物尸体', 'Animal carcass'],
  ['06038', '擅自饲养家禽家畜', 'Unauthorised poultry or livestock'],
  ['06039', '违章开设道口', 'Unauthorised road access opening'],
  ['06040', '私设地锁、阻车桩', 'Private parking lock or bollard'],
  ['06041', '垃圾未分类', 'Unsorted garbage'],
  ['06042', '垃圾站（箱）满溢', 'Overflowing garbage station or bin'],
  ['06043', '遮阳篷（棚、伞）破损', 'Damaged awning (canopy, umbrella)'],
  ['06044', '节庆装饰物破损', 'Damaged festive decoration'],
  ['06045', '非法占绿毁绿', 'Illegal occupation or destruction of green space'],
  ['06046', '占用河道', 'River channel occupied'],
  ['06047', '公园秩序', 'Disorder in a park'],
  ['06048', '边坡（挡土墙）破损', 'Damaged slope (retaining wall)'],
  ['06049', '台阶破损', 'Damaged steps'],
  ['06050', '路缘石缺损', 'Damaged or missing kerbstone'],
  ['06051', '盲道缺损', 'Damaged tactile paving'],
  ['06052', '无障碍坡道破损', 'Damaged accessible ramp'],
  // 07 宣传广告类 (7; 07005 absent)
  ['07001', '非法小广告', 'Illegal small advertisements'],
  ['07002', '街头散发广告', 'Leafleting in the street'],
  ['07003', '违规户外广告', 'Non-compliant outdoor advertisement'],
  ['07004', '广告语言文字不规范', 'Non-standard language in an advertisement'],
  ['07006', '违规牌匾标识', 'Non-compliant shop sign'],
  ['07007', '违规标语宣传品', 'Non-compliant banner or slogan'],
  ['07008', '公益性宣传品缺损', 'Damaged public-service publicity'],
  // 08 施工管理类 (16)
  ['08001', '施工扰民', 'Construction nuisance'],
  ['08002', '施工占道', 'Road occupied by construction'],
  ['08003', '无证掘路', 'Road excavation without permit'],
  ['08004', '工地扬尘', 'Construction site dust'],
  ['08005', '施工废弃料', 'Construction waste'],
  ['08006', '施工物料乱堆放', 'Construction materials piled improperly'],
  ['08007', '施工工地围挡问题', 'Construction site hoarding problem'],
  ['08008', '施工工地道路未硬化', 'Unpaved construction site road'],
  ['08009', '施工工地出入口道路破损', 'Damaged road at a site entrance'],
  ['08010', '施工完成后未场光地净', 'Site not cleared after works'],
  ['08011', '渣土运输车辆未安装密闭装置', 'Spoil truck without a closed cover'],
  ['08012', '施工工地车轮夹带', 'Mud carried out on vehicle wheels'],
  ['08013', '违规高空悬吊作业', 'Non-compliant suspended work at height'],
  ['08014', '预埋件设施裸露', 'Exposed embedded fixtures'],
  ['08015', '施工公示牌污损', 'Soiled or damaged construction notice board'],
  ['08016', '无证建设', 'Construction without permit'],
  // 09 街面秩序类 (21; 09007 absent)
  ['09001', '无照经营游商', 'Unlicensed street vendor'],
  ['09002', '早（夜）市管理问题', 'Morning or night market problem'],
  ['09003', '流浪乞讨', 'Vagrancy and begging'],
  ['09004', '废品收购乱象', 'Disorderly scrap collection'],
  ['09005', '店外经营', 'Business outside the shop'],
  ['09006', '占道经营', 'Street vending on the road'],
  ['09008', '非法出版物销售', 'Sale of illegal publications'],
  ['09009', '机动车乱停放', 'Illegal car parking'],
  ['09010', '非机动车乱停放', 'Illegal non-motor vehicle parking'],
  ['09011', '共享单车乱象', 'Shared-bike disorder'],
  ['09012', '占用消防通道', 'Blocked fire lane'],
  ['09013', '临街屠宰', 'Street-side slaughtering'],
  ['09014', '畜力车进城', 'Animal-drawn cart in the city'],
  ['09015', '无证餐饮', 'Unlicensed food outlet'],
  ['09016', '违规设置停车场', 'Unauthorised car park'],
  ['09017', '违规占用桥下空间', 'Illegal use of space under a bridge'],
  ['09018', '履带车（铁轮车）违规上路行驶', 'Tracked (iron-wheeled) vehicle on the road'],
  ['09019', '占用无障碍通道', 'Blocked accessible path'],
  ['09020', '农贸市场秩序问题', 'Farmers\' market disorder'],
  ['09021', '占道洗车', 'Car washing on the road'],
  ['09022', '占道促销宣传', 'Street promotion occupying the road'],
  // 10 其他事项类 (2)
  ['10001', '道路积雪、结冰', 'Snow or ice on the road'],
  ['10002', '架空线缆脱落', 'Fallen overhead cable'],
];

/**
 * Mirrored matter names that do not follow "<部件名>异常" in the source. 01066 is written 紧急报警点异常SOS there
 * (not 紧急报警点SOS异常); kept as written until the official text says otherwise.
 */
const MIRROR_NAME_EXCEPTIONS: Readonly<Record<string, { zh: string; note: string }>> = {
  '01066': { zh: '紧急报警点异常SOS', note: 'source writes 紧急报警点异常SOS, not 紧急报警点SOS异常; kept as written' },
};

const COMPONENT_NOTES: Readonly<Record<string, string>> = {
  '01066': 'the mirrored matter is written 紧急报警点异常SOS in the source',
};

const majorsByCode = (majors: readonly CatalogueMajor[]): ReadonlyMap<string, CatalogueMajor> => new Map(majors.map((m) => [m.code, m]));
const COMPONENT_MAJOR_BY_CODE = majorsByCode(COMPONENT_MAJORS);
const MATTER_MAJOR_BY_CODE = majorsByCode(MATTER_MAJORS);

function build(kind: CatalogueKind, code: string, name: CatalogueName, note?: string): CatalogueEntry {
  const majorCode = code.slice(0, 2);
  const m = (kind === 'component' ? COMPONENT_MAJOR_BY_CODE : MATTER_MAJOR_BY_CODE).get(majorCode);
  if (!m) throw new Error(`catalogue data: ${kind} ${code} has no 大类 ${majorCode}`);
  const entry: CatalogueEntry = { standard: CATALOGUE_STANDARD, kind, code, name: Object.freeze(name), majorCode, majorName: m.name };
  if (note !== undefined) entry.note = note;
  return Object.freeze(entry);
}

const nameOf = (zh: string, en: string | undefined): CatalogueName => (en === undefined ? { zh } : { zh, en });

/** All 管理部件, in the standard's order. */
export const COMPONENTS: readonly CatalogueEntry[] = Object.freeze(
  COMPONENT_ROWS.map(([code, zh, en]) => build('component', code, nameOf(zh, en), COMPONENT_NOTES[code])),
);

/** All 管理事项, in the standard's order: the 153 mirrors of the components (01–05), then 06–10. */
export const MATTERS: readonly CatalogueEntry[] = Object.freeze([
  ...COMPONENTS.map((c) => {
    const exception = MIRROR_NAME_EXCEPTIONS[c.code];
    const zh = exception?.zh ?? `${c.name.zh}异常`;
    const en = c.name.en === undefined ? undefined : `${c.name.en} issue`;
    return build('matter', c.code, nameOf(zh, en), exception?.note);
  }),
  ...MATTER_ROWS.map(([code, zh, en]) => build('matter', code, nameOf(zh, en))),
]);

/** Every entry of the standard, components first. */
export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze([...COMPONENTS, ...MATTERS]);

/** Lookup by code within a kind. */
export const COMPONENT_TYPES: ReadonlyMap<string, CatalogueEntry> = new Map(COMPONENTS.map((e) => [e.code, e]));
export const MATTER_TYPES: ReadonlyMap<string, CatalogueEntry> = new Map(MATTERS.map((e) => [e.code, e]));

/** The standard entry of a kind and code, or undefined (tenant extensions are looked up in codes.ts). */
export function standardEntry(kind: CatalogueKind, code: string): CatalogueEntry | undefined {
  return (kind === 'component' ? COMPONENT_TYPES : MATTER_TYPES).get(code);
}

/** The standard 大类 of a kind and 2-digit code, or undefined. */
export function standardMajor(kind: CatalogueKind, majorCode: string): CatalogueMajor | undefined {
  return (kind === 'component' ? COMPONENT_MAJOR_BY_CODE : MATTER_MAJOR_BY_CODE).get(majorCode);
}

/** The entries of one 大类, in order. */
export function entriesOfMajor(kind: CatalogueKind, majorCode: string): readonly CatalogueEntry[] {
  return (kind === 'component' ? COMPONENTS : MATTERS).filter((e) => e.majorCode === majorCode);
}

/** How many entries the transcription holds: 153 components and 250 matters, as the source states. */
export const CATALOGUE_COUNTS: Readonly<Record<CatalogueKind, number>> = Object.freeze({
  component: COMPONENTS.length,
  matter: MATTERS.length,
});

/** Codes missing from the source's numbering, kept as gaps (not filled in, not renumbered). */
export const CATALOGUE_GAPS: readonly { readonly kind: CatalogueKind; readonly codes: readonly string[]; readonly note: string }[] = Object.freeze([
  { kind: 'component', codes: ['01016'], note: '01016 is absent from the source' },
  { kind: 'component', codes: ['05001', '05004', '05005', '05006', '05007', '05008'], note: 'absent: reserved or deleted codes, or gaps in the transcription' },
  { kind: 'matter', codes: ['01016', '05001', '05004', '05005', '05006', '05007', '05008'], note: 'mirrors of the absent components' },
  { kind: 'matter', codes: ['06031'], note: '06031 is absent from the source' },
  { kind: 'matter', codes: ['07005'], note: '07005 is absent from the source' },
  { kind: 'matter', codes: ['09007'], note: '09007 is absent from the source' },
]);
