/**
 * 巡检计划 (MON-5, `/monitoring/patrol`): the monitoring operator and the tenant admin build patrol teams (inspectors
 * by account, departments' staff) and plans over registered devices with a checklist and a frequency; everyone
 * allowed here (leaders too) sees the generated tasks of the last 30 days and this month's statistics per plan and
 * team (按时巡检率).
 */
import { createResource, createSignal, For, Show, type Resource } from 'solid-js';
import { CreatePatrolPlan, CreatePatrolTeam, PATROL_DOMAIN_IDS, PATROL_DOMAIN_NAMES, type PatrolPlan, type PatrolPlanStatus, type PatrolStatsRow, type PatrolTask, type PatrolTeam } from '../../../../contracts';
import { api } from '../../api/client';
import { patrolApi } from '../../api/patrol';
import { currentRole } from '../../auth/session';
import { DataTable, type Column } from '../../components/data-table';
import { ActionError, choicesOf, FormProblem, Notice, SelectField, SubmitButton, TextField } from '../../components/form-field';
import { Async, EmptyState, Panel, RefreshButton, settled } from '../../components/panel';
import { localized, t, type MessageKey } from '../../i18n';
import { createAction } from '../../lib/action';
import { taskState } from '../../lib/patrol';
import { formatDateTime } from '../../lib/time';
import { PATROL_MANAGER_ROLES } from '../../roles/trees';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const weekdayName = (d: number) => t(`patrol.weekday.${d}` as MessageKey);
const frequencyText = (f: PatrolPlan['frequency']): string =>
  f.type === 'daily' ? t('patrol.freq.daily') : f.type === 'weekly' ? `${t('patrol.freq.weekly')} ${f.weekdays.map(weekdayName).join('、')}` : `${t('patrol.freq.monthly')} ${t('patrol.plan.dayN', { n: f.day })}`;
const todayBeijing = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export default function PatrolPlansPage() {
  const isManager = () => {
    const role = currentRole();
    return role !== null && PATROL_MANAGER_ROLES.includes(role);
  };
  const [teams, teamsCtl] = createResource(() => patrolApi.teams());
  const [plans, plansCtl] = createResource(() => patrolApi.plans());
  const [tasks, tasksCtl] = createResource(() => patrolApi.tasks());
  const [stats, statsCtl] = createResource(() => patrolApi.stats());
  const teamName = (id: string) => teams()?.items.find((x) => x.id === id)?.name ?? id;
  const reloadAll = () => {
    void plansCtl.refetch();
    void tasksCtl.refetch();
    void statsCtl.refetch();
  };
  const planColumns: Column<PatrolPlan>[] = [
    { header: 'patrol.plan.name', cell: (p) => p.name },
    { header: 'patrol.plan.domain', cell: (p) => localized(PATROL_DOMAIN_NAMES[p.domain]) },
    { header: 'patrol.plan.frequency', cell: (p) => frequencyText(p.frequency) },
    { header: 'patrol.plan.team', cell: (p) => teamName(p.teamId) },
    { header: 'patrol.plan.targets', cell: (p) => p.targets.map((x) => x.name).join('、') },
    { header: 'patrol.plan.status', cell: (p) => <PlanStatus plan={p} manager={isManager()} onChanged={reloadAll} /> },
  ];

  return (
    <section class="home patrol-page" data-testid="patrol-page">
      <header class="home-head">
        <h1>{t('section.patrol')}</h1>
      </header>
      <Show when={isManager()}>
        <div class="registry-forms">
          <TeamPanel teams={teams()?.items ?? []} onCreated={() => void teamsCtl.refetch()} />
          <PlanForm teams={teams()?.items ?? []} onCreated={reloadAll} />
        </div>
      </Show>
      <Panel title={t('patrol.plans')} testid="patrol-plans" actions={<RefreshButton onClick={reloadAll} busy={plans.loading} />}>
        <DataTable
          testid="patrol-plan-table"
          rows={settled(plans)?.items}
          error={plans.error}
          onRetry={() => void plansCtl.refetch()}
          columns={planColumns}
          row={(p) => ({ 'data-testid': `patrol-plan-${p.id}`, 'data-status': p.status })}
          empty={{ title: t('patrol.plan.none'), testid: 'patrol-plans-empty' }}
        />
      </Panel>
      <TaskTable tasks={tasks} onRetry={() => void tasksCtl.refetch()} teamName={teamName} />
      <Panel title={t('patrol.stats')} testid="patrol-stats">
        <Async resource={stats} onRetry={() => void statsCtl.refetch()}>
          {(s) => (
            <div class="stack">
              <StatsTable title={t('patrol.stats.byPlan')} rows={s().byPlan} testid="patrol-stats-plan" />
              <StatsTable title={t('patrol.stats.byTeam')} rows={s().byTeam} testid="patrol-stats-team" />
            </div>
          )}
        </Async>
      </Panel>
    </section>
  );
}

