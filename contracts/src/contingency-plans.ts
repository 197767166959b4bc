/**
 * The contingency plan library (应急预案, MON-6): the plans a tenant keeps in `tenants/<code>/contingency-plans.json`,
 * loaded at onboarding like the alarm rules. A plan says which monitoring domains and which alarm rules it answers
 * (an alarm rule's `contingencyPlan` link must name a plan of the library: `unknownPlanLinks`), its response
 * levels, the response steps and who is called, by role and department — never by a person's name or mobile
 * number, so nothing personal reaches logs or notifications.
 */
import { z } from 'zod';
import { AlarmLevel, AlarmRuleId, AlarmRuleType, ContingencyPlanRef, type TenantAlarmRules } from './alarms';
import { DepartmentRef } from './basedata';
import { DeviceDomain } from './devices';
import { DivisionCode } from './divisions';
import { Role } from './roles';

const Name = z.strictObject({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const Text = z.string().trim().min(1).max(2000);
const $comment = z.union([z.string(), z.array(z.string())]).optional();

/** A plan id: the same grammar as the alarm rules' `contingencyPlan.id`. */
export const PlanId = ContingencyPlanRef.shape.id;
export type PlanId = z.infer<typeof PlanId>;

/** 预案类别: the tiers of the national plan system (总体 / 专项 / 部门 / 现场处置方案). */
export const PlanCategory = z.enum(['overall', 'special', 'department', 'onsite']);
export type PlanCategory = z.infer<typeof PlanCategory>;
export const PLAN_CATEGORY_NAMES: Readonly<Record<PlanCategory, z.infer<typeof Name>>> = Object.freeze({
  overall: { zh: '总体应急预案', en: 'Overall plan' },
  special: { zh: '专项应急预案', en: 'Special plan' },
  department: { zh: '部门应急预案', en: 'Department plan' },
  onsite: { zh: '现场处置方案', en: 'On-site response plan' },
});

/** 响应级别: Ⅰ (most severe) … Ⅳ. */
export const ResponseLevel = z.enum(['I', 'II', 'III', 'IV']);
export type ResponseLevel = z.infer<typeof ResponseLevel>;
export const RESPONSE_LEVEL_NAMES: Readonly<Record<ResponseLevel, z.infer<typeof Name>>> = Object.freeze({
  I: { zh: 'Ⅰ级响应', en: 'Level I response' },
  II: { zh: 'Ⅱ级响应', en: 'Level II response' },
  III: { zh: 'Ⅲ级响应', en: 'Level III response' },
  IV: { zh: 'Ⅳ级响应', en: 'Level IV response' },
});

export const PlanStatus = z.enum(['draft', 'effective', 'retired']);
export type PlanStatus = z.infer<typeof PlanStatus>;
export const PLAN_STATUS_NAMES: Readonly<Record<PlanStatus, z.infer<typeof Name>>> = Object.freeze({
  draft: { zh: '草案', en: 'Draft' },
  effective: { zh: '现行有效', en: 'In effect' },
  retired: { zh: '已废止', en: 'Retired' },
});

/** One response level of a plan: when it starts (text, and the least alarm level that suggests it). */
export const PlanResponseLevel = z.strictObject({
  level: ResponseLevel,
  trigger: Text,
  fromAlarmLevel: AlarmLevel.optional(),
});

/** One response step, in order: what to do, who does it, within how many minutes of the start. */
export const PlanStep = z.strictObject({
  title: z.string().trim().min(1).max(100),
  action: Text,
  role: Role.optional(),
  department: DepartmentRef.optional(),
  withinMinutes: z.number().int().min(0).max(7 * 24 * 60).optional(),
});
export type PlanStep = z.infer<typeof PlanStep>;

/**
 * Who is called: a role and/or a department of the manifest, and their duty. No names and no phone numbers:
 * the duty line of a department lives in the manifest's contacts, people in the identity provider.
 */
export const PlanContact = z
  .strictObject({ role: Role.optional(), department: DepartmentRef.optional(), duty: z.string().trim().min(1).max(200) })
  .refine((c) => c.role !== undefined || c.department !== undefined, { message: 'a contact names a role or a department' });
export type PlanContact = z.infer<typeof PlanContact>;

export const ContingencyPlan = z.strictObject({
  $comment,
  id: PlanId,
  name: Name,
  category: PlanCategory,
  domains: z.array(DeviceDomain).min(1),
  /** Alarm rules it answers besides those that link it in alarm-rules.json, and rule types it answers in its domains. */
  appliesTo: z.strictObject({ ruleIds: z.array(AlarmRuleId).default([]), ruleTypes: z.array(AlarmRuleType).default([]) }).default({ ruleIds: [], ruleTypes: [] }),
  responseLevels: z.array(PlanResponseLevel).min(1).max(4),
  steps: z.array(PlanStep).min(1).max(50),
  contacts: z.array(PlanContact).max(50).default([]),
  /** The issuing body (发布单位) as printed on the plan. */
  issuedBy: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(40),
  issuedOn: z.iso.date().optional(),
  status: PlanStatus,
  /** Where the content comes from and how provisional it is. */
  note: z.string().max(2000).optional(),
});
export type ContingencyPlan = z.infer<typeof ContingencyPlan>;
export type ContingencyPlanInput = z.input<typeof ContingencyPlan>;

/** `tenants/<code>/contingency-plans.json`. */
export const TenantContingencyPlans = z
  .strictObject({
    $comment,
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    tenant: DivisionCode,
    note: z.string().max(2000).optional(),
    plans: z.array(ContingencyPlan),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.plans.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'id'], message: `plan id ${p.id} appears twice` });
      seen.add(p.id);
    });
  });
