import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../api/schemas';
import { errorBody, installFakeApi, type FakeRoute } from '../test/fake-api';
import { CASE_ID, caseDetail, caseSummary, CHANGSHA, DISPATCHER, HANDLER, INSPECTOR, OTHER_CASE_ID, photo, PHOTO_ID, SHIFT_LEADER } from '../test/fixtures';
import { chooseFiles, GRIDS, HEALTH, jpeg } from '../test/helpers';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

vi.mock('../components/map/leaflet-map', () => import('../test/map-stub'));

type Detail = ReturnType<typeof caseDetail>;

/** The case page's API: `detail` answers each GET in turn (the last one repeats), actions answer `after`. */
function setup(user: Me, details: Detail[], routes: Record<string, FakeRoute> = {}) {
  let reads = 0;
  const after = caseSummary({ status: 'dispatching' });
  return installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/basedata/grids': { body: GRIDS },
    [`GET /v1/cases/${CASE_ID}`]: () => ({ body: details[Math.min(reads++, details.length - 1)] }),
    [`GET /v1/cases/${CASE_ID}/similar`]: { body: { items: [caseSummary({ id: OTHER_CASE_ID, number: '430100-20251123-000099', address: '西园路 10 号' })] } },
    [`GET /v1/photos/${PHOTO_ID}`]: { raw: new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }), contentType: 'image/jpeg' },
    'POST /v1/photos': ({ query }) => ({ status: 201, body: photo({ stage: query.get('stage') as 'report' }) }),
    ...Object.fromEntries(
      ['verify', 'file', 'merge', 'dispatch', 'handle', 'extension', 'suspension', 'resume', 'check'].map((a) => [`POST /v1/cases/${CASE_ID}/${a}`, { body: { ...after, photos: [], history: [] } }]),
    ),
    ...routes,
  });
}

async function openAction(name: string) {
  await screen.findByTestId('case-detail');
  fireEvent.click(await screen.findByTestId(`case-action-${name}`));
  return screen.getByTestId(`action-form-${name}`);
}

/** Submit once the panel is idle (after an action it stays busy until the case has reloaded). */
async function submit(form: HTMLElement) {
  const button = within(form).getByTestId('action-submit') as HTMLButtonElement;
  await waitFor(() => expect(button.disabled).toBe(false));
  fireEvent.click(button);
}
const note = (form: HTMLElement, text: string) => fireEvent.input(within(form).getByTestId('action-note'), { target: { value: text } });

async function posted(api: ReturnType<typeof setup>, action: string) {
  await waitFor(() => expect(api.called(`POST /v1/cases/${CASE_ID}/${action}`)).toHaveLength(1));
  return api.called(`POST /v1/cases/${CASE_ID}/${action}`)[0]!.body;
}

