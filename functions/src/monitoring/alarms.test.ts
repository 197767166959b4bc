import { describe, expect, it } from 'vitest';
import { change, comparisonMonths, monthRange } from './alarms';

describe('MON-7 year-on-year and month-on-month', () => {
  it('compares a month with the one before and the same month a year earlier, across the year boundary', () => {
    expect(comparisonMonths('2026-11')).toEqual({ previous: '2026-10', lastYear: '2025-11' });
    expect(comparisonMonths('2026-01')).toEqual({ previous: '2025-12', lastYear: '2025-01' });
  });

  it('a change is relative to the earlier figure, and undefined (null) when that was zero', () => {
    expect(change(12, 10)).toBe(0.2);
    expect(change(5, 10)).toBe(-0.5);
    expect(change(3, 0)).toBeNull();
  });

  it('counts a month by Beijing time: all of 30 November, none of 1 December, and 31 May in May', () => {
    expect(monthRange('2026-11')).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(monthRange('2026-05')).toEqual(['2026-04-30T16:00:00.000Z', '2026-05-31T16:00:00.000Z']);
    expect(monthRange('2026-12')[1]).toBe('2026-12-31T16:00:00.000Z');
  });
});
