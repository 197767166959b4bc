/**
 * Monitoring alarms (MON-3 告警, MON-4 预警, MUN-3/4/5): the four warning levels, the alarm rules a tenant keeps in
 * `tenants/<code>/alarm-rules.json` (with per-device overrides), the alarm record and its life cycle
 * (raised → acknowledged → disposed, cleared when the device is back to normal), and the events the monitoring
 * engine emits on each transition.
 *
 * A rule watches one device kind. Four types:
 * - threshold: a numeric metric above (or below) a value for a duration, per level (escalates, clears when normal);
 * - rate: a numeric metric changing faster than X per minute (a burst main, a rising river);
 * - offline: no message for N minutes (for a manhole cover that can mean the cover was taken);
 * - state: a boolean metric becomes true (cover opened, pump fault), false clears it.
 */
import { z } from 'zod';
import { Ulid } from './case';
import { TypeCode } from './catalogue/gbt47678-5-2026';
import { ALARM_LEVEL_IDS, DEVICE_KINDS, DeviceKind, Instant, MetricName, ReadingValue, metricSpec } from './devices';
import { DivisionCode } from './divisions';
import { DeviceId } from './mqtt';

const Name = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
type Name = z.infer<typeof Name>;
/** A note for people, allowed on every object of the file (as in the manifests). */
const $comment = z.union([z.string(), z.array(z.string())]).optional();

// ---------------------------------------------------------------------------------------------------------
// Levels

/** 预警级别: blue < yellow < orange < red (red is the most severe). */
export const AlarmLevel = z.enum(ALARM_LEVEL_IDS);
export type AlarmLevel = z.infer<typeof AlarmLevel>;

/** Labels of the levels. */
export const ALARM_LEVEL_NAMES: Readonly<Record<AlarmLevel, Name>> = Object.freeze({
  blue: { zh: '蓝色预警', en: 'Blue alert' },
  yellow: { zh: '黄色预警', en: 'Yellow alert' },
  orange: { zh: '橙色预警', en: 'Orange alert' },
  red: { zh: '红色预警', en: 'Red alert' },
});

/** 0 for blue … 3 for red. */
export const alarmLevelRank = (level: AlarmLevel): number => ALARM_LEVEL_IDS.indexOf(level);

/** Sort comparator: negative when `a` is less severe than `b`. */
export const compareAlarmLevels = (a: AlarmLevel, b: AlarmLevel): number => alarmLevelRank(a) - alarmLevelRank(b);

/** True when `level` is `min` or more severe. */
export const isAtLeast = (level: AlarmLevel, min: AlarmLevel): boolean => alarmLevelRank(level) >= alarmLevelRank(min);

/** The more severe of two levels; null stands for "no alarm". */
export function maxAlarmLevel(a: AlarmLevel | null, b: AlarmLevel | null): AlarmLevel | null {
  if (a === null) return b;
  if (b === null) return a;
  return isAtLeast(a, b) ? a : b;
}

// ---------------------------------------------------------------------------------------------------------
// Rules

export const AlarmRuleType = z.enum(['threshold', 'rate', 'offline', 'state']);
export type AlarmRuleType = z.infer<typeof AlarmRuleType>;

/** A rule id, unique within a tenant's file. */
export const AlarmRuleId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: 'a rule id is 2–64 lower-case letters, digits or dashes' });

const Seconds = z.number().int().min(0).max(7 * 24 * 3600);

/** One level of a threshold rule: the condition (strictly above or below a value) must hold `forSeconds` of device time. */
export const ThresholdLevel = z
  .strictObject({
    $comment,
    level: AlarmLevel,
    above: z.number().optional(),
    below: z.number().optional(),
    forSeconds: Seconds.default(0),
  })
  .refine((l) => (l.above === undefined) !== (l.below === undefined), { message: 'a level has exactly one of above or below' });
export type ThresholdLevel = z.infer<typeof ThresholdLevel>;

/** A contingency plan (应急预案, MON-6) the alarm links to, so the console can open it. */
export const ContingencyPlanRef = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'a plan id is 1–40 letters, digits, _ or -' }),
  name: Name,
});
export type ContingencyPlanRef = z.infer<typeof ContingencyPlanRef>;

/** The change a rate rule watches: `perMinuteAbove` units per minute, rising, falling or either way. */
export const RateCondition = z.strictObject({
  perMinuteAbove: z.number().positive(),
  direction: z.enum(['rise', 'fall', 'either']).default('either'),
});
export type RateCondition = z.infer<typeof RateCondition>;

