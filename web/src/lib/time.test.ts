import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n';
import { dueState, dueText, formatDateTime } from './time';

const NOW = Date.parse('2025-11-24T06:00:00.000Z'); // 14:00 in Beijing

describe('times and time limits', () => {
  afterEach(() => setLang('zh-CN'));

  it('shows Beijing time', () => {
    expect(formatDateTime('2025-11-24T06:00:00.000Z')).toBe('2025-11-24 14:00');
    expect(formatDateTime('2025-11-24T16:30:00Z')).toBe('2025-11-25 00:30');
  });

  it('a limit in the past is overdue, within two hours is due soon', () => {
    expect(dueState('2025-11-24T05:59:00.000Z', NOW)).toBe('overdue');
    expect(dueState('2025-11-24T07:30:00.000Z', NOW)).toBe('soon');
    expect(dueState('2025-11-24T09:00:00.000Z', NOW)).toBe('ok');
    expect(dueState(null, NOW)).toBe('none');
  });

  it('says how much time is left or how late it is', () => {
    expect(dueText('2025-11-24T09:15:00.000Z', NOW)).toBe('剩余 3 小时 15 分');
    expect(dueText('2025-11-22T04:00:00.000Z', NOW)).toBe('超时 2 天 2 小时');
    setLang('en');
    expect(dueText('2025-11-24T06:20:00.000Z', NOW)).toBe('20 min left');
  });
});
