/**
 * 指挥中心 (acceptor, shift leader, dispatcher): the big-screen workbench — queues per stage, the live map of
 * open cases, the overdue board (all refreshed every 15 s), then the task list with links to the cases. The
 * acceptor gets the hotline/WeChat intake form first; the shift leader also answers 督办. No side column:
 * on a 1920 wall screen the map takes the width.
 */
import { createResource, Show } from 'solid-js';
import { api } from '../api/client';
import { currentRole } from '../auth/session';
import { CommandBoard } from '../components/board';
import { IntakePanel } from '../components/case-panels';
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
  const [tenant] = createResource(async () => {
    try {
      return await api.tenant();
    } catch {
      return undefined;
    }
  });
  return (
    <HomeFrame
      tree="command"
      class="home-command"
      main={
        <>
          <Show when={currentRole() === 'acceptor'}>
            <IntakePanel />
          </Show>
          <CommandBoard tenant={tenant.state === 'ready' ? tenant() : undefined} />
          <TaskList refreshMs={15_000} />
          <Show when={answersSupervision()}>
            <SupervisionInbox />
          </Show>
          <UserTenantCard />
          <ModulesPanel tree="command" />
        </>
      }
    />
  );
}
