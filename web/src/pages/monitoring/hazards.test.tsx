import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/schemas';
import { errorBody, installFakeApi, type FakeRoute } from '../../test/fake-api';
import { CHANGSHA, LEADER, MONITORING_OPERATOR } from '../../test/fixtures';
import { HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';
import { HAZARD_ID, hazardView, OVERDUE_HAZARD_ID } from '../../test/risk-fixtures';

vi.mock('../../components/map/leaflet-map', () => import('../../test/map-stub'));

const overdue = hazardView({ id: OVERDUE_HAZARD_ID, title: '泵站配电柜进水', status: 'rectifying', department: 'water', deadline: '2025-11-20T00:00:00.000Z', overdue: true });

function setup(user: Me = MONITORING_OPERATOR, routes: Record<string, FakeRoute> = {}) {
  return installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/hazards': { body: { items: [hazardView(), overdue] } },
    [`POST /v1/hazards/${HAZARD_ID}/transitions`]: ({ body }) => ({ body: hazardView({ status: 'confirmed', department: (body as { department: string }).department, deadline: '2025-12-01T01:00:00.000Z' }) }),
    ...routes,
  });
}

const row = (id: string) => screen.getByTestId(`hazard-row-${id}`);

describe('MON-2 hidden hazards', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('lists open hazards with status, department and an overdue mark; a leader gets no steps', async () => {
    const api = setup(LEADER);
    signedIn();
    renderApp('/monitoring/hazards');
    await screen.findByTestId('hazard-table');
    expect(within(row(HAZARD_ID)).getByTestId('hazard-status').textContent).toBe('已上报');
    expect(within(row(OVERDUE_HAZARD_ID)).getByTestId('hazard-overdue').textContent).toBe('已超期');
    expect(row(OVERDUE_HAZARD_ID).textContent).toContain('市水务局');
    expect(within(row(HAZARD_ID)).queryByTestId('hazard-confirm')).toBeNull();
    expect(screen.queryByTestId('hazard-report-form')).toBeNull();
    expect(api.called('GET /v1/hazards')[0]?.query.get('status')).toBe('open');
  });

  it('the operator confirms with a department; without one nothing is sent', async () => {
    const api = setup();
    signedIn();
    renderApp('/monitoring/hazards');
    await screen.findByTestId('hazard-table');
    expect(within(row(HAZARD_ID)).getByTestId('hazard-reject')).toBeTruthy();
    expect(within(row(OVERDUE_HAZARD_ID)).getByTestId('hazard-complete')).toBeTruthy();
    fireEvent.click(within(row(HAZARD_ID)).getByTestId('hazard-confirm'));
    const form = within(row(HAZARD_ID)).getByTestId('hazard-form');
    fireEvent.click(within(form).getByTestId('hazard-submit'));
    expect((await within(form).findByTestId('hazard-problem')).textContent).toBe('确认隐患须选择责任部门');
    expect(api.called(`POST /v1/hazards/${HAZARD_ID}/transitions`)).toHaveLength(0);
    fireEvent.change(within(form).getByTestId('hazard-form-department'), { target: { value: 'water' } });
    fireEvent.change(within(form).getByTestId('hazard-form-level'), { target: { value: 'major' } });
    fireEvent.click(within(form).getByTestId('hazard-submit'));
    await waitFor(() => expect(api.called(`POST /v1/hazards/${HAZARD_ID}/transitions`)[0]?.body).toEqual({ action: 'confirm', level: 'major', department: 'water', note: '' }));
    await waitFor(() => expect(within(row(HAZARD_ID)).getByTestId('hazard-status').textContent).toBe('已确认'));
  });

  it('a step refused as out of order shows the API’s message and keeps the form', async () => {
    setup(MONITORING_OPERATOR, {
      [`POST /v1/hazards/${OVERDUE_HAZARD_ID}/transitions`]: { status: 409, body: errorBody('HAZARD_ACTION_NOT_ALLOWED', '隐患当前状态不能执行此操作', 'Not possible now') },
    });
    signedIn();
    renderApp('/monitoring/hazards');
    await screen.findByTestId('hazard-table');
    fireEvent.click(within(row(OVERDUE_HAZARD_ID)).getByTestId('hazard-complete'));
    const form = within(row(OVERDUE_HAZARD_ID)).getByTestId('hazard-form');
    fireEvent.click(within(form).getByTestId('hazard-submit'));
    expect((await within(form).findByTestId('hazard-problem')).textContent).toBe('请填写说明（至少 2 个字）');
    fireEvent.input(within(form).getByTestId('hazard-note'), { target: { value: '已排水并更换配电柜' } });
    fireEvent.click(within(form).getByTestId('hazard-submit'));
    expect((await within(form).findByTestId('error-message')).textContent).toContain('隐患当前状态不能执行此操作');
  });
});
