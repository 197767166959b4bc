/**
 * 绩效评价 (CMD-9, EVA-1/EVA-4): the standard indicators of the case loop, the tenant's scoring settings and
 * the shape of an evaluation result.
 *
 * Definitions follow DOMAIN_NOTES §2.3 (the comments of the Unicom 城市综合管理服务平台 code, which quote the
 * GB/T 30428.4 / CJJ/T 106 era standard; the official text was not available). What is taken from there and
 * what is inferred is said next to each item. Weights, bands and grade limits are tenant data
 * (`tenants/<code>/evaluation.json`); `DEFAULT_EVALUATION_SETTINGS` are the §2.3 formulas with two known
 * bugs of the source fixed:
 * - "lower is better" rates (漏报率, 返工率, 监督举报率, 超期率, 延期率) become scores as (1 − rate) × 100, never
 *   rate × 100;
 * - the region's 按期结案率 weighs 40% (the source has 10%, so its weights add up to 70%) — inferred.
 *
 * How events are counted into a period (attribution) is documented in functions/src/evaluation/indicators.ts.
 */
import { z } from 'zod';
import { CaseSource } from './case';

// ---------------------------------------------------------------------------------------------------------
// Indicators

export const RATE_INDICATORS = [
  'onTimeVerifyRate',
  'onTimeCheckRate',
  'validReportRate',
  'missedReportRate',
  'onTimeFileRate',
  'accurateFileRate',
  'onTimeDispatchRate',
  'accurateDispatchRate',
  'handleRate',
  'onTimeHandleRate',
  'reworkRate',
  'closeRate',
  'onTimeCloseRate',
  'overdueRate',
  'publicReportRate',
  'extensionRate',
  'onTimeVerifyAssignRate',
  'onTimeCheckAssignRate',
] as const;

export const COUNT_INDICATORS = [
  'reportCount',
  'acceptCount',
  'verifyCount',
  'checkCount',
  'missedCount',
  'fileCount',
  'voidCount',
  'dispatchCount',
  'returnCount',
  'handleCount',
  'reworkCount',
  'extensionCount',
  'closeCount',
  'overdueCount',
  'publicReportCount',
  'escalationCount',
] as const;

export const IndicatorId = z.enum([...RATE_INDICATORS, ...COUNT_INDICATORS]);
export type IndicatorId = z.infer<typeof IndicatorId>;

export type IndicatorKind = 'rate' | 'count';
/** For counts the direction depends on the position (受理数: more is better; 专业部门立案数: fewer), so the bands decide. */
export type IndicatorDirection = 'higher-better' | 'lower-better' | 'neutral';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface IndicatorDefinition {
  id: IndicatorId;
  kind: IndicatorKind;
  name: Bilingual;
  /** What is counted above the line (for a count: what is counted). */
  numerator: Bilingual;
  /** What is counted below the line; null for counts. */
  denominator: Bilingual | null;
  direction: IndicatorDirection;
  /** Where the definition comes from, and what is inferred. */
  basis: string;
  /**
   * False when the platform's case history has no events to compute it from; it stays in the catalogue so a
   * tenant's weights can name it, and is left out of scores (see `score`).
   */
  derivable: boolean;
}

const S = 'DOMAIN_NOTES §2.3 [S]';
const rate = (
  id: IndicatorId,
  name: [string, string],
  numerator: [string, string],
  denominator: [string, string],
  direction: IndicatorDirection,
  basis = S,
  derivable = true,
): IndicatorDefinition => ({
  id,
  kind: 'rate',
  name: { zh: name[0], en: name[1] },
  numerator: { zh: numerator[0], en: numerator[1] },
  denominator: { zh: denominator[0], en: denominator[1] },
  direction,
  basis,
  derivable,
});
const count = (id: IndicatorId, name: [string, string], what: [string, string], basis = S): IndicatorDefinition => ({
  id,
  kind: 'count',
  name: { zh: name[0], en: name[1] },
  numerator: { zh: what[0], en: what[1] },
  denominator: null,
  direction: 'neutral',
  basis,
  derivable: true,
});

