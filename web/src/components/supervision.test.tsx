import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SupervisionItem } from '../../../contracts';
import { installFakeApi } from '../test/fake-api';
import { CHANGSHA, FURONG, HUNAN, PROVINCE_SUPERVISOR, SHIFT_LEADER_AND_LEADER, supervisionItem } from '../test/fixtures';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

const HEALTH = { body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } };

describe('PRV-SUP supervision (督办)', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('the shift leader answers an item from the inbox and sees it move to review', async () => {
    // Prepare
    let item: SupervisionItem = supervisionItem();
    const api = installFakeApi({
      'GET /v1/me': { body: SHIFT_LEADER_AND_LEADER },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/supervision': () => ({ body: { items: [item] } }),
      'POST /v1/supervision/sup-1/feedback': () => {
        item = { ...item, status: 'awaiting-review' };
        return { body: item };
      },
    });
    signedIn();
    renderApp('/');
    const inbox = await screen.findByTestId('supervision-list');
    expect((await screen.findByTestId('role-home')).dataset.role).toBe('shift-leader');
    const form = await within(inbox).findByTestId('feedback-form');
    // Act
    fireEvent.input(within(form).getByRole('textbox'), { target: { value: '已组织城管队员清理占道摊点 12 处' } });
    fireEvent.click(within(form).getByRole('button'));
    // Assess
    await waitFor(() => expect(within(inbox).getByTestId('supervision-item').dataset.status).toBe('awaiting-review'));
    expect(api.called('POST /v1/supervision/sup-1/feedback')[0]?.body).toEqual({ text: '已组织城管队员清理占道摊点 12 处' });
    expect(within(inbox).getByRole('status').textContent).toContain('反馈已提交');
  });

  it('refuses feedback shorter than two characters without calling the API', async () => {
    const api = installFakeApi({
      'GET /v1/me': { body: SHIFT_LEADER_AND_LEADER },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/supervision': { body: { items: [supervisionItem()] } },
    });
    signedIn();
    renderApp('/command');
    const form = await screen.findByTestId('feedback-form');
    fireEvent.click(within(form).getByRole('button'));
    expect((await within(form).findByRole('alert')).textContent).toBe('反馈内容至少 2 个字');
    expect(api.called('POST /v1/supervision/sup-1/feedback')).toHaveLength(0);
  });

  it('a user with several roles switches trees with the role switch', async () => {
    installFakeApi({
      'GET /v1/me': { body: SHIFT_LEADER_AND_LEADER },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/supervision': { body: { items: [] } },
    });
    signedIn();
    const { history } = renderApp('/');
    const select = (await screen.findByTestId('role-switch')) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'leader' } });
    await waitFor(() => expect(screen.getByTestId('role-home').dataset.role).toBe('leader'));
    expect(history.get()).toBe('/leader');
    expect(screen.getByTestId('role-home').dataset.tree).toBe('leader');
  });

  it('the province assigns an item with an idempotency key and reviews one awaiting review', async () => {
    // Prepare
    const api = installFakeApi({
      'GET /v1/me': { body: PROVINCE_SUPERVISOR },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/province/tenants': { body: { items: [HUNAN, CHANGSHA, FURONG] } },
      'GET /v1/province/supervision': { body: { items: [supervisionItem({ id: 'sup-7', status: 'awaiting-review' })] } },
      'POST /v1/province/supervision': ({ body }) => ({ status: 201, body: supervisionItem({ id: 'sup-8', ...(body as object) }) }),
      'POST /v1/province/supervision/sup-7/review': { body: supervisionItem({ id: 'sup-7', status: 'closed' }) },
    });
    signedIn();
    renderApp('/province');
    const panel = await screen.findByTestId('supervision-list');

    // Act: assign
    fireEvent.click(await within(panel).findByTestId('supervision-create-open'));
    const form = within(panel).getByTestId('supervision-create');
    const [tenantSelect] = within(form).getAllByRole('combobox') as HTMLSelectElement[];
    await waitFor(() => expect(tenantSelect!.options.length).toBe(3)); // the province itself is not offered
    fireEvent.change(tenantSelect!, { target: { value: '430102' } });
    fireEvent.input(within(form).getAllByRole('textbox')[0]!, { target: { value: '排查窨井盖缺失' } });
    fireEvent.click(within(form).getByRole('radio', { name: /紧急/ }));
    fireEvent.click(within(form).getByRole('button', { name: '下发' }));

    // Assess
    await waitFor(() => expect(api.called('POST /v1/province/supervision')).toHaveLength(1));
    const sent = api.called('POST /v1/province/supervision')[0]?.body as Record<string, string>;
    expect(sent).toMatchObject({ tenant: '430102', title: '排查窨井盖缺失', urgency: 'urgent', detail: '' });
    expect(sent.clientRequestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(await within(panel).findByText('督办事项已下发')).toBeTruthy();

    // Act: review
    const review = await within(panel).findByTestId('review-form');
    fireEvent.click(within(review).getByRole('button', { name: '通过' }));
    await waitFor(() => expect(api.called('POST /v1/province/supervision/sup-7/review')).toHaveLength(1));
    expect(api.called('POST /v1/province/supervision/sup-7/review')[0]?.body).toEqual({ decision: 'accept', comment: '' });
  });

  it('the province analyst only reads', async () => {
    installFakeApi({
      'GET /v1/me': { body: { ...PROVINCE_SUPERVISOR, roles: ['province-analyst'] } },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/province/tenants': { body: { items: [CHANGSHA] } },
      'GET /v1/province/supervision': { body: { items: [supervisionItem({ status: 'awaiting-review' })] } },
    });
    signedIn();
    renderApp('/province');
    const panel = await screen.findByTestId('supervision-list');
    await within(panel).findByTestId('supervision-item');
    expect(within(panel).queryByTestId('supervision-create-open')).toBeNull();
    expect(within(panel).queryByTestId('review-form')).toBeNull();
    expect(panel.textContent).toContain('当前角色仅可查看督办事项');
  });
});
