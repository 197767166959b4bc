import { screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../test/fake-api';
import { CASE_ID, caseSummary, CHANGSHA, HANDLER, INSPECTOR, OTHER_CASE_ID, task } from '../test/fixtures';
import { fakeGeolocation, HEALTH } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

vi.mock('../components/map/leaflet-map', () => import('../test/map-stub'));

describe('inspector and department homes', () => {
  let gps: ReturnType<typeof fakeGeolocation> | undefined;
  beforeEach(() => resetClientState());
  afterEach(() => {
    gps?.restore();
    resetClientState();
  });

  it('the inspector sees the 核实/核查 tasks (linking to their cases) above the report form; modules are open', async () => {
    gps = fakeGeolocation({ error: 'denied' });
    installFakeApi({
      'GET /v1/me': { body: INSPECTOR },
      'GET /healthz': HEALTH,
      'GET /v1/notifications': { body: { items: [] } },
      'GET /v1/tenant': { body: CHANGSHA },
      'GET /v1/tasks': {
        body: {
          items: [
            task({ taskId: 'v', subject: 'case', itemId: CASE_ID, step: 'case.verify', title: '核实 430100-20251124-000123' }),
            task({ taskId: 'c', subject: 'case', itemId: OTHER_CASE_ID, step: 'case.check', title: '核查 430100-20251124-000124' }),
            task({ taskId: 's', subject: 'supervision', itemId: 'sup-1', step: 'supervision.feedback', title: '督办' }),
          ],
        },
      },
    });
    signedIn();
    renderApp('/inspector');
    const inbox = await screen.findByTestId('inspector-inbox');
    await waitFor(() => expect(within(inbox).getAllByTestId('task')).toHaveLength(2));
    expect(within(inbox).getAllByTestId('task-link').map((a) => a.getAttribute('href'))).toEqual([`/case/${CASE_ID}`, `/case/${OTHER_CASE_ID}`]);
    expect(within(inbox).getAllByTestId('task')[0]!.textContent).toContain('案件核实');
    expect(await screen.findByTestId('report-form')).toBeTruthy();
    expect(screen.queryByText('尚未开放')).toBeNull();
  });

  it('the department handler sees the cases in handling dispatched to the department', async () => {
    const api = installFakeApi({
      'GET /v1/me': { body: HANDLER },
      'GET /healthz': HEALTH,
      'GET /v1/notifications': { body: { items: [] } },
      'GET /v1/tenant': { body: CHANGSHA },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /v1/cases': {
        body: {
          items: [
            caseSummary({ id: CASE_ID, status: 'handling', departments: ['urban-mgmt', 'water'] }),
            caseSummary({ id: OTHER_CASE_ID, number: 'other', status: 'handling', departments: ['urban-mgmt'] }),
          ],
        },
      },
    });
    signedIn();
    renderApp('/department');
    const panel = await screen.findByTestId('department-cases');
    const rows = await within(panel).findAllByTestId('case-row');
    expect(rows.map((r) => r.dataset.case)).toEqual([CASE_ID]);
    expect(within(rows[0]!).getByRole('link').getAttribute('href')).toBe(`/case/${CASE_ID}`);
    expect(api.called('GET /v1/cases')[0]?.query.get('status')).toBe('handling');
  });
});
