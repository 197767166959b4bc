import { screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeEventStream } from '../../test/event-stream';
import { installFakeApi } from '../../test/fake-api';
import { alarmView, CHANGSHA, LEADER, MONITORING_OPERATOR, ALARM_ID, OTHER_ALARM_ID } from '../../test/fixtures';
import { HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';
import { planView } from '../../test/risk-fixtures';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

const flood = planView({ id: 'flood-control', name: { zh: '长沙市城市防汛应急预案', en: 'Urban flood control contingency plan' }, category: 'special', domains: ['drainage', 'manhole'], ruleIds: ['drainage-level-high'] });

function setup(user = LEADER) {
  const events = fakeEventStream();
  const api = installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/plans': { body: { items: [planView(), flood] } },
    'GET /v1/plans/manhole-onsite': { body: planView() },
    'GET /v1/alarms': { body: { items: [alarmView(), alarmView({ id: OTHER_ALARM_ID, ruleId: 'gauge-high' })] } },
    'GET /v1/monitoring/events': events.route,
  });
  return { api };
}

describe('MON-6 contingency plan library', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('lists the plans with category, domains, version and how many alarm rules lead to each', async () => {
    setup();
    signedIn();
    renderApp('/monitoring/plans');
    const row = await screen.findByTestId('plan-row-flood-control');
    expect(row.textContent).toContain('专项应急预案');
    expect(row.textContent).toContain('排水、井盖');
    expect(within(screen.getByTestId('plan-row-manhole-onsite')).getByTestId('plan-link').getAttribute('href')).toBe('/monitoring/plans/manhole-onsite');
  });

  it('shows one plan: response levels, ordered steps with who and how fast, contacts by role or department', async () => {
    setup();
    signedIn();
    renderApp('/monitoring/plans/manhole-onsite');
    expect((await screen.findByTestId('plan-name')).textContent).toBe('长沙市窨井盖缺失、移位现场处置方案');
    expect(screen.getByTestId('plan-levels').textContent).toContain('Ⅳ级响应');
    expect(screen.getByTestId('plan-levels').textContent).toContain('黄色预警');
    const steps = screen.getAllByTestId('plan-step');
    expect(steps).toHaveLength(2);
    expect(steps[0]!.textContent).toContain('监督员');
    expect(steps[0]!.textContent).toContain('30 分钟内');
    await waitFor(() => expect(steps[1]!.textContent).toContain('市水务局'));
    expect(screen.getByTestId('plan-contacts').textContent).toContain('市城市管理局');
  });

  it('the alarm board links each alarm to the plans of its rule', async () => {
    setup(MONITORING_OPERATOR);
    signedIn();
    renderApp('/monitoring/alarms');
    await screen.findByTestId('alarm-table');
    const withPlan = screen.getByTestId(`alarm-row-${ALARM_ID}`);
    const link = await within(withPlan).findByTestId('alarm-plan-link');
    expect(link.getAttribute('href')).toBe('/monitoring/plans/manhole-onsite');
    expect(link.textContent).toContain('窨井盖缺失');
    expect(within(screen.getByTestId(`alarm-row-${OTHER_ALARM_ID}`)).queryByTestId('alarm-plan-link')).toBeNull();
  });
});
