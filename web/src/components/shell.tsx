/**
 * The frame around every signed-in page: a header (platform, tenant, health, notifications, role, language,
 * sign-out) and the tree's navigation — a side column on wide screens, a bottom bar on phones (see styles.css).
 */
import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { currentRole, me, signOut } from '../auth/session';
import { localized, t } from '../i18n';
import { sectionHref, treeOf, visibleSections } from '../roles/trees';
import { HealthIndicator } from './health-indicator';
import { LangSwitch } from './lang-switch';
import { NotificationsBell } from './notifications-bell';
import { RoleSwitch } from './role-switch';

export function Shell(props: { children: JSX.Element }) {
  const tree = () => {
    const role = currentRole();
    return role ? treeOf(role) : undefined;
  };
  const [menuOpen, setMenuOpen] = createSignal(false);

  return (
    <div class="app" data-tree={tree()?.id}>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="emblem" aria-hidden="true">
            {t('app.emblem')}
          </span>
          <div class="brand-text">
            <span class="brand-title">{t('app.title')}</span>
            <span class="brand-sub">
              <Show when={me()}>{(principal) => <>{localized(principal().tenantProfile.name)}</>}</Show>
              <Show when={tree()}>{(x) => <> · {t(x().label)}</>}</Show>
            </span>
          </div>
        </div>
        <HealthIndicator />
        <NotificationsBell />
        <button
          type="button"
          class="btn btn-ghost menu-toggle"
          aria-expanded={menuOpen()}
          aria-controls="topbar-tools"
          onClick={() => setMenuOpen(!menuOpen())}
        >
          <span aria-hidden="true">☰</span>
          <span class="sr-only">{t('common.menu')}</span>
        </button>
        <div id="topbar-tools" class="tools" classList={{ open: menuOpen() }}>
          <RoleSwitch />
          <LangSwitch />
          <span class="who">{me()?.name ?? me()?.subject}</span>
          <button type="button" class="btn btn-ghost" data-testid="logout" onClick={() => signOut()}>
            {t('shell.logout')}
          </button>
        </div>
      </header>
      <Show when={tree()}>
        {(x) => (
          <nav class="nav" aria-label={t('shell.mainNav')}>
            <A href={x().path} end activeClass="active">
              {t('shell.home')}
            </A>
            <For each={visibleSections(x(), currentRole())}>
              {(section) => (
                <A href={sectionHref(x(), section)} end={section.href !== undefined} activeClass="active">
                  {t(section.label)}
                </A>
              )}
            </For>
          </nav>
        )}
      </Show>
      <main id="main" class="main" tabIndex={-1} onClick={() => setMenuOpen(false)}>
        {props.children}
      </main>
    </div>
  );
}
