/**
 * 专业部门 (department handler): the cases my department is handling (each opens its case, where the 处置
 * form is), my open tasks, and my department as the tenant configured it.
 */
import { createResource, Show } from 'solid-js';
import { api } from '../api/client';
import { me } from '../auth/session';
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { DepartmentCases } from '../components/case-panels';
import { Async, EmptyState, Panel } from '../components/panel';
import { TaskList } from '../components/task-list';
import { UserTenantCard } from '../components/user-tenant-card';
import { localized, t } from '../i18n';

export default function DepartmentHome() {
  const [tenant, { refetch }] = createResource(() => api.tenant());
  const mine = () => {
    const code = me()?.department;
    return tenant.state === 'ready' && code ? tenant.latest.departments.find((d) => d.code === code) : undefined;
  };
  return (
    <HomeFrame
      tree="department"
      main={
        <>
          <DepartmentCases />
          <TaskList refreshMs={60_000} />
        </>
      }
      aside={
        <>
          <UserTenantCard />
          <Panel title={t('user.department')} testid="my-department">
            <Async resource={tenant} onRetry={() => void refetch()}>
              {() => (
                <Show when={mine()} fallback={<EmptyState title={me()?.department ?? t('common.none')} />}>
                  {(department) => (
                    <dl class="facts">
                      <dt>{t('user.department')}</dt>
                      <dd>
                        {localized(department().name)} <span class="muted mono">{department().code}</span>
                      </dd>
                      <Show when={department().responsibilities.length > 0}>
                        <dt>{t('tenant.responsibilities')}</dt>
                        <dd>{department().responsibilities.join(' · ')}</dd>
                      </Show>
                      <Show when={department().phone}>
                        <dt>{t('tenant.phone')}</dt>
                        <dd>{department().phone}</dd>
                      </Show>
                    </dl>
                  )}
                </Show>
              )}
            </Async>
          </Panel>
          <ModulesPanel tree="department" />
        </>
      }
    />
  );
}
