/**
 * Patrol task generation (MON-5 巡检任务), pure: given the plans, the moment and the tenant's patrol settings and
 * working calendar, which tasks are due to exist. A task's id is its plan and cycle day, so the schedule can run
 * as often as it likes (and twice at once) without creating anything twice; the store write is conditional.
 *
 * A cycle starts at Beijing midnight of its day; it is due when the tenant's time for that frequency
 * (`cycles.<frequency>` of patrol-settings.json, working or continuous hours) has passed on the calendar.
 */
import type { PatrolFrequency, PatrolPlan, PatrolTask, TenantPatrolSettings } from '../../../contracts';
import { addLimit, isWorkingDay, type CalendarRules } from '../calendar/deadline';

const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (see calendar/deadline.ts). */
const OFFSET_MS = 8 * 3_600_000;

/** The Beijing day (YYYY-MM-DD) of an instant. */
export const beijingDay = (at: Date): string => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** Beijing midnight of a day, as an instant. */
export const beijingMidnight = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** ISO weekday of a day, 1 = Monday … 7 = Sunday. */
export const isoWeekday = (day: string): number => {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

const lastDayOfMonth = (day: string): number => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/** True when a plan of this frequency patrols on `day`. A monthly day past the month's end means its last day. */
export function isCycleDay(frequency: PatrolFrequency, day: string, settings: Pick<TenantPatrolSettings, 'dailyOnWorkingDaysOnly'>, calendar: CalendarRules): boolean {
  switch (frequency.type) {
    case 'daily':
      return settings.dailyOnWorkingDaysOnly ? isWorkingDay(day, calendar) : true;
    case 'weekly':
      return frequency.weekdays.includes(isoWeekday(day));
    case 'monthly':
      return Number(day.slice(8, 10)) === Math.min(frequency.day, lastDayOfMonth(day));
  }
}

/** The deterministic id of a plan's task for one cycle day. */
export const patrolTaskId = (planId: string, cycleDay: string): string => `${planId}-${cycleDay.replaceAll('-', '')}`;

/** When a task of this frequency starting on `day` is due, by the tenant's settings and calendar. */
export function cycleDue(frequency: PatrolFrequency['type'], day: string, settings: Pick<TenantPatrolSettings, 'cycles'>, calendar: CalendarRules): { startsAt: Date; dueAt: Date } {
  const startsAt = beijingMidnight(day);
  return { startsAt, dueAt: addLimit(startsAt, settings.cycles[frequency], calendar) };
}

/**
 * The tasks that should exist at `now`: for every active plan, each cycle day from `backfillDays` before today up
 * to today that lies in the plan's active period and not before the day it was created or last resumed (`updatedAt`:
 * a paused plan owes nothing for its pause). Deterministic: the
 * same inputs give the same tasks with the same ids.
 */
export function tasksDue(plans: readonly PatrolPlan[], now: Date, settings: TenantPatrolSettings, calendar: CalendarRules): PatrolTask[] {
  const today = beijingDay(now);
  const out: PatrolTask[] = [];
  for (const plan of plans) {
    if (plan.status !== 'active') continue;
    const first = [addDays(today, -settings.backfillDays), plan.activeFrom, beijingDay(new Date(plan.updatedAt))].sort().at(-1)!;
    for (let day = first; day <= today && (plan.activeTo === undefined || day <= plan.activeTo); day = addDays(day, 1)) {
      if (!isCycleDay(plan.frequency, day, settings, calendar)) continue;
      const { startsAt, dueAt } = cycleDue(plan.frequency.type, day, settings, calendar);
      out.push({
        id: patrolTaskId(plan.id, day),
        tenant: plan.tenant,
        planId: plan.id,
        planName: plan.name,
        domain: plan.domain,
        teamId: plan.teamId,
        frequency: plan.frequency.type,
        cycleDay: day,
        startsAt: startsAt.toISOString(),
        dueAt: dueAt.toISOString(),
        targets: plan.targets,
        status: 'open',
        recorded: [],
        abnormal: 0,
        casesReported: 0,
        overdue: false,
        generatedAt: now.toISOString(),
      });
    }
  }
  return out;
}

/** Open tasks whose due time has passed and that are not yet marked overdue. */
export const newlyOverdue = (tasks: readonly PatrolTask[], now: Date): PatrolTask[] =>
  tasks.filter((t) => t.status === 'open' && !t.overdue && Date.parse(t.dueAt) < now.getTime());
