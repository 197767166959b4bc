/**
 * MON-6: the tenants' plan libraries and risk settings validate, are marked provisional, and every plan an alarm
 * rule links exists in the library under the same name (onboarding refuses the folder otherwise).
 */
import { describe, expect, it } from 'vitest';
import { TenantAlarmRules } from '../contracts/src/alarms';
import { TenantContingencyPlans, unknownPlanLinks } from '../contracts/src/contingency-plans';
import { TenantRiskSettings } from '../contracts/src/risks';
import changshaRules from './430100/alarm-rules.json';
import changshaPlans from './430100/contingency-plans.json';
import changshaSettings from './430100/risk-settings.json';
import liuyangRules from './430181/alarm-rules.json';
import liuyangPlans from './430181/contingency-plans.json';
import liuyangSettings from './430181/risk-settings.json';

const tenants = [
  ['430100', changshaRules, changshaPlans, changshaSettings],
  ['430181', liuyangRules, liuyangPlans, liuyangSettings],
] as const;

describe('MON-6 contingency plan library', () => {
  for (const [code, rulesJson, plansJson, settingsJson] of tenants) {
    describe(code, () => {
      const rules = TenantAlarmRules.parse(rulesJson);
      const plans = TenantContingencyPlans.safeParse(plansJson);

      it('parses as TenantContingencyPlans, for its own tenant, marked provisional', () => {
        expect(plans.error?.issues ?? []).toEqual([]);
        expect(plans.data?.tenant).toBe(code);
        expect(plans.data?.note).toMatch(/PROVISIONAL/);
      });

      it('has a plan for every contingencyPlan link of the alarm rules, under the same name', () => {
        expect(rules.rules.some((r) => r.contingencyPlan)).toBe(true);
        expect(unknownPlanLinks(rules, plans.data ?? { plans: [] })).toEqual([]);
      });

      it('names contacts by role or department, never by a phone number', () => {
        expect(JSON.stringify(plansJson)).not.toMatch(/1[3-9]\d{9}|\d{3,4}-\d{7,8}/);
      });

      it('keeps hazard rectification periods as tenant data (MON-2), marked provisional', () => {
        const settings = TenantRiskSettings.parse(settingsJson);
        expect(settings.tenant).toBe(code);
        expect(settings.note).toMatch(/PROVISIONAL/);
        expect(settings.hazardRectificationDays.major).toBeGreaterThan(settings.hazardRectificationDays.general);
      });
    });
  }

  it('a rule linking a plan the library lacks, or under another name, is reported with its path', () => {
    // Prepare
    const rules = TenantAlarmRules.parse(changshaRules);
    const library = TenantContingencyPlans.parse(changshaPlans);
    const withoutFlood = { plans: library.plans.filter((p) => p.id !== 'flood-control') };
    const renamed = { plans: library.plans.map((p) => (p.id === 'gas-emergency' ? { ...p, name: { zh: '别的预案', en: 'Other' } } : p)) };
    // Act
    const missing = unknownPlanLinks(rules, withoutFlood);
    const misnamed = unknownPlanLinks(rules, renamed);
    // Assess
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0]?.path).toMatch(/^rules\[\d+\]\.contingencyPlan\.id$/);
    expect(missing[0]?.message).toContain('flood-control');
    expect(misnamed.every((p) => p.path.endsWith('contingencyPlan.name.zh'))).toBe(true);
    expect(misnamed.length).toBeGreaterThan(0);
  });

  it('a plan applying to a rule the tenant does not have is reported', () => {
    const rules = TenantAlarmRules.parse(changshaRules);
    const library = TenantContingencyPlans.parse(changshaPlans);
    const odd = { plans: [...library.plans, { ...library.plans[0]!, id: 'odd-plan', appliesTo: { ruleIds: ['no-such-rule'], ruleTypes: [] } }] };
    expect(unknownPlanLinks(rules, odd)).toEqual([{ path: `plans[${library.plans.length}].appliesTo.ruleIds[0]`, message: 'plan odd-plan applies to rule no-such-rule, which is not in alarm-rules.json' }]);
  });
});