export type TenantContingencyPlans = z.infer<typeof TenantContingencyPlans>;

/** A link problem between a tenant's alarm rules and its plan library. */
export interface PlanLinkProblem {
  path: string;
  message: string;
}

/**
 * Links that point nowhere: an alarm rule's `contingencyPlan` naming no plan of the library (or a plan under
 * another name), and a plan's `appliesTo.ruleIds` naming no rule of the tenant. Empty when all is well.
 */
export function unknownPlanLinks(rules: Pick<TenantAlarmRules, 'rules'>, library: Pick<TenantContingencyPlans, 'plans'>): PlanLinkProblem[] {
  const plans = new Map(library.plans.map((p) => [p.id, p]));
  const ruleIds = new Set(rules.rules.map((r) => r.id));
  const out: PlanLinkProblem[] = [];
  rules.rules.forEach((r, i) => {
    if (!r.contingencyPlan) return;
    const plan = plans.get(r.contingencyPlan.id);
    if (!plan) out.push({ path: `rules[${i}].contingencyPlan.id`, message: `rule ${r.id} links plan ${r.contingencyPlan.id}, which is not in contingency-plans.json` });
    else if (plan.name.zh !== r.contingencyPlan.name.zh) out.push({ path: `rules[${i}].contingencyPlan.name.zh`, message: `rule ${r.id} calls plan ${plan.id} “${r.contingencyPlan.name.zh}”; the library calls it “${plan.name.zh}”` });
  });
  library.plans.forEach((p, i) => {
    p.appliesTo.ruleIds.forEach((id, j) => {
      if (!ruleIds.has(id)) out.push({ path: `plans[${i}].appliesTo.ruleIds[${j}]`, message: `plan ${p.id} applies to rule ${id}, which is not in alarm-rules.json` });
    });
  });
  return out;
}

/** The plans that answer an alarm of `rule`: the one the rule links, those that list the rule, and those for its type in its domain. */
export function plansForRule(
  library: Pick<TenantContingencyPlans, 'plans'>,
  rule: { id: string; type: AlarmRuleType; domain: DeviceDomain; contingencyPlan?: { id: string } | undefined },
): ContingencyPlan[] {
  return library.plans.filter(
    (p) =>
      p.status !== 'retired' &&
      (p.id === rule.contingencyPlan?.id || p.appliesTo.ruleIds.includes(rule.id) || (p.domains.includes(rule.domain) && p.appliesTo.ruleTypes.includes(rule.type))),
  );
}

/** GET /v1/plans items: the plan with the tenant's alarm rules that lead to it (linked or listed). */
export const PlanView = ContingencyPlan.omit({ $comment: true }).extend({ ruleIds: z.array(z.string()) });
export type PlanView = z.infer<typeof PlanView>;
