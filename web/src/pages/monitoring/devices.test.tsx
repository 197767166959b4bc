import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceCredentialsView } from '../../../../contracts';
import type { Me } from '../../api/schemas';
import { fakeEventStream } from '../../test/event-stream';
import { installFakeApi, type FakeRoute } from '../../test/fake-api';
import { CHANGSHA, COVER_ID, deviceView, GAUGE_ID, LEADER, MONITORING_OPERATOR, TENANT_ADMIN } from '../../test/fixtures';
import { chooseFiles, HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

const password = (id: string): DeviceCredentialsView => ({ type: 'password', username: `430100/${id}`, password: `pw-${id}`, mqttUrl: 'mqtt://localhost:1883' });
const DEVICES = [deviceView(), deviceView({ id: GAUGE_ID, kind: 'drainage-level', domain: 'drainage', name: '西园路排水液位计', live: null })];

function setup(user: Me = TENANT_ADMIN, routes: Record<string, FakeRoute> = {}) {
  const events = fakeEventStream();
  const api = installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/devices': { body: { items: DEVICES } },
    'GET /v1/monitoring/events': events.route,
    'POST /v1/devices': ({ body }) => {
      const b = body as { id: string; name: string };
      return { status: 201, body: { device: deviceView({ id: b.id, name: b.name }), credentials: password(b.id) } };
    },
    ...routes,
  });
  return { api, events };
}

const field = (name: string) => screen.getByTestId(`reg-${name}`);
const type = (name: string, value: string) => fireEvent.input(field(name), { target: { value } });

