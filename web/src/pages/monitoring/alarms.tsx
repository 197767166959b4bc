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
import { AlarmActions, canDispose } from '../../components/monitoring/alarm-actions';
import { AlarmStatusBadge, FilterBar, FilterSelect, LevelChip } from '../../components/monitoring/bits';
import { createLiveList, LiveAsync, LiveIndicator, useMonitoringEvents } from '../../components/monitoring/live';
import { EmptyState, Panel, RefreshButton } from '../../components/panel';
import { localized, t } from '../../i18n';
import { plansOfRule } from '../../lib/risks';
import {
  ALARM_STATUSES,
  alarmMatches,
  alarmStatusName,
  alarmValueText,
  deviceKindName,
  DOMAINS,
  domainName,
  LEVELS,
  levelName,
  ruleTypeName,
  upsertAlarm,
  type AlarmFilter,
} from '../../lib/monitoring';
import { formatDateTime } from '../../lib/time';
import { ALARM_HANDLING_ROLES } from '../../roles/trees';

type StatusFilter = NonNullable<AlarmQuery['status']>;
const STATUS_FILTERS: readonly StatusFilter[] = ['open', ...ALARM_STATUSES, 'all'];

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

  return (
    <section class="home alarm-board-page" data-testid="alarm-board-page">
      <header class="home-head">
        <h1>{t('section.alarms')}</h1>
        <LiveIndicator state={live()} />
      </header>
      <FilterBar>
        <FilterSelect
          label={t('mon.status')}
          testid="filter-status"
          value={status()}
          choices={STATUS_FILTERS.map((s) => ({ value: s, label: s === 'open' ? t('mon.status.open') : s === 'all' ? t('mon.all') : alarmStatusName(s) }))}
          onChange={(s) => setStatus(s || 'open')}
        />
        <FilterSelect label={t('mon.level')} testid="filter-level" value={level()} all={t('mon.all')} choices={LEVELS.map((l) => ({ value: l, label: levelName(l) }))} onChange={setLevel} />
        <FilterSelect label={t('mon.domain')} testid="filter-domain" value={domain()} all={t('mon.all')} choices={DOMAINS.map((d) => ({ value: d, label: domainName(d) }))} onChange={setDomain} />
      </FilterBar>
      <Panel
        title={t('mon.alarmList')}
        testid="alarm-board"
        actions={
          <>
            <Show when={alarms.items()}>{(items) => <span class="count">{t('common.count', { n: items().length })}</span>}</Show>
            <RefreshButton onClick={() => void alarms.reload()} busy={alarms.loading()} />
          </>
        }
      >
        <LiveAsync list={alarms}>
          {(items) => (
            <Show when={items().length > 0} fallback={<EmptyState title={t('mon.noAlarms')} testid="alarms-empty" />}>
              <div class="table-scroll">
                <table class="data-table alarm-table" data-testid="alarm-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('mon.level')}</th>
                      <th scope="col">{t('mon.alarm.device')}</th>
                      <th scope="col">{t('mon.domain')}</th>
                      <th scope="col">{t('mon.alarm.rule')}</th>
                      <th scope="col">{t('mon.alarm.value')}</th>
                      <th scope="col">{t('mon.status')}</th>
                      <th scope="col">{t('mon.alarm.raisedAt')}</th>
                      <th scope="col">{t('mon.alarm.case')}</th>
                      <Show when={handles()}>
                        <th scope="col">{t('mon.alarm.actions')}</th>
                      </Show>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(a) => (
                        <tr class={`level-${a.level}`} data-testid={`alarm-row-${a.id}`} data-alarm={a.id} data-level={a.level} data-status={a.status}>
                          <td data-label={t('mon.level')}>
                            <LevelChip level={a.level} />
                          </td>
                          <td data-label={t('mon.alarm.device')} class="span">
                            <A class="case-link" href={`/monitoring/devices/${encodeURIComponent(a.deviceId)}`}>
                              {a.deviceName}
                            </A>
                            <div class="muted small">{deviceKindName(a.kind)}</div>
                          </td>
                          <td data-label={t('mon.domain')}>{domainName(a.domain)}</td>
                          <td data-label={t('mon.alarm.rule')}>
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
                          </td>
                          <td data-label={t('mon.alarm.value')} class="num">
                            {alarmValueText(a)}
                          </td>
                          <td data-label={t('mon.status')}>
                            <AlarmStatusBadge status={a.status} />
                          </td>
                          <td data-label={t('mon.alarm.raisedAt')}>
                            <time datetime={a.raisedAt}>{formatDateTime(a.raisedAt)}</time>
                          </td>
                          <td data-label={t('mon.alarm.case')}>
                            <Show when={a.caseId} fallback={t('common.dash')}>
                              {(caseId) => (
                                <A class="task-link" href={`/case/${caseId()}`} data-testid="alarm-case-link">
                                  {t('mon.alarm.openCase')}
                                </A>
                              )}
                            </Show>
                          </td>
                          <Show when={handles()}>
                            <td data-label={t('mon.alarm.actions')} class="actions-cell span">
                              <Show when={canDispose(a.status)} fallback={t('common.dash')}>
                                <AlarmActions alarm={a} onDone={(next) => alarms.update((list) => upsertAlarm(list, next, keep))} />
                              </Show>
                            </td>
                          </Show>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </LiveAsync>
      </Panel>
    </section>
  );
}