/** The indicator catalogue (EVA-1), Chinese first. */
export const INDICATORS: Readonly<Record<IndicatorId, IndicatorDefinition>> = {
  onTimeVerifyRate: rate(
    'onTimeVerifyRate',
    ['按时核实率', 'On-time verification rate'],
    ['按时核实数：时限内完成的核实', 'Verifications done within the limit'],
    ['应核实数：完成的核实 + 已超时仍未核实的', 'Verifications done + verifications still open past their limit'],
    'higher-better',
  ),
  onTimeCheckRate: rate(
    'onTimeCheckRate',
    ['按时核查率', 'On-time check rate'],
    ['按时核查数：时限内完成的核查', 'Checks done within the limit'],
    ['应核查数：完成的核查 + 已超时仍未核查的', 'Checks done + checks still open past their limit'],
    'higher-better',
  ),
  validReportRate: rate(
    'validReportRate',
    ['有效上报率', 'Valid report rate'],
    ['有效上报数：监督员上报后被立案的', "Inspectors' reports that were filed"],
    ['上报数：监督员上报数', 'Reports by inspectors'],
    'higher-better',
  ),
  missedReportRate: rate(
    'missedReportRate',
    ['漏报率', 'Missed report rate'],
    [
      '漏报数：网格内来源为公众/热线/上级(可配置)并立案的案件',
      'Filed cases in the grid that came from the public, the hotline or above (configurable) instead of an inspector',
    ],
    ['立案数：网格内立案数', 'Cases filed in the grid'],
    'lower-better',
  ),
  onTimeFileRate: rate(
    'onTimeFileRate',
    ['按时立案率', 'On-time filing rate'],
    ['按时立案数', 'Cases filed within the limit'],
    ['立案数', 'Cases filed'],
    'higher-better',
  ),
  accurateFileRate: rate(
    'accurateFileRate',
    ['准确立案率', 'Accurate filing rate'],
    ['立案数 − 作废数：立案(且未被作废)的决定', 'Filing decisions (立案) not voided'],
    ['立案环节决定数：立案 + 作废(作废原因 invalid)', 'Decisions at the filing step: filed + voided (cancelled as invalid)'],
    'higher-better',
    `${S} gives (立案数 − 作废数)/立案数, which goes below 0 if 立案数 counts filed cases only; 立案数 is read as the filing-step decisions [I]`,
  ),
  onTimeDispatchRate: rate(
    'onTimeDispatchRate',
    ['按时派遣率', 'On-time dispatch rate'],
    ['按时派遣数', 'Dispatches within the limit'],
    ['应派遣数：完成的派遣 + 已超时仍未派遣的', 'Dispatches done + dispatches still open past their limit'],
    'higher-better',
  ),
  accurateDispatchRate: rate(
    'accurateDispatchRate',
    ['准确派遣率', 'Accurate dispatch rate'],
    ['派遣数 − 被退回的派遣数', 'Dispatches not returned (退回) by the department'],
    ['应派遣数', 'Dispatches due'],
    'higher-better',
    `${S} names 返工数; a dispatch returned by the department as not its own (退回) is counted as inaccurate instead [I]`,
  ),
  handleRate: rate(
    'handleRate',
    ['处置率', 'Handling rate'],
    ['处置数：处置反馈数', 'Handling feedbacks'],
    ['应处置数：处置反馈 + 已超时仍未处置的', 'Feedbacks + handling tasks still open past their limit'],
    'higher-better',
  ),
  onTimeHandleRate: rate(
    'onTimeHandleRate',
    ['按期处置率', 'On-time handling rate'],
    ['按期处置数：处置时限内反馈的', 'Feedbacks within the handling limit'],
    ['应处置数', 'Handling tasks due'],
    'higher-better',
  ),
  reworkRate: rate(
    'reworkRate',
    ['返工率', 'Rework rate'],
    ['返工数：核查不通过的处置反馈', 'Feedbacks that failed the check'],
    ['处置数', 'Handling feedbacks'],
    'lower-better',
    `${S} (Unicom: 返工数/处置数; a Chengdu text uses 返工数/应结案数)`,
  ),
  closeRate: rate(
    'closeRate',
    ['结案率', 'Closing rate'],
    ['结案数(不含特殊结案)', 'Cases closed (special closes excluded)'],
    ['应结案数：结案(不含特殊结案) + 已超时仍未结案的(挂账除外)', 'Cases closed (special excluded) + open cases past their limit (suspended excluded)'],
    'higher-better',
  ),
  onTimeCloseRate: rate(
    'onTimeCloseRate',
    ['按期结案率', 'On-time closing rate'],
    ['按期结案数：正常结案 + 差错结案(无超时)', 'Cases closed normal or error (no step late)'],
    ['应结案数', 'Cases due to close'],
    'higher-better',
  ),
  overdueRate: rate(
    'overdueRate',
    ['超期率', 'Overdue rate'],
    ['超期数：超时结案 + 已超时仍未结案的', 'Cases closed overdue (超时结案) + open cases past their limit'],
    ['应结案数', 'Cases due to close'],
    'lower-better',
    'eGova counters 超期结案/应结案 [S]; this combination is inferred [I]. 结案类型 as functions/src/cases/close.ts decides it',
  ),
  publicReportRate: rate(
    'publicReportRate',
    ['监督举报率', 'Public report rate'],
    ['监督举报核实数：来源为公众/热线(可配置)并立案的', 'Filed cases reported by the public or the hotline (configurable)'],
    ['立案数', 'Cases filed'],
    'lower-better',
    `${S}; lower is better for a region is inferred [I]`,
  ),
  extensionRate: rate(
    'extensionRate',
    ['延期率', 'Extension rate'],
    ['延期数：获批延期的处置任务', 'Handling tasks with an approved extension'],
    ['应处置数', 'Handling tasks due'],
    'lower-better',
    'Chengdu 金牛区 scoring text: 延期数/应处置数 [S]',
  ),
  onTimeVerifyAssignRate: rate(
    'onTimeVerifyAssignRate',
    ['核实按时派发率', 'On-time verification assignment rate'],
    ['按时派发的核实任务', 'Verification tasks assigned within the limit'],
    ['应派发的核实任务', 'Verification tasks to assign'],
    'higher-better',
    `${S}; not derivable: the platform assigns verification tasks itself, no acceptor event exists`,
    false,
  ),
  onTimeCheckAssignRate: rate(
    'onTimeCheckAssignRate',
    ['核查按时派发率', 'On-time check assignment rate'],
    ['按时派发的核查任务', 'Check tasks assigned within the limit'],
    ['应派发的核查任务', 'Check tasks to assign'],
    'higher-better',
    `${S}; not derivable: the platform assigns check tasks itself, no acceptor event exists`,
    false,
  ),
  reportCount: count('reportCount', ['上报数', 'Reports'], ['上报的案件(监督员：本人上报)', 'Cases reported (for an inspector: own reports)']),
  acceptCount: count('acceptCount', ['受理数', 'Reports accepted'], ['受理员登记的上报', 'Reports registered by an acceptor']),
  verifyCount: count('verifyCount', ['核实数', 'Verifications'], ['完成的核实', 'Verifications done']),
  checkCount: count('checkCount', ['核查数', 'Checks'], ['完成的核查', 'Checks done']),
  missedCount: count('missedCount', ['漏报数', 'Missed reports'], ['见漏报率', 'See the missed report rate']),
  fileCount: count(
    'fileCount',
    ['立案数', 'Cases filed'],
    ['立案数(专业部门：派遣给本部门且未退回的案件)', 'Cases filed (for a department: cases dispatched to it and not returned)'],
  ),
  voidCount: count('voidCount', ['作废数', 'Voided'], ['以无效(invalid)为由作废的案件', 'Cases cancelled as invalid']),
  dispatchCount: count('dispatchCount', ['派遣数', 'Dispatches'], ['派遣(含智能派遣)', 'Dispatches, automatic ones included']),
  returnCount: count('returnCount', ['退回数', 'Returns'], ['专业部门退回的派遣', 'Dispatches returned by the department']),
  handleCount: count('handleCount', ['处置数', 'Handled'], ['处置反馈', 'Handling feedbacks']),
  reworkCount: count('reworkCount', ['返工数', 'Reworks'], ['核查不通过的处置反馈', 'Feedbacks that failed the check']),
  extensionCount: count('extensionCount', ['延期数', 'Extensions'], ['获批的延期', 'Extensions approved']),
  closeCount: count('closeCount', ['结案数', 'Closed'], ['结案(全部结案类型)', 'Cases closed (all close types)']),
  overdueCount: count('overdueCount', ['超期数', 'Overdue'], ['超时结案 + 已超时仍未结案的', 'Closed overdue + open past their limit']),
  publicReportCount: count('publicReportCount', ['监督举报数', 'Public reports'], ['见监督举报率', 'See the public report rate']),
  escalationCount: count('escalationCount', ['督办数', 'Escalations'], ['超时督办次数', 'Escalations of overdue steps'], 'eGova/Unicom 督办 [S]'),
};

