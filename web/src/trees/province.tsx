/**
 * 省级平台 (province roles): the tenant switcher with the chosen tenant's profile, supervision items across
 * tenants (filtered by the switcher) with assign and review, and the province's own open tasks.
 */
import { createResource, createSignal } from 'solid-js';
import { api } from '../api/client';
import { currentRole } from '../auth/session';
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { ProvinceSupervision } from '../components/province-supervision';
import { TaskList } from '../components/task-list';
import { TenantSwitcher } from '../components/tenant-switcher';
import { UserTenantCard } from '../components/user-tenant-card';
import { SUPERVISING_ROLES } from '../roles/trees';

export default function ProvinceHome() {
  const [tenants, { refetch }] = createResource(async () => (await api.province.tenants()).items);
  const [selected, setSelected] = createSignal<string>();
  const supervising = () => {
    const role = currentRole();
    return role !== null && SUPERVISING_ROLES.includes(role);
  };
  return (
    <HomeFrame
      tree="province"
      main={
        <>
          <TenantSwitcher tenants={tenants} onRetry={() => void refetch()} selected={selected} onSelect={setSelected} />
          <ProvinceSupervision tenants={() => (tenants.state === 'ready' ? tenants.latest : [])} filter={selected} canSupervise={supervising()} />
          <TaskList />
        </>
      }
      aside={
        <>
          <UserTenantCard />
          <ModulesPanel tree="province" />
        </>
      }
    />
  );
}