const OfflineMinutes = z.number().int().min(1).max(7 * 24 * 60);

const ruleBase = {
  $comment,
  id: AlarmRuleId,
  kind: DeviceKind,
  name: Name,
  /** 5-digit GB/T 47678.5 type code of the case an alarm opens, when the device has no component id to take it from. */
  caseTypeCode: TypeCode,
  /** The least severe level that opens a case (立案 by the sensor source); null: alarms only, never a case. */
  opensCaseFrom: AlarmLevel.nullable(),
  contingencyPlan: ContingencyPlanRef.optional(),
  /** Where the values come from and how provisional they are. */
  note: z.string().max(1000).optional(),
};

export const ThresholdRule = z.strictObject({
  ...ruleBase,
  type: z.literal('threshold'),
  metric: MetricName,
  levels: z.array(ThresholdLevel).min(1).max(4),
  /** How long the reading must stay normal before the alarm clears (damps flapping around a threshold). */
  clearForSeconds: Seconds.default(0),
});
export const RateRule = z.strictObject({
  ...ruleBase,
  type: z.literal('rate'),
  metric: MetricName,
  level: AlarmLevel,
  rate: RateCondition,
  clearForSeconds: Seconds.default(0),
});
export const OfflineRule = z.strictObject({
  ...ruleBase,
  type: z.literal('offline'),
  level: AlarmLevel,
  /** Minutes without any message (platform clock) before the device counts as offline. */
  offlineMinutes: OfflineMinutes,
});
export const StateRule = z.strictObject({
  ...ruleBase,
  type: z.literal('state'),
  metric: MetricName,
  level: AlarmLevel,
  /** How long the boolean must stay true before the alarm is raised (0: at once). */
  forSeconds: Seconds.default(0),
});

/** The levels a rule can raise, least severe first. */
export function ruleLevels(rule: AlarmRule): AlarmLevel[] {
  const levels = rule.type === 'threshold' ? rule.levels.map((l) => l.level) : [rule.level];
  return [...levels].sort(compareAlarmLevels);
}

type RuleShape = z.infer<typeof ThresholdRule> | z.infer<typeof RateRule> | z.infer<typeof OfflineRule> | z.infer<typeof StateRule>;

function checkRule(rule: RuleShape, ctx: z.core.$RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (rule.type !== 'offline') {
    const spec = metricSpec(rule.kind, rule.metric);
    const wanted = rule.type === 'state' ? 'boolean' : 'number';
    if (spec === undefined) {
      issue(['metric'], `${rule.kind} has no metric ${rule.metric} (it has ${Object.keys(DEVICE_KINDS[rule.kind].metrics).join(', ')})`);
      return;
    }
    if (spec.type !== wanted) issue(['metric'], `a ${rule.type} rule needs a ${wanted} metric; ${rule.metric} is ${spec.type}`);
    if (rule.type === 'threshold' && spec.type === 'number') {
      const seen = new Set<AlarmLevel>();
      rule.levels.forEach((l, i) => {
        if (seen.has(l.level)) issue(['levels', i, 'level'], `level ${l.level} appears twice`);
        seen.add(l.level);
        const v = l.above ?? l.below;
        if (v !== undefined && (v < spec.min || v > spec.max)) issue(['levels', i], `${v} is outside the range of ${rule.metric} (${spec.min}–${spec.max} ${spec.unit}): check the unit`);
      });
      const directions = new Set(rule.levels.map((l) => (l.above === undefined ? 'below' : 'above')));
      if (directions.size > 1) issue(['levels'], 'all levels of a rule are above or all below (make two rules for a band)');
      // A more severe level must be at least as far out as a milder one, or the milder one could never be seen.
      const sorted = [...rule.levels].sort((a, b) => compareAlarmLevels(a.level, b.level));
      for (let i = 1; i < sorted.length; i++) {
        const milder = sorted[i - 1]!;
        const worse = sorted[i]!;
        const ok = worse.above !== undefined ? worse.above >= (milder.above ?? -Infinity) : (worse.below ?? Infinity) <= (milder.below ?? Infinity);
        if (!ok) issue(['levels'], `${worse.level} must be at least as far beyond the threshold as ${milder.level}`);
      }
    }
  }
  if (rule.opensCaseFrom !== null) {
    const levels = ruleLevels(rule);
    const top = levels[levels.length - 1];
    if (top !== undefined && !isAtLeast(top, rule.opensCaseFrom)) {
      issue(['opensCaseFrom'], `the rule never reaches ${rule.opensCaseFrom}, so it would never open a case: use null or a lower level`);
    }
  }
}

