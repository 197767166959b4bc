/** MON-5 task generation: which cycles are due, with due times from the tenant's working calendar. */
import { describe, expect, it } from 'vitest';
import { TenantManifest, TenantPatrolSettings, type PatrolPlan } from '../../../contracts';
import { beijingDay, cycleDue, isCycleDay, newlyOverdue, patrolTaskId, tasksDue } from './generator';
import { tenantJson } from '../../../test/support/tenant-files';
const changshaManifest = tenantJson('430100', 'manifest.json');
const changshaPatrol = tenantJson('430100', 'patrol-settings.json');

// The real data of 长沙市: 2026 holidays (国庆 10-01…10-07), 调休 Saturday 10-10, 08–12 and 14–18 working hours.
const calendar = TenantManifest.parse(changshaManifest).calendar;
const settings = TenantPatrolSettings.parse(changshaPatrol);
const at = (iso: string) => new Date(iso);

const PLAN_ID = '01JZ0000000000000000000000';
function plan(over: Partial<PatrolPlan> = {}): PatrolPlan {
  return {
    id: PLAN_ID,
    tenant: '430100',
    name: '燃气井日常巡检',
    domain: 'gas',
    targets: [{ kind: 'point', id: 'pt-001', name: '五一大道燃气阀井', location: { lng: 112.98, lat: 28.19 }, gridId: '430102001001001', checklist: [{ id: 'cover', text: '井盖完好' }] }],
    frequency: { type: 'daily' },
    teamId: '01JZ0000000000000000000001',
    activeFrom: '2026-01-01',
    status: 'active',
    createdAt: '2026-09-01T01:00:00.000Z',
    createdBy: '430100.monitoring-operator',
    updatedAt: '2026-09-01T01:00:00.000Z',
    ...over,
  };
}

describe('MON-5 cycle days', () => {
  it('a daily plan patrols on working days only when the tenant says so: not on 国庆, but on the 调休 Saturday', () => {
    expect(isCycleDay({ type: 'daily' }, '2026-10-01', settings, calendar)).toBe(false);
    expect(isCycleDay({ type: 'daily' }, '2026-10-08', settings, calendar)).toBe(true);
    expect(isCycleDay({ type: 'daily' }, '2026-10-10', settings, calendar)).toBe(true);
    expect(isCycleDay({ type: 'daily' }, '2026-10-11', settings, calendar)).toBe(false);
    expect(isCycleDay({ type: 'daily' }, '2026-10-11', { dailyOnWorkingDaysOnly: false }, calendar)).toBe(true);
  });

  it('a weekly plan patrols on its weekdays, holidays included; a monthly one on its day, or the last day of a shorter month', () => {
    expect(isCycleDay({ type: 'weekly', weekdays: [4] }, '2026-10-01', settings, calendar)).toBe(true);
    expect(isCycleDay({ type: 'weekly', weekdays: [1, 3] }, '2026-10-01', settings, calendar)).toBe(false);
    expect(isCycleDay({ type: 'monthly', day: 31 }, '2026-02-28', settings, calendar)).toBe(true);
    expect(isCycleDay({ type: 'monthly', day: 31 }, '2026-02-27', settings, calendar)).toBe(false);
    expect(isCycleDay({ type: 'monthly', day: 15 }, '2026-03-15', settings, calendar)).toBe(true);
  });
});

describe('MON-5 due times from the working calendar', () => {
  it('a daily task (8 working hours) started at Beijing midnight is due at 18:00 the same working day', () => {
    const { startsAt, dueAt } = cycleDue('daily', '2026-10-08', settings, calendar);
    expect(startsAt.toISOString()).toBe('2026-10-07T16:00:00.000Z');
    expect(dueAt.toISOString()).toBe('2026-10-08T10:00:00.000Z');
  });

  it('a weekly task falling on 国庆 (24 working hours) is due after three working days: Thu 10-08, Fri 10-09 and the 调休 Saturday', () => {
    expect(cycleDue('weekly', '2026-10-01', settings, calendar).dueAt.toISOString()).toBe('2026-10-10T10:00:00.000Z');
  });

  it('the hours come from the tenant settings, not from code: a continuous 12-hour cycle ends at noon', () => {
    const continuous = { ...settings, cycles: { ...settings.cycles, daily: { hours: 12, clock: 'continuous' as const } } };
    expect(cycleDue('daily', '2026-10-08', continuous, calendar).dueAt.toISOString()).toBe('2026-10-08T04:00:00.000Z');
  });
});

