/** 平台管理 (tenant admin): our tenant as onboarded (/v1/tenant), the 督办 inbox, open tasks. */
import { createResource } from 'solid-js';
import { api } from '../api/client';
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { Async, Panel, RefreshButton } from '../components/panel';
import { SupervisionInbox } from '../components/supervision-inbox';
import { TaskList } from '../components/task-list';
import { TenantProfileView } from '../components/tenant-profile';
import { UserTenantCard } from '../components/user-tenant-card';
import { t } from '../i18n';

export default function AdminHome() {
  const [tenant, { refetch }] = createResource(() => api.tenant());
  return (
    <HomeFrame
      tree="admin"
      main={
        <>
          <SupervisionInbox />
          <TaskList />
          <Panel title={t('tenant.profileTitle')} testid="own-tenant" actions={<RefreshButton onClick={() => void refetch()} />}>
            <Async resource={tenant} onRetry={() => void refetch()}>
              {(profile) => <TenantProfileView profile={profile()} />}
            </Async>
          </Panel>
        </>
      }
      aside={
        <>
          <UserTenantCard />
          <ModulesPanel tree="admin" />
        </>
      }
    />
  );
}