describe('MUN-3 device registry', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('lists the devices with their state and links; filters go to the API; a leader only reads', async () => {
    const { api } = setup(LEADER);
    signedIn();
    renderApp('/monitoring/devices');
    const table = await screen.findByTestId('device-table', {}, { timeout: 3000 });
    const row = within(table).getByTestId(`device-row-${GAUGE_ID}`);
    expect(within(row).getByRole('link', { name: '西园路排水液位计' }).getAttribute('href')).toBe(`/monitoring/devices/${GAUGE_ID}`);
    expect(within(row).getByTestId('device-state').textContent).toBe('未上报');
    expect(row.textContent).toContain('排水液位计');
    expect(screen.queryByTestId('device-register-form')).toBeNull();
    expect(screen.queryByTestId('device-import-form')).toBeNull();
    fireEvent.change(screen.getByTestId('filter-domain'), { target: { value: 'drainage' } });
    fireEvent.change(screen.getByTestId('filter-kind'), { target: { value: 'drainage-level' } });
    fireEvent.change(screen.getByTestId('filter-device-status'), { target: { value: 'all' } });
    await waitFor(() => expect(api.called('GET /v1/devices')).toHaveLength(4));
    const q = api.called('GET /v1/devices')[3]!.query;
    expect([q.get('domain'), q.get('kind'), q.get('status')]).toEqual(['drainage', 'drainage-level', 'all']);
  });

  it('register (monitoring operator): checks the fields first, then posts the device and shows its credentials once', async () => {
    const { api } = setup(MONITORING_OPERATOR);
    signedIn();
    renderApp('/monitoring/devices');
    const form = await screen.findByTestId('device-register-form', {}, { timeout: 3000 });
    expect(within(form).getByRole('option', { name: '智能井盖' })).toBeTruthy();
    expect(within(form).getByRole('group', { name: '排水' })).toBeTruthy();
    type('id', 'x');
    type('lng', '200');
    type('componentId', '123');
    fireEvent.click(within(form).getByTestId('reg-submit'));
    expect(screen.getByTestId('reg-id-error').textContent).toBe('设备编号为 3–64 位字母、数字、_ 或 -');
    expect(screen.getByTestId('reg-kind-error').textContent).toBe('请选择设备类型');
    expect(screen.getByTestId('reg-lng-error').textContent).toBe('经度应在 73–136 之间');
    expect(screen.getByTestId('reg-lat-error')).toBeTruthy();
    expect(screen.getByTestId('reg-componentId-error').textContent).toBe('部件标识码为 17 位数字');
    expect(api.called('POST /v1/devices')).toHaveLength(0);

    type('id', 'MH-YL-0100');
    type('name', '西园路 20 号井盖');
    fireEvent.change(field('kind'), { target: { value: 'manhole-cover' } });
    type('lng', '112.9551');
    type('lat', '28.1849');
    type('componentId', '43010401001000200');
    await waitFor(() => expect(within(field('ownerDepartment')).getByRole('option', { name: '市水务局' })).toBeTruthy());
    fireEvent.change(field('ownerDepartment'), { target: { value: 'water' } });
    fireEvent.click(within(form).getByTestId('reg-submit'));
    await waitFor(() => expect(api.called('POST /v1/devices')).toHaveLength(1));
    expect(api.called('POST /v1/devices')[0]!.body).toEqual({
      id: 'MH-YL-0100',
      kind: 'manhole-cover',
      name: '西园路 20 号井盖',
      location: { lng: 112.9551, lat: 28.1849 },
      componentId: '43010401001000200',
      ownerDepartment: 'water',
    });
    const creds = await screen.findByTestId('credentials');
    expect(screen.getByTestId('reg-done').textContent).toBe('设备 MH-YL-0100 已登记');
    expect(within(creds).getByTestId('credential-password').textContent).toBe('pw-MH-YL-0100');
    expect((field('id') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(api.called('GET /v1/devices')).toHaveLength(2));
  });

  it('import: posts the pasted CSV, lists the refused rows with their reasons and the credentials of the registered ones', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:cred');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const { api } = setup(TENANT_ADMIN, {
      'POST /v1/devices/import': {
        body: {
          registered: [{ device: deviceView({ id: 'MH-YL-0200', name: '导入井盖' }), credentials: password('MH-YL-0200') }],
          errors: [
            { row: 2, id: 'MH-YL-0201', code: 'VALIDATION_FAILED', message: 'lng: a decimal number in degrees' },
            { row: 3, id: COVER_ID, code: 'DEVICE_EXISTS', message: 'a device with this id is already registered' },
          ],
        },
      },
    });
    signedIn();
    renderApp('/monitoring/devices');
    const form = await screen.findByTestId('device-import-form', {}, { timeout: 3000 });
    fireEvent.click(within(form).getByTestId('import-submit'));
    expect(within(form).getByRole('alert').textContent).toBe('请选择文件或粘贴要导入的内容');
    const csv = 'id,kind,name,lng,lat,componentId,address,ownerDepartment\nMH-YL-0200,manhole-cover,导入井盖,112.95,28.18,,,\nMH-YL-0201,manhole-cover,坏行,abc,28.18,,,\n';
    fireEvent.input(within(form).getByTestId('import-content'), { target: { value: csv } });
    fireEvent.click(within(form).getByTestId('import-submit'));
    await waitFor(() => expect(api.called('POST /v1/devices/import')).toHaveLength(1));
    expect(api.called('POST /v1/devices/import')[0]!.body).toEqual({ format: 'csv', content: csv });

    const result = await screen.findByTestId('import-result');
    expect(within(result).getByTestId('import-summary').textContent).toBe('已登记 1 台设备，2 行未通过');
    const errors = within(result).getAllByTestId('import-error');
    expect(errors.map((e) => [e.dataset.row, e.dataset.code])).toEqual([
      ['2', 'VALIDATION_FAILED'],
      ['3', 'DEVICE_EXISTS'],
    ]);
    expect(errors[0]!.textContent).toContain('lng: a decimal number in degrees');
    const creds = within(result).getByTestId('credentials');
    expect(within(creds).getAllByTestId('credential').map((c) => c.dataset.device)).toEqual(['MH-YL-0200']);
    fireEvent.click(within(creds).getByTestId('credentials-download'));
    const text = await (created.mock.calls[0]![0] as Blob).text();
    expect(text.split('\r\n')[1]).toBe('MH-YL-0200,password,430100/MH-YL-0200,pw-MH-YL-0200,mqtt://localhost:1883,,,,,');
  });

  it('import: a chosen GeoJSON file is read and sent as geojson', async () => {
    const { api } = setup(TENANT_ADMIN, { 'POST /v1/devices/import': { body: { registered: [], errors: [{ row: 1, code: 'IMPORT_INVALID', message: 'feature 1 is not a point' }] } } });
    signedIn();
    renderApp('/monitoring/devices');
    const form = await screen.findByTestId('device-import-form', {}, { timeout: 3000 });
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [] });
    chooseFiles(within(form).getByTestId('import-file'), [new File([geojson], 'covers.geojson', { type: 'application/geo+json' })]);
    await waitFor(() => expect((within(form).getByTestId('import-format-geojson') as HTMLInputElement).checked).toBe(true));
    expect((within(form).getByTestId('import-content') as HTMLTextAreaElement).value).toBe(geojson);
    fireEvent.click(within(form).getByTestId('import-submit'));
    await waitFor(() => expect(api.called('POST /v1/devices/import')[0]?.body).toEqual({ format: 'geojson', content: geojson }));
    expect((await screen.findByTestId('import-summary')).textContent).toBe('已登记 0 台设备，1 行未通过');
    expect(screen.queryByTestId('credentials')).toBeNull();
  });
});