function PlanStatus(props: { plan: PatrolPlan; manager: boolean; onChanged: () => void }) {
  const change = createAction((status: PatrolPlanStatus) => patrolApi.setPlanStatus(props.plan.id, status));
  const set = async (status: PatrolPlanStatus) => {
    if (await change.run(status)) props.onChanged();
  };
  return (
    <span class="stack-inline">
      <span class="badge" data-testid="patrol-plan-status">{t(`patrol.plan.status.${props.plan.status}`)}</span>
      <Show when={props.manager && props.plan.status !== 'ended'}>
        <Show when={props.plan.status === 'active'} fallback={<button type="button" class="btn btn-small" onClick={() => void set('active')}>{t('patrol.plan.resume')}</button>}>
          <button type="button" class="btn btn-small" data-testid="patrol-plan-pause" onClick={() => void set('paused')}>
            {t('patrol.plan.pause')}
          </button>
        </Show>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => void set('ended')}>
          {t('patrol.plan.end')}
        </button>
      </Show>
      <ActionError error={change.error()} />
    </span>
  );
}

function TaskTable(props: { tasks: Resource<{ items: PatrolTask[] }>; onRetry: () => void; teamName: (id: string) => string }) {
  const columns: Column<PatrolTask>[] = [
    { header: 'patrol.task.cycleDay', cell: (task) => task.cycleDay },
    { header: 'patrol.plan.name', cell: (task) => task.planName },
    { header: 'patrol.plan.team', cell: (task) => props.teamName(task.teamId) },
    { header: 'patrol.task.due', cell: (task) => formatDateTime(task.dueAt) },
    {
      header: 'patrol.task.progress',
      class: 'num',
      cell: (task) => (
        <>
          {t('patrol.task.progressValue', { done: task.recorded.length, total: task.targets.length })}
          <Show when={task.abnormal > 0}>
            <span class="muted small"> · {t('patrol.task.abnormalN', { n: task.abnormal })}</span>
          </Show>
        </>
      ),
    },
    { header: 'patrol.plan.status', cell: (task) => t(`patrol.task.state.${taskState(task)}`) },
  ];
  return (
    <Panel title={t('patrol.tasks')} testid="patrol-tasks">
      <DataTable
        testid="patrol-task-table"
        rows={settled(props.tasks)?.items}
        error={props.tasks.error}
        onRetry={props.onRetry}
        columns={columns}
        row={(task) => ({ 'data-testid': `patrol-task-${task.id}`, 'data-state': taskState(task) })}
        empty={{ title: t('patrol.task.none'), testid: 'patrol-tasks-empty' }}
      />
    </Panel>
  );
}

const rate = (r: number | null) => (r === null ? t('common.dash') : `${Math.round(r * 1000) / 10}%`);
const STATS_COLUMNS: readonly Column<PatrolStatsRow>[] = [
  { header: 'patrol.plan.name', cell: (r) => r.name },
  { header: 'patrol.stats.due', class: 'num', cell: (r) => r.due },
  { header: 'patrol.stats.completed', class: 'num', cell: (r) => r.completed },
  { header: 'patrol.stats.onTime', class: 'num', cell: (r) => r.completedOnTime },
  { header: 'patrol.stats.overdue', class: 'num', cell: (r) => r.overdue },
  { header: 'patrol.stats.rate', class: 'num', testid: 'patrol-rate', cell: (r) => rate(r.onTimeRate) },
  { header: 'patrol.stats.abnormal', class: 'num', cell: (r) => r.abnormal },
  { header: 'patrol.stats.cases', class: 'num', cell: (r) => r.casesReported },
];

