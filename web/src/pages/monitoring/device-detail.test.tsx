import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/schemas';
import { fakeEventStream } from '../../test/event-stream';
import { installFakeApi, type FakeRoute } from '../../test/fake-api';
import { aggregate, ALARM_ID, alarmView, CASE_ID, CHANGSHA, COVER_ID, deviceView, MONITORING_OPERATOR, TENANT_ADMIN } from '../../test/fixtures';
import { GRIDS, HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));
vi.mock('../../components/monitoring/metric-chart', () => import('../../test/metric-chart-stub'));

const { domain: _domain, deviceName: _name, location: _location, ...alarm } = alarmView({ caseId: CASE_ID });
const DETAIL = {
  device: deviceView(),
  aggregates: [aggregate('2025-11-24T04:00:00.000Z', { min: 0.2, max: 0.4, sum: 0.9, count: 3 }), aggregate('2025-11-24T05:00:00.000Z', { min: 0.4, max: 0.5, sum: 0.9, count: 2 })],
  alarms: [alarm],
};

function setup(user: Me = MONITORING_OPERATOR, routes: Record<string, FakeRoute> = {}) {
  const events = fakeEventStream();
  const api = installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/basedata/grids': { body: GRIDS },
    [`GET /v1/devices/${COVER_ID}`]: { body: DETAIL },
    'GET /v1/monitoring/events': events.route,
    ...routes,
  });
  return { api, events };
}

