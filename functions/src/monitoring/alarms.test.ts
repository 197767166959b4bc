import { describe, expect, it } from 'vitest';
import { change, comparisonMonths } from './alarms';

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
});