describe('MON-5 task generation', () => {
  it('yields one task per cycle day within the backfill window, with ids from the plan and the day', () => {
    // Prepare: the 调休 Saturday morning, two days of backfill (Thu 10-08, Fri 10-09, Sat 10-10).
    const now = at('2026-10-10T09:00:00+08:00');
    // Act
    const tasks = tasksDue([plan()], now, settings, calendar);
    // Assess
    expect(tasks.map((t) => t.id)).toEqual([`${PLAN_ID}-20261008`, `${PLAN_ID}-20261009`, `${PLAN_ID}-20261010`]);
    expect(tasks[2]).toMatchObject({ cycleDay: '2026-10-10', status: 'open', recorded: [], overdue: false, dueAt: '2026-10-10T10:00:00.000Z', planName: '燃气井日常巡检', teamId: plan().teamId });
  });

  it('is deterministic: running it twice yields the same tasks', () => {
    const now = at('2026-10-09T07:30:00+08:00');
    const ids = (ts: ReturnType<typeof tasksDue>) => ts.map((t) => [t.id, t.dueAt]);
    expect(ids(tasksDue([plan()], now, settings, calendar))).toEqual(ids(tasksDue([plan()], now, settings, calendar)));
    expect(patrolTaskId(PLAN_ID, '2026-10-09')).toBe(`${PLAN_ID}-20261009`);
  });

  it('generates nothing on a holiday for a daily plan, and nothing for paused or ended plans', () => {
    const now = at('2026-10-03T12:00:00+08:00');
    expect(tasksDue([plan()], now, settings, calendar)).toEqual([]);
    const thursday = at('2026-10-08T12:00:00+08:00');
    expect(tasksDue([plan({ status: 'paused' }), plan({ status: 'ended' })], thursday, settings, calendar)).toEqual([]);
  });

  it('respects the active period and owes nothing before the plan was created or resumed', () => {
    const now = at('2026-10-10T09:00:00+08:00');
    expect(tasksDue([plan({ activeTo: '2026-10-08' })], now, settings, calendar).map((t) => t.cycleDay)).toEqual(['2026-10-08']);
    expect(tasksDue([plan({ activeFrom: '2026-10-10' })], now, settings, calendar).map((t) => t.cycleDay)).toEqual(['2026-10-10']);
    expect(tasksDue([plan({ updatedAt: '2026-10-09T02:00:00.000Z' })], now, settings, calendar).map((t) => t.cycleDay)).toEqual(['2026-10-09', '2026-10-10']);
  });

  it('a task appears at Beijing midnight of its day, not at UTC midnight', () => {
    expect(beijingDay(at('2026-10-08T15:59:59Z'))).toBe('2026-10-08');
    expect(beijingDay(at('2026-10-08T16:00:00Z'))).toBe('2026-10-09');
    const lateEvening = tasksDue([plan({ activeFrom: '2026-10-09' })], at('2026-10-08T23:59:00+08:00'), settings, calendar);
    expect(lateEvening).toEqual([]);
    expect(tasksDue([plan({ activeFrom: '2026-10-09' })], at('2026-10-09T00:00:00+08:00'), settings, calendar)).toHaveLength(1);
  });
});

describe('MON-5 overdue tasks', () => {
  it('an open task past its due time is newly overdue once; a completed or already marked one is not', () => {
    const [task] = tasksDue([plan()], at('2026-10-08T09:00:00+08:00'), { ...settings, backfillDays: 0 }, calendar);
    const after = at('2026-10-08T18:00:01+08:00');
    expect(newlyOverdue([task!], at('2026-10-08T17:59:00+08:00'))).toEqual([]);
    expect(newlyOverdue([task!], after).map((t) => t.id)).toEqual([task!.id]);
    expect(newlyOverdue([{ ...task!, overdue: true }, { ...task!, status: 'completed' }], after)).toEqual([]);
  });
});
