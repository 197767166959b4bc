import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmView } from '../../../../contracts';
import type { Me } from '../../api/schemas';
import { fakeEventStream } from '../../test/event-stream';
import { errorBody, installFakeApi, type FakeRoute } from '../../test/fake-api';
import { ALARM_ID, alarmView, CASE_ID, CHANGSHA, LEADER, MONITORING_OPERATOR, OTHER_ALARM_ID } from '../../test/fixtures';
import { HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

const withCase = alarmView({ id: OTHER_ALARM_ID, level: 'red', caseId: CASE_ID, status: 'acknowledged', raisedAt: '2025-11-24T04:00:00.000Z' });

function setup(user: Me = MONITORING_OPERATOR, routes: Record<string, FakeRoute> = {}) {
  const events = fakeEventStream();
  const api = installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/alarms': { body: { items: [alarmView(), withCase] } },
    'GET /v1/monitoring/events': events.route,
    [`POST /v1/alarms/${ALARM_ID}/acknowledge`]: ({ body }) => ({ body: acted('acknowledged', (body as { note: string }).note) }),
    [`POST /v1/alarms/${ALARM_ID}/dispose`]: ({ body }) => ({ body: acted('disposed', (body as { note: string }).note) }),
    ...routes,
  });
  return { api, events };
}

function acted(status: 'acknowledged' | 'disposed', note: string): AlarmView {
  const base = alarmView();
  return { ...base, status, history: [...base.history, { at: '2025-11-24T05:10:00.000Z', action: status, actor: '430100.monitoring-operator', note }] };
}

const row = (id: string) => screen.getByTestId(`alarm-row-${id}`);

