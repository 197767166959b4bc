import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBody, installFakeApi } from '../test/fake-api';
import { CHANGSHA, DISPATCHER } from '../test/fixtures';
import { renderApp, resetClientState, signedIn } from '../test/render-app';

function api(health: { status?: number; body: unknown }) {
  return installFakeApi({
    'GET /v1/me': { body: { ...DISPATCHER, roles: ['inspector'] } },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /healthz': health,
  });
}

describe('signed-in shell', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('shows the health of the platform in the header', async () => {
    api({ status: 503, body: { ok: false, version: '0.1.0', runtime: 'local', parts: { dynamodb: { ok: false } } } });
    signedIn();
    renderApp('/');
    await waitFor(() => expect(screen.getByTestId('health').dataset.state).toBe('degraded'));
    expect(screen.getByTestId('health').textContent).toContain('部分服务异常');
  });

  it('a module that comes later says honestly that it is not yet available', async () => {
    installFakeApi({
      'GET /v1/me': { body: { ...DISPATCHER, roles: ['enforcement-officer'] } },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': { body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } },
    });
    signedIn();
    renderApp('/enforcement/cases');
    expect((await screen.findByTestId('unavailable')).textContent).toContain('执法案件尚未开放');
  });

  it('switches the whole page to English and back', async () => {
    api({ body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } });
    signedIn();
    renderApp('/');
    const home = await screen.findByTestId('role-home');
    expect(home.querySelector('h1')?.textContent).toBe('监督员');
    fireEvent.click(screen.getByTestId('lang-switch'));
    expect(home.querySelector('h1')?.textContent).toBe('Field inspection');
    expect(home.querySelector('.home-head p')?.textContent).toBe('Changsha · Field inspector');
    expect(document.querySelector('.brand-sub')?.textContent).toBe('Changsha · Field inspection');
    expect(localStorage.getItem('cityops.lang')).toBe('en');
    expect((await screen.findByTestId('user-tenant')).textContent).toContain('Changsha');
    fireEvent.click(screen.getByTestId('lang-switch'));
    expect(home.querySelector('h1')?.textContent).toBe('监督员');
  });

  it('signing out returns to the login page', async () => {
    installFakeApi({
      'GET /v1/config': { body: { runtime: 'local', auth: { mode: 'dev-password', issuer: 'x' } } },
      'GET /oidc/demo-users': { body: { users: [] } },
      'GET /v1/me': { body: DISPATCHER },
      'GET /v1/tasks': { body: { items: [] } },
      'GET /healthz': { body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } },
    });
    signedIn();
    const { history } = renderApp('/');
    fireEvent.click(await screen.findByTestId('logout'));
    expect(await screen.findByTestId('login-form')).toBeTruthy();
    expect(history.get()).toBe('/login');
    expect(sessionStorage.getItem('cityops.session')).toBeNull();
  });

  it('a 401 from the API ends the session and the login page says so', async () => {
    installFakeApi({
      'GET /v1/config': { body: { runtime: 'local', auth: { mode: 'dev-password', issuer: 'x' } } },
      'GET /oidc/demo-users': { body: { users: [] } },
      'GET /v1/me': { body: DISPATCHER },
      'GET /v1/tasks': { status: 401, body: errorBody('UNAUTHENTICATED', '未登录或登录已失效', 'Not signed in, or the session has expired') },
      'GET /healthz': { body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } },
    });
    signedIn();
    const { history } = renderApp('/command');
    expect((await screen.findByTestId('session-expired')).textContent).toBe('登录已失效，请重新登录');
    // The router records the new path when its transition ends, a tick after the login page shows.
    await waitFor(() => expect(history.get()).toBe('/login'));
  });
});
