/**
 * Patrol statistics (MON-5), pure: per plan, per team and in total for the tasks of a period — tasks due,
 * completed, completed on time (按时巡检率), overdue, abnormal findings and cases reported.
 */
import type { PatrolStats, PatrolStatsRow, PatrolTask } from '../../../contracts';

const empty = (id: string, name: string): PatrolStatsRow => ({ id, name, due: 0, completed: 0, completedOnTime: 0, overdue: 0, onTimeRate: null, abnormal: 0, casesReported: 0 });

/**
 * Count `tasks` (already limited to the period's cycle days). The on-time rate divides the tasks completed on time
 * by the tasks that were due by `now` or are completed: a task still running on time is not counted against it.
 */
export function patrolStats(
  tasks: readonly PatrolTask[],
  names: { plans: ReadonlyMap<string, string>; teams: ReadonlyMap<string, string> },
  period: { from: string; to: string },
  now: Date,
): PatrolStats {
  const total = empty('total', 'total');
  const byPlan = new Map<string, PatrolStatsRow>();
  const byTeam = new Map<string, PatrolStatsRow>();
  const judged = new Map<PatrolStatsRow, number>();
  for (const t of tasks) {
    const plan = byPlan.get(t.planId) ?? empty(t.planId, names.plans.get(t.planId) ?? t.planName);
    byPlan.set(t.planId, plan);
    const team = byTeam.get(t.teamId) ?? empty(t.teamId, names.teams.get(t.teamId) ?? t.teamId);
    byTeam.set(t.teamId, team);
    const pastDue = Date.parse(t.dueAt) < now.getTime();
    for (const row of [total, plan, team]) {
      row.due++;
      if (t.status === 'completed') row.completed++;
      if (t.status === 'completed' && t.onTime) row.completedOnTime++;
      if (t.status === 'open' && pastDue) row.overdue++;
      row.abnormal += t.abnormal;
      row.casesReported += t.casesReported;
      if (t.status === 'completed' || pastDue) judged.set(row, (judged.get(row) ?? 0) + 1);
    }
  }
  const rate = (row: PatrolStatsRow): PatrolStatsRow => {
    const n = judged.get(row) ?? 0;
    return { ...row, onTimeRate: n === 0 ? null : Math.round((row.completedOnTime / n) * 1000) / 1000 };
  };
  const sorted = (m: Map<string, PatrolStatsRow>) => [...m.values()].map(rate).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { from: period.from, to: period.to, total: rate(total), byPlan: sorted(byPlan), byTeam: sorted(byTeam) };
}
