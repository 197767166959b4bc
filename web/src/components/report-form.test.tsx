import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../api/schemas';
import { errorBody, installFakeApi, type FakeRoute } from '../test/fake-api';
import { ACCEPTOR, caseSummary, CHANGSHA, INSPECTOR, photo, PHOTO_ID } from '../test/fixtures';
import { chooseFiles, fakeGeolocation, GRIDS, HEALTH, jpeg } from '../test/helpers';
import { PICKED_POINT } from '../test/map-stub';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

vi.mock('./map/leaflet-map', () => import('../test/map-stub'));

const CREATED = { ...caseSummary({ status: 'filing', number: '430100-20251124-000456' }), photos: [], history: [] };

function setup(user: Me, routes: Record<string, FakeRoute> = {}) {
  return installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/basedata/grids': { body: GRIDS },
    'GET /v1/basedata/components': { body: { type: 'FeatureCollection', features: [] } },
    'GET /v1/geocode/reverse': { body: { gridId: '430104005001001', address: '岳麓区西园路 12 号' } },
    'POST /v1/photos': { status: 201, body: photo() },
    'POST /v1/cases': { status: 201, body: CREATED },
    'GET /v1/cases/board': { body: { queues: {}, overdue: [] } },
    ...routes,
  });
}

const type = (form: HTMLElement, query: string, code: string) => {
  fireEvent.input(within(form).getByTestId('type-search'), { target: { value: query } });
  fireEvent.click(within(form).getAllByTestId('type-option').find((o) => o.dataset.code === code)!);
};

