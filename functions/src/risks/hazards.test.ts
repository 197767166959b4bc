/** MON-2 hidden hazards: the life cycle and the rectification deadline, without I/O. */
import { describe, expect, it } from 'vitest';
import type { Hazard, RiskEvent } from '../../../contracts';
import { DomainError } from '../shared/errors';
import { isOverdue, nextHazard } from './hazards';

const settings = { hazardRectificationDays: { general: 7, major: 30 } };
const reported: Hazard = {
  tenant: '430100',
  id: '01JD3A0000000000000000000H',
  title: '燃气调压箱锈蚀',
  source: 'inspection',
  level: 'general',
  domain: 'gas',
  location: { lng: 112.98, lat: 28.19 },
  gridId: '430102001001001',
  description: '调压箱箱体锈蚀穿孔',
  status: 'reported',
  reportedBy: '430100.inspector',
  reportedAt: '2026-11-02T01:00:00.000Z',
  history: [{ at: '2026-11-02T01:00:00.000Z', action: 'reported', actor: '430100.inspector', role: 'inspector' }],
};
const at = (iso: string, action: string): RiskEvent => ({ at: iso, action, actor: '430100.ops', role: 'monitoring-operator' });
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
  return undefined;
};

describe('MON-2 hazard life cycle', () => {
  it('confirming sets the department and a deadline from the tenant’s days for the level', () => {
    // Act
    const h = nextHazard(reported, { action: 'confirm', department: 'RQ', note: '' }, at('2026-11-02T02:00:00.000Z', 'confirm'), settings);
    // Assess
    expect(h.status).toBe('confirmed');
    expect(h.department).toBe('RQ');
    expect(h.deadline).toBe('2026-11-09T02:00:00.000Z');
    expect(h.history.map((e) => e.action)).toEqual(['reported', 'confirm']);
  });

  it('a level corrected at confirmation to 重大隐患 takes the major period', () => {
    const h = nextHazard(reported, { action: 'confirm', level: 'major', department: 'RQ', note: '' }, at('2026-11-02T02:00:00.000Z', 'confirm'), settings);
    expect(h.level).toBe('major');
    expect(h.deadline).toBe('2026-12-02T02:00:00.000Z');
  });

  it('confirming without any responsible department is refused', () => {
    expect(codeOf(() => nextHazard(reported, { action: 'confirm', note: '' }, at('2026-11-02T02:00:00.000Z', 'confirm'), settings))).toBe('HAZARD_DEPARTMENT_REQUIRED');
  });

  it('confirming without the tenant’s settings is refused, not given a made-up deadline', () => {
    expect(codeOf(() => nextHazard(reported, { action: 'confirm', department: 'RQ', note: '' }, at('2026-11-02T02:00:00.000Z', 'confirm'), undefined))).toBe('RISK_SETTINGS_MISSING');
  });

  it('runs reported → confirmed → rectifying → rectified → closed, with a failed acceptance back to rectifying', () => {
    let h = nextHazard(reported, { action: 'confirm', department: 'RQ', note: '' }, at('2026-11-02T02:00:00.000Z', 'confirm'), settings);
    h = nextHazard(h, { action: 'start', note: '' }, at('2026-11-03T02:00:00.000Z', 'start'), settings);
    h = nextHazard(h, { action: 'complete', note: '已更换箱体' }, at('2026-11-04T02:00:00.000Z', 'complete'), settings);
    h = nextHazard(h, { action: 'reopen', note: '接口仍有锈蚀' }, at('2026-11-05T02:00:00.000Z', 'reopen'), settings);
    expect(h.status).toBe('rectifying');
    h = nextHazard(h, { action: 'complete', note: '接口已处理' }, at('2026-11-06T02:00:00.000Z', 'complete'), settings);
    h = nextHazard(h, { action: 'close', note: '' }, at('2026-11-07T02:00:00.000Z', 'close'), settings);
    expect(h.status).toBe('closed');
    expect(h.history).toHaveLength(7);
  });

  it('a step out of order is HAZARD_ACTION_NOT_ALLOWED (409)', () => {
    expect(codeOf(() => nextHazard(reported, { action: 'close', note: '' }, at('2026-11-02T02:00:00.000Z', 'close'), settings))).toBe('HAZARD_ACTION_NOT_ALLOWED');
    expect(codeOf(() => nextHazard({ ...reported, status: 'closed' }, { action: 'reject', note: '重复上报' }, at('2026-11-02T02:00:00.000Z', 'reject'), settings))).toBe('HAZARD_ACTION_NOT_ALLOWED');
    expect(new DomainError('HAZARD_ACTION_NOT_ALLOWED').status).toBe(409);
  });

  it('is overdue only while still to be rectified after its deadline', () => {
    const confirmed = { status: 'confirmed' as const, deadline: '2026-11-09T02:00:00.000Z' };
    expect(isOverdue(confirmed, new Date('2026-11-09T01:59:00Z'))).toBe(false);
    expect(isOverdue(confirmed, new Date('2026-11-09T02:01:00Z'))).toBe(true);
    expect(isOverdue({ ...confirmed, status: 'rectified' }, new Date('2026-12-01T00:00:00Z'))).toBe(false);
  });
});
