/**
 * Case lists the trees share: the inspector's 核实/核查 inbox, the department's cases in handling, a queue of
 * cases at given stages, and the report form in a panel.
 */
import { createResource, For, Show } from 'solid-js';
import type { CaseSource, CaseStatus } from '../../../contracts';
import { api } from '../api/client';
import type { Task } from '../api/schemas';
import { me } from '../auth/session';
import { t } from '../i18n';
import { statusName } from '../lib/case-format';
import { useNow } from '../lib/time';
import { CaseRows } from './case-bits';
import { Async, EmptyState, Panel, RefreshButton, settled } from './panel';
import { ReportForm } from './report-form';
import { TaskList } from './task-list';

/** The steps an inspector works on a case: 核实 before filing, 核查 after handling. */
export const INSPECTOR_STEPS: readonly string[] = ['case.verify', 'case.check'];
export const isInspectorCaseTask = (task: Task): boolean => task.subject === 'case' && INSPECTOR_STEPS.includes(task.step);

export function InspectorInbox() {
  return <TaskList title={t('inspector.inbox')} testid="inspector-inbox" empty={t('inspector.inboxEmpty')} filter={isInspectorCaseTask} refreshMs={60_000} />;
}

/** 问题上报 for inspectors: GPS at once, camera, source inspector. */
export function InspectorReportPanel() {
  return (
    <Panel title={t('report.title')} testid="report-panel" class="report-panel">
      <ReportForm sources={['inspector']} autoLocate />
    </Panel>
  );
}

/** 热线/微信受理 for acceptors: hotline or citizen (WeChat), address search, the caller's contact. */
export function IntakePanel(props: { sources?: readonly CaseSource[] }) {
  return (
    <Panel title={t('report.intakeTitle')} testid="intake-panel" class="report-panel">
      <ReportForm sources={props.sources ?? ['hotline', 'citizen']} intake />
    </Panel>
  );
}

/** Cases in handling that are dispatched to my department (the API lists the tenant's; filtered here). */
export function DepartmentCases() {
  const department = () => me()?.department;
  const [cases, { refetch }] = createResource(async () => {
    const items = (await api.cases.list({ status: 'handling', limit: 500 })).items;
    const mine = department();
    return mine ? items.filter((c) => c.departments.includes(mine)) : [];
  });
  const now = useNow();
  return (
    <Panel title={t('dept.handling')} testid="department-cases" actions={<RefreshButton onClick={() => void refetch()} busy={cases.loading} />}>
      <Show when={department()} fallback={<EmptyState title={t('dept.noDepartment')} />}>
        <Async resource={cases} onRetry={() => void refetch()}>
          {(list) => <CaseRows cases={list()} now={now()} />}
        </Async>
      </Show>
    </Panel>
  );
}

/** One panel per stage with the cases waiting there (earliest due first, as the API sorts them). */
export function CaseQueues(props: { statuses: readonly CaseStatus[] }) {
  return <For each={props.statuses}>{(status) => <CaseQueue status={status} />}</For>;
}

function CaseQueue(props: { status: CaseStatus }) {
  const [cases, { refetch }] = createResource(() => props.status, async (status) => (await api.cases.list({ status, limit: 200 })).items);
  const now = useNow();
  return (
    <Panel
      title={t('cases.queue', { status: statusName(props.status) })}
      testid={`queue-${props.status}`}
      actions={
        <>
          <Show when={settled(cases)}>{(list) => <span class="count">{t('common.count', { n: list().length })}</span>}</Show>
          <RefreshButton onClick={() => void refetch()} busy={cases.loading} />
        </>
      }
    >
      <Async resource={cases} onRetry={() => void refetch()}>
        {(list) => <CaseRows cases={list()} now={now()} />}
      </Async>
    </Panel>
  );
}