export const isRateIndicator = (id: IndicatorId): boolean => INDICATORS[id].kind === 'rate';

// ---------------------------------------------------------------------------------------------------------
// Subjects and positions

/**
 * Who or what is evaluated. `tenant` is the whole platform; `region` is a district (first 6 chars of a grid id);
 * `area` is a 评价网格 (evaluation area, a tenant-drawn group of unit grids with a class); `grid` a 单元网格.
 */
export const SubjectKind = z.enum(['tenant', 'region', 'area', 'grid', 'inspector', 'acceptor', 'shift-leader', 'dispatcher', 'department']);
export type SubjectKind = z.infer<typeof SubjectKind>;

export const SUBJECT_KIND_NAMES: Readonly<Record<SubjectKind, Bilingual>> = {
  tenant: { zh: '本级平台', en: 'Tenant' },
  region: { zh: '区域(区县)', en: 'Region (district)' },
  area: { zh: '评价区域', en: 'Evaluation area' },
  grid: { zh: '单元网格', en: 'Unit grid' },
  inspector: { zh: '监督员', en: 'Field inspector' },
  acceptor: { zh: '受理员', en: 'Acceptor' },
  'shift-leader': { zh: '值班长', en: 'Shift leader' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  department: { zh: '专业部门', en: 'Department' },
};

/**
 * A position has a weighted formula (综合指标值). Districts, evaluation areas and grids are all scored with the
 * region's formula (区域(单元网格)); its 立案数 bands (0, <3, <5 …) fit an evaluation area or a grid over a period.
 */
export const EvaluationPosition = z.enum(['inspector', 'acceptor', 'shift-leader', 'dispatcher', 'department', 'region']);
export type EvaluationPosition = z.infer<typeof EvaluationPosition>;

export const POSITION_OF: Readonly<Record<SubjectKind, EvaluationPosition | null>> = {
  tenant: null,
  region: 'region',
  area: 'region',
  grid: 'region',
  inspector: 'inspector',
  acceptor: 'acceptor',
  'shift-leader': 'shift-leader',
  dispatcher: 'dispatcher',
  department: 'department',
};

/** 一类区域 / 二类区域: the same values as `EvaluationClass` of 评价网格 (contracts/src/basedata.ts). */
export const AreaClass = z.enum(['一类', '二类']);
export type AreaClass = z.infer<typeof AreaClass>;

export const Grade = z.enum(['A', 'B', 'C', 'D', 'E']);
export type Grade = z.infer<typeof Grade>;

// ---------------------------------------------------------------------------------------------------------
// Settings (tenant data)

/** One band of a count score: `count <op> value` → score. Bands are tried in order; the first match wins. */
export const ScoreRule = z.object({
  op: z.enum(['gte', 'gt', 'lte', 'lt']),
  value: z.number(),
  score: z.number().min(0).max(100),
});
export type ScoreRule = z.infer<typeof ScoreRule>;

export const ScoreBands = z.object({ rules: z.array(ScoreRule), otherwise: z.number().min(0).max(100) });
export type ScoreBands = z.infer<typeof ScoreBands>;

export const PositionItem = z
  .object({
    indicator: IndicatorId,
    /** Percent of the position's score; a position's weights add up to 100. */
    weight: z.number().positive().max(100),
    /** Count indicators only: how a count becomes a 0–100 score (e.g. 受理数分值). */
    bands: ScoreBands.optional(),
    /** Count indicators only: bands per area class (区域立案数分值, 一类/二类区域). */
    bandsByAreaClass: z.object({ 一类: ScoreBands, 二类: ScoreBands }).optional(),
    note: z.string().optional(),
  })
  .superRefine((item, ctx) => {
    if (isRateIndicator(item.indicator) && (item.bands || item.bandsByAreaClass)) {
      ctx.addIssue({ code: 'custom', path: ['bands'], message: `${item.indicator} is a rate: it is scored as rate × 100 (or (1 − rate) × 100), not by bands` });
    }
    if (item.bands && item.bandsByAreaClass) {
      ctx.addIssue({ code: 'custom', path: ['bandsByAreaClass'], message: 'give bands or bandsByAreaClass, not both' });
    }
  });
export type PositionItem = z.infer<typeof PositionItem>;

export const GradeBand = z.object({ grade: Grade, min: z.number().min(0).max(100) });
export type GradeBand = z.infer<typeof GradeBand>;

export const EvaluationSettings = z
  .object({
    positions: z.record(EvaluationPosition, z.array(PositionItem).min(1)),
    /** Highest first; a score gets the first grade whose `min` it reaches. The last band's min is 0. */
    grades: z.array(GradeBand).min(1),
    /** Sources whose filed cases count as 漏报 against the grid's inspectors. */
    missedReportSources: z.array(CaseSource),
    /** Sources whose filed cases count as 监督举报. */
    publicReportSources: z.array(CaseSource),
    /**
     * 一类/二类区域 per grid id or district code, for subjects whose class is not given otherwise (an evaluation
     * area carries its own); a grid without an entry takes its district's, then the default.
     */
    areaClasses: z.record(z.string(), AreaClass).default({}),
    defaultAreaClass: AreaClass.default('一类'),
  })
  .superRefine((s, ctx) => {
    for (const position of EvaluationPosition.options) {
      const items = s.positions[position];
      const total = items.reduce((sum, i) => sum + i.weight, 0);
      if (Math.abs(total - 100) > 1e-9) {
        ctx.addIssue({ code: 'custom', path: ['positions', position], message: `the weights of ${position} add up to ${total}, not 100` });
      }
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.indicator)) ctx.addIssue({ code: 'custom', path: ['positions', position, i, 'indicator'], message: `${item.indicator} is listed twice` });
        seen.add(item.indicator);
      });
    }
    s.grades.forEach((g, i) => {
      const prev = s.grades[i - 1];
      if (prev && prev.min <= g.min) ctx.addIssue({ code: 'custom', path: ['grades', i, 'min'], message: 'grades go from the highest min to the lowest' });
    });
    const last = s.grades[s.grades.length - 1];
    if (last && last.min !== 0) ctx.addIssue({ code: 'custom', path: ['grades', s.grades.length - 1, 'min'], message: 'the lowest grade starts at 0' });
  });
