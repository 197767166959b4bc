import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatrolPlan, PatrolStats, PatrolTask, PatrolTeam } from '../../../../contracts';
import type { Me } from '../../api/schemas';
import { fakeEventStream } from '../../test/event-stream';
import { installFakeApi, type FakeRoute } from '../../test/fake-api';
import { CHANGSHA, COVER_ID, deviceView, LEADER, MONITORING_OPERATOR } from '../../test/fixtures';
import { HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

const TEAM_ID = '01JZ00000000000000000000TT';
const PLAN_ID = '01JZ00000000000000000000PP';
const TEAM: PatrolTeam = { id: TEAM_ID, tenant: '430100', name: '燃气巡检一中队', members: [{ kind: 'user', subject: '430100.inspector', name: '张监督' }], createdAt: '2026-10-01T00:00:00Z', createdBy: 'ops' };
const PLAN: PatrolPlan = {
  id: PLAN_ID,
  tenant: '430100',
  name: '燃气阀井日常巡检',
  domain: 'gas',
  targets: [{ kind: 'device', id: COVER_ID, name: '西园路井盖', location: { lng: 112.954, lat: 28.184 }, gridId: '430104005001001', checklist: [{ id: 'item-1', text: '井盖完好' }] }],
  frequency: { type: 'weekly', weekdays: [1, 4] },
  teamId: TEAM_ID,
  activeFrom: '2026-10-01',
  status: 'active',
  createdAt: '2026-10-01T00:00:00Z',
  createdBy: 'ops',
  updatedAt: '2026-10-01T00:00:00Z',
};
const TASK: PatrolTask = {
  id: `${PLAN_ID}-20261008`, tenant: '430100', planId: PLAN_ID, planName: PLAN.name, domain: 'gas', teamId: TEAM_ID, frequency: 'weekly', cycleDay: '2026-10-08',
  startsAt: '2026-10-07T16:00:00.000Z', dueAt: '2026-10-08T10:00:00.000Z', targets: PLAN.targets, status: 'open', recorded: [], abnormal: 0, casesReported: 0, overdue: true, generatedAt: '2026-10-07T16:01:00.000Z',
};
const row = { id: PLAN_ID, name: PLAN.name, due: 4, completed: 3, completedOnTime: 2, overdue: 1, onTimeRate: 0.5, abnormal: 1, casesReported: 1 };
const STATS: PatrolStats = { from: '2026-10-01', to: '2026-10-10', total: { ...row, id: 'total', name: 'total' }, byPlan: [row], byTeam: [{ ...row, id: TEAM_ID, name: TEAM.name }] };

function setup(user: Me, routes: Record<string, FakeRoute> = {}) {
  return installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/monitoring/events': fakeEventStream().route,
    'GET /v1/devices': { body: { items: [deviceView()] } },
    'GET /v1/patrol/teams': { body: { items: [TEAM] } },
    'GET /v1/patrol/plans': { body: { items: [PLAN] } },
    'GET /v1/patrol/tasks': { body: { items: [TASK] } },
    'GET /v1/patrol/stats': { body: STATS },
    'POST /v1/patrol/plans': ({ body }) => ({ status: 201, body: { ...PLAN, ...(body as object), id: PLAN_ID, targets: PLAN.targets } }),
    ...routes,
  });
}

describe('MON-5 patrol plans page', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('lists plans, generated tasks (overdue marked) and the statistics with 按时巡检率; a leader does not get the forms', async () => {
    setup(LEADER);
    signedIn();
    renderApp('/monitoring/patrol');
    const plans = await screen.findByTestId('patrol-plan-table', {}, { timeout: 3000 });
    const plan = within(plans).getByTestId(`patrol-plan-${PLAN_ID}`);
    expect(plan.textContent).toContain('燃气阀井日常巡检');
    expect(plan.textContent).toContain('每周 周一、周四');
    expect(plan.textContent).toContain('燃气巡检一中队');
    expect(within(plan).getByTestId('patrol-plan-status').textContent).toBe('执行中');
    const task = (await screen.findByTestId('patrol-task-table')).querySelector(`[data-testid="patrol-task-${TASK.id}"]`)!;
    expect(task.getAttribute('data-state')).toBe('overdue');
    expect(task.textContent).toContain('已超期');
    expect(within(await screen.findByTestId('patrol-stats-plan')).getByTestId('patrol-rate').textContent).toBe('50%');
    expect(screen.queryByTestId('patrol-plan-form')).toBeNull();
    expect(screen.queryByTestId('patrol-team-form')).toBeNull();
  });

  it('the monitoring operator creates a plan over a picked device: fields are checked first, then the body goes to the API', async () => {
    const api = setup(MONITORING_OPERATOR);
    signedIn();
    renderApp('/monitoring/patrol');
    const form = await screen.findByTestId('patrol-plan-form', {}, { timeout: 3000 });
    fireEvent.click(within(form).getByTestId('plan-submit'));
    expect(screen.getByTestId('plan-problem').textContent).toContain('请填写计划名称');
    expect(api.called('POST /v1/patrol/plans')).toHaveLength(0);

    fireEvent.input(within(form).getByTestId('plan-name'), { target: { value: '井盖周巡' } });
    fireEvent.change(within(form).getByTestId('plan-domain'), { target: { value: 'manhole' } });
    await waitFor(() => expect(within(form).getByRole('option', { name: '燃气巡检一中队' })).toBeTruthy());
    fireEvent.change(within(form).getByTestId('plan-team'), { target: { value: TEAM_ID } });
    fireEvent.change(within(form).getByTestId('plan-frequency'), { target: { value: 'weekly' } });
    fireEvent.click(within(form).getByTestId('plan-weekday-3'));
    fireEvent.click(await within(form).findByTestId(`plan-device-${COVER_ID}`));
    fireEvent.input(within(form).getByTestId('plan-checklist'), { target: { value: '井盖完好\n\n无异响' } });
    fireEvent.click(within(form).getByTestId('plan-submit'));

    await waitFor(() => expect(api.called('POST /v1/patrol/plans')).toHaveLength(1));
    expect(api.called('POST /v1/patrol/plans')[0]!.body).toMatchObject({
      name: '井盖周巡',
      domain: 'manhole',
      teamId: TEAM_ID,
      frequency: { type: 'weekly', weekdays: [1, 3] },
      targets: [{ kind: 'device', id: COVER_ID, checklist: [{ id: 'item-1', text: '井盖完好' }, { id: 'item-2', text: '无异响' }] }],
    });
    expect((await screen.findByTestId('plan-done')).textContent).toContain('已创建巡检计划');
  });
});
