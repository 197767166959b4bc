import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/schemas';
import { ALARM_LEVEL_COLORS, DEVICE_STATE_COLORS } from '../../lib/monitoring';
import { fakeEventStream } from '../../test/event-stream';
import { installFakeApi } from '../../test/fake-api';
import { ALARM_ID, alarmView, CHANGSHA, COVER_ID, deviceView, GAUGE_ID, MONITORING_OPERATOR, OTHER_ALARM_ID, TENANT_ADMIN } from '../../test/fixtures';
import { GRIDS, HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

const gaugeLive = { online: false, lastTs: '2025-11-24T04:00:00.000Z', receivedAt: '2025-11-24T04:00:01.000Z', readings: { levelM: 1.2 }, alarmLevel: null };
const DEVICES = [
  deviceView({ live: { ...deviceView().live!, readings: { open: true }, alarmLevel: 'orange' } }),
  deviceView({ id: GAUGE_ID, kind: 'drainage-level', domain: 'drainage', name: '西园路排水液位计', live: gaugeLive }),
];

function setup(user: Me = MONITORING_OPERATOR) {
  const events = fakeEventStream();
  let devices = DEVICES;
  const api = installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/basedata/grids': { body: GRIDS },
    'GET /v1/devices': () => ({ body: { items: devices } }),
    'GET /v1/alarms': { body: { items: [alarmView()] } },
    'GET /v1/monitoring/events': events.route,
  });
  return { api, events, setDevices: (next: typeof DEVICES) => (devices = next) };
}

const map = () => screen.getByTestId('monitoring-map');
const stub = () => within(map()).getByTestId('map-stub');

