/** MON-2 contracts: settings, bodies and the hazard life cycle table parse what the standard allows and nothing else. */
import { describe, expect, it } from 'vitest';
import { HAZARD_TRANSITIONS, HazardTransition, RISK_LEVEL_COLOURS, RecordAccident, ReportHazard, TenantRiskSettings } from './risks';

const at = { lng: 112.98, lat: 28.19 };

describe('MON-2 risk contracts', () => {
  it('grades risk in four colours: 重大 red, 较大 orange, 一般 yellow, 低 blue', () => {
    expect(RISK_LEVEL_COLOURS).toEqual({ major: 'red', high: 'orange', general: 'yellow', low: 'blue' });
  });

  it('rectification periods are whole days per hazard level, both levels required', () => {
    const base = { schemaVersion: 1, tenant: '430100' };
    expect(TenantRiskSettings.safeParse({ ...base, hazardRectificationDays: { general: 7, major: 30 } }).success).toBe(true);
    expect(TenantRiskSettings.safeParse({ ...base, hazardRectificationDays: { general: 7 } }).success).toBe(false);
    expect(TenantRiskSettings.safeParse({ ...base, hazardRectificationDays: { general: 0.5, major: 30 } }).success).toBe(false);
  });

  it('a hazard report needs a client id, a known source and a real place; the level defaults to 一般隐患', () => {
    const ok = ReportHazard.parse({ clientId: 'hz-0000-0001', title: '井盖破损', source: 'patrol', domain: 'manhole', location: at, description: '井盖边缘破损' });
    expect(ok.level).toBe('general');
    expect(ReportHazard.safeParse({ ...ok, source: 'rumour' }).success).toBe(false);
    expect(ReportHazard.safeParse({ ...ok, clientId: 'x' }).success).toBe(false);
    expect(ReportHazard.safeParse({ ...ok, location: { lng: 200, lat: 28 } }).success).toBe(false);
  });

  it('rejecting, completing and reopening need a note; confirming may correct the level', () => {
    expect(HazardTransition.safeParse({ action: 'reject' }).success).toBe(false);
    expect(HazardTransition.safeParse({ action: 'complete', note: '好' }).success).toBe(false);
    expect(HazardTransition.parse({ action: 'confirm', level: 'major', department: 'RQ' })).toEqual({ action: 'confirm', level: 'major', department: 'RQ', note: '' });
    expect(HazardTransition.safeParse({ action: 'explode' }).success).toBe(false);
  });

  it('every status but closed and rejected has a way forward; closed and rejected are final', () => {
    const reachable = new Set(Object.values(HAZARD_TRANSITIONS).flatMap((r) => r.from));
    expect([...reachable].sort()).toEqual(['confirmed', 'rectified', 'rectifying', 'reported']);
  });

  it('an accident has non-negative casualties and loss', () => {
    const base = { clientId: 'acc-0000-0001', title: '管道破裂', occurredAt: '2026-11-02T09:00:00+08:00', domain: 'water', location: at, deaths: 0, injuries: 2, directLossWanYuan: 3.5, cause: '第三方施工' };
    expect(RecordAccident.safeParse(base).success).toBe(true);
    expect(RecordAccident.safeParse({ ...base, deaths: -1 }).success).toBe(false);
    expect(RecordAccident.safeParse({ ...base, injuries: 1.5 }).success).toBe(false);
  });
});
