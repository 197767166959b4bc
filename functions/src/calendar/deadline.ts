/**
 * Working-calendar arithmetic for time limits (时限): when is a step due, and how much working time has
 * passed. Every tenant's calendar is in Asia/Shanghai, which has had no daylight saving since 1991, so all
 * arithmetic uses a fixed UTC+8 offset and never the machine's time zone. Pure: no I/O, no clock — callers
 * pass `from` (the flow's start time, the item's creation time…).
 *
 * Two clocks, as in the tenant's 立结案标准:
 * - `continuous` (紧急): every wall-clock hour counts.
 * - `working` (一般): only the calendar's working periods (e.g. 08:00–12:00, 14:00–18:00) on working days
 *   count. A working day is a `workdays` weekday that is not a listed holiday, or a listed adjusted workday
 *   (调休上班, a worked weekend day).
 *
 * A deadline that uses up its time exactly at the end of a period is that period's end (11:00 + 1 h is due
 * 12:00, not 14:00). A year without holiday data counts only weekends as days off; the manifest validator
 * warns about missing years.
 */
import type { TimeLimit, WorkingCalendar } from '../../../contracts';

/** What the arithmetic needs from a tenant's calendar (a parsed `WorkingCalendar` fits). */
export type CalendarRules = Pick<WorkingCalendar, 'workingHours' | 'workdays' | 'holidays' | 'adjustedWorkdays'>;

/** The part of a `TimeLimit` row that decides a deadline. */
export type Limit = Pick<TimeLimit, 'hours' | 'clock'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
/** Asia/Shanghai is UTC+8 all year. */
const OFFSET = 8 * HOUR;
/** A calendar with no working time in this many days is broken; stop instead of looping forever. */
const MAX_DAYS = 366 * 20;

interface Prepared {
  /** Working periods as [start, end) milliseconds after local midnight, sorted, disjoint. */
  periods: readonly (readonly [number, number])[];
  isWorkingDay: (localDay: number) => boolean;
}

function prepare(calendar: CalendarRules): Prepared {
  const minutes = (hhmm: string): number => {
    const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
    if (!m) throw new RangeError(`working hours must be HH:MM, got ${hhmm}`);
    return (Number(m[1]) * 60 + Number(m[2])) * MINUTE;
  };
  const periods = calendar.workingHours
    .map((p) => [minutes(p.start), minutes(p.end)] as const)
    .sort((a, b) => a[0] - b[0]);
  periods.forEach(([start, end], i) => {
    if (start >= end) throw new RangeError('a working period must start before it ends');
    const next = periods[i + 1];
    if (next && next[0] < end) throw new RangeError('working periods must not overlap');
  });
  if (periods.length === 0) throw new RangeError('a calendar needs at least one working period');

  const holidays = new Set(Object.values(calendar.holidays).flat());
  const adjusted = new Set(Object.values(calendar.adjustedWorkdays).flat());
  const workdays = new Set(calendar.workdays);
  const isWorkingDay = (localDay: number): boolean => {
    const iso = isoDayOf(localDay);
    if (adjusted.has(iso)) return true;
    return workdays.has(isoWeekdayOf(localDay)) && !holidays.has(iso);
  };
  return { periods, isWorkingDay };
}

/** Days since 1970-01-01 in Shanghai local time, and milliseconds since local midnight. */
const localDayOf = (utcMs: number): number => Math.floor((utcMs + OFFSET) / DAY);
const localMidnightUtc = (localDay: number): number => localDay * DAY - OFFSET;
const isoDayOf = (localDay: number): string => new Date(localDay * DAY).toISOString().slice(0, 10);
const isoWeekdayOf = (localDay: number): number => ((localDay + 3) % 7 + 7) % 7 + 1; // 1970-01-01 was a Thursday

/** True when `isoDay` (YYYY-MM-DD) is a working day of the calendar. */
export function isWorkingDay(isoDay: string, calendar: CalendarRules): boolean {
  const ms = Date.parse(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a day: ${isoDay}`);
  return prepare(calendar).isWorkingDay(Math.round(ms / DAY));
}

/**
 * The deadline of a time limit started at `from`. Continuous limits add wall-clock hours; working limits
 * count only working periods of working days, starting mid-period or at the next period when `from` is
 * outside working time. Zero hours is `from` itself.
 */
export function addLimit(from: Date, limit: Limit, calendar: CalendarRules): Date {
  const start = from.getTime();
  if (Number.isNaN(start)) throw new RangeError('from is not a valid date');
  if (!Number.isFinite(limit.hours) || limit.hours < 0) throw new RangeError(`a time limit needs a non-negative number of hours, got ${limit.hours}`);
  const amount = Math.round(limit.hours * HOUR);
  if (limit.clock === 'continuous' || amount === 0) return new Date(start + amount);

  const { periods, isWorkingDay: working } = prepare(calendar);
  let remaining = amount;
  const firstDay = localDayOf(start);
  for (let day = firstDay; day < firstDay + MAX_DAYS; day++) {
    if (!working(day)) continue;
    const midnight = localMidnightUtc(day);
    for (const [ps, pe] of periods) {
      const periodStart = Math.max(midnight + ps, start);
      const periodEnd = midnight + pe;
      if (periodStart >= periodEnd) continue;
      const available = periodEnd - periodStart;
      if (remaining <= available) return new Date(periodStart + remaining);
      remaining -= available;
    }
  }
  throw new RangeError(`the calendar has no working time within ${MAX_DAYS} days of ${from.toISOString()}`);
}

/**
 * Working milliseconds between `a` and `b`: the overlap of [a, b) with the calendar's working periods.
 * Negative when `b` is before `a`, so `workingMillisBetween(dueAt, now)` is how late (positive) or early
 * (negative) something is, in working time.
 */
export function workingMillisBetween(a: Date, b: Date, calendar: CalendarRules): number {
  const from = a.getTime();
  const to = b.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('both instants must be valid dates');
  if (to < from) return -workingMillisBetween(b, a, calendar);
  const { periods, isWorkingDay: working } = prepare(calendar);
  let total = 0;
  for (let day = localDayOf(from); day <= localDayOf(to); day++) {
    if (!working(day)) continue;
    const midnight = localMidnightUtc(day);
    for (const [ps, pe] of periods) {
      const overlap = Math.min(midnight + pe, to) - Math.max(midnight + ps, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** The tenant's time limit for a step and urgency (e.g. `supervision.feedback`, `ordinary`), if it has one. */
export function findTimeLimit<T extends Pick<TimeLimit, 'step' | 'urgency' | 'typeCode'>>(
  limits: readonly T[],
  step: string,
  urgency: TimeLimit['urgency'],
  typeCode?: string,
): T | undefined {
  const rows = limits.filter((l) => l.step === step && l.urgency === urgency);
  // 立结案标准: the row for the exact type code, else its 大类 (first two digits), else the general row.
  return (
    (typeCode ? rows.find((l) => l.typeCode === typeCode) : undefined) ??
    (typeCode ? rows.find((l) => l.typeCode === typeCode.slice(0, 2)) : undefined) ??
    rows.find((l) => l.typeCode === undefined)
  );
}
