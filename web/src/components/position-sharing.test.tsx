import { screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody, installFakeApi, type FakeRoute } from '../test/fake-api';
import { CHANGSHA, INSPECTOR } from '../test/fixtures';
import { fakeGeolocation, HEALTH } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

vi.mock('../components/map/leaflet-map', () => import('../test/map-stub'));

const RECEIVED = { receivedAt: '2026-11-26T02:00:00.000Z', freshUntil: '2026-11-26T02:10:00.000Z', reportEverySeconds: 60 };

function setup(position: FakeRoute = { body: RECEIVED }) {
  return installFakeApi({
    'GET /v1/me': { body: INSPECTOR },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /v1/patrol/my-tasks': { body: { items: [] } },
    'POST /v1/inspectors/me/position': position,
  });
}

/** Put the page in front or behind, as the browser does when the phone locks or another app opens. */
function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('MUN-3 位置共享 on the inspector home', () => {
  let gps: ReturnType<typeof fakeGeolocation> | undefined;
  beforeEach(() => resetClientState());
  afterEach(() => {
    gps?.restore();
    setVisibility('visible');
    resetClientState();
  });

  it('sends the phone’s position and shows that it is shared', async () => {
    gps = fakeGeolocation({ lng: 112.95371234, lat: 28.18362345, accuracy: 12.4 });
    const api = setup();
    signedIn();
    renderApp('/inspector');
    const indicator = await screen.findByTestId('position-sharing');
    await waitFor(() => expect(indicator.dataset.state).toBe('sharing'));
    expect(indicator.textContent).toContain('位置共享中');
    expect(api.called('POST /v1/inspectors/me/position').map((c) => c.body)).toEqual([{ location: { lng: 112.953712, lat: 28.183623 }, accuracyM: 12 }]);
  });

  it('reports again at the interval the API answers', async () => {
    gps = fakeGeolocation({ lng: 112.9537, lat: 28.1836, accuracy: 10 });
    const api = setup({ body: { ...RECEIVED, reportEverySeconds: 1 } });
    signedIn();
    renderApp('/inspector');
    await waitFor(() => expect(api.called('POST /v1/inspectors/me/position')).toHaveLength(2), { timeout: 3000 });
  });

  it('pauses while the page is behind and reports at once when it is in front again', async () => {
    gps = fakeGeolocation({ lng: 112.9537, lat: 28.1836, accuracy: 10 });
    const api = setup();
    signedIn();
    renderApp('/inspector');
    const indicator = await screen.findByTestId('position-sharing');
    await waitFor(() => expect(indicator.dataset.state).toBe('sharing'));
    setVisibility('hidden');
    await waitFor(() => expect(indicator.dataset.state).toBe('hidden'));
    expect(indicator.textContent).toContain('已暂停');
    setVisibility('visible');
    await waitFor(() => expect(api.called('POST /v1/inspectors/me/position')).toHaveLength(2));
    await waitFor(() => expect(indicator.dataset.state).toBe('sharing'));
  });

  it('says so when the browser refuses the location, and sends nothing', async () => {
    gps = fakeGeolocation({ error: 'User denied Geolocation', code: 1 });
    const api = setup();
    signedIn();
    renderApp('/inspector');
    const indicator = await screen.findByTestId('position-sharing');
    await waitFor(() => expect(indicator.dataset.state).toBe('denied'));
    expect(indicator.textContent).toContain('请允许本页面使用定位');
    expect(api.called('POST /v1/inspectors/me/position')).toHaveLength(0);
  });

  it('stops after a coded refusal (a tenant without nearest-inspector settings)', async () => {
    gps = fakeGeolocation({ lng: 112.9537, lat: 28.1836, accuracy: 10 });
    const api = setup({ status: 409, body: errorBody('DISPATCH_SETTINGS_MISSING', '本辖区尚未配置就近派单参数', 'This tenant has no nearest-inspector settings configured') });
    signedIn();
    renderApp('/inspector');
    const indicator = await screen.findByTestId('position-sharing');
    await waitFor(() => expect(indicator.dataset.state).toBe('off'));
    setVisibility('hidden');
    setVisibility('visible');
    expect(api.called('POST /v1/inspectors/me/position')).toHaveLength(1);
  });
});
