/** MON-2/MON-6 screen logic: colours, markers, the actions a hazard offers a role, plan lookup. */
import { describe, expect, it } from 'vitest';
import type { HazardView, PlanView, RiskPoint } from '../../../contracts';
import { formatChange, hazardActions, hazardMarkers, HAZARD_COLORS, plansOfRule, riskColor, riskMarkers } from './risks';
import { ALARM_LEVEL_COLORS } from './monitoring';

describe('MON-2 risk screens', () => {
  it('draws 重大/较大/一般/低 risk in red, orange, yellow and blue', () => {
    expect([riskColor('major'), riskColor('high'), riskColor('general'), riskColor('low')]).toEqual([ALARM_LEVEL_COLORS.red, ALARM_LEVEL_COLORS.orange, ALARM_LEVEL_COLORS.yellow, ALARM_LEVEL_COLORS.blue]);
  });

  it('marks risk points by level and hazards apart, an overdue hazard emphasised', () => {
    const r = { id: 'R1', name: '调压站', level: 'major', location: { lng: 113, lat: 28 } } as RiskPoint;
    const h = { id: 'H1', title: '锈蚀', level: 'general', status: 'confirmed', overdue: true, location: { lng: 113.1, lat: 28.1 } } as HazardView;
    expect(riskMarkers([r])[0]).toMatchObject({ id: 'risk-R1', color: ALARM_LEVEL_COLORS.red, label: '调压站 · 重大风险', emphasis: true });
    expect(hazardMarkers([h])[0]).toMatchObject({ id: 'hazard-H1', color: HAZARD_COLORS.general, emphasis: true });
  });

  it('offers managers every step the status allows, the responsible department only start and complete', () => {
    expect(hazardActions({ status: 'reported' }, 'monitoring-operator')).toEqual(['confirm', 'reject']);
    expect(hazardActions({ status: 'rectified', department: 'RQ' }, 'tenant-admin')).toEqual(['close', 'reopen']);
    expect(hazardActions({ status: 'confirmed', department: 'RQ' }, 'department-handler', 'RQ')).toEqual(['start']);
    expect(hazardActions({ status: 'confirmed', department: 'RQ' }, 'department-handler', 'SW')).toEqual([]);
    expect(hazardActions({ status: 'reported' }, 'leader')).toEqual([]);
  });

  it('finds the plans of an alarm rule and writes 环比/同比 as percentages', () => {
    const plans = [{ id: 'flood-control', ruleIds: ['drainage-level-high'] }, { id: 'gas-emergency', ruleIds: ['gas-leak-methane'] }] as PlanView[];
    expect(plansOfRule(plans, 'gas-leak-methane').map((p) => p.id)).toEqual(['gas-emergency']);
    expect([formatChange(0.25), formatChange(-0.5), formatChange(null)]).toEqual(['+25%', '-50%', '—']);
  });
});
