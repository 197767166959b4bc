/** A tenant's profile (TenantProfile from contracts): division, level, platform mode, departments. */
import { For, Show } from 'solid-js';
import { DIVISIONS, type TenantProfile } from '../../../contracts';
import { localized, t } from '../i18n';
import { formatDateTime } from '../lib/time';
import { EmptyState } from './panel';

const divisionName = (code: string): string => DIVISIONS.find((d) => d.code === code && d.validTo === null)?.name ?? code;

export function TenantProfileView(props: { profile: TenantProfile }) {
  return (
    <div class="tenant-profile" data-testid="tenant-profile" data-tenant={props.profile.code}>
      <h3 class="tenant-name">{localized(props.profile.name)}</h3>
      <dl class="facts">
        <dt>{t('tenant.code')}</dt>
        <dd class="mono">{props.profile.code}</dd>
        <dt>{t('tenant.level')}</dt>
        <dd>{t(`level.${props.profile.level}`)}</dd>
        <Show when={props.profile.parent}>
          {(parent) => (
            <>
              <dt>{t('tenant.parent')}</dt>
              <dd>
                {divisionName(parent())} <span class="muted mono">{parent()}</span>
              </dd>
            </>
          )}
        </Show>
        <dt>{t('tenant.platform')}</dt>
        <dd>{t(`platform.${props.profile.platform}`)}</dd>
        <dt>{t('tenant.onboardedAt')}</dt>
        <dd>{formatDateTime(props.profile.onboardedAt)}</dd>
      </dl>
      <h4>{t('tenant.departments')}</h4>
      <Show when={props.profile.departments.length > 0} fallback={<EmptyState title={t('tenant.noDepartments')} />}>
        <ul class="departments">
          <For each={props.profile.departments}>
            {(department) => (
              <li>
                <strong>{localized(department.name)}</strong> <span class="muted mono">{department.code}</span>
                <Show when={department.responsibilities.length > 0}>
                  <div class="muted">
                    {t('tenant.responsibilities')}: {department.responsibilities.join(' · ')}
                  </div>
                </Show>
                <Show when={department.phone}>
                  <div class="muted">
                    {t('tenant.phone')}: {department.phone}
                  </div>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
