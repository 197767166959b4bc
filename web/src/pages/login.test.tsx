import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBody, installFakeApi } from '../test/fake-api';
import { CHANGSHA, DISPATCHER, TOKENS, task } from '../test/fixtures';
import { renderApp, resetClientState } from '../test/render-app';

const CONFIG = { runtime: 'local', auth: { mode: 'dev-password', issuer: 'http://localhost:3000/oidc' } };
const DEMO_USERS = {
  users: [
    { username: '430100.dispatcher', password: 'demo', tenant: '430100', tenantName: '长沙市', roles: ['dispatcher'], name: '王派遣' },
    { username: '430100.leader', password: 'demo', tenant: '430100', tenantName: '长沙市', roles: ['leader'], name: '刘领导' },
    { username: '430000.supervisor', password: 'demo', tenant: '430000', tenantName: '湖南省', roles: ['province-supervisor'], name: '赵督办' },
  ],
};

function loginApi() {
  return installFakeApi({
    'GET /v1/config': { body: CONFIG },
    'GET /oidc/demo-users': { body: DEMO_USERS },
    'POST /oidc/login': ({ body }) =>
      (body as { password: string }).password === 'demo'
        ? { body: TOKENS }
        : { status: 401, body: errorBody('UNAUTHENTICATED', '未登录或登录已失效', 'Not signed in, or the session has expired') },
    'GET /v1/me': { body: DISPATCHER },
    'GET /v1/tasks': { body: { items: [task()] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /healthz': { body: { ok: true, version: '0.1.0', runtime: 'local', parts: { dynamodb: { ok: true } } } },
  });
}

describe('login page', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('shows the platform title and the form', async () => {
    loginApi();
    renderApp('/login');
    expect(await screen.findByTestId('login-form')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('城市运行管理服务平台');
  });

  it('submits user name and password, keeps the token in sessionStorage and lands on the role home', async () => {
    // Prepare
    const api = loginApi();
    renderApp('/login');
    const username = (await screen.findByTestId('login-username')) as HTMLInputElement;
    // Act
    fireEvent.input(username, { target: { value: '430100.dispatcher' } });
    fireEvent.input(screen.getByTestId('login-password'), { target: { value: 'demo' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    // Assess
    const home = await screen.findByTestId('role-home');
    expect(home.dataset.role).toBe('dispatcher');
    expect(home.dataset.tree).toBe('command');
    expect(api.called('POST /oidc/login')[0]?.body).toEqual({ username: '430100.dispatcher', password: 'demo' });
    expect(JSON.parse(sessionStorage.getItem('cityops.session') ?? '{}').accessToken).toBe('token-abc');
    expect(api.called('GET /v1/me')[0]?.headers.get('Authorization')).toBe('Bearer id-abc') // the ID token carries the tenant and role claims;
    expect((await screen.findByTestId('user-tenant')).textContent).toContain('长沙市');
    expect(await screen.findByText('整治五一大道占道经营')).toBeTruthy();
  });

  it('asks for both fields before calling the API', async () => {
    const api = loginApi();
    renderApp('/login');
    fireEvent.click(await screen.findByTestId('login-submit'));
    expect((await screen.findByTestId('login-missing')).textContent).toBe('请输入用户名和密码');
    expect(api.called('POST /oidc/login')).toHaveLength(0);
  });

  it('shows the API error in Chinese with its code when the password is wrong', async () => {
    loginApi();
    renderApp('/login');
    fireEvent.input(await screen.findByTestId('login-username'), { target: { value: '430100.dispatcher' } });
    fireEvent.input(screen.getByTestId('login-password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    const error = await screen.findByTestId('login-error');
    expect(error.textContent).toContain('未登录或登录已失效');
    expect(error.textContent).toContain('UNAUTHENTICATED');
    expect(sessionStorage.getItem('cityops.session')).toBeNull();
  });

  it('offers the demo users grouped by tenant and signs in with one click', async () => {
    const api = loginApi();
    renderApp('/login');
    const picks = await screen.findAllByTestId('demo-user');
    expect(picks).toHaveLength(3);
    const groups = screen.getByTestId('demo-users').querySelectorAll('.demo-group h3');
    expect([...groups].map((h) => h.textContent)).toEqual(['长沙市 430100', '湖南省 430000']);
    fireEvent.click(picks[0]!);
    await waitFor(() => expect(api.called('POST /oidc/login')).toHaveLength(1));
    expect((await screen.findByTestId('role-home')).dataset.role).toBe('dispatcher');
  });

  it('sends a visitor without a session to the login page', async () => {
    loginApi();
    const { history } = renderApp('/command');
    expect(await screen.findByTestId('login-form')).toBeTruthy();
    expect(history.get()).toBe('/login');
  });

  it('with an OIDC issuer offers the unified sign-in instead of the password form', async () => {
    installFakeApi({
      'GET /v1/config': {
        body: { runtime: 'aws', auth: { mode: 'oidc', issuer: 'https://id.example.gov.cn', clientId: 'cityops-web', authorizeUrl: 'https://id.example.gov.cn/authorize', tokenUrl: 'https://id.example.gov.cn/token' } },
      },
    });
    renderApp('/login');
    const sso = (await screen.findByTestId('login-sso')) as HTMLButtonElement;
    expect(sso.textContent).toBe('统一身份认证登录');
    expect(sso.disabled).toBe(false);
    expect(screen.queryByTestId('login-form')).toBeNull();
    expect(screen.queryByTestId('demo-users')).toBeNull();
  });

  it('says so when the OIDC settings are incomplete', async () => {
    installFakeApi({ 'GET /v1/config': { body: { runtime: 'aws', auth: { mode: 'oidc', issuer: 'https://id.example.gov.cn' } } } });
    renderApp('/login');
    expect(((await screen.findByTestId('login-sso')) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toContain('统一身份认证配置不完整');
  });
});
