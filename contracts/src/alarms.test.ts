import { describe, expect, it } from 'vitest';
import {
  ALARM_LEVEL_NAMES,
  ALARM_TRANSITIONS,
  AlarmLevel,
  AlarmRule,
  caseTypeCodeFor,
  compareAlarmLevels,
  DisposeAlarm,
  effectiveRules,
  isAtLeast,
  maxAlarmLevel,
  opensCase,
  TenantAlarmRules,
  type AlarmRuleInput,
  type TenantAlarmRulesInput,
} from './alarms';

const LEVEL_HIGH: AlarmRuleInput = {
  id: 'drainage-level-high',
  kind: 'drainage-level',
  type: 'threshold',
  metric: 'levelM',
  name: { zh: '排水管网液位超限', en: 'High drainage water level' },
  levels: [
    { level: 'yellow', above: 0.8, forSeconds: 120 },
    { level: 'orange', above: 1.2, forSeconds: 60 },
  ],
  caseTypeCode: '01003',
  opensCaseFrom: 'orange',
};

/** The messages of a failed parse (fails the test if it passed). */
function problems(r: { success: boolean; error?: { issues: { message: string }[] } }): string {
  expect(r.success).toBe(false);
  return (r.error?.issues ?? []).map((i) => i.message).join('; ');
}

describe('MON-4 warning levels', () => {
  it('orders blue < yellow < orange < red, red the most severe', () => {
    expect([...AlarmLevel.options].sort(compareAlarmLevels)).toEqual(['blue', 'yellow', 'orange', 'red']);
    expect(isAtLeast('red', 'orange')).toBe(true);
    expect(isAtLeast('yellow', 'orange')).toBe(false);
    expect(maxAlarmLevel('yellow', 'orange')).toBe('orange');
    expect(maxAlarmLevel(null, 'blue')).toBe('blue');
    expect(ALARM_LEVEL_NAMES.red.zh).toBe('红色预警');
  });
});

describe('MON-3 alarm rules', () => {
  it('accepts a drainage threshold rule and fills in defaults', () => {
    const rule = AlarmRule.parse(LEVEL_HIGH);
    expect(rule).toMatchObject({ type: 'threshold', clearForSeconds: 0 });
  });

  it('refuses a metric the kind does not report', () => {
    expect(problems(AlarmRule.safeParse({ ...LEVEL_HIGH, metric: 'pressureMPa' }))).toMatch(/drainage-level has no metric pressureMPa/);
  });

  it('refuses a state rule on a numeric metric', () => {
    const r = AlarmRule.safeParse({ id: 'x-state', kind: 'drainage-level', type: 'state', metric: 'levelM', name: LEVEL_HIGH.name, level: 'red', caseTypeCode: '01003', opensCaseFrom: null });
    expect(problems(r)).toMatch(/needs a boolean metric/);
  });

  it('refuses a threshold in the wrong unit (800 for metres)', () => {
    expect(problems(AlarmRule.safeParse({ ...LEVEL_HIGH, levels: [{ level: 'yellow', above: 800 }] }))).toMatch(/outside the range of levelM/);
  });

  it('refuses orange at a lower level than yellow', () => {
    const levels = [{ level: 'yellow', above: 1.2 }, { level: 'orange', above: 0.8 }] as const;
    expect(problems(AlarmRule.safeParse({ ...LEVEL_HIGH, levels }))).toMatch(/orange must be at least as far/);
  });

  it('refuses a level with both above and below', () => {
    expect(problems(AlarmRule.safeParse({ ...LEVEL_HIGH, levels: [{ level: 'yellow', above: 0.8, below: 2 }] }))).toMatch(/exactly one of above or below/);
  });

  it('refuses opensCaseFrom above every level the rule raises', () => {
    expect(problems(AlarmRule.safeParse({ ...LEVEL_HIGH, opensCaseFrom: 'red' }))).toMatch(/never open a case/);
  });

  it('opens a case from the configured level up', () => {
    const rule = AlarmRule.parse(LEVEL_HIGH);
    expect([opensCase(rule, 'yellow'), opensCase(rule, 'orange'), opensCase(rule, 'red')]).toEqual([false, true, true]);
    expect(opensCase({ opensCaseFrom: null }, 'red')).toBe(false);
  });

  it('takes the case type from the component id of the device when it has one (01011 燃气井盖)', () => {
    const rule = AlarmRule.parse(LEVEL_HIGH);
    expect(caseTypeCodeFor(rule, { componentId: '43010201011000007' })).toBe('01011');
    expect(caseTypeCodeFor(rule, {})).toBe('01003');
  });
});