describe('CMD-8 case detail', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('shows number, status, type from the catalogue, grid, photos, timeline and the case on the map', async () => {
    const api = setup(SHIFT_LEADER, [caseDetail({ status: 'filing', allowedActions: ['file', 'merge'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const detail = await screen.findByTestId('case-detail');
    expect(detail.dataset.status).toBe('filing');
    expect(screen.getByTestId('case-number').textContent).toBe('430100-20251124-000123');
    expect(within(detail).getAllByTestId('status-badge')[0]!.textContent).toBe('待立案');
    expect(screen.getByTestId('case-type').textContent).toBe('部件 · 供水井盖 (01001)');
    expect(detail.textContent).toContain('监督员上报');
    expect(detail.textContent).toContain('岳麓区橘子洲街道西园路 12 号');
    await waitFor(() => expect(detail.textContent).toContain('西园社区01号网格'));

    const events = within(screen.getByTestId('case-timeline')).getAllByTestId('timeline-event');
    expect(events.map((e) => e.dataset.action)).toEqual(['reported', 'verified']);
    expect(events[1]!.textContent).toContain('核实属实');
    expect(events[1]!.textContent).toContain('监督员');
    expect(within(events[1]!).getByTestId('on-time').textContent).toBe('按时');

    const map = screen.getByTestId('case-map');
    expect(map.dataset.grid).toBe('430104005001001');
    await waitFor(() => expect(within(map).getByTestId('map-stub').dataset.markerIds).toBe(CASE_ID));
    expect(within(map).getByTestId('map-stub').dataset.highlight).toBe('430104005001001');

    const gallery = screen.getByTestId('photo-group');
    expect(gallery.dataset.stage).toBe('report');
    await waitFor(() => expect(gallery.querySelector('img')).not.toBeNull());
    expect(api.called(`GET /v1/photos/${PHOTO_ID}`)[0]?.headers.get('Authorization')).toBe('Bearer id-abc');
  });

  it('the action panel shows only the actions the API allows this viewer', async () => {
    setup(SHIFT_LEADER, [caseDetail({ allowedActions: ['file', 'merge'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const panel = await screen.findByTestId('case-actions');
    await within(panel).findByTestId('case-action-file');
    const buttons = within(panel)
      .getAllByRole('button')
      .map((b) => b.dataset.testid)
      .filter((id) => id?.startsWith('case-action-'));
    expect(buttons).toEqual(['case-action-file', 'case-action-merge']);
    expect(await within(panel).findByTestId('similar-cases')).toBeTruthy();
  });

  it('a viewer with nothing to do sees no action buttons', async () => {
    setup(DISPATCHER, [caseDetail({ status: 'filing', allowedActions: [] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const panel = await screen.findByTestId('case-actions');
    expect(within(panel).getByTestId('no-actions').textContent).toBe('当前角色在此环节没有可办理的操作');
    expect(within(panel).queryAllByRole('button').filter((b) => b.dataset.testid?.startsWith('case-action-'))).toHaveLength(0);
    expect(within(panel).queryByTestId('similar-cases')).toBeNull();
  });

  it('verify: not confirmed needs a note, then posts confirmed=false with the note and the photo', async () => {
    const api = setup(INSPECTOR, [caseDetail({ status: 'verifying', allowedActions: ['verify'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const form = await openAction('verify');
    fireEvent.click(within(form).getByLabelText('不属实'));
    await submit(form);
    expect(within(form).getByTestId('action-problem').textContent).toBe('请填写说明（至少 2 个字）');
    chooseFiles(within(form).getByTestId('photo-input'), [jpeg()]);
    await waitFor(() => expect(within(form).getByTestId('photo-thumb').dataset.status).toBe('done'));
    note(form, '现场未发现井盖破损');
    await submit(form);
    expect(await posted(api, 'verify')).toEqual({ confirmed: false, note: '现场未发现井盖破损', photoIds: [PHOTO_ID] });
    expect(api.called('POST /v1/photos')[0]?.query.get('stage')).toBe('check');
    expect((await screen.findByTestId('action-notice')).textContent).toBe('核实已提交');
    await waitFor(() => expect(api.called(`GET /v1/cases/${CASE_ID}`)).toHaveLength(2));
  });

  it('file: cancel with a reason; file with a corrected category and urgency', async () => {
    const api = setup(SHIFT_LEADER, [caseDetail({ allowedActions: ['file', 'merge'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    let form = await openAction('file');
    fireEvent.click(within(form).getByLabelText('作废'));
    await submit(form);
    expect(within(form).getByTestId('action-problem').textContent).toBe('请填写说明（至少 2 个字）');
    note(form, '重复上报');
    await submit(form);
    expect(await posted(api, 'file')).toEqual({ decision: 'cancel', note: '重复上报' });
    expect((await screen.findByTestId('action-notice')).textContent).toBe('立案审核已提交');

    api.calls.length = 0;
    form = await openAction('file');
    fireEvent.click(within(form).getByTestId('file-reclassify'));
    fireEvent.input(within(form).getByTestId('type-search'), { target: { value: '雨水井盖' } });
    fireEvent.click(within(form).getAllByTestId('type-option').find((o) => o.dataset.code === '01003')!);
    fireEvent.change(within(form).getByTestId('file-urgency'), { target: { value: 'urgent' } });
    await submit(form);
    expect(await posted(api, 'file')).toEqual({ decision: 'file', typeCode: '01003', urgency: 'urgent', note: '' });
  });

  it('merge: the similar case nearby is offered and merged into', async () => {
    const api = setup(SHIFT_LEADER, [caseDetail({ allowedActions: ['file', 'merge'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const similar = await screen.findByTestId('similar-cases');
    expect((await within(similar).findByTestId('similar-rows')).textContent).toContain('430100-20251123-000099');
    fireEvent.click(within(similar).getByTestId(`merge-into-${OTHER_CASE_ID}`));
    const form = screen.getByTestId('action-form-merge');
    expect((within(form).getByLabelText(/430100-20251123-000099/) as HTMLInputElement).checked).toBe(true);
    await submit(form);
    expect(await posted(api, 'merge')).toEqual({ into: OTHER_CASE_ID, note: '' });
  });

  it('dispatch: departments in the order chosen, the lead first (joint handling)', async () => {
    const api = setup(DISPATCHER, [caseDetail({ status: 'dispatching', allowedActions: ['dispatch'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const form = await openAction('dispatch');
    await submit(form);
    expect(within(form).getByTestId('action-problem').textContent).toBe('请至少选择一个部门');
    const water = await within(form).findByLabelText(/市水务局/);
    fireEvent.click(water);
    fireEvent.click(within(form).getByLabelText(/市城市管理局/));
    const urban = within(form).getAllByTestId('department-choice').find((li) => li.dataset.code === 'urban-mgmt')!;
    expect(urban.textContent).toContain('协办');
    fireEvent.click(within(urban).getByRole('button', { name: '设为主办' }));
    expect(urban.textContent).toContain('主办');
    note(form, '请联合处置');
    await submit(form);
    expect(await posted(api, 'dispatch')).toEqual({ departments: ['urban-mgmt', 'water'], note: '请联合处置' });
  });

  it('handle: feedback with photos, and an extension request with hours', async () => {
    const api = setup(HANDLER, [caseDetail({ status: 'handling', departments: ['water'], allowedActions: ['handle'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    let form = await openAction('handle');
    chooseFiles(within(form).getByTestId('photo-input'), [jpeg('after.jpg')]);
    await waitFor(() => expect(within(form).getByTestId('photo-thumb').dataset.status).toBe('done'));
    note(form, '已更换井盖');
    await submit(form);
    expect(await posted(api, 'handle')).toEqual({ action: 'feedback', note: '已更换井盖', photoIds: [PHOTO_ID] });
    expect(api.called('POST /v1/photos')[0]?.query.get('stage')).toBe('feedback');
    expect(api.called('POST /v1/photos')[0]?.headers.get('Content-Type')).toBe('image/jpeg');
    await screen.findByTestId('action-notice');

    api.calls.length = 0;
    form = await openAction('handle');
    fireEvent.click(within(form).getByLabelText('申请延期'));
    note(form, '需订购配件');
    await submit(form);
    expect(within(form).getByTestId('action-problem').textContent).toBe('请填写 1–2160 之间的小时数');
    fireEvent.input(within(form).getByTestId('extend-hours'), { target: { value: '48' } });
    await submit(form);
    expect(await posted(api, 'handle')).toEqual({ action: 'extend', note: '需订购配件', photoIds: [], extendHours: 48 });
  });

  it('handle: return and suspension requests', async () => {
    const api = setup(HANDLER, [caseDetail({ status: 'handling', departments: ['water'], allowedActions: ['handle'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const form = await openAction('handle');
    fireEvent.click(within(form).getByLabelText('退回'));
    note(form, '不属于本部门职责');
    await submit(form);
    expect(await posted(api, 'handle')).toEqual({ action: 'return', note: '不属于本部门职责', photoIds: [] });
  });

  it('extension and suspension decisions, and resume', async () => {
    let api = setup(DISPATCHER, [caseDetail({ status: 'extension-review', requestedExtensionHours: 48, allowedActions: ['extension'] })]);
    signedIn();
    const first = renderApp(`/case/${CASE_ID}`);
    let form = await openAction('extension');
    expect(within(form).getByTestId('requested-hours').textContent).toBe('申请延期 48 小时');
    fireEvent.click(within(form).getByLabelText('不同意'));
    note(form, '时限内可完成');
    await submit(form);
    expect(await posted(api, 'extension')).toEqual({ approve: false, note: '时限内可完成' });
    first.unmount();

    api = setup(SHIFT_LEADER, [caseDetail({ status: 'suspension-review', allowedActions: ['suspension'] })]);
    const second = renderApp(`/case/${CASE_ID}`);
    form = await openAction('suspension');
    await submit(form);
    expect(await posted(api, 'suspension')).toEqual({ approve: true, note: '' });
    second.unmount();

    api = setup(SHIFT_LEADER, [caseDetail({ status: 'suspended', allowedActions: ['resume'] })]);
    renderApp(`/case/${CASE_ID}`);
    form = await openAction('resume');
    note(form, '条件已具备');
    await submit(form);
    expect(await posted(api, 'resume')).toEqual({ note: '条件已具备' });
  });

  it('check: failed with a note and a photo', async () => {
    const api = setup(INSPECTOR, [caseDetail({ status: 'checking', allowedActions: ['check'] })]);
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const form = await openAction('check');
    fireEvent.click(within(form).getByLabelText('不通过'));
    chooseFiles(within(form).getByTestId('photo-input'), [jpeg()]);
    await waitFor(() => expect(within(form).getByTestId('photo-thumb').dataset.status).toBe('done'));
    note(form, '井盖仍未更换');
    await submit(form);
    expect(await posted(api, 'check')).toEqual({ passed: false, note: '井盖仍未更换', photoIds: [PHOTO_ID] });
  });

  it('409: someone else acted first — the coded message is shown and the case reloaded', async () => {
    const api = setup(DISPATCHER, [caseDetail({ status: 'dispatching', allowedActions: ['dispatch'] }), caseDetail({ status: 'handling', departments: ['water'], allowedActions: [] })], {
      [`POST /v1/cases/${CASE_ID}/dispatch`]: {
        status: 409,
        body: errorBody('CASE_ACTION_NOT_ALLOWED', '案件当前环节不能执行此操作', 'This action is not possible at the case’s current stage', 'req-409'),
      },
    });
    signedIn();
    renderApp(`/case/${CASE_ID}`);
    const form = await openAction('dispatch');
    fireEvent.click(await within(form).findByLabelText(/市水务局/));
    await submit(form);
    const error = await screen.findByTestId('action-error');
    expect(error.dataset.code).toBe('CASE_ACTION_NOT_ALLOWED');
    expect(error.textContent).toContain('案件当前环节不能执行此操作');
    expect(error.textContent).toContain('req-409');
    await waitFor(() => expect(screen.getByTestId('case-detail').dataset.status).toBe('handling'));
    expect(api.called(`GET /v1/cases/${CASE_ID}`)).toHaveLength(2);
    expect(screen.getByTestId('no-actions')).toBeTruthy();
    expect(screen.getByTestId('action-error').textContent).toContain('案件当前环节不能执行此操作');
  });
});