export type EvaluationSettings = z.infer<typeof EvaluationSettings>;

const bands = (otherwise: number, ...rules: [ScoreRule['op'], number, number][]): ScoreBands => ({
  rules: rules.map(([op, value, score]) => ({ op, value, score })),
  otherwise,
});

/**
 * DOMAIN_NOTES §2.3 as defaults. Weights and bands are [S] except where a note says otherwise.
 */
export const DEFAULT_EVALUATION_SETTINGS: EvaluationSettings = {
  positions: {
    // 监督员: 有效上报率×40% + 漏报率分值×20% + 按时核实率×20% + 按时核查率×20%. 漏报率 is lower-is-better,
    // so its score is (1 − 漏报率) × 100 (the source adds the raw rate: a bug).
    inspector: [
      { indicator: 'validReportRate', weight: 40 },
      { indicator: 'missedReportRate', weight: 20 },
      { indicator: 'onTimeVerifyRate', weight: 20 },
      { indicator: 'onTimeCheckRate', weight: 20 },
    ],
    // 受理员: 受理数分值×25% + 核实按时派发率×40% + 核查按时派发率×35%.
    acceptor: [
      { indicator: 'acceptCount', weight: 25, bands: bands(0, ['gte', 2001, 100], ['gte', 1201, 90], ['gte', 501, 75], ['gte', 301, 60], ['gte', 101, 40]) },
      {
        indicator: 'onTimeVerifyAssignRate',
        weight: 40,
        note: 'not derivable from the case history (the platform assigns verification tasks); left out of the score until it is',
      },
      {
        indicator: 'onTimeCheckAssignRate',
        weight: 35,
        note: 'not derivable from the case history (the platform assigns check tasks); left out of the score until it is',
      },
    ],
    // 值班长: 按时立案率×25% + 准确立案率×40% + 按时结案率×35%.
    'shift-leader': [
      { indicator: 'onTimeFileRate', weight: 25 },
      { indicator: 'accurateFileRate', weight: 40 },
      { indicator: 'onTimeCloseRate', weight: 35 },
    ],
    // 派遣员: 派遣数分值×20% + 按时派遣率×40% + 准确派遣率×40%.
    dispatcher: [
      {
        indicator: 'dispatchCount',
        weight: 20,
        note: '派遣数分值 bands are not in any source found; add the tenant\'s bands here. Without them this item is left out of the score',
      },
      { indicator: 'onTimeDispatchRate', weight: 40 },
      { indicator: 'accurateDispatchRate', weight: 40 },
    ],
    // 专业部门: 立案数分值×10% + 结案率×30% + 按期处置率×30% + (1 − 返工率)×30%. Fewer cases score higher.
    department: [
      { indicator: 'fileCount', weight: 10, bands: bands(0, ['lte', 50, 100], ['lte', 100, 90], ['lte', 200, 75], ['lte', 500, 60], ['lte', 1000, 40]) },
      { indicator: 'closeRate', weight: 30 },
      { indicator: 'onTimeHandleRate', weight: 30 },
      { indicator: 'reworkRate', weight: 30 },
    ],
    // 区域(单元网格): 监督举报率分值×10% + 立案数分值×20% + 结案率×30% + 按期结案率×40%.
    region: [
      { indicator: 'publicReportRate', weight: 10 },
      {
        indicator: 'fileCount',
        weight: 20,
        bandsByAreaClass: {
          一类: bands(0, ['lte', 0, 100], ['lt', 3, 90], ['lt', 5, 75], ['lt', 7, 60], ['lt', 9, 40]),
          二类: bands(0, ['lte', 0, 100], ['lt', 4, 90], ['lt', 6, 75], ['lt', 8, 60], ['lt', 10, 40]),
        },
      },
      { indicator: 'closeRate', weight: 30 },
      {
        indicator: 'onTimeCloseRate',
        weight: 40,
        // Inferred [I]: the source code has 10%, which leaves the weights at 70%; 40% makes them 100%.
        note: 'weight inferred: the source has 10%, which leaves the weights at 70%',
      },
    ],
  },
  grades: [
    { grade: 'A', min: 90 },
    { grade: 'B', min: 75 },
    { grade: 'C', min: 60 },
    { grade: 'D', min: 40 },
    { grade: 'E', min: 0 },
  ],
  missedReportSources: ['citizen', 'hotline', 'province'],
  publicReportSources: ['citizen', 'hotline'],
  areaClasses: {},
  defaultAreaClass: '一类',
};