describe('MON-1 monitoring one-map', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('the operator lands on the map: devices coloured by state, open alarms beside it, newest first', async () => {
    const { api } = setup();
    signedIn();
    renderApp('/');
    const home = await screen.findByTestId('role-home');
    expect(home.dataset.tree).toBe('monitoring');
    await waitFor(() => expect(map().dataset.loaded).toBe('true'));
    expect(map().dataset.devices).toBe('2');
    expect(map().dataset.alarms).toBe('1');
    await waitFor(() => expect(stub().dataset.markerIds).toBe(`${COVER_ID},${GAUGE_ID}`));
    expect(stub().dataset.markerColors).toBe(`${ALARM_LEVEL_COLORS.orange},${DEVICE_STATE_COLORS.offline}`);
    expect(stub().dataset.markerLinks).toBe(`/monitoring/devices/${COVER_ID},/monitoring/devices/${GAUGE_ID}`);
    const row = screen.getByTestId(`alarm-row-${ALARM_ID}`);
    expect(within(row).getByTestId('level-chip').textContent).toBe('橙色预警');
    expect(within(row).getByRole('link', { name: '西园路 12 号井盖' }).getAttribute('href')).toBe(`/monitoring/devices/${COVER_ID}`);
    expect(row.textContent).toContain('智能井盖');
    expect(screen.getByTestId('device-counts').textContent).toBe('设备 2 台 · 在线 0 · 离线 1 · 告警 1');
    expect(api.called('GET /v1/alarms')[0]?.query.get('status')).toBe('open');
  });

  it('a pushed alarm and device state appear without reloading (newest first, marker recoloured); a cleared alarm leaves', async () => {
    const { api, events } = setup();
    signedIn();
    renderApp('/monitoring');
    await waitFor(() => expect(map().dataset.loaded).toBe('true'));
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('open'));
    expect(map().dataset.live).toBe('open');

    const opened = alarmView({ id: OTHER_ALARM_ID, deviceId: GAUGE_ID, deviceName: '西园路排水液位计', kind: 'drainage-level', domain: 'drainage', level: 'red', raisedAt: '2025-11-24T06:00:00.000Z' });
    events.send('alarm', opened);
    events.send('device', { id: GAUGE_ID, live: { ...gaugeLive, online: true, alarmLevel: 'red' } });
    const row = await screen.findByTestId(`alarm-row-${OTHER_ALARM_ID}`);
    expect(within(row).getByTestId('level-chip').textContent).toBe('红色预警');
    expect(map().dataset.alarms).toBe('2');
    const rows = within(screen.getByTestId('alarm-feed')).getAllByRole('listitem');
    expect(rows.map((r) => r.dataset.alarm)).toEqual([OTHER_ALARM_ID, ALARM_ID]);
    await waitFor(() => expect(stub().dataset.markerColors).toBe(`${ALARM_LEVEL_COLORS.orange},${ALARM_LEVEL_COLORS.red}`));

    events.send('alarm', { ...alarmView(), status: 'cleared', clearedAt: '2025-11-24T06:05:00.000Z', history: [...alarmView().history, { at: '2025-11-24T06:05:00.000Z', action: 'cleared', actor: 'system' }] });
    await waitFor(() => expect(screen.queryByTestId(`alarm-row-${ALARM_ID}`)).toBeNull());
    expect(map().dataset.alarms).toBe('1');
    expect(api.called('GET /v1/alarms')).toHaveLength(1);
    expect(api.called('GET /v1/devices')).toHaveLength(1);
  });

  it('a device registered after the map loaded appears after one coalesced reload of the device list', async () => {
    const { api, events, setDevices } = setup();
    signedIn();
    renderApp('/monitoring');
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('open'));
    expect(api.called('GET /v1/devices')).toHaveLength(1);
    const fresh = deviceView({ id: 'MH-NEW-0001', name: '新井盖', live: { ...deviceView().live!, alarmLevel: null } });
    setDevices([...DEVICES, fresh]);
    events.send('device', { id: 'MH-NEW-0001', live: fresh.live });
    events.send('device', { id: 'MH-NEW-0001', live: fresh.live });
    await waitFor(() => expect(map().dataset.devices).toBe('3'), { timeout: 4000 });
    expect(api.called('GET /v1/devices')).toHaveLength(2);
  });

  it('filters by domain and level on the map and the list; the time window asks the API for alarms since then', async () => {
    const { api } = setup();
    signedIn();
    renderApp('/monitoring');
    await waitFor(() => expect(map().dataset.loaded).toBe('true'));
    fireEvent.change(screen.getByTestId('filter-domain'), { target: { value: 'drainage' } });
    expect(map().dataset.devices).toBe('1');
    expect(map().dataset.alarms).toBe('0');
    expect(await screen.findByTestId('alarms-empty')).toBeTruthy();
    fireEvent.change(screen.getByTestId('filter-domain'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('filter-level'), { target: { value: 'orange' } });
    expect(map().dataset.devices).toBe('1');
    expect(map().dataset.alarms).toBe('1');
    fireEvent.change(screen.getByTestId('filter-window'), { target: { value: '24h' } });
    await waitFor(() => expect(api.called('GET /v1/alarms')).toHaveLength(2));
    const since = api.called('GET /v1/alarms')[1]!.query.get('since')!;
    expect(Math.abs(Date.parse(since) - (Date.now() - 24 * 3_600_000))).toBeLessThan(60_000);
  });

  it('after the stream drops it reconnects and reloads the lists once (events may have been missed)', async () => {
    const { api, events } = setup();
    signedIn();
    renderApp('/monitoring');
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('open'));
    events.drop();
    await waitFor(() => expect(screen.getByTestId('live-indicator').dataset.state).toBe('retrying'));
    await waitFor(() => expect(api.called('GET /v1/devices')).toHaveLength(2), { timeout: 3000 });
    await waitFor(() => expect(api.called('GET /v1/alarms')).toHaveLength(2));
    expect(screen.getByTestId('live-indicator').dataset.state).toBe('open');
  });

  it('the tenant admin may visit the map and keeps the admin menu, which links the monitoring pages', async () => {
    setup(TENANT_ADMIN);
    signedIn();
    renderApp('/monitoring');
    const home = await screen.findByTestId('role-home');
    expect(home.dataset.role).toBe('tenant-admin');
    await waitFor(() => expect(map().dataset.devices).toBe('2'));
    const nav = screen.getByRole('navigation');
    const links = within(nav).getAllByRole('link').map((a) => a.getAttribute('href'));
    expect(links).toEqual(expect.arrayContaining(['/admin', '/monitoring', '/monitoring/alarms', '/monitoring/devices', '/monitoring/dead-letters']));
  });

  it("the admin menu's entry /admin/devices leads to /monitoring/devices", async () => {
    setup(TENANT_ADMIN);
    signedIn();
    const { history } = renderApp('/admin/devices');
    await waitFor(() => expect(history.get()).toBe('/monitoring/devices'));
    expect(await screen.findByTestId('device-registry-page', {}, { timeout: 3000 })).toBeTruthy();
  });

  it('a role that may not see monitoring is sent home', async () => {
    installFakeApi({
      'GET /v1/me': { body: { ...MONITORING_OPERATOR, roles: ['inspector'] } },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/tenant': { body: CHANGSHA },
    });
    signedIn();
    const { history } = renderApp('/monitoring/alarms');
    await waitFor(() => expect(history.get()).toBe('/inspector'));
  });
});
