import { screen, waitFor, fireEvent } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../test/fake-api';
import { CHANGSHA, LEADER } from '../../test/fixtures';
import { GRIDS, HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';
import { HAZARD_ID, hazardView, OTHER_RISK_ID, OVERDUE_HAZARD_ID, RISK_ID, riskPoint } from '../../test/risk-fixtures';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

function setup() {
  return installFakeApi({
    'GET /v1/me': { body: LEADER },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/basedata/grids': { body: GRIDS },
    'GET /v1/risks': { body: { items: [riskPoint(), riskPoint({ id: OTHER_RISK_ID, name: '湘江路雨水泵站', domain: 'drainage', level: 'low' })] } },
    'GET /v1/hazards': { body: { items: [hazardView(), hazardView({ id: OVERDUE_HAZARD_ID, title: '泵站配电柜进水', domain: 'drainage', level: 'major', status: 'rectifying', deadline: '2025-11-20T00:00:00.000Z', overdue: true })] } },
  });
}

describe('MON-2 risk one-map', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('draws risk points in their level colours and the open hazards, overdue first, for a leader', async () => {
    const api = setup();
    signedIn();
    renderApp('/monitoring/risk-map');
    const map = await screen.findByTestId('risk-map');
    await waitFor(() => expect(map.dataset.loaded).toBe('true'));
    expect([map.dataset.risks, map.dataset.hazards]).toEqual(['2', '2']);
    const stub = await screen.findByTestId('map-stub');
    expect(stub.dataset.markerIds).toBe(`risk-${RISK_ID},risk-${OTHER_RISK_ID},hazard-${OVERDUE_HAZARD_ID},hazard-${HAZARD_ID}`);
    expect(stub.dataset.markerColors?.split(',').slice(0, 2)).toEqual(['#d92d20', '#1d6fd6']);
    expect(screen.getByTestId('risk-legend').textContent).toContain('重大风险');
    expect(screen.getByTestId(`hazard-item-${OVERDUE_HAZARD_ID}`).dataset.overdue).toBe('true');
    expect(screen.getByTestId('risk-counts').textContent).toBe('风险点 2 处 · 未销号隐患 2 处 · 超期 1 处');
    expect(api.called('GET /v1/hazards')[0]?.query.get('status')).toBe('open');
  });

  it('filters by domain and by risk level', async () => {
    setup();
    signedIn();
    renderApp('/monitoring/risk-map');
    const map = await screen.findByTestId('risk-map');
    await waitFor(() => expect(map.dataset.loaded).toBe('true'));
    fireEvent.change(screen.getByTestId('filter-domain'), { target: { value: 'drainage' } });
    await waitFor(() => expect([map.dataset.risks, map.dataset.hazards]).toEqual(['1', '1']));
    fireEvent.change(screen.getByTestId('filter-risk-level'), { target: { value: 'major' } });
    await waitFor(() => expect(map.dataset.risks).toBe('0'));
  });
});