/** A unit grid id (GB/T 47678.3, as `GridId` in basedata.ts): a 6-digit division code, then 9 digits or capital letters. */
const UNIT_GRID_ID = z.string().regex(/^\d{6}[0-9A-Z]{9}$/, { message: 'a grid id has 15 characters: a 6-digit division code, then 9 digits or capital letters' });

/** `tenants/<code>/evaluation.json`. */
export const TenantEvaluation = z.object({
  schemaVersion: z.literal(1),
  settings: EvaluationSettings,
  /** 监督员 → the unit grids they are responsible for (for 漏报 and open verify/check tasks). */
  inspectorGrids: z.record(z.string().min(1), z.array(UNIT_GRID_ID)).default({}),
});
export type TenantEvaluation = z.infer<typeof TenantEvaluation>;

// ---------------------------------------------------------------------------------------------------------
// Results

export const EvaluationPeriod = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .refine((p) => Date.parse(p.from) < Date.parse(p.to), { message: 'a period starts before it ends' });
export type EvaluationPeriod = z.infer<typeof EvaluationPeriod>;

/** value = numerator / denominator, or null when the denominator is 0; for counts denominator is null and value = numerator. */
export const IndicatorValue = z.object({
  numerator: z.number().int().min(0),
  denominator: z.number().int().min(0).nullable(),
  value: z.number().min(0).nullable(),
});
export type IndicatorValue = z.infer<typeof IndicatorValue>;