describe('MON-3 alarm board', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('lists open alarms newest first with level, device, rule, status, and a link to the case an alarm opened', async () => {
    const { api } = setup();
    signedIn();
    renderApp('/monitoring/alarms');
    const table = await screen.findByTestId('alarm-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.dataset.alarm)).toEqual([ALARM_ID, OTHER_ALARM_ID]);
    expect(within(row(ALARM_ID)).getByTestId('level-chip').textContent).toBe('橙色预警');
    expect(within(row(ALARM_ID)).getByTestId('alarm-status').textContent).toBe('待确认');
    expect(row(ALARM_ID).textContent).toContain('状态');
    expect(row(ALARM_ID).textContent).toContain('井盖');
    expect(within(row(OTHER_ALARM_ID)).getByTestId('alarm-case-link').getAttribute('href')).toBe(`/case/${CASE_ID}`);
    expect(within(row(ALARM_ID)).queryByTestId('alarm-case-link')).toBeNull();
    expect(within(row(ALARM_ID)).getByTestId('alarm-acknowledge')).toBeTruthy();
    expect(within(row(OTHER_ALARM_ID)).queryByTestId('alarm-acknowledge')).toBeNull();
    expect(within(row(OTHER_ALARM_ID)).getByTestId('alarm-dispose')).toBeTruthy();
    expect(api.called('GET /v1/alarms')[0]?.query.get('status')).toBe('open');
  });

  it('acknowledge sends the note to the alarm and the row shows the new status', async () => {
    const { api } = setup();
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    fireEvent.click(within(row(ALARM_ID)).getByTestId('alarm-acknowledge'));
    const form = within(row(ALARM_ID)).getByTestId('alarm-form');
    expect(form.dataset.action).toBe('acknowledge');
    fireEvent.input(within(form).getByTestId('alarm-note'), { target: { value: '已通知水务局到场' } });
    fireEvent.click(within(form).getByTestId('alarm-submit'));
    await waitFor(() => expect(api.called(`POST /v1/alarms/${ALARM_ID}/acknowledge`)).toHaveLength(1));
    const call = api.called(`POST /v1/alarms/${ALARM_ID}/acknowledge`)[0]!;
    expect(call.body).toEqual({ note: '已通知水务局到场' });
    expect(call.headers.get('Authorization')).toBe('Bearer id-abc');
    await waitFor(() => expect(within(row(ALARM_ID)).getByTestId('alarm-status').textContent).toBe('已确认'));
    expect(within(row(ALARM_ID)).queryByTestId('alarm-acknowledge')).toBeNull();
    expect(api.called('GET /v1/alarms')).toHaveLength(1);
  });

  it('dispose needs a note of at least 2 characters before anything is sent; a disposed alarm leaves the open list only when cleared', async () => {
    const { api } = setup();
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    fireEvent.click(within(row(ALARM_ID)).getByTestId('alarm-dispose'));
    const form = within(row(ALARM_ID)).getByTestId('alarm-form');
    fireEvent.input(within(form).getByTestId('alarm-note'), { target: { value: ' 好 ' } });
    fireEvent.click(within(form).getByTestId('alarm-submit'));
    expect((await within(form).findByTestId('alarm-note-error')).textContent).toBe('请填写处置说明（至少 2 个字）');
    expect(api.called(`POST /v1/alarms/${ALARM_ID}/dispose`)).toHaveLength(0);
    fireEvent.input(within(form).getByTestId('alarm-note'), { target: { value: '井盖已复位并加锁' } });
    fireEvent.click(within(form).getByTestId('alarm-submit'));
    await waitFor(() => expect(api.called(`POST /v1/alarms/${ALARM_ID}/dispose`)[0]?.body).toEqual({ note: '井盖已复位并加锁' }));
    await waitFor(() => expect(within(row(ALARM_ID)).getByTestId('alarm-status').textContent).toBe('已处置'));
  });

  it('a refused action shows the API message and keeps the form', async () => {
    setup(MONITORING_OPERATOR, {
      [`POST /v1/alarms/${ALARM_ID}/acknowledge`]: { status: 409, body: errorBody('ALARM_ACTION_NOT_ALLOWED', '告警已被处置', 'The alarm was already disposed') },
    });
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    fireEvent.click(within(row(ALARM_ID)).getByTestId('alarm-acknowledge'));
    fireEvent.click(within(row(ALARM_ID)).getByTestId('alarm-submit'));
    expect((await within(row(ALARM_ID)).findByTestId('error-message')).textContent).toContain('告警已被处置');
    expect(within(row(ALARM_ID)).getByTestId('alarm-form')).toBeTruthy();
  });

  it('a pushed alarm appears at the top without reloading, and one cleared meanwhile leaves the open list', async () => {
    const { api, events } = setup();
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('open'));
    const pushed = alarmView({ id: '01JD3A0000000000000000000C', deviceName: '五一大道 3 号井盖', level: 'yellow', raisedAt: '2025-11-24T06:00:00.000Z' });
    events.send('alarm', pushed);
    const newRow = await screen.findByTestId('alarm-row-01JD3A0000000000000000000C');
    expect(newRow.textContent).toContain('五一大道 3 号井盖');
    const rows = within(screen.getByTestId('alarm-table')).getAllByRole('row').slice(1);
    expect(rows[0]).toBe(newRow);
    events.send('alarm', { ...withCase, status: 'cleared', history: [...withCase.history, { at: '2025-11-24T06:01:00.000Z', action: 'cleared', actor: 'system' }] });
    await waitFor(() => expect(screen.queryByTestId(`alarm-row-${OTHER_ALARM_ID}`)).toBeNull());
    expect(api.called('GET /v1/alarms')).toHaveLength(1);
  });

  it('filters go to the API; pushed alarms outside the filter stay out', async () => {
    const { api, events } = setup(MONITORING_OPERATOR, {
      'GET /v1/alarms': ({ query }) => ({ body: { items: query.get('level') === 'red' ? [withCase] : [alarmView(), withCase] } }),
    });
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'all' } });
    fireEvent.change(screen.getByTestId('filter-level'), { target: { value: 'red' } });
    fireEvent.change(screen.getByTestId('filter-domain'), { target: { value: 'manhole' } });
    await waitFor(() => expect(api.called('GET /v1/alarms')).toHaveLength(4));
    const last = api.called('GET /v1/alarms')[3]!.query;
    expect([last.get('status'), last.get('level'), last.get('domain')]).toEqual(['all', 'red', 'manhole']);
    await waitFor(() => expect(screen.queryByTestId(`alarm-row-${ALARM_ID}`)).toBeNull());
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('open'));
    events.send('alarm', alarmView({ id: '01JD3A0000000000000000000D', level: 'blue' }));
    events.send('alarm', alarmView({ id: '01JD3A0000000000000000000E', level: 'red', raisedAt: '2025-11-24T07:00:00.000Z' }));
    await screen.findByTestId('alarm-row-01JD3A0000000000000000000E');
    expect(screen.queryByTestId('alarm-row-01JD3A0000000000000000000D')).toBeNull();
  });

  it('a leader may read the board but not act on alarms', async () => {
    setup(LEADER);
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    expect(screen.queryByTestId('alarm-acknowledge')).toBeNull();
    expect(screen.queryByTestId('alarm-dispose')).toBeNull();
    const links = within(screen.getByRole('navigation')).getAllByRole('link').map((a) => a.getAttribute('href'));
    expect(links).toEqual(expect.arrayContaining(['/leader', '/monitoring', '/monitoring/alarms']));
  });
});
