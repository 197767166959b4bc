/** MON-2 accident statistics: counting and Beijing month boundaries, without I/O. */
import { describe, expect, it } from 'vitest';
import { countAccidents, monthRange } from './accidents';

describe('MON-2 accident statistics', () => {
  it('counts accidents, casualties and direct loss by domain', () => {
    const counts = countAccidents([
      { domain: 'gas', deaths: 1, injuries: 2, directLossWanYuan: 35.5 },
      { domain: 'gas', deaths: 0, injuries: 0, directLossWanYuan: 0.1 },
      { domain: 'drainage', deaths: 0, injuries: 1, directLossWanYuan: 12.2 },
    ]);
    expect(counts).toEqual({ total: 3, deaths: 1, injuries: 3, directLossWanYuan: 47.8, byDomain: { gas: 2, drainage: 1 } });
  });

  it('a month is a Beijing month: 1 November 00:00 +08:00 up to 1 December', () => {
    expect(monthRange('2026-11')).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(monthRange('2026-12')[1]).toBe('2026-12-31T16:00:00.000Z');
  });
});
