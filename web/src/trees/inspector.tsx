/** 监督员 (field inspector): phone first — tasks on top, large module buttons, then who I am. */
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { TaskList } from '../components/task-list';
import { UserTenantCard } from '../components/user-tenant-card';

export default function InspectorHome() {
  return (
    <HomeFrame
      tree="inspector"
      main={
        <>
          <TaskList />
          <ModulesPanel tree="inspector" />
        </>
      }
      aside={<UserTenantCard />}
    />
  );
}
