/** For users with several roles: pick the role to work in; each role opens its own tree. */
import { useNavigate } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { Role } from '../../../contracts';
import { currentRole, me, setCurrentRole } from '../auth/session';
import { roleName, t } from '../i18n';
import { homePathFor } from '../roles/trees';

export function RoleSwitch() {
  const navigate = useNavigate();
  const roles = () => me()?.roles ?? [];
  const choose = (role: Role) => {
    setCurrentRole(role);
    navigate(homePathFor(role));
  };
  return (
    <Show when={roles().length > 1}>
      <label class="role-switch">
        <span class="sr-only">{t('shell.roleSwitch')}</span>
        <select data-testid="role-switch" value={currentRole() ?? ''} onChange={(e) => choose(e.currentTarget.value as Role)}>
          <For each={roles()}>{(role) => <option value={role}>{roleName(role)}</option>}</For>
        </select>
      </label>
    </Show>
  );
}
