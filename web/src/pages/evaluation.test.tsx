import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../test/fake-api';
import { CHANGSHA, LEADER, SHIFT_LEADER } from '../test/fixtures';
import { HEALTH } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

vi.mock('../components/score-chart', () => import('../test/chart-stub'));

const NOW = new Date('2025-11-24T06:00:00.000Z');

const REPORT = {
  period: { from: '2025-11-01T00:00:00+08:00', to: '2025-11-25T00:00:00+08:00' },
  groupBy: 'inspector',
  rows: [
    {
      subject: { id: '430100.inspector-2', kind: 'inspector', name: '王监督' },
      indicators: { validReportRate: { numerator: 6, denominator: 10, value: 0.6 }, reportCount: { numerator: 10, denominator: null, value: 10 } },
      score: 58.5,
      grade: 'D',
    },
    {
      subject: { id: '430100.inspector', kind: 'inspector', name: '张监督' },
      indicators: {
        validReportRate: { numerator: 18, denominator: 20, value: 0.9 },
        onTimeVerifyRate: { numerator: 0, denominator: 0, value: null },
        reportCount: { numerator: 20, denominator: null, value: 20 },
      },
      score: 92.25,
      grade: 'A',
    },
  ],
};

function setup(me = LEADER) {
  return installFakeApi({
    'GET /v1/me': { body: me },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/evaluation': ({ query }) =>
      query.get('groupBy') === 'department'
        ? { body: { ...REPORT, groupBy: 'department', rows: [{ subject: { id: 'water', kind: 'department' }, indicators: { closeRate: { numerator: 3, denominator: 4, value: 0.75 } }, score: 80, grade: 'B' }] } }
        : { body: REPORT },
    'GET /v1/evaluation.csv': { raw: 'subject,score\n张监督,92.25\n', contentType: 'text/csv' },
  });
}

describe('CMD-9 evaluation', () => {
  beforeEach(() => {
    resetClientState();
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    resetClientState();
  });

  it('asks for this month by inspector and shows scores, grades and indicators (rates in %, fractions on hover)', async () => {
    const api = setup();
    signedIn();
    renderApp('/leader/evaluation');
    const table = await screen.findByTestId('evaluation-table');
    expect(api.called('GET /v1/evaluation')[0]?.query.toString()).toBe('from=2025-11-01&to=2025-11-25&groupBy=inspector'); // [from, to): today included

    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['评价对象', '综合得分', '等级', '按时核实率', '有效上报率', '上报数']);

    const rows = within(table).getAllByTestId('evaluation-row');
    expect(rows.map((r) => r.dataset.subject)).toEqual(['430100.inspector', '430100.inspector-2']);
    expect(within(rows[0]!).getByTestId('evaluation-score').textContent).toBe('92.3');
    expect(within(rows[0]!).getByTestId('grade').textContent).toBe('A');
    expect(within(rows[1]!).getByTestId('grade').className).toContain('grade-D');
    const valid = rows[0]!.querySelector('td[data-indicator="validReportRate"]')!;
    expect(valid.textContent).toBe('90.0%');
    expect(valid.getAttribute('title')).toBe('18 / 20');
    expect(rows[0]!.querySelector('td[data-indicator="onTimeVerifyRate"]')!.textContent).toBe('—');
    expect(rows[0]!.querySelector('td[data-indicator="reportCount"]')!.textContent).toBe('20');
    expect(rows[1]!.querySelector('td[data-indicator="onTimeVerifyRate"]')!.textContent).toBe('—');

    const bars = within(await screen.findByTestId('chart-stub')).getAllByRole('listitem');
    expect(bars.map((b) => [b.textContent, b.dataset.score])).toEqual([
      ['张监督', '92.3'],
      ['王监督', '58.5'],
    ]);
  });

  it('switches the grouping and names departments from the tenant profile', async () => {
    const api = setup(SHIFT_LEADER);
    signedIn();
    renderApp('/command/evaluation');
    await screen.findByTestId('evaluation-table');
    fireEvent.click(screen.getByTestId('eval-tab-department'));
    await waitFor(() => expect(screen.getByTestId('evaluation-row').dataset.subject).toBe('water'));
    expect(api.called('GET /v1/evaluation')[1]?.query.get('groupBy')).toBe('department');
    expect(screen.getByTestId('evaluation-row').textContent).toContain('市水务局');
    expect(screen.getByTestId('eval-tab-department').getAttribute('aria-selected')).toBe('true');
  });

  it('exports the same period and grouping as CSV with the token', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const api = setup();
    signedIn();
    renderApp('/evaluation');
    await screen.findByTestId('evaluation-table');
    fireEvent.input(screen.getByTestId('eval-from'), { target: { value: '2025-10-01' } });
    fireEvent.change(screen.getByTestId('eval-from'), { target: { value: '2025-10-01' } });
    fireEvent.click(screen.getByTestId('eval-tab-grid'));
    fireEvent.click(screen.getByTestId('evaluation-export'));
    await waitFor(() => expect(api.called('GET /v1/evaluation.csv')).toHaveLength(1));
    const request = api.called('GET /v1/evaluation.csv')[0]!;
    expect(request.query.toString()).toBe('from=2025-10-01&to=2025-11-25&groupBy=grid&lang=zh');
    expect(request.headers.get('Authorization')).toBe('Bearer id-abc');
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(((await created.mock.calls[0]![0]) as Blob).type).toContain('text/csv');
  });

  it('refuses a period that ends before it starts', async () => {
    const api = setup();
    signedIn();
    renderApp('/leader/evaluation');
    await screen.findByTestId('evaluation-table');
    fireEvent.change(screen.getByTestId('eval-to'), { target: { value: '2025-10-01' } });
    expect((await screen.findByText('开始日期不能晚于结束日期')).getAttribute('role')).toBe('alert');
    expect(api.called('GET /v1/evaluation')).toHaveLength(1);
  });
});