/** One alarm rule of a tenant (see the module comment for the four types). */
export const AlarmRule = z.discriminatedUnion('type', [ThresholdRule, RateRule, OfflineRule, StateRule]).superRefine(checkRule);
export type AlarmRule = z.infer<typeof AlarmRule>;
export type AlarmRuleInput = z.input<typeof AlarmRule>;

/** True when an alarm of this level, raised by this rule, opens a case. */
export const opensCase = (rule: Pick<AlarmRule, 'opensCaseFrom'>, level: AlarmLevel): boolean =>
  rule.opensCaseFrom !== null && isAtLeast(level, rule.opensCaseFrom);

/**
 * The type code of the case an alarm opens: the monitored component's own type (digits 7–11 of its 17-digit id,
 * e.g. 01011 for a gas manhole cover) when the device has one, else the rule's default.
 */
export const caseTypeCodeFor = (rule: Pick<AlarmRule, 'caseTypeCode'>, device: { componentId?: string | undefined }): string =>
  device.componentId !== undefined && /^\d{17}$/.test(device.componentId) ? device.componentId.slice(6, 11) : rule.caseTypeCode;

/** A per-device change to one rule: its own thresholds (a deeper well, a bigger pipe), offline time, or off. */
export const AlarmRuleOverride = z
  .strictObject({
    $comment,
    deviceId: DeviceId,
    ruleId: AlarmRuleId,
    levels: z.array(ThresholdLevel).min(1).max(4).optional(),
    rate: RateCondition.optional(),
    offlineMinutes: OfflineMinutes.optional(),
    disabled: z.boolean().optional(),
    note: z.string().max(1000).optional(),
  })
  .refine((o) => o.levels !== undefined || o.rate !== undefined || o.offlineMinutes !== undefined || o.disabled !== undefined, {
    message: 'an override changes levels, rate, offlineMinutes or disabled',
  });
export type AlarmRuleOverride = z.infer<typeof AlarmRuleOverride>;

/** The rule with an override's values put in (`disabled` is handled by the caller). */
function applyOverride(rule: AlarmRule, o: AlarmRuleOverride): AlarmRule {
  if (rule.type === 'threshold' && o.levels) return { ...rule, levels: o.levels };
  if (rule.type === 'rate' && o.rate) return { ...rule, rate: o.rate };
  if (rule.type === 'offline' && o.offlineMinutes !== undefined) return { ...rule, offlineMinutes: o.offlineMinutes };
  return rule;
}

