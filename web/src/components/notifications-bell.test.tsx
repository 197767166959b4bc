import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../test/fake-api';
import { CASE_ID, DISPATCHER } from '../test/fixtures';
import { HEALTH } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';
import { NOTIFICATIONS_REFRESH_MS, unseenCount } from './notifications-bell';

vi.mock('./map/leaflet-map', () => import('../test/map-stub'));

const note = (id: string, at: string, caseId?: string) => ({
  id,
  at,
  channel: 'inbox',
  to: { roles: ['dispatcher'] },
  title: { zh: '案件超时督办', en: 'Case escalated' },
  body: `案件 ${id} 已超时`,
  ...(caseId ? { caseId } : {}),
});

describe('notifications bell', () => {
  beforeEach(() => {
    resetClientState();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    resetClientState();
  });

  it('counts what is new since the list was last opened', () => {
    const items = [note('b', '2025-11-24T02:00:00.000Z'), note('a', '2025-11-24T01:00:00.000Z')];
    expect(unseenCount(items as never, '')).toBe(2);
    expect(unseenCount(items as never, '2025-11-24T01:00:00.000Z')).toBe(1);
  });

  it('shows the count in the header, lists the latest with links to their cases, and polls every minute', async () => {
    let items = [note('n2', '2025-11-24T02:00:00.000Z', CASE_ID), note('n1', '2025-11-24T01:00:00.000Z')];
    const api = installFakeApi({
      'GET /v1/me': { body: DISPATCHER },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/cases/board': { body: { queues: {}, overdue: [] } },
      'GET /v1/notifications': () => ({ body: { items } }),
    });
    signedIn();
    renderApp('/command');
    const bell = await screen.findByTestId('notifications-bell');
    await waitFor(() => expect(bell.dataset.count).toBe('2'));
    expect(within(bell).getByTestId('notifications-count').textContent).toBe('2');

    fireEvent.click(within(bell).getByRole('button', { name: /通知/ }));
    const listed = within(bell).getAllByTestId('notification');
    expect(listed[0]!.textContent).toContain('案件超时督办');
    expect(within(listed[0]!).getByRole('link', { name: '查看案件' }).getAttribute('href')).toBe(`/case/${CASE_ID}`);
    expect(within(listed[1]!).queryByRole('link')).toBeNull();
    expect(bell.dataset.count).toBe('0');

    items = [note('n3', '2025-11-24T03:00:00.000Z'), ...items];
    vi.advanceTimersByTime(NOTIFICATIONS_REFRESH_MS);
    await waitFor(() => expect(bell.dataset.count).toBe('1'));
    expect(api.called('GET /v1/notifications')).toHaveLength(2);
  });
});
