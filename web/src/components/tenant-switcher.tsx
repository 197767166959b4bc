/**
 * The province's tenant switcher: lists the onboarded tenants and shows the chosen one's profile through the
 * province read path. It renders nothing, and asks the API nothing, unless the user holds a province role.
 */
import { createResource, For, Show, type Accessor, type Resource } from 'solid-js';
import type { TenantProfile } from '../../../contracts';
import { api } from '../api/client';
import { me } from '../auth/session';
import { localized, t } from '../i18n';
import { hasProvinceRole } from '../roles/trees';
import { Async, EmptyState, Panel, RefreshButton } from './panel';
import { TenantProfileView } from './tenant-profile';

export interface TenantSwitcherProps {
  tenants: Resource<TenantProfile[]>;
  onRetry: () => void;
  selected: Accessor<string | undefined>;
  onSelect: (code: string | undefined) => void;
  class?: string;
}

export function TenantSwitcher(props: TenantSwitcherProps) {
  return (
    <Show when={hasProvinceRole(me()?.roles ?? [])}>
      <ProvinceTenantSwitcher {...props} />
    </Show>
  );
}

function ProvinceTenantSwitcher(props: TenantSwitcherProps) {
  const [profile, { refetch }] = createResource(props.selected, (code) => api.province.tenant(code));
  return (
    <Panel title={t('prov.tenantsTitle')} class={props.class} actions={<RefreshButton onClick={props.onRetry} />}>
      <Async resource={props.tenants} onRetry={props.onRetry}>
        {(tenants) => (
          <Show when={tenants().length > 0} fallback={<EmptyState title={t('prov.noTenants')} />}>
            <label class="field">
              <span>
                {t('prov.switcherLabel')} <span class="muted">{t('prov.tenantCount', { n: tenants().length })}</span>
              </span>
              <select
                data-testid="tenant-switcher"
                value={props.selected() ?? ''}
                onChange={(e) => props.onSelect(e.currentTarget.value || undefined)}
              >
                <option value="">{t('prov.choose')}</option>
                <For each={tenants()}>
                  {(tenant) => (
                    <option value={tenant.code}>
                      {localized(tenant.name)} · {tenant.code}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </Show>
        )}
      </Async>
      <Show when={props.selected()} fallback={<p class="muted">{t('prov.profileEmpty')}</p>}>
        <Async resource={profile} onRetry={() => void refetch()}>
          {(value) => <TenantProfileView profile={value()} />}
        </Async>
      </Show>
    </Panel>
  );
}
