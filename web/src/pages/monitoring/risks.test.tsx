import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/schemas';
import { errorBody, installFakeApi, type FakeRoute } from '../../test/fake-api';
import { CHANGSHA, LEADER, MONITORING_OPERATOR } from '../../test/fixtures';
import { HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';
import { ACCIDENT_STATS, RISK_ID, riskPoint } from '../../test/risk-fixtures';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

function setup(user: Me = MONITORING_OPERATOR, routes: Record<string, FakeRoute> = {}) {
  return installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/risks': { body: { items: [riskPoint()] } },
    'GET /v1/accidents/stats': { body: ACCIDENT_STATS },
    'POST /v1/risks': ({ body }) => ({ status: 201, body: riskPoint({ id: '01JD3B0000000000000000000T', name: (body as { name: string }).name }) }),
    ...routes,
  });
}

describe('MON-2 risk registry', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('lists risk points with the four-colour level, measures and last assessment, and the month’s accidents with 环比/同比', async () => {
    setup(LEADER);
    signedIn();
    renderApp('/monitoring/risks');
    const row = await screen.findByTestId(`risk-row-${RISK_ID}`);
    expect(within(row).getByTestId('risk-level').textContent).toBe('重大风险');
    expect(row.textContent).toContain('每日巡检并记录进出口压力');
    await waitFor(() => expect(row.textContent).toContain('市水务局'));
    expect(row.textContent).toContain('已落实');
    // A leader reads only.
    expect(screen.queryByTestId('risk-create-form')).toBeNull();
    expect(within(row).queryByTestId('risk-review')).toBeNull();
    expect(screen.queryByTestId('accident-form')).toBeNull();
    const stats = await screen.findByTestId('accident-stats');
    expect(within(stats).getByTestId('accident-current').textContent).toContain('3');
    expect(screen.getByTestId('accident-change').textContent).toBe('环比 +50% · 同比 —');
  });

  it('the operator registers a risk point with a measure; fields are checked before anything is sent', async () => {
    const api = setup();
    signedIn();
    renderApp('/monitoring/risks');
    const form = await screen.findByTestId('risk-create-form');
    fireEvent.click(within(form).getByTestId('risk-submit'));
    expect((await within(form).findByTestId('risk-problems')).textContent).toContain('请填写名称');
    expect(api.called('POST /v1/risks')).toHaveLength(0);
    fireEvent.input(within(form).getByTestId('risk-name'), { target: { value: '五一大道地下通道' } });
    fireEvent.change(within(form).getByTestId('risk-domain'), { target: { value: 'drainage' } });
    fireEvent.change(within(form).getByTestId('risk-level-input'), { target: { value: 'high' } });
    fireEvent.input(within(form).getByTestId('risk-lng'), { target: { value: '112.9769' } });
    fireEvent.input(within(form).getByTestId('risk-lat'), { target: { value: '28.1963' } });
    fireEvent.input(within(form).getByTestId('risk-description'), { target: { value: '暴雨时易积水' } });
    fireEvent.click(within(form).getByTestId('measure-add'));
    await waitFor(() => expect(within(form).getByTestId('measure-text')).toBeTruthy());
    fireEvent.input(within(form).getByTestId('measure-text'), { target: { value: '汛前清淤' } });
    await waitFor(() => expect(within(form).getByTestId('measure-department').textContent).toContain('市水务局'));
    fireEvent.change(within(form).getByTestId('measure-department'), { target: { value: 'water' } });
    fireEvent.click(within(form).getByTestId('risk-submit'));
    await waitFor(() => expect(api.called('POST /v1/risks')).toHaveLength(1));
    const sent = api.called('POST /v1/risks')[0]!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ name: '五一大道地下通道', domain: 'drainage', level: 'high', location: { lng: 112.9769, lat: 28.1963 }, controlMeasures: [{ text: '汛前清淤', department: 'water', status: 'planned' }] });
    expect(sent.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect((await screen.findByTestId('risk-created')).textContent).toContain('五一大道地下通道');
    await waitFor(() => expect(api.called('GET /v1/risks').length).toBeGreaterThanOrEqual(2));
  });

  it('a review sends the version read; a stale one shows the API’s message', async () => {
    const api = setup(MONITORING_OPERATOR, {
      [`POST /v1/risks/${RISK_ID}/review`]: { status: 409, body: errorBody('CONFLICT', '数据已被他人修改，请刷新后重试', 'Someone else changed this') },
    });
    signedIn();
    renderApp('/monitoring/risks');
    const row = await screen.findByTestId(`risk-row-${RISK_ID}`);
    fireEvent.click(within(row).getByTestId('risk-review'));
    fireEvent.change(within(row).getByTestId('review-level'), { target: { value: 'high' } });
    fireEvent.click(within(row).getByTestId('review-submit'));
    await waitFor(() => expect(api.called(`POST /v1/risks/${RISK_ID}/review`)).toHaveLength(1));
    expect(api.called(`POST /v1/risks/${RISK_ID}/review`)[0]!.body).toMatchObject({ version: 1, level: 'high', controlMeasures: [{ text: '每日巡检并记录进出口压力', department: 'water', status: 'in-place' }] });
    expect((await within(row).findByTestId('error-message')).textContent).toContain('数据已被他人修改');
  });
});
