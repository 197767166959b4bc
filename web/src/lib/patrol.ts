/** Small helpers of the patrol screens (MON-5), shared by the operator's page and the inspector's 我的巡检. */
import type { PatrolTask } from '../../../contracts';

/** The task's state as people read it: 已完成, 已超期 (past due, or marked by the schedule), 待巡检. */
export function taskState(task: Pick<PatrolTask, 'status' | 'overdue' | 'dueAt'>, now = Date.now()): 'completed' | 'overdue' | 'open' {
  if (task.status === 'completed') return 'completed';
  return task.overdue || Date.parse(task.dueAt) < now ? 'overdue' : 'open';
}
