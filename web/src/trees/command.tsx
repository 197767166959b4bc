/** 指挥中心 (acceptor, shift leader, dispatcher): the big-screen workbench. The shift leader also answers 督办. */
import { Show } from 'solid-js';
import { currentRole } from '../auth/session';
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { SupervisionInbox } from '../components/supervision-inbox';
import { TaskList } from '../components/task-list';
import { UserTenantCard } from '../components/user-tenant-card';
import { SUPERVISION_INBOX_ROLES } from '../roles/trees';

export default function CommandHome() {
  const answersSupervision = () => {
    const role = currentRole();
    return role !== null && SUPERVISION_INBOX_ROLES.includes(role);
  };
  return (
    <HomeFrame
      tree="command"
      main={
        <>
          <TaskList />
          <Show when={answersSupervision()}>
            <SupervisionInbox />
          </Show>
        </>
      }
      aside={
        <>
          <UserTenantCard />
          <ModulesPanel tree="command" />
        </>
      }
    />
  );
}
