/** MON-6: which plans answer an alarm rule, without I/O. */
import { describe, expect, it } from 'vitest';
import { TenantAlarmRules, TenantContingencyPlans, plansForRule } from '../../../contracts';
import { planViews } from './plans';
import { tenantJson } from '../../../test/support/tenant-files';
const rulesJson = tenantJson('430100', 'alarm-rules.json');
const plansJson = tenantJson('430100', 'contingency-plans.json');

const rules = TenantAlarmRules.parse(rulesJson).rules;
const library = TenantContingencyPlans.parse(plansJson);

describe('MON-6 plans of an alarm', () => {
  it('the plan a rule links, and the on-site plan that lists the rule', () => {
    const open = plansForRule(library, { id: 'manhole-open', type: 'state', domain: 'manhole' });
    expect(open.map((p) => p.id)).toEqual(['manhole-onsite']);
    const methane = rules.find((r) => r.id === 'manhole-methane')!;
    expect(plansForRule(library, { id: methane.id, type: methane.type, domain: 'manhole', contingencyPlan: methane.contingencyPlan }).map((p) => p.id)).toEqual(['gas-emergency']);
  });

  it('a plan for a rule type in its domain answers every such rule; a retired plan answers none', () => {
    const lib = { plans: [{ ...library.plans[0]!, id: 'typed', appliesTo: { ruleIds: [], ruleTypes: ['offline' as const] } }, { ...library.plans[0]!, id: 'old', status: 'retired' as const, appliesTo: { ruleIds: ['x-rule'], ruleTypes: [] } }] };
    expect(plansForRule(lib, { id: 'drainage-level-offline', type: 'offline', domain: 'drainage' }).map((p) => p.id)).toEqual(['typed']);
    expect(plansForRule(lib, { id: 'x-rule', type: 'state', domain: 'drainage' })).toEqual([]);
  });

  it('each plan of the library lists the rules that lead to it', () => {
    const views = planViews(library, rules);
    const flood = views.find((p) => p.id === 'flood-control')!;
    expect(flood.ruleIds).toContain('drainage-level-high');
    expect(flood.ruleIds).not.toContain('manhole-methane');
    expect(views.find((p) => p.id === 'manhole-onsite')!.ruleIds).toEqual(['manhole-open']);
    expect(views.every((p) => !('$comment' in p))).toBe(true);
  });
});
