import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatrolResult, PatrolTask } from '../../../contracts';
import { errorBody, installFakeApi, type FakeRoute } from '../test/fake-api';
import { INSPECTOR } from '../test/fixtures';
import { fakeGeolocation, HEALTH } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

const PLAN_ID = '01JZ00000000000000000000PP';
const TEAM_ID = '01JZ00000000000000000000TT';
const checklist = [{ id: 'cover', text: '井盖完好' }, { id: 'smell', text: '无燃气异味' }];
const TASK: PatrolTask = {
  id: `${PLAN_ID}-20261008`, tenant: '430100', planId: PLAN_ID, planName: '燃气阀井日常巡检', domain: 'gas', teamId: TEAM_ID, frequency: 'daily', cycleDay: '2026-10-08',
  startsAt: '2026-10-07T16:00:00.000Z', dueAt: '2099-10-08T10:00:00.000Z',
  targets: [
    { kind: 'device', id: 'GAS-01', name: '五一大道燃气阀井', location: { lng: 112.98, lat: 28.19 }, gridId: '430102001001001', componentId: '43010201011000001', checklist },
    { kind: 'point', id: 'pt-02', name: '蔡锷路调压箱', location: { lng: 112.99, lat: 28.2 }, gridId: '430102001001001', checklist },
  ],
  status: 'open', recorded: ['pt-02'], abnormal: 0, casesReported: 0, overdue: false, generatedAt: '2026-10-07T16:01:00.000Z',
};
const DONE: PatrolResult = { tenant: '430100', taskId: TASK.id, targetId: 'pt-02', outcome: 'normal', answers: [{ itemId: 'cover', ok: true }, { itemId: 'smell', ok: true }], note: '', position: { lng: 112.96, lat: 28.2 }, distanceM: 2950, farFromTarget: true, recordedBy: '430100.inspector', recordedAt: '2026-10-08T01:00:00.000Z' };

function setup(routes: Record<string, FakeRoute> = {}) {
  return installFakeApi({
    'GET /v1/me': { body: INSPECTOR },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/patrol/my-tasks': { body: { items: [TASK] } },
    [`GET /v1/patrol/tasks/${TASK.id}`]: { body: { task: TASK, results: [DONE] } },
    ...routes,
  });
}

describe('MON-5 我的巡检 (inspector, phone)', () => {
  let gps: ReturnType<typeof fakeGeolocation> | undefined;
  beforeEach(() => resetClientState());
  afterEach(() => {
    gps?.restore();
    resetClientState();
  });

  it('lists my tasks; opening one shows the recorded target (flagged far away) and a form for the other', async () => {
    setup();
    signedIn();
    renderApp('/inspector/patrol');
    const item = await screen.findByTestId(`my-task-${TASK.id}`, {}, { timeout: 3000 });
    expect(item.textContent).toContain('燃气阀井日常巡检');
    expect(item.textContent).toContain('已巡 1/2');
    expect(within(item).getByTestId('my-task-state').textContent).toBe('待巡检');
    fireEvent.click(within(item).getByTestId('my-task-open'));
    const done = await screen.findByTestId('target-result');
    expect(done.textContent).toContain('已记录');
    expect(screen.getByTestId('target-far').textContent).toContain('2950 米');
    expect(screen.getByTestId('result-form-GAS-01')).toBeTruthy();
    expect(screen.queryByTestId('result-form-pt-02')).toBeNull();
  });

  it('an abnormal target with GPS from the browser reports a case with the component’s type; without GPS nothing is sent', async () => {
    const api = setup({
      [`POST /v1/patrol/tasks/${TASK.id}/results`]: ({ body }) => ({ status: 201, body: { created: true, task: { ...TASK, status: 'completed', recorded: ['pt-02', 'GAS-01'] }, result: { ...DONE, ...(body as object), targetId: 'GAS-01', outcome: 'abnormal', distanceM: 3, farFromTarget: false, caseId: '01JZ0000000000000000000CAS', caseNumber: '430100-20261008-000CAS' } } }),
    });
    signedIn();
    renderApp('/inspector/patrol');
    fireEvent.click(await screen.findByTestId('my-task-open', {}, { timeout: 3000 }));
    const form = await screen.findByTestId('result-form-GAS-01');
    fireEvent.click(within(form).getByTestId('item-smell-bad'));
    expect(within(form).getByTestId('result-abnormal')).toBeTruthy();
    expect((within(form).getByTestId('result-type') as HTMLInputElement).value).toBe('01011');
    fireEvent.click(within(form).getByTestId('result-submit'));
    expect(within(form).getByTestId('result-problem').textContent).toContain('请先获取定位');
    expect(api.called(`POST /v1/patrol/tasks/${TASK.id}/results`)).toHaveLength(0);

    gps = fakeGeolocation({ lng: 112.98001, lat: 28.19002, accuracy: 12 });
    fireEvent.click(within(form).getByTestId('result-locate'));
    expect(within(form).getByTestId('result-fix').textContent).toContain('12 米');
    fireEvent.input(within(form).getByTestId('result-note'), { target: { value: '有燃气味，已设警戒' } });
    fireEvent.click(within(form).getByTestId('result-urgent'));
    fireEvent.click(within(form).getByTestId('result-submit'));
    await waitFor(() => expect(api.called(`POST /v1/patrol/tasks/${TASK.id}/results`)).toHaveLength(1));
    expect(api.called(`POST /v1/patrol/tasks/${TASK.id}/results`)[0]!.body).toEqual({
      targetId: 'GAS-01',
      outcome: 'abnormal',
      answers: [{ itemId: 'cover', ok: true }, { itemId: 'smell', ok: false }],
      note: '有燃气味，已设警戒',
      position: { lng: 112.98001, lat: 28.19002, accuracyM: 12 },
      reportCase: { kind: 'component', typeCode: '01011', urgency: 'urgent' },
    });
  });

  it('shows the API’s reason when the task is not mine', async () => {
    setup({ [`POST /v1/patrol/tasks/${TASK.id}/results`]: { status: 403, body: errorBody('PATROL_TASK_NOT_ASSIGNED', '该巡检任务未分派给您所在的巡检队伍', 'This patrol task is not assigned to your team') } });
    signedIn();
    renderApp('/inspector/patrol');
    fireEvent.click(await screen.findByTestId('my-task-open', {}, { timeout: 3000 }));
    const form = await screen.findByTestId('result-form-GAS-01');
    gps = fakeGeolocation({ lng: 112.98, lat: 28.19, accuracy: 5 });
    fireEvent.click(within(form).getByTestId('result-locate'));
    fireEvent.click(within(form).getByTestId('result-submit'));
    expect(await within(form).findByText('该巡检任务未分派给您所在的巡检队伍', { exact: false })).toBeTruthy();
  });
});