function StatsTable(props: { title: string; rows: readonly PatrolStatsRow[]; testid: string }) {
  return <DataTable testid={props.testid} caption={props.title} rows={props.rows} columns={STATS_COLUMNS} row={(r) => ({ 'data-testid': `${props.testid}-${r.id}` })} emptyRow={t('patrol.task.none')} />;
}

// ---------------------------------------------------------------------------------------------------------
// Teams

function TeamPanel(props: { teams: readonly PatrolTeam[]; onCreated: () => void }) {
  const [name, setName] = createSignal('');
  const [subjects, setSubjects] = createSignal('');
  const [departments, setDepartments] = createSignal<string[]>([]);
  const [problem, setProblem] = createSignal('');
  const [tenant] = createResource(() => api.tenant().catch(() => undefined));
  const create = createAction((body: CreatePatrolTeam) => patrolApi.createTeam(body));
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const users = subjects()
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((subject) => ({ kind: 'user' as const, subject }));
    const parsed = CreatePatrolTeam.safeParse({ name: name().trim(), members: [...users, ...departments().map((department) => ({ kind: 'department' as const, department }))] });
    if (!parsed.success) return setProblem(t('patrol.team.invalid'));
    setProblem('');
    if (await create.run(parsed.data)) {
      setName('');
      setSubjects('');
      setDepartments([]);
      props.onCreated();
    }
  };
  const memberText = (team: PatrolTeam) =>
    team.members.map((m) => (m.kind === 'user' ? (m.name ?? m.subject) : localized(tenant()?.departments.find((d) => d.code === m.department)?.name ?? { zh: m.department, en: m.department }))).join('、');
  return (
    <Panel title={t('patrol.teams')} testid="patrol-teams">
      <Show when={props.teams.length > 0} fallback={<EmptyState title={t('patrol.team.none')} testid="patrol-teams-empty" />}>
        <ul class="plain-list" data-testid="patrol-team-list">
          <For each={props.teams}>
            {(team) => (
              <li data-testid={`patrol-team-${team.id}`}>
                <strong>{team.name}</strong> <span class="muted small">{memberText(team)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form class="stack" data-testid="patrol-team-form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField label={t('patrol.team.name')} testid="team-name" value={name()} onInput={setName} />
        <TextField label={t('patrol.team.inspectors')} testid="team-subjects" value={subjects()} placeholder="430100.inspector" onInput={setSubjects} />
        <Show when={(tenant()?.departments.length ?? 0) > 0}>
          <fieldset class="field choice">
            <legend>{t('patrol.team.departments')}</legend>
            <For each={tenant()?.departments ?? []}>
              {(d) => (
                <label class="check-line">
                  <input
                    type="checkbox"
                    data-testid={`team-dept-${d.code}`}
                    checked={departments().includes(d.code)}
                    onChange={(e) => setDepartments((all) => (e.currentTarget.checked ? [...all, d.code] : all.filter((x) => x !== d.code)))}
                  />
                  {localized(d.name)}
                </label>
              )}
            </For>
          </fieldset>
        </Show>
        <FormProblem problem={problem()} testid="team-problem" />
        <ActionError error={create.error()} />
        <SubmitButton label={t('patrol.team.create')} pending={create.pending()} testid="team-submit" class="btn" />
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Plans

function PlanForm(props: { teams: readonly PatrolTeam[]; onCreated: () => void }) {
  const [name, setName] = createSignal('');
  const [domain, setDomain] = createSignal<string>('gas');
  const [teamId, setTeamId] = createSignal('');
  const [frequency, setFrequency] = createSignal<'daily' | 'weekly' | 'monthly'>('daily');
  const [weekdays, setWeekdays] = createSignal<number[]>([1]);
  const [day, setDay] = createSignal('1');
  const [activeFrom, setActiveFrom] = createSignal(todayBeijing());
  const [activeTo, setActiveTo] = createSignal('');
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [checklist, setChecklist] = createSignal('');
  const [problem, setProblem] = createSignal('');
  const [done, setDone] = createSignal('');
  const [devices] = createResource(() => api.devices.list({ status: 'active' }).then((r) => r.items).catch(() => []));
  const create = createAction((body: CreatePatrolPlan) => patrolApi.createPlan(body));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setDone('');
    const items = checklist()
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((text, i) => ({ id: `item-${i + 1}`, text }));
    const freq = frequency() === 'daily' ? { type: 'daily' as const } : frequency() === 'weekly' ? { type: 'weekly' as const, weekdays: weekdays() } : { type: 'monthly' as const, day: Number(day()) };
    const parsed = CreatePatrolPlan.safeParse({
      name: name().trim(),
      domain: domain(),
      teamId: teamId(),
      frequency: freq,
      activeFrom: activeFrom(),
      ...(activeTo() ? { activeTo: activeTo() } : {}),
      targets: chosen().map((id) => ({ kind: 'device' as const, id, checklist: items })),
    });
    if (!parsed.success) return setProblem(t('patrol.plan.invalid'));
    setProblem('');
    const plan = await create.run(parsed.data);
    if (plan) {
      setDone(t('patrol.plan.done', { name: plan.name }));
      setName('');
      setChosen([]);
      props.onCreated();
    }
  };

  return (
    <Panel title={t('patrol.plan.create')} testid="patrol-plan-create">
      <form class="stack" data-testid="patrol-plan-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field-row">
          <TextField label={t('patrol.plan.name')} testid="plan-name" value={name()} onInput={setName} />
          <SelectField label={t('patrol.plan.domain')} testid="plan-domain" value={domain()} choices={choicesOf(PATROL_DOMAIN_IDS, (d) => localized(PATROL_DOMAIN_NAMES[d]))} onChange={setDomain} />
        </div>
        <div class="field-row">
          <SelectField label={t('patrol.plan.team')} testid="plan-team" value={teamId()} blank={t('patrol.plan.chooseTeam')} choices={props.teams.map((team) => ({ value: team.id, label: team.name }))} onChange={setTeamId} />
          <SelectField label={t('patrol.plan.frequency')} testid="plan-frequency" value={frequency()} choices={choicesOf(['daily', 'weekly', 'monthly'] as const, (f) => t(`patrol.freq.${f}`))} onChange={setFrequency} />
        </div>
        <Show when={frequency() === 'weekly'}>
          <fieldset class="field choice" data-testid="plan-weekdays">
            <legend>{t('patrol.plan.weekdays')}</legend>
            <For each={WEEKDAYS}>
              {(d) => (
                <label class="check-line">
                  <input type="checkbox" data-testid={`plan-weekday-${d}`} checked={weekdays().includes(d)} onChange={(e) => setWeekdays((all) => (e.currentTarget.checked ? [...all, d].sort() : all.filter((x) => x !== d)))} />
                  {weekdayName(d)}
                </label>
              )}
            </For>
          </fieldset>
        </Show>
        <Show when={frequency() === 'monthly'}>
          <TextField label={t('patrol.plan.day')} testid="plan-day" inputmode="numeric" value={day()} onInput={setDay} />
        </Show>
        <div class="field-row">
          <TextField label={t('patrol.plan.activeFrom')} type="date" testid="plan-from" value={activeFrom()} onInput={setActiveFrom} />
          <TextField label={t('patrol.plan.activeTo')} type="date" testid="plan-to" value={activeTo()} onInput={setActiveTo} />
        </div>
        <fieldset class="field choice" data-testid="plan-devices">
          <legend>{t('patrol.plan.devices')}</legend>
          <For each={devices() ?? []} fallback={<p class="muted small">{t('patrol.plan.noDevices')}</p>}>
            {(d) => (
              <label class="check-line">
                <input type="checkbox" data-testid={`plan-device-${d.id}`} checked={chosen().includes(d.id)} onChange={(e) => setChosen((all) => (e.currentTarget.checked ? [...all, d.id] : all.filter((x) => x !== d.id)))} />
                {d.name} <span class="mono small muted">{d.id}</span>
              </label>
            )}
          </For>
        </fieldset>
        <TextField label={t('patrol.plan.checklist')} testid="plan-checklist" rows={3} value={checklist()} placeholder={t('patrol.plan.checklistPlaceholder')} onInput={setChecklist} />
        <FormProblem problem={problem()} testid="plan-problem" />
        <ActionError error={create.error()} />
        <Notice text={done()} testid="plan-done" class="notice" />
        <SubmitButton label={t('patrol.plan.submit')} pending={create.pending()} testid="plan-submit" />
      </form>
    </Panel>
  );
}
