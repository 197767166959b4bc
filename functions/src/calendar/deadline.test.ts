import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../contracts';
import { addLimit, findTimeLimit, isWorkingDay, workingMillisBetween } from './deadline';

/**
 * Hunan's 2026 calendar as in tenants/4301xx/manifest.json: 08:00–12:00 and 14:00–18:00, Monday–Friday,
 * holidays and adjusted workdays from the State Council notice of 2025-11-04.
 */
const calendar = WorkingCalendar.parse({
  holidays: {
    '2026': [
      '2026-01-01', '2026-01-02', '2026-01-03',
      '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
      '2026-04-04', '2026-04-05', '2026-04-06',
      '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
      '2026-06-19', '2026-06-20', '2026-06-21',
      '2026-09-25', '2026-09-26', '2026-09-27',
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ],
  },
  adjustedWorkdays: { '2026': ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'] },
});

/** A Shanghai wall-clock time, e.g. sh('2026-11-20 17:00'). */
const sh = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const working = (hours: number) => ({ hours, clock: 'working' as const });
const continuous = (hours: number) => ({ hours, clock: 'continuous' as const });
const HOUR = 3_600_000;

describe('ordinary (一般) limits count working hours only', () => {
  it('Friday 17:00 + 2 working hours is due Monday 09:00', () => {
    expect(addLimit(sh('2026-11-20 17:00'), working(2), calendar)).toEqual(sh('2026-11-23 09:00'));
  });

  it('11:30 + 1 working hour skips the lunch break and is due 14:30', () => {
    expect(addLimit(sh('2026-11-24 11:30'), working(1), calendar)).toEqual(sh('2026-11-24 14:30'));
  });

  it('a limit used up exactly at the end of a period is due at that end, not after the break', () => {
    expect(addLimit(sh('2026-11-24 11:00'), working(1), calendar)).toEqual(sh('2026-11-24 12:00'));
  });

  it('starting before 08:00 counts from 08:00', () => {
    expect(addLimit(sh('2026-11-24 06:45'), working(1), calendar)).toEqual(sh('2026-11-24 09:00'));
  });

  it('starting in the lunch break counts from 14:00', () => {
    expect(addLimit(sh('2026-11-24 12:30'), working(1), calendar)).toEqual(sh('2026-11-24 15:00'));
  });

  it('starting after 18:00 or on a Saturday counts from the next working morning', () => {
    expect(addLimit(sh('2026-11-24 18:00'), working(1), calendar)).toEqual(sh('2026-11-25 09:00'));
    expect(addLimit(sh('2026-11-21 10:00'), working(1), calendar)).toEqual(sh('2026-11-23 09:00'));
  });

  it('16 working hours (feedback, ordinary) from Tuesday 10:00 is due Thursday 10:00', () => {
    expect(addLimit(sh('2026-11-24 10:00'), working(16), calendar)).toEqual(sh('2026-11-26 10:00'));
  });

  it('the National Day holiday (10-01 to 10-07) is skipped', () => {
    expect(addLimit(sh('2026-09-30 17:00'), working(2), calendar)).toEqual(sh('2026-10-08 09:00'));
    expect(addLimit(sh('2026-09-30 08:00'), working(16), calendar)).toEqual(sh('2026-10-08 18:00'));
  });

  it('a weekday holiday counts as a day off (Qingming Monday 2026-04-06)', () => {
    expect(addLimit(sh('2026-04-03 17:00'), working(2), calendar)).toEqual(sh('2026-04-07 09:00'));
  });

  it('an adjusted Sunday workday (2026-09-20) is counted', () => {
    expect(addLimit(sh('2026-09-18 17:00'), working(2), calendar)).toEqual(sh('2026-09-20 09:00'));
  });

  it('an adjusted Saturday workday before Spring Festival (2026-02-14) is counted, then the 9-day holiday is skipped', () => {
    expect(addLimit(sh('2026-02-13 17:00'), working(2), calendar)).toEqual(sh('2026-02-14 09:00'));
    expect(addLimit(sh('2026-02-14 17:00'), working(2), calendar)).toEqual(sh('2026-02-24 09:00'));
  });

  it('zero hours is the start itself, even outside working time', () => {
    expect(addLimit(sh('2026-11-21 10:00'), working(0), calendar)).toEqual(sh('2026-11-21 10:00'));
  });

  it('refuses a negative limit', () => {
    expect(() => addLimit(sh('2026-11-24 10:00'), working(-1), calendar)).toThrow(RangeError);
  });
});

describe('urgent (紧急) limits run on the continuous clock', () => {
  it('4 hours from 22:30 crosses midnight and is due 02:30', () => {
    expect(addLimit(sh('2026-11-24 22:30'), continuous(4), calendar)).toEqual(sh('2026-11-25 02:30'));
  });

  it('ignores holidays and weekends', () => {
    expect(addLimit(sh('2026-09-30 22:00'), continuous(4), calendar)).toEqual(sh('2026-10-01 02:00'));
  });
});

describe('Asia/Shanghai without the machine time zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('gives the same deadline when the process runs in another time zone', () => {
    process.env.TZ = 'America/New_York';
    expect(addLimit(sh('2026-11-20 17:00'), working(2), calendar)).toEqual(sh('2026-11-23 09:00'));
    expect(isWorkingDay('2026-09-20', calendar)).toBe(true);
  });
});

