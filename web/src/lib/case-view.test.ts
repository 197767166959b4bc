import { afterEach, describe, expect, it } from 'vitest';
import { CaseAction, CaseSource, CaseStatus } from '../../../contracts';
import { setLang } from '../i18n';
import { caseSummary } from '../test/fixtures';
import { eventName, OPEN_STATUSES, sourceName, statusName, stepName, typeLabel, typeName } from './case-format';
import { searchTypes } from './catalogue';
import { nextDay, thisMonth } from './dates';
import { bboxAround, bboxOf, caseMarkers } from './geo';
import { formatIndicator, indicatorColumns, scoreBars, subjectName } from './indicators';

describe('case names', () => {
  afterEach(() => setLang('zh-CN'));

  it('every status, source and history action has a Chinese and an English name', () => {
    for (const s of CaseStatus.options) expect(statusName(s)).not.toBe('');
    for (const s of CaseSource.options) expect(sourceName(s)).not.toBe('');
    for (const a of CaseAction.options) expect(eventName(a)).not.toBe('');
    expect(statusName('suspension-review')).toBe('挂账审批中');
    expect(stepName('case.extension-approval')).toBe('延期审批');
    expect(stepName('case.unknown')).toBe('case.unknown');
    setLang('en');
    expect(statusName('handling')).toBe('Handling');
    expect(OPEN_STATUSES).not.toContain('closed');
  });

  it('types read as catalogue names with their codes', () => {
    expect(typeLabel('component', '01001')).toBe('供水井盖 (01001)');
    expect(typeName('matter', '09006')).toBe('占道经营');
    expect(typeName('matter', '99999')).toBe('99999');
    setLang('en');
    expect(typeName('component', '01001')).toBe('Water supply manhole cover');
  });
});

describe('type search', () => {
  it('finds by Chinese name, English name and code, names starting with the query first', () => {
    expect(searchTypes('component', '01003').map((e) => e.code)).toEqual(['01003']);
    const covers = searchTypes('component', '井盖');
    expect(covers.length).toBeGreaterThan(5);
    expect(covers.every((e) => e.name.zh.includes('井盖'))).toBe(true);
    expect(searchTypes('matter', 'street vendor').map((e) => e.code)).toContain('09001');
    expect(searchTypes('matter', '   ')).toEqual([]);
    expect(searchTypes('component', '井盖', 3)).toHaveLength(3);
  });
});

describe('map data', () => {
  it('boxes around a point and around many', () => {
    const [w, s, e, n] = bboxAround({ lng: 113, lat: 28 }, 1113.2);
    expect(n - s).toBeCloseTo(0.02, 4);
    expect(e - w).toBeGreaterThan(0.02); // a degree of longitude is shorter than one of latitude
    expect(bboxOf([])).toBeUndefined();
    expect(bboxOf([{ lng: 113, lat: 28 }, { lng: 112.9, lat: 28.2 }])).toEqual([112.9, 28, 113, 28.2]);
  });

  it('case markers are coloured by status, link to the case and can be filtered by stage', () => {
    const cases = [caseSummary({ id: 'a', status: 'handling', urgency: 'urgent' }), caseSummary({ id: 'b', status: 'filing' })];
    const markers = caseMarkers(cases, (c) => c.number);
    expect(markers.map((m) => [m.id, m.color, m.href, m.emphasis])).toEqual([
      ['a', '#d97706', '/case/a', true],
      ['b', '#1d5fa8', '/case/b', false],
    ]);
    expect(caseMarkers(cases, (c) => c.number, new Set(['filing'])).map((m) => m.id)).toEqual(['b']);
  });
});

describe('periods', () => {
  it('this month runs from its first day to today in Beijing', () => {
    expect(thisMonth(Date.parse('2025-11-30T17:00:00Z'))).toEqual({ from: '2025-12-01', to: '2025-12-01' });
    expect(thisMonth(Date.parse('2025-11-24T06:00:00Z'))).toEqual({ from: '2025-11-01', to: '2025-11-24' });
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
  });
});

describe('evaluation display', () => {
  const row = (id: string, score: number | null, indicators: Record<string, { numerator: number; denominator: number | null; value: number | null }>) => ({
    subject: { id, kind: 'department' },
    indicators,
    score,
    grade: score === null ? null : ('B' as const),
  });

  it('columns follow the catalogue order; rates as %, counts as numbers', () => {
    const rows = [row('x', 80, { reportCount: { numerator: 3, denominator: null, value: 3 }, closeRate: { numerator: 1, denominator: 4, value: 0.25 } })];
    expect(indicatorColumns(rows)).toEqual(['closeRate', 'reportCount']);
    expect(formatIndicator('closeRate', rows[0]!.indicators.closeRate)).toEqual({ text: '25.0%', title: '1 / 4' });
    expect(formatIndicator('reportCount', rows[0]!.indicators.reportCount).text).toBe('3');
    expect(formatIndicator('closeRate', undefined).text).toBe('—');
  });

  it('bars: scored subjects only, best first, named from the tenant', () => {
    const rows = [row('water', 70.04, {}), row('urban-mgmt', 91, {}), row('gas', null, {})];
    const names: Record<string, string> = { water: '市水务局', 'urban-mgmt': '市城市管理局' };
    expect(scoreBars(rows, (r) => subjectName(r, (code) => names[code] ?? code))).toEqual([
      { name: '市城市管理局', score: 91, color: '#0e7490' },
      { name: '市水务局', score: 70, color: '#0e7490' },
    ]);
    expect(subjectName({ subject: { id: 'dispatcher', kind: 'dispatcher' }, indicators: {} }, (c) => c)).toBe('派遣员');
  });
});
