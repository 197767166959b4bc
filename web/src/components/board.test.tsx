import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../test/fake-api';
import { CASE_ID, caseSummary, CHANGSHA, DISPATCHER, OTHER_CASE_ID, task } from '../test/fixtures';
import { GRIDS, HEALTH } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';
import { BOARD_REFRESH_MS, queueCounts, sortOverdue } from './board';

vi.mock('./map/leaflet-map', () => import('../test/map-stub'));

const NOW = new Date('2025-11-24T06:00:00.000Z');
const LATE_2H = caseSummary({ id: OTHER_CASE_ID, number: '430100-20251124-000002', status: 'handling', departments: ['water', 'urban-mgmt'], dueAt: '2025-11-24T04:00:00.000Z' });
const LATE_2D = caseSummary({ id: CASE_ID, number: '430100-20251122-000001', status: 'dispatching', urgency: 'urgent', dueAt: '2025-11-22T04:00:00.000Z' });
const ON_TIME = caseSummary({ id: '01JD2Z8K0M5Q3S7V9X1B3D5F9K', number: '430100-20251124-000003', status: 'filing', dueAt: '2025-11-24T09:00:00.000Z' });

function setup() {
  return installFakeApi({
    'GET /v1/me': { body: DISPATCHER },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/basedata/grids': { body: GRIDS },
    'GET /v1/tasks': { body: { items: [task({ taskId: 't-case', subject: 'case', itemId: CASE_ID, step: 'case.dispatch', title: '派遣 430100-20251122-000001' })] } },
    'GET /v1/cases/board': { body: { queues: { filing: 1, dispatching: 1, handling: 1, checking: 0 }, overdue: [LATE_2H, LATE_2D] } },
    'GET /v1/cases': ({ query }) => ({
      body: { items: [ON_TIME, LATE_2D, LATE_2H].filter((c) => c.status === query.get('status')) },
    }),
  });
}

describe('CMD-8 command centre board', () => {
  beforeEach(() => {
    resetClientState();
    vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    resetClientState();
  });

  it('counts the queue of every open stage, in stage order', () => {
    expect(queueCounts({ handling: 3, filing: 1 })).toEqual([
      { status: 'verifying', count: 0 },
      { status: 'filing', count: 1 },
      { status: 'dispatching', count: 0 },
      { status: 'handling', count: 3 },
      { status: 'extension-review', count: 0 },
      { status: 'suspension-review', count: 0 },
      { status: 'suspended', count: 0 },
      { status: 'checking', count: 0 },
    ]);
    expect(sortOverdue([LATE_2H, LATE_2D]).map((c) => c.id)).toEqual([CASE_ID, OTHER_CASE_ID]);
  });

  it('shows the queues, the overdue cases most overdue first with how late, the open cases on the map and case tasks with links', async () => {
    const api = setup();
    signedIn();
    renderApp('/command');
    const queues = await screen.findByTestId('board-queues');
    const counts = within(queues)
      .getAllByTestId('queue')
      .map((q) => [q.dataset.status, q.dataset.count, q.textContent]);
    expect(counts.slice(0, 4)).toEqual([
      ['verifying', '0', '0待核实'],
      ['filing', '1', '1待立案'],
      ['dispatching', '1', '1待派遣'],
      ['handling', '1', '1处置中'],
    ]);

    const overdue = await screen.findByTestId('overdue-board');
    const items = within(overdue).getAllByTestId('overdue-item');
    expect(items.map((i) => i.dataset.case)).toEqual([CASE_ID, OTHER_CASE_ID]);
    expect(items[0]!.textContent).toContain('超时 2 天 2 小时');
    expect(items[0]!.textContent).toContain('待派遣');
    expect(items[0]!.textContent).toContain('紧急');
    expect(items[1]!.textContent).toContain('超时 2 小时');
    await waitFor(() => expect(items[1]!.textContent).toContain('市水务局、市城市管理局'));
    expect(within(items[0]!).getByRole('link').getAttribute('href')).toBe(`/case/${CASE_ID}`);

    const map = await screen.findByTestId('case-map');
    expect(map.dataset.kind).toBe('live');
    expect(map.dataset.markers).toBe('3');
    // Only the stages that have cases are listed.
    expect(api.called('GET /v1/cases').map((c) => c.query.get('status')).sort()).toEqual(['dispatching', 'filing', 'handling']);

    const link = await screen.findByTestId('task-link');
    expect(link.getAttribute('href')).toBe(`/case/${CASE_ID}`);
    expect(link.textContent).toBe('派遣 430100-20251122-000001');
  });

  it('a queue filters the map by stage; the board refreshes every 15 seconds', async () => {
    const api = setup();
    signedIn();
    renderApp('/command');
    const queues = await screen.findByTestId('board-queues');
    fireEvent.click(within(queues).getAllByTestId('queue').find((q) => q.dataset.status === 'handling')!);
    await waitFor(() => expect(screen.getByTestId('case-map').dataset.markers).toBe('1'));

    expect(api.called('GET /v1/cases/board')).toHaveLength(1);
    vi.advanceTimersByTime(BOARD_REFRESH_MS);
    await waitFor(() => expect(api.called('GET /v1/cases/board')).toHaveLength(2));
    vi.advanceTimersByTime(BOARD_REFRESH_MS - 1000);
    expect(api.called('GET /v1/cases/board')).toHaveLength(2);
  });
});
