/**
 * Sign-in. The deployment decides how (/v1/config): the development issuer takes a user name and password
 * (and offers its demo users as quick picks); a real OIDC issuer gets the authorization-code + PKCE redirect.
 */
import { useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { api } from '../api/client';
import type { DemoUser } from '../api/schemas';
import { appConfig } from '../auth/config';
import { authorizeUrl, oidcSettings } from '../auth/oidc';
import { currentRole, isSignedIn, loadMe, sessionExpired, signIn, signOut } from '../auth/session';
import { ErrorMessage } from '../components/error-message';
import { LangSwitch } from '../components/lang-switch';
import { Loading } from '../components/panel';
import { joinList, localized, roleName, t } from '../i18n';
import { createAction } from '../lib/action';
import { homePathFor } from '../roles/trees';

/** Demo users grouped by tenant, in the order the issuer lists them. */
export function groupByTenant(users: readonly DemoUser[]): { tenant: string; tenantName: DemoUser['tenantName']; users: DemoUser[] }[] {
  const groups = new Map<string, { tenant: string; tenantName: DemoUser['tenantName']; users: DemoUser[] }>();
  for (const user of users) {
    const group = groups.get(user.tenant) ?? { tenant: user.tenant, tenantName: user.tenantName, users: [] };
    group.users.push(user);
    groups.set(user.tenant, group);
  }
  return [...groups.values()];
}

const text = (value: string | { zh: string; en: string }): string => (typeof value === 'string' ? value : localized(value));

export default function LoginPage() {
  const navigate = useNavigate();
  const [config] = createResource(appConfig);
  const mode = () => (config.state === 'ready' ? config.latest.auth.mode : config.state === 'errored' ? 'dev-password' : undefined);
  const [demo] = createResource(() => mode() === 'dev-password' || undefined, () => api.demoUsers());

  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [missing, setMissing] = createSignal(false);

  onMount(() => {
    if (isSignedIn()) navigate('/', { replace: true });
  });

  const login = createAction(async (name: string, secret: string) => {
    signIn(await api.devLogin({ username: name, password: secret }));
    try {
      await loadMe();
    } catch (error) {
      signOut();
      throw error;
    }
    const role = currentRole();
    navigate(role ? homePathFor(role) : '/', { replace: true });
  });

  const submit = (event?: SubmitEvent) => {
    event?.preventDefault();
    const name = username().trim();
    setMissing(!name || !password());
    if (!name || !password()) return;
    void login.run(name, password());
  };

  const pick = (user: DemoUser) => {
    setUsername(user.username);
    setPassword(user.password);
    submit();
  };

  const sso = createAction(async () => {
    const settings = config.state === 'ready' ? oidcSettings(config.latest) : undefined;
    if (!settings) throw new Error('oidc settings missing');
    location.assign(await authorizeUrl(settings));
  });

  return (
    <div class="login-page">
      <header class="login-top">
        <div class="brand">
          <span class="emblem" aria-hidden="true">
            {t('app.emblem')}
          </span>
          <div class="brand-text">
            <span class="brand-title">{t('app.title')}</span>
            <span class="brand-sub">{t('app.subtitle')}</span>
          </div>
        </div>
        <LangSwitch />
      </header>

      <main class="login-main" id="main">
        <section class="login-card" aria-labelledby="login-title">
          <h1 id="login-title">{t('login.title')}</h1>
          <p class="muted">{t('login.subtitle')}</p>
          <Show when={sessionExpired()}>
            <p class="notice notice-warn" role="status" data-testid="session-expired">
              {t('login.expired')}
            </p>
          </Show>
          <Show when={config.state === 'errored'}>
            <p class="notice notice-warn" role="status">
              {t('login.configFailed')}
            </p>
          </Show>

          <Switch fallback={<Loading />}>
            <Match when={mode() === 'oidc'}>
              <div class="stack">
                <p class="muted">{t('login.ssoHint')}</p>
                <Show when={config.state === 'ready' && !oidcSettings(config.latest)}>
                  <p class="field-error" role="alert">
                    {t('login.ssoMisconfigured')}
                  </p>
                </Show>
                <button
                  type="button"
                  class="btn btn-primary btn-block"
                  data-testid="login-sso"
                  disabled={sso.pending() || (config.state === 'ready' && !oidcSettings(config.latest))}
                  onClick={() => void sso.run()}
                >
                  {t('login.sso')}
                </button>
              </div>
            </Match>
            <Match when={mode() === 'dev-password'}>
              <form class="stack" data-testid="login-form" onSubmit={submit} noValidate>
                <label class="field">
                  <span>{t('login.username')}</span>
                  <input
                    data-testid="login-username"
                    name="username"
                    autocomplete="username"
                    autocapitalize="off"
                    spellcheck={false}
                    placeholder={t('login.usernamePlaceholder')}
                    value={username()}
                    onInput={(e) => setUsername(e.currentTarget.value)}
                  />
                </label>
                <label class="field">
                  <span>{t('login.password')}</span>
                  <input
                    data-testid="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    value={password()}
                    onInput={(e) => setPassword(e.currentTarget.value)}
                  />
                </label>
                <Show when={missing()}>
                  <p class="field-error" role="alert" data-testid="login-missing">
                    {t('login.required')}
                  </p>
                </Show>
                <Show when={login.error()}>{(error) => <ErrorMessage error={error()} testid="login-error" />}</Show>
                <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled={login.pending()}>
                  {login.pending() ? t('login.submitting') : t('login.submit')}
                </button>
              </form>
            </Match>
          </Switch>
          <Show when={config.state === 'ready'}>
            <p class="muted small">{config.latest?.runtime === 'aws' ? t('login.runtimeAws') : t('login.runtimeLocal')}</p>
          </Show>
        </section>

        <Show when={mode() === 'dev-password'}>
          <section class="login-card demo" aria-labelledby="demo-title" data-testid="demo-users">
            <h2 id="demo-title">{t('login.demoTitle')}</h2>
            <p class="muted">{t('login.demoHint')}</p>
            <Switch fallback={<Loading />}>
              <Match when={demo.state === 'errored'}>
                <p class="muted">{t('login.demoFailed')}</p>
              </Match>
              <Match when={demo.state === 'ready'}>
                <For each={groupByTenant(demo.latest?.users ?? [])}>
                  {(group) => (
                    <div class="demo-group">
                      <h3>
                        {text(group.tenantName)} <span class="muted mono">{group.tenant}</span>
                      </h3>
                      <div class="demo-users">
                        <For each={group.users}>
                          {(user) => (
                            <button
                              type="button"
                              class="demo-user"
                              data-testid="demo-user"
                              data-username={user.username}
                              disabled={login.pending()}
                              onClick={() => pick(user)}
                            >
                              <strong>{user.name}</strong>
                              <span>{joinList(user.roles.map(roleName))}</span>
                              <span class="muted mono">{user.username}</span>
                            </button>
                          )}
                        </For>
                      </div>
                    </div>
                  )}
                </For>
              </Match>
            </Switch>
          </section>
        </Show>
      </main>
    </div>
  );
}