/** One weighted item of a score: the indicator's 0–100 score, or null when it has no value (left out). */
export const ScoreComponent = z.object({ indicator: IndicatorId, weight: z.number(), score: z.number().min(0).max(100).nullable() });
export type ScoreComponent = z.infer<typeof ScoreComponent>;

export const SubjectResult = z.object({
  id: z.string(),
  kind: SubjectKind,
  name: z.string().optional(),
  /** For evaluation areas: their class, which picks the 立案数 bands. */
  areaClass: AreaClass.optional(),
  indicators: z.partialRecord(IndicatorId, IndicatorValue),
  /** Set by `score`: 0–100, null when no weighted indicator has a value or the kind has no position. */
  score: z.number().min(0).max(100).nullable().optional(),
  grade: Grade.nullable().optional(),
  /** Share (0–1) of the position's weight that had values; below 1 the score was renormalised over the rest. */
  coverage: z.number().min(0).max(1).optional(),
  components: z.array(ScoreComponent).optional(),
});
export type SubjectResult = z.infer<typeof SubjectResult>;

export const EvaluationResult = z.object({
  period: EvaluationPeriod,
  /** Events after this moment were not seen (outcomes such as "later voided" are judged as of it). */
  asOf: z.iso.datetime({ offset: true }),
  subjects: z.array(SubjectResult),
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;
