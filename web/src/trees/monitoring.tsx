/** 运行监测 (monitoring operator): open tasks; the monitoring map and 告警 arrive with the telemetry issues. */
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { EmptyState, Panel } from '../components/panel';
import { TaskList } from '../components/task-list';
import { UserTenantCard } from '../components/user-tenant-card';
import { t } from '../i18n';

export default function MonitoringHome() {
  return (
    <HomeFrame
      tree="monitoring"
      main={
        <>
          <Panel title={t('section.map')} class="map-placeholder">
            <EmptyState title={t('unavailable.title', { module: t('section.map') })} body={t('unavailable.body')} testid="unavailable" />
          </Panel>
          <TaskList />
        </>
      }
      aside={
        <>
          <UserTenantCard />
          <ModulesPanel tree="monitoring" />
        </>
      }
    />
  );
}
