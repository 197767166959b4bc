/**
 * The contingency plan library (应急预案, MON-6) as the tenant loaded it from `contingency-plans.json`: the list
 * (each plan with the alarm rules that lead to it), one plan, and the plans that answer an alarm (the plan its
 * rule links, plans that list the rule, plans for the rule's type in its domain).
 */
import { DEVICE_KINDS, plansForRule, type PlanView, type TenantAlarmRules, type TenantContingencyPlans } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { getAlarm } from '../monitoring/alarms';
import { RulesItem } from '../monitoring/ingest';
import { DomainError } from '../shared/errors';
import { useTenant } from '../tenancy/context';
import { planLibrary } from './env';

async function tenantRules(store: Store): Promise<TenantAlarmRules['rules']> {
  return (await store.get(RulesItem, keys.tenantAlarmRules(useTenant())))?.rules.rules ?? [];
}

/** Each plan with the ids of the rules that lead to it (pure). */
export function planViews(library: Pick<TenantContingencyPlans, 'plans'>, rules: TenantAlarmRules['rules']): PlanView[] {
  return library.plans.map(({ $comment: _, ...plan }) => ({
    ...plan,
    ruleIds: rules.filter((r) => plansForRule(library, { id: r.id, type: r.type, domain: DEVICE_KINDS[r.kind].domain, contingencyPlan: r.contingencyPlan }).some((p) => p.id === plan.id)).map((r) => r.id),
  }));
}

export async function listPlans(store: Store): Promise<PlanView[]> {
  const [library, rules] = await Promise.all([planLibrary(store), tenantRules(store)]);
  return planViews(library, rules);
}

export async function getPlan(store: Store, id: string): Promise<PlanView> {
  const plan = (await listPlans(store)).find((p) => p.id === id);
  if (!plan) throw new DomainError('PLAN_NOT_FOUND');
  return plan;
}

/** The plans that answer one alarm of the tenant (ALARM_NOT_FOUND for an unknown alarm). */
export async function plansForAlarm(store: Store, alarmId: string): Promise<PlanView[]> {
  const alarm = await getAlarm(store, alarmId);
  return (await listPlans(store)).filter((p) => p.ruleIds.includes(alarm.ruleId));
}
