/**
 * 市民服务 (citizen): who I am and where my requests will appear. Citizens have no workflow tasks; reporting
 * (随手拍) and request tracking arrive with the public-service issues.
 */
import { For } from 'solid-js';
import { HomeFrame } from '../components/home-frame';
import { EmptyState, Panel } from '../components/panel';
import { UserTenantCard } from '../components/user-tenant-card';
import { t } from '../i18n';
import { TREES } from '../roles/trees';

export default function CitizenHome() {
  return (
    <HomeFrame
      tree="citizen"
      main={
        <For each={TREES.citizen.sections}>
          {(section) => (
            <Panel title={t(section.label)}>
              <EmptyState title={t('unavailable.title', { module: t(section.label) })} body={t('unavailable.body')} testid="unavailable" />
            </Panel>
          )}
        </For>
      }
      aside={<UserTenantCard />}
    />
  );
}
