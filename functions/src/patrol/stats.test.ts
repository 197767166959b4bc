/** MON-5 statistics: tasks due, completed, on time (按时巡检率), overdue, abnormal findings and cases, per plan and team. */
import { describe, expect, it } from 'vitest';
import type { PatrolTask } from '../../../contracts';
import { patrolStats } from './stats';

const PLAN_A = '01JZ00000000000000000000AA';
const PLAN_B = '01JZ00000000000000000000BB';
const TEAM = '01JZ00000000000000000000TT';

function task(day: string, over: Partial<PatrolTask> = {}): PatrolTask {
  return {
    id: `${over.planId ?? PLAN_A}-${day.replaceAll('-', '')}`,
    tenant: '430100',
    planId: PLAN_A,
    planName: '燃气井日常巡检',
    domain: 'gas',
    teamId: TEAM,
    frequency: 'daily',
    cycleDay: day,
    startsAt: `${day}T00:00:00+08:00`,
    dueAt: `${day}T18:00:00+08:00`,
    targets: [],
    status: 'open',
    recorded: [],
    abnormal: 0,
    casesReported: 0,
    overdue: false,
    generatedAt: `${day}T00:01:00+08:00`,
    ...over,
  };
}

describe('MON-5 patrol statistics', () => {
  const now = new Date('2026-10-09T12:00:00+08:00');
  const tasks = [
    task('2026-10-06', { status: 'completed', onTime: true, abnormal: 1, casesReported: 1 }),
    task('2026-10-07', { status: 'completed', onTime: false }),
    task('2026-10-08', { overdue: true }),
    // Today's, still running on time: due but not counted against the rate.
    task('2026-10-09'),
    task('2026-10-08', { planId: PLAN_B, planName: '桥梁月度巡检', status: 'completed', onTime: true, abnormal: 2, casesReported: 1 }),
  ];
  const names = { plans: new Map([[PLAN_A, '燃气井日常巡检'], [PLAN_B, '桥梁月度巡检']]), teams: new Map([[TEAM, '一中队']]) };

  it('counts per plan: due, completed, on time, overdue, abnormal, cases; the rate leaves out tasks still running', () => {
    const s = patrolStats(tasks, names, { from: '2026-10-01', to: '2026-10-10' }, now);
    const a = s.byPlan.find((r) => r.id === PLAN_A)!;
    expect(a).toMatchObject({ name: '燃气井日常巡检', due: 4, completed: 2, completedOnTime: 1, overdue: 1, abnormal: 1, casesReported: 1 });
    expect(a.onTimeRate).toBe(0.333);
    expect(s.byPlan.find((r) => r.id === PLAN_B)).toMatchObject({ due: 1, completed: 1, onTimeRate: 1, abnormal: 2 });
  });

  it('adds up per team and in total', () => {
    const s = patrolStats(tasks, names, { from: '2026-10-01', to: '2026-10-10' }, now);
    expect(s.byTeam).toEqual([expect.objectContaining({ id: TEAM, name: '一中队', due: 5, completed: 3, completedOnTime: 2, overdue: 1, onTimeRate: 0.5, abnormal: 3, casesReported: 2 })]);
    expect(s.total).toMatchObject({ due: 5, completed: 3, overdue: 1, casesReported: 2 });
  });

  it('has no rate while nothing was due', () => {
    expect(patrolStats([task('2026-10-09')], names, { from: '2026-10-09', to: '2026-10-10' }, now).total.onTimeRate).toBeNull();
  });
});
