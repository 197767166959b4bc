/** 综合执法 (enforcement officer): open tasks; enforcement cases arrive with the enforcement flow. */
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { TaskList } from '../components/task-list';
import { UserTenantCard } from '../components/user-tenant-card';

export default function EnforcementHome() {
  return (
    <HomeFrame
      tree="enforcement"
      main={<TaskList />}
      aside={
        <>
          <UserTenantCard />
          <ModulesPanel tree="enforcement" />
        </>
      }
    />
  );
}
