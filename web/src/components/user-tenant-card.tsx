/** Who is signed in, for which tenant, in which role: the first thing on every home. */
import { Show } from 'solid-js';
import { currentRole, me } from '../auth/session';
import { joinList, localized, roleName, t } from '../i18n';
import { Panel } from './panel';

export function UserTenantCard(props: { class?: string }) {
  return (
    <Show when={me()}>
      {(principal) => (
        <Panel title={t('user.title')} testid="user-tenant" class={props.class}>
          <dl class="facts">
            <dt>{t('user.name')}</dt>
            <dd data-testid="user-name">{principal().name ?? principal().subject}</dd>
            <dt>{t('user.tenant')}</dt>
            <dd data-testid="tenant-name">
              {localized(principal().tenantProfile.name)}
              <span class="muted">
                {' '}
                {principal().tenant} · {t(`level.${principal().tenantProfile.level}`)}
              </span>
            </dd>
            <dt>{t('user.role')}</dt>
            <dd>{currentRole() ? roleName(currentRole()!) : ''}</dd>
            <Show when={principal().roles.length > 1}>
              <dt>{t('user.roles')}</dt>
              <dd>{joinList(principal().roles.map(roleName))}</dd>
            </Show>
            <Show when={principal().department}>
              <dt>{t('user.department')}</dt>
              <dd>{principal().department}</dd>
            </Show>
            <dt>{t('user.subject')}</dt>
            <dd class="muted mono">{principal().subject}</dd>
          </dl>
        </Panel>
      )}
    </Show>
  );
}