describe('CMD-2 report form', () => {
  let gps: ReturnType<typeof fakeGeolocation> | undefined;
  beforeEach(() => resetClientState());
  afterEach(() => {
    gps?.restore();
    gps = undefined;
    resetClientState();
  });

  it('an inspector reports with GPS, a photo and a category; a retry after a network error re-sends the same clientId', async () => {
    gps = fakeGeolocation({ lng: 112.9545, lat: 28.1842, accuracy: 8 });
    let attempts = 0;
    const api = setup(INSPECTOR, {
      'POST /v1/cases': () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        return { status: 201, body: CREATED };
      },
    });
    signedIn();
    renderApp('/inspector/report');
    const form = await screen.findByTestId('report-form');

    const where = await within(form).findByTestId('location-value');
    await waitFor(() => expect(where.dataset.grid).toBe('430104005001001'));
    expect(where.textContent).toContain('定位精度约 8 米');
    expect((within(form).getByTestId('report-address') as HTMLInputElement).value).toBe('岳麓区西园路 12 号');

    chooseFiles(within(form).getByTestId('photo-input'), [jpeg()]);
    await waitFor(() => expect(within(form).getByTestId('photo-thumb').dataset.status).toBe('done'));
    type(form, '占道经营', '09006');
    fireEvent.input(within(form).getByTestId('report-description'), { target: { value: '路口有流动摊贩占道经营' } });
    fireEvent.click(within(form).getByLabelText('紧急'));

    fireEvent.click(within(form).getByTestId('report-submit'));
    const error = await within(form).findByTestId('report-error');
    expect(error.dataset.code).toBe('NETWORK_ERROR');
    expect(form.textContent).toContain('再次提交不会重复上报');

    fireEvent.click(within(form).getByTestId('report-submit'));
    const done = await screen.findByTestId('report-done');
    expect(done.textContent).toContain('已上报，案件编号 430100-20251124-000456');

    const [first, second] = api.called('POST /v1/cases').map((c) => c.body as Record<string, unknown>);
    expect(first).toEqual(second);
    expect(first).toEqual({
      clientId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      source: 'inspector',
      kind: 'matter',
      typeCode: '09006',
      description: '路口有流动摊贩占道经营',
      location: { lng: 112.9545, lat: 28.1842 },
      address: '岳麓区西园路 12 号',
      urgency: 'urgent',
      photoIds: [PHOTO_ID],
    });

    // A new report gets a new clientId.
    const used = first!.clientId;
    fireEvent.click(screen.getByTestId('report-again'));
    expect((await screen.findByTestId('report-form')).dataset.clientId).not.toBe(used);
  });

  it('refuses to send an incomplete report', async () => {
    gps = fakeGeolocation({ error: 'User denied Geolocation', code: 1 });
    const api = setup(INSPECTOR);
    signedIn();
    renderApp('/inspector/report');
    const form = await screen.findByTestId('report-form');
    fireEvent.click(within(form).getByTestId('report-submit'));
    const alerts = within(form)
      .getAllByRole('alert')
      .map((a) => a.textContent);
    expect(alerts).toEqual(expect.arrayContaining(['请确定问题位置', '请选择问题类别（小类）', '问题描述至少 2 个字']));
    expect(api.called('POST /v1/cases')).toHaveLength(0);
  });

  it('photos: a non-image is refused before upload; the API’s PHOTO_TOO_LARGE is shown and the photo can be retried', async () => {
    gps = fakeGeolocation({ error: 'denied' });
    let uploads = 0;
    const api = setup(INSPECTOR, {
      'POST /v1/photos': () => {
        uploads += 1;
        return uploads === 1 ? { status: 413, body: errorBody('PHOTO_TOO_LARGE', '照片过大（不超过 5 MB）', 'The photo is too large (5 MB at most)') } : { status: 201, body: photo() };
      },
    });
    signedIn();
    renderApp('/inspector/report');
    const form = await screen.findByTestId('report-form');
    const input = within(form).getByTestId('photo-input');
    expect(input.getAttribute('accept')).toBe('image/*');
    expect(input.getAttribute('capture')).toBe('environment');

    chooseFiles(input, [new File(['hello'], 'notes.txt', { type: 'text/plain' })]);
    expect((await within(form).findByTestId('photo-rejected')).textContent).toBe('“notes.txt”不是图片，请选择照片');
    expect(api.called('POST /v1/photos')).toHaveLength(0);

    chooseFiles(input, [jpeg('big.jpg')]);
    const failed = await within(form).findByTestId('photo-error');
    expect(failed.dataset.code).toBe('PHOTO_TOO_LARGE');
    expect(failed.textContent).toContain('照片过大（不超过 5 MB）');

    // The form waits for the photos before sending.
    fireEvent.click(within(form).getByTestId('map-pick'));
    type(form, '井盖', '01001');
    fireEvent.input(within(form).getByTestId('report-description'), { target: { value: '井盖缺失' } });
    fireEvent.click(within(form).getByTestId('report-submit'));
    expect(await within(form).findByText('请等待照片上传完成，或移除失败的照片')).toBeTruthy();
    expect(api.called('POST /v1/cases')).toHaveLength(0);

    fireEvent.click(within(within(form).getByTestId('photo-thumb')).getByRole('button', { name: '重试' }));
    await waitFor(() => expect(within(form).getByTestId('photo-thumb').dataset.status).toBe('done'));
    expect(api.called('POST /v1/photos')).toHaveLength(2);
    expect(api.called('POST /v1/photos')[0]?.query.get('stage')).toBe('report');
  });

  it('type picker: 部件/事件, 大类 and 小类, and a search over names and codes', async () => {
    gps = fakeGeolocation({ error: 'denied' });
    setup(INSPECTOR);
    signedIn();
    renderApp('/inspector/report');
    const form = await screen.findByTestId('report-form');
    const search = within(form).getByTestId('type-search');

    fireEvent.input(search, { target: { value: '井盖' } });
    const matters = within(form).getAllByTestId('type-option');
    expect(matters[0]!.textContent).toContain('井盖异常');
    fireEvent.input(search, { target: { value: '不存在的类别' } });
    expect(within(form).getByText('没有匹配的类别')).toBeTruthy();

    fireEvent.click(within(form).getByLabelText('部件'));
    fireEvent.input(within(form).getByTestId('type-search'), { target: { value: '01003' } });
    const options = within(form).getAllByTestId('type-option');
    expect(options.map((o) => o.dataset.code)).toEqual(['01003']);
    expect(options[0]!.textContent).toContain('雨水井盖');
    fireEvent.click(options[0]!);
    expect(within(form).getByTestId('type-chosen').dataset.code).toBe('01003');
    expect((within(form).getByTestId('type-major') as HTMLSelectElement).value).toBe('01');
    expect((within(form).getByTestId('type-minor') as HTMLSelectElement).value).toBe('01003');

    fireEvent.change(within(form).getByTestId('type-major'), { target: { value: '03' } });
    expect(within(form).queryByTestId('type-chosen')).toBeNull();
    fireEvent.change(within(form).getByTestId('type-minor'), { target: { value: '03005' } });
    expect(within(form).getByTestId('type-chosen').textContent).toContain('03005');
  });

  it('GPS denied: the inspector picks the point on the map; a point outside the grids is flagged', async () => {
    gps = fakeGeolocation({ error: 'User denied Geolocation', code: 1 });
    setup(INSPECTOR, { 'GET /v1/geocode/reverse': { body: {} } });
    signedIn();
    renderApp('/inspector/report');
    const form = await screen.findByTestId('report-form');
    expect((await within(form).findByRole('status')).textContent).toContain('无法获取定位（User denied Geolocation），请在地图上点选位置');
    fireEvent.click(await within(form).findByTestId('map-pick'));
    const where = await within(form).findByTestId('location-value');
    expect(Number(where.dataset.lng)).toBe(PICKED_POINT.lng);
    expect(await within(where).findByText('该位置不在本辖区的单元网格内')).toBeTruthy();
  });

  it('an acceptor takes a hotline/WeChat report on the command home: source, address search, caller', async () => {
    const api = setup(ACCEPTOR, {
      'GET /v1/geocode': { body: { items: [{ address: '芙蓉区五一大道 100 号', location: { lng: 112.99, lat: 28.19 }, gridId: '430102001001001' }] } },
      'GET /v1/geocode/reverse': { body: { gridId: '430102001001001', address: '芙蓉区五一大道 100 号附近' } },
    });
    signedIn();
    renderApp('/command');
    const panel = await screen.findByTestId('intake-panel');
    const form = within(panel).getByTestId('report-form');
    fireEvent.click(within(form).getByLabelText('公众举报'));
    fireEvent.input(within(form).getByTestId('address-search'), { target: { value: '五一大道100号' } });
    fireEvent.click(within(form).getByRole('button', { name: '搜索' }));
    fireEvent.click(await within(form).findByTestId('geocode-result'));
    await waitFor(() => expect(within(form).getByTestId('location-value').dataset.grid).toBe('430102001001001'));
    type(form, '占道经营', '09006');
    fireEvent.input(within(form).getByTestId('report-description'), { target: { value: '市民微信反映有摊贩占道' } });
    fireEvent.input(within(form).getByTestId('contact-name'), { target: { value: '王先生' } });
    fireEvent.input(within(form).getByTestId('contact-phone'), { target: { value: '13800000000' } });
    fireEvent.click(within(form).getByTestId('report-submit'));
    await screen.findByTestId('report-done');
    expect(api.called('GET /v1/geocode')[0]?.query.get('q')).toBe('五一大道100号');
    expect(api.called('POST /v1/cases')[0]?.body).toMatchObject({
      source: 'citizen',
      kind: 'matter',
      typeCode: '09006',
      location: { lng: 112.99, lat: 28.19 },
      address: '芙蓉区五一大道 100 号',
      reporterContact: { name: '王先生', phone: '13800000000' },
    });
  });
});