/** `tenants/<code>/alarm-rules.json`: the tenant's rules for every device kind and the per-device overrides. */
export const TenantAlarmRules = z
  .strictObject({
    $comment,
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    tenant: DivisionCode,
    /** How provisional the values are and who must confirm them. */
    note: z.string().max(2000).optional(),
    rules: z.array(AlarmRule),
    overrides: z.array(AlarmRuleOverride).default([]),
  })
  .superRefine((file, ctx) => {
    const byId = new Map<string, AlarmRule>();
    file.rules.forEach((r, i) => {
      if (byId.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id ${r.id} appears twice` });
      byId.set(r.id, r);
    });
    const pairs = new Set<string>();
    file.overrides.forEach((o, i) => {
      const at = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['overrides', i, field], message });
      const rule = byId.get(o.ruleId);
      if (rule === undefined) return at('ruleId', `no rule ${o.ruleId} in this file`);
      const pair = `${o.deviceId} ${o.ruleId}`;
      if (pairs.has(pair)) at('deviceId', `a second override of ${o.ruleId} for ${o.deviceId}: merge them`);
      pairs.add(pair);
      if (o.levels && rule.type !== 'threshold') at('levels', `levels only override threshold rules; ${rule.id} is a ${rule.type} rule`);
      if (o.rate && rule.type !== 'rate') at('rate', `rate only overrides rate rules; ${rule.id} is a ${rule.type} rule`);
      if (o.offlineMinutes !== undefined && rule.type !== 'offline') at('offlineMinutes', `offlineMinutes only overrides offline rules; ${rule.id} is a ${rule.type} rule`);
      // The merged rule must be as valid as a rule written out in full (directions, order, ranges).
      const merged = AlarmRule.safeParse(applyOverride(rule, o));
      if (!merged.success) for (const issue of merged.error.issues) ctx.addIssue({ code: 'custom', path: ['overrides', i, ...issue.path.map(String)], message: issue.message });
    });
  });
export type TenantAlarmRules = z.infer<typeof TenantAlarmRules>;
export type TenantAlarmRulesInput = z.input<typeof TenantAlarmRules>;

/** The rules that apply to one device: the rules of its kind with its overrides applied and its disabled rules left out. */
export function effectiveRules(file: Pick<TenantAlarmRules, 'rules' | 'overrides'>, device: { id: string; kind: DeviceKind }): AlarmRule[] {
  const mine = new Map(file.overrides.filter((o) => o.deviceId === device.id).map((o) => [o.ruleId, o]));
  const out: AlarmRule[] = [];
  for (const rule of file.rules) {
    if (rule.kind !== device.kind) continue;
    const o = mine.get(rule.id);
    if (o?.disabled === true) continue;
    out.push(o ? applyOverride(rule, o) : rule);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Engine events and alarm records

/**
 * A transition found by the monitoring engine: `raise` (normal → level), `level` (escalation of a raised alarm),
 * `clear` (back to normal; `level` is the level that was active). `at` is device time for readings and platform
 * time for offline rules.
 */
export const AlarmEvent = z.strictObject({
  type: z.enum(['raise', 'clear', 'level']),
  ruleId: AlarmRuleId,
  level: AlarmLevel,
  /** The reading that caused it; for offline rules, the minutes without a message. */
  value: ReadingValue,
  at: Instant,
});
export type AlarmEvent = z.infer<typeof AlarmEvent>;

export const AlarmStatus = z.enum(['raised', 'acknowledged', 'disposed', 'cleared']);
export type AlarmStatus = z.infer<typeof AlarmStatus>;

/** Labels of the statuses. */
export const ALARM_STATUS_NAMES: Readonly<Record<AlarmStatus, Name>> = Object.freeze({
  raised: { zh: '待确认', en: 'Raised' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  disposed: { zh: '已处置', en: 'Disposed' },
  cleared: { zh: '已解除', en: 'Cleared' },
});

/**
 * Allowed status changes. Clearing comes from the device and may happen at any point; a person acknowledges and
 * disposes. A disposed alarm whose condition still holds stays disposed until the device clears it, and the rule
 * raises no new alarm before that.
 */
export const ALARM_TRANSITIONS: Readonly<Record<AlarmStatus, readonly AlarmStatus[]>> = Object.freeze({
  raised: ['acknowledged', 'disposed', 'cleared'],
  acknowledged: ['disposed', 'cleared'],
  disposed: ['cleared'],
  cleared: [],
});

export const AlarmAction = z.enum(['raised', 'escalated', 'acknowledged', 'disposed', 'cleared', 'case-opened']);
export type AlarmAction = z.infer<typeof AlarmAction>;

export const AlarmHistoryEntry = z.object({
  at: Instant,
  action: AlarmAction,
  /** A user id, or 'system' for the engine. */
  actor: z.string().min(1),
  level: AlarmLevel.optional(),
  value: ReadingValue.optional(),
  note: z.string().max(1000).optional(),
});
export type AlarmHistoryEntry = z.infer<typeof AlarmHistoryEntry>;

/** An alarm of one device and one rule, from raise to clear. */
export const Alarm = z.object({
  id: Ulid,
  tenant: DivisionCode,
  deviceId: DeviceId,
  kind: DeviceKind,
  ruleId: AlarmRuleId,
  type: AlarmRuleType,
  /** The current (highest reached) level. */
  level: AlarmLevel,
  /** The reading at the last raise or escalation. */
  value: ReadingValue,
  status: AlarmStatus,
  raisedAt: Instant,
  clearedAt: Instant.optional(),
  /** The case opened for it (source 'sensor'), when its level reached the rule's `opensCaseFrom`. */
  caseId: z.string().optional(),
  history: z.array(AlarmHistoryEntry),
});
export type Alarm = z.infer<typeof Alarm>;

const Note = z.string().trim().max(1000);
/** POST body: a monitoring operator has seen the alarm. */
export const AcknowledgeAlarm = z.object({ note: Note.default('') });
export type AcknowledgeAlarm = z.input<typeof AcknowledgeAlarm>;
/** POST body: the alarm was dealt with; the note says how. */
export const DisposeAlarm = z.object({ note: Note.min(2) });
export type DisposeAlarm = z.input<typeof DisposeAlarm>;