describe('working time between two instants', () => {
  it('Friday 17:00 to Monday 09:00 is 2 working hours', () => {
    expect(workingMillisBetween(sh('2026-11-20 17:00'), sh('2026-11-23 09:00'), calendar)).toBe(2 * HOUR);
  });

  it('is negative when the second instant is earlier (time left before a deadline)', () => {
    expect(workingMillisBetween(sh('2026-11-23 09:00'), sh('2026-11-20 17:00'), calendar)).toBe(-2 * HOUR);
  });

  it('counts nothing over the National Day holiday', () => {
    expect(workingMillisBetween(sh('2026-09-30 18:00'), sh('2026-10-08 08:00'), calendar)).toBe(0);
  });

  it('tells how late a feedback is: due Thursday 10:00, given Thursday 15:00 is 3 working hours late', () => {
    const due = addLimit(sh('2026-11-24 10:00'), working(16), calendar);
    expect(workingMillisBetween(due, sh('2026-11-26 15:00'), calendar)).toBe(3 * HOUR);
  });
});

describe('working days', () => {
  it('follow workdays, holidays and adjusted workdays', () => {
    expect(isWorkingDay('2026-11-24', calendar)).toBe(true); // Tuesday
    expect(isWorkingDay('2026-11-22', calendar)).toBe(false); // Sunday
    expect(isWorkingDay('2026-10-05', calendar)).toBe(false); // Monday in National Day
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true); // Saturday worked
  });
});

describe('findTimeLimit', () => {
  const limits = [
    { step: 'supervision.feedback', urgency: 'urgent' as const, hours: 4, clock: 'continuous' as const },
    { step: 'supervision.feedback', urgency: 'ordinary' as const, hours: 16, clock: 'working' as const },
  ];

  it('finds the row for a step and urgency', () => {
    expect(findTimeLimit(limits, 'supervision.feedback', 'ordinary')).toEqual(limits[1]);
  });

  it('returns undefined when the tenant has no such row', () => {
    expect(findTimeLimit(limits, 'supervision.review', 'ordinary')).toBeUndefined();
  });
});

describe('properties', () => {
  const instants = fc.date({ min: sh('2025-12-25 00:00'), max: sh('2026-12-31 23:59'), noInvalidDate: true });
  const quarterHours = fc.integer({ min: 0, max: 400 }).map((q) => q / 4);

  it('the working time from the start to the deadline is exactly the limit', () => {
    fc.assert(
      fc.property(instants, quarterHours, (from, hours) => {
        const due = addLimit(from, working(hours), calendar);
        expect(workingMillisBetween(from, due, calendar)).toBe(hours * HOUR);
      }),
    );
  });

  it('a longer limit is never due earlier', () => {
    fc.assert(
      fc.property(instants, quarterHours, quarterHours, (from, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(addLimit(from, working(short), calendar).getTime()).toBeLessThanOrEqual(addLimit(from, working(long), calendar).getTime());
      }),
    );
  });

  it('a continuous limit is plain wall-clock time', () => {
    fc.assert(
      fc.property(instants, quarterHours, (from, hours) => {
        expect(addLimit(from, continuous(hours), calendar).getTime() - from.getTime()).toBe(hours * HOUR);
      }),
    );
  });
});