describe('MON-3 tenant alarm rules and overrides', () => {
  const file = (overrides: TenantAlarmRulesInput['overrides']): TenantAlarmRulesInput => ({ schemaVersion: 1, tenant: '430100', rules: [LEVEL_HIGH], overrides });

  it('refuses an override of a rule the file does not have', () => {
    expect(problems(TenantAlarmRules.safeParse(file([{ deviceId: 'CS-DL-000001', ruleId: 'no-such-rule', disabled: true }])))).toMatch(/no rule no-such-rule/);
  });

  it('refuses offlineMinutes on a threshold rule', () => {
    expect(problems(TenantAlarmRules.safeParse(file([{ deviceId: 'CS-DL-000001', ruleId: 'drainage-level-high', offlineMinutes: 10 }])))).toMatch(/only overrides offline rules/);
  });

  it('checks overridden levels like the rule’s own', () => {
    const levels = [{ level: 'yellow', above: 2 }, { level: 'orange', above: 1 }] as const;
    expect(problems(TenantAlarmRules.safeParse(file([{ deviceId: 'CS-DL-000001', ruleId: 'drainage-level-high', levels: [...levels] }])))).toMatch(/orange must be/);
  });

  it('refuses an override whose levels no longer reach the level that opens a case', () => {
    expect(problems(TenantAlarmRules.safeParse(file([{ deviceId: 'CS-DL-000001', ruleId: 'drainage-level-high', levels: [{ level: 'yellow', above: 2 }] }])))).toMatch(/never open a case/);
  });

  it('refuses two rules with one id', () => {
    expect(problems(TenantAlarmRules.safeParse({ ...file([]), rules: [LEVEL_HIGH, LEVEL_HIGH] }))).toMatch(/appears twice/);
  });

  it('resolves the rules of a device: its kind only, with its override', () => {
    const cover: AlarmRuleInput = { id: 'manhole-open', kind: 'manhole-cover', type: 'state', metric: 'open', name: { zh: '井盖开启', en: 'Cover opened' }, level: 'orange', caseTypeCode: '01003', opensCaseFrom: 'orange' };
    const parsed = TenantAlarmRules.parse({ ...file([{ deviceId: 'CS-DL-000009', ruleId: 'drainage-level-high', levels: [{ level: 'yellow', above: 2 }, { level: 'orange', above: 2.5 }] }]), rules: [LEVEL_HIGH, cover] });
    const rules = effectiveRules(parsed, { id: 'CS-DL-000009', kind: 'drainage-level' });
    expect(rules.map((r) => r.id)).toEqual(['drainage-level-high']);
    expect(rules[0]).toMatchObject({ levels: [{ level: 'yellow', above: 2, forSeconds: 0 }, { level: 'orange', above: 2.5 }] });
    expect(effectiveRules(parsed, { id: 'CS-DL-000001', kind: 'drainage-level' })[0]).toMatchObject({ levels: [{ above: 0.8 }, { above: 1.2 }] });
  });
});

describe('MON-3 alarm life cycle', () => {
  it('lets the device clear an alarm at any stage and a person acknowledge, then dispose', () => {
    expect(ALARM_TRANSITIONS.raised).toEqual(['acknowledged', 'disposed', 'cleared']);
    expect(ALARM_TRANSITIONS.disposed).toEqual(['cleared']);
    expect(ALARM_TRANSITIONS.cleared).toEqual([]);
  });

  it('asks for a note saying how the alarm was disposed', () => {
    expect(DisposeAlarm.safeParse({ note: ' ' }).success).toBe(false);
    expect(DisposeAlarm.parse({ note: '已复位井盖' })).toEqual({ note: '已复位井盖' });
  });
});
