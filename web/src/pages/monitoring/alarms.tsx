/**
 * 告警处置 (MON-3, `/monitoring/alarms`): the alarms by status, level and domain, newest first, with 确认 and
 * 处置 for the monitoring operator, and a link to the case an alarm opened. Loaded once per filter, then kept
 * current by the event stream: a new alarm appears at the top, a changed one is updated in place, one that
 * no longer matches the filter (cleared on the open list) leaves. On a phone each row reads as a card.
 */
import { A } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import type { AlarmLevel, AlarmView, DeviceDomain } from '../../../../contracts';
import { api, type AlarmQuery } from '../../api/client';
import { riskApi } from '../../api/risks';
import { currentRole } from '../../auth/session';
import { DataTable, ListActions, type Column } from '../../components/data-table';
import { AlarmActions, canDispose } from '../../components/monitoring/alarm-actions';
import { AlarmStatusBadge, LevelChip } from '../../components/monitoring/bits';
import { AlarmLevelFilter, DomainFilter, FilterBar, OpenStatusFilter } from '../../components/monitoring/filters';
import { createLiveList, LiveIndicator, useMonitoringEvents } from '../../components/monitoring/live';
import { Panel } from '../../components/panel';
import { localized, t } from '../../i18n';
import { plansOfRule } from '../../lib/risks';
import {
  ALARM_STATUSES,
  alarmMatches,
  alarmStatusName,
  alarmValueText,
  deviceKindName,
  domainName,
  ruleTypeName,
  upsertAlarm,
  type AlarmFilter,
} from '../../lib/monitoring';
import { formatDateTime } from '../../lib/time';
import { ALARM_HANDLING_ROLES } from '../../roles/trees';

type StatusFilter = NonNullable<AlarmQuery['status']>;

export default function AlarmBoardPage() {
  const [status, setStatus] = createSignal<StatusFilter>('open');
  const [level, setLevel] = createSignal<AlarmLevel | ''>('');
  const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
  const filter = (): AlarmFilter => ({ status: status(), level: level() || undefined, domain: domain() || undefined });
  const keep = (a: AlarmView) => alarmMatches(a, filter());

  const alarms = createLiveList(
    (): Promise<readonly AlarmView[]> => api.alarms.list({ status: status(), level: level() || undefined, domain: domain() || undefined }).then((r) => r.items),
    (list, alarm: AlarmView) => upsertAlarm(list, alarm, keep),
  );
  const live = useMonitoringEvents({ onAlarm: alarms.apply, onReconnect: () => void alarms.reload() });
  createEffect(on([status, level, domain], () => void alarms.reload()));
  // MON-6: the plan library once, so each row can link the plans of its rule (none shown when it cannot be read).
  const [plans] = createResource(() => riskApi.plans.list().then((r) => r.items).catch(() => []));
  const handles = () => {
    const role = currentRole();
    return role !== null && ALARM_HANDLING_ROLES.includes(role);
  };
  const columns: Column<AlarmView>[] = [
    { header: 'mon.level', cell: (a) => <LevelChip level={a.level} /> },
    {
      header: 'mon.alarm.device',
      class: 'span',
      cell: (a) => (
        <>
          <A class="case-link" href={`/monitoring/devices/${encodeURIComponent(a.deviceId)}`}>
            {a.deviceName}
          </A>
          <div class="muted small">{deviceKindName(a.kind)}</div>
        </>
      ),
    },
    { header: 'mon.domain', cell: (a) => domainName(a.domain) },
    {
      header: 'mon.alarm.rule',
      cell: (a) => (
        <>
          {ruleTypeName(a.type)} <span class="mono small muted">{a.ruleId}</span>
          <For each={plansOfRule(plans.latest ?? [], a.ruleId)}>
            {(plan) => (
              <div class="small">
                {t('mon.alarm.plan')}：
                <A class="task-link" href={`/monitoring/plans/${encodeURIComponent(plan.id)}`} data-testid="alarm-plan-link">
                  {localized(plan.name)}
                </A>
              </div>
            )}
          </For>
        </>
      ),
    },
    { header: 'mon.alarm.value', class: 'num', cell: alarmValueText },
    { header: 'mon.status', cell: (a) => <AlarmStatusBadge status={a.status} /> },
    { header: 'mon.alarm.raisedAt', cell: (a) => <time datetime={a.raisedAt}>{formatDateTime(a.raisedAt)}</time> },
    {
      header: 'mon.alarm.case',
      cell: (a) => (
        <Show when={a.caseId} fallback={t('common.dash')}>
          {(caseId) => (
            <A class="task-link" href={`/case/${caseId()}`} data-testid="alarm-case-link">
              {t('mon.alarm.openCase')}
            </A>
          )}
        </Show>
      ),
    },
    {
      header: 'mon.alarm.actions',
      class: 'actions-cell span',
      when: handles,
      cell: (a) => (
        <Show when={canDispose(a.status)} fallback={t('common.dash')}>
          <AlarmActions alarm={a} onDone={(next) => alarms.update((list) => upsertAlarm(list, next, keep))} />
        </Show>
      ),
    },
  ];

  return (
    <section class="home alarm-board-page" data-testid="alarm-board-page">
      <header class="home-head">
        <h1>{t('section.alarms')}</h1>
        <LiveIndicator state={live()} />
      </header>
      <FilterBar>
        <OpenStatusFilter label={t('mon.status')} testid="filter-status" openLabel={t('mon.status.open')} statuses={ALARM_STATUSES} name={alarmStatusName} value={status()} onChange={setStatus} />
        <AlarmLevelFilter value={level()} onChange={setLevel} />
        <DomainFilter value={domain()} onChange={setDomain} />
      </FilterBar>
      <Panel title={t('mon.alarmList')} testid="alarm-board" actions={<ListActions count={alarms.items()?.length} onRefresh={() => void alarms.reload()} busy={alarms.loading()} />}>
        <DataTable
          testid="alarm-table"
          class="alarm-table"
          rows={alarms.items()}
          error={alarms.error()}
          onRetry={() => void alarms.reload()}
          columns={columns}
          row={(a) => ({ class: `level-${a.level}`, 'data-testid': `alarm-row-${a.id}`, 'data-alarm': a.id, 'data-level': a.level, 'data-status': a.status })}
          empty={{ title: t('mon.noAlarms'), testid: 'alarms-empty' }}
        />
      </Panel>
    </section>
  );
}
