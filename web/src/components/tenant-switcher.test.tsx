import { MemoryRouter } from '@solidjs/router';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createResource, createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMe } from '../auth/session';
import { installFakeApi } from '../test/fake-api';
import { CHANGSHA, DISPATCHER, FURONG, HUNAN, PROVINCE_SUPERVISOR, supervisionItem } from '../test/fixtures';
import { renderApp, resetClientState, signedIn } from '../test/render-app';
import { TenantSwitcher } from './tenant-switcher';

const HEALTH = { body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } };

describe('province tenant switcher', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('is never shown to a non-province user, who is sent back to their own home', async () => {
    // Prepare
    const api = installFakeApi({ 'GET /v1/me': { body: DISPATCHER }, 'GET /v1/tasks': { body: { items: [] } }, 'GET /healthz': HEALTH });
    signedIn();
    // Act
    const { history } = renderApp('/province');
    // Assess
    const home = await screen.findByTestId('role-home');
    expect(home.dataset.role).toBe('dispatcher');
    expect(history.get()).toBe('/command');
    expect(screen.queryByTestId('tenant-switcher')).toBeNull();
    expect(api.calls.filter((c) => c.path.startsWith('/v1/province'))).toHaveLength(0);
  });

  it('renders nothing for a non-province user even when placed on a page', async () => {
    // Prepare
    const api = installFakeApi({ 'GET /v1/me': { body: DISPATCHER } });
    signedIn();
    await loadMe();
    // Act
    render(() => {
      const [tenants] = createResource(async () => [CHANGSHA]);
      const [selected, setSelected] = createSignal<string>();
      return (
        <MemoryRouter>
          {[{ path: '/', component: () => <TenantSwitcher tenants={tenants} onRetry={() => {}} selected={selected} onSelect={setSelected} /> }]}
        </MemoryRouter>
      );
    });
    // Assess
    await waitFor(() => expect(api.called('GET /v1/me')).toHaveLength(1));
    expect(screen.queryByTestId('tenant-switcher')).toBeNull();
    expect(api.calls.filter((c) => c.path.startsWith('/v1/province'))).toHaveLength(0);
  });

  it('lists the tenants for a province user and shows the chosen tenant profile', async () => {
    // Prepare
    const api = installFakeApi({
      'GET /v1/me': { body: PROVINCE_SUPERVISOR },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': HEALTH,
      'GET /v1/province/tenants': { body: { items: [HUNAN, CHANGSHA, FURONG] } },
      'GET /v1/province/tenants/430100': { body: CHANGSHA },
      'GET /v1/province/supervision': ({ query }) => ({
        body: { items: query.get('tenant') === '430102' ? [] : [supervisionItem({ status: 'awaiting-review' })] },
      }),
    });
    signedIn();
    renderApp('/province');
    const switcher = (await screen.findByTestId('tenant-switcher')) as HTMLSelectElement;
    expect([...switcher.options].map((o) => o.value)).toEqual(['', '430000', '430100', '430102']);
    // Act
    fireEvent.change(switcher, { target: { value: '430100' } });
    // Assess
    const profile = await screen.findByTestId('tenant-profile');
    expect(profile.dataset.tenant).toBe('430100');
    expect(profile.textContent).toContain('市城市管理局');
    expect(api.called('GET /v1/province/tenants/430100')).toHaveLength(1);
    await waitFor(() => expect(api.called('GET /v1/province/supervision').some((c) => c.query.get('tenant') === '430100')).toBe(true));
  });
});
