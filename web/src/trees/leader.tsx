/** 领导 (leader): the 督办 items the province assigned to us first, then open tasks. */
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { SupervisionInbox } from '../components/supervision-inbox';
import { TaskList } from '../components/task-list';
import { UserTenantCard } from '../components/user-tenant-card';

export default function LeaderHome() {
  return (
    <HomeFrame
      tree="leader"
      main={
        <>
          <SupervisionInbox />
          <TaskList />
        </>
      }
      aside={
        <>
          <UserTenantCard />
          <ModulesPanel tree="leader" />
        </>
      }
    />
  );
}