describe('MON-1 device detail', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('shows the device record, latest readings, a chart per numeric metric and its alarms', async () => {
    const { api } = setup();
    signedIn();
    renderApp(`/monitoring/devices/${COVER_ID}`);
    const detail = await screen.findByTestId('device-detail', {}, { timeout: 3000 });
    expect(screen.getByTestId('device-kind').textContent).toBe('智能井盖 · 井盖');
    expect(screen.getByTestId('device-grid').textContent).toBe('430104005001001');
    expect(screen.getByTestId('device-component').textContent).toBe('43010401001000123');
    await waitFor(() => expect(screen.getByTestId('device-owner').textContent).toBe('市水务局'));
    expect(screen.getByTestId('device-status').textContent).toBe('在用');
    expect(within(detail).getByTestId('device-state').textContent).toBe('在线');
    expect(screen.getByTestId('reading-waterLevelM').textContent).toBe('井内水位0.42 m');
    expect(screen.getByTestId('reading-open').textContent).toBe('井盖开启否');
    const charts = screen.getAllByTestId('metric-chart');
    expect(charts.map((c) => c.dataset.metric)).toEqual(['waterLevelM']);
    const points = within(await screen.findByTestId('metric-chart-stub')).getAllByRole('listitem');
    expect(points.map((p) => [p.dataset.min, p.dataset.avg, p.dataset.max])).toEqual([
      ['0.2', '0.3', '0.4'],
      ['0.4', '0.45', '0.5'],
    ]);
    const alarmRow = screen.getByTestId(`alarm-row-${ALARM_ID}`);
    expect(within(alarmRow).getByTestId('level-chip').textContent).toBe('橙色预警');
    expect(within(alarmRow).getByTestId('alarm-case-link').getAttribute('href')).toBe(`/case/${CASE_ID}`);
    expect(within(alarmRow).getByTestId('alarm-acknowledge')).toBeTruthy();
    expect(api.called(`GET /v1/devices/${COVER_ID}`)[0]?.query.get('hours')).toBe('24');
    // The operator may issue new credentials; only the tenant admin decommissions.
    expect(within(screen.getByTestId('device-admin')).getByTestId('device-rotate')).toBeTruthy();
    expect(screen.queryByTestId('device-decommission')).toBeNull();

    fireEvent.change(screen.getByTestId('chart-hours'), { target: { value: '72' } });
    await waitFor(() => expect(api.called(`GET /v1/devices/${COVER_ID}`)[1]?.query.get('hours')).toBe('72'));
  });

  it('live readings and alarms of this device follow the stream', async () => {
    const { events } = setup();
    signedIn();
    renderApp(`/monitoring/devices/${COVER_ID}`);
    await screen.findByTestId('device-detail');
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('open'));
    events.send('device', { id: 'SOMEONE-ELSE', live: { ...deviceView().live!, readings: { open: true } } });
    events.send('device', { id: COVER_ID, live: { ...deviceView().live!, readings: { open: true, waterLevelM: 1.1 }, alarmLevel: 'red' } });
    await waitFor(() => expect(screen.getByTestId('reading-open').textContent).toBe('井盖开启是'));
    expect(screen.getByTestId('reading-waterLevelM').textContent).toBe('井内水位1.1 m');
    expect(within(screen.getByTestId('device-detail')).getByTestId('device-state').textContent).toBe('红色预警');
    events.send('alarm', alarmView({ id: '01JD3A0000000000000000000F', level: 'red', raisedAt: '2025-11-24T06:00:00.000Z' }));
    expect(await screen.findByTestId('alarm-row-01JD3A0000000000000000000F')).toBeTruthy();
  });

  it('the tenant admin decommissions only after confirming', async () => {
    const { api } = setup(TENANT_ADMIN, {
      [`DELETE /v1/devices/${COVER_ID}`]: { body: { device: { ...deviceView(), status: 'decommissioned', decommissionedAt: '2025-11-24T06:00:00.000Z' } } },
    });
    signedIn();
    renderApp(`/monitoring/devices/${COVER_ID}`);
    const admin = await screen.findByTestId('device-admin');
    expect(screen.getByTestId('alarm-acknowledge')).toBeTruthy();
    fireEvent.click(within(admin).getByTestId('device-decommission'));
    const confirm = within(admin).getByTestId('device-confirm');
    expect(confirm.textContent).toContain('确定停用“西园路 12 号井盖”吗？');
    fireEvent.click(within(confirm).getByTestId('device-confirm-no'));
    expect(api.called(`DELETE /v1/devices/${COVER_ID}`)).toHaveLength(0);
    fireEvent.click(within(admin).getByTestId('device-decommission'));
    fireEvent.click(within(admin).getByTestId('device-confirm-yes'));
    await waitFor(() => expect(api.called(`DELETE /v1/devices/${COVER_ID}`)).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('device-status').textContent).toBe('已停用'));
    expect(screen.queryByTestId('device-admin')).toBeNull();
  });

  it('the tenant admin rotates the credentials and sees them once, with a CSV to keep', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:cred');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const { api } = setup(TENANT_ADMIN, {
      [`POST /v1/devices/${COVER_ID}/credentials`]: { body: { type: 'password', username: `430100/${COVER_ID}`, password: 's3cret-2', mqttUrl: 'mqtt://localhost:1883' } },
    });
    signedIn();
    renderApp(`/monitoring/devices/${COVER_ID}`);
    const admin = await screen.findByTestId('device-admin');
    fireEvent.click(within(admin).getByTestId('device-rotate'));
    fireEvent.click(within(admin).getByTestId('device-confirm-yes'));
    const panel = await within(admin).findByTestId('credentials');
    expect(api.called(`POST /v1/devices/${COVER_ID}/credentials`)).toHaveLength(1);
    expect(within(panel).getByTestId('credential-password').textContent).toBe('s3cret-2');
    expect(within(panel).getByTestId('credentials-once').textContent).toContain('仅显示这一次');
    fireEvent.click(within(panel).getByTestId('credentials-download'));
    expect(created).toHaveBeenCalledOnce();
    const csv = await (created.mock.calls[0]![0] as Blob).text();
    expect(csv).toContain(`${COVER_ID},password,430100/${COVER_ID},s3cret-2`);
    fireEvent.click(within(panel).getByTestId('credentials-dismiss'));
    expect(within(admin).queryByTestId('credentials')).toBeNull();
  });
});
