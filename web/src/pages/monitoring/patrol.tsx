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
import { ErrorMessage } from '../../components/error-message';
import { Async, EmptyState, Panel, RefreshButton } from '../../components/panel';
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
        <Async resource={plans} onRetry={() => void plansCtl.refetch()}>
          {(value) => (
            <Show when={value().items.length > 0} fallback={<EmptyState title={t('patrol.plan.none')} testid="patrol-plans-empty" />}>
              <div class="table-scroll">
                <table class="data-table" data-testid="patrol-plan-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('patrol.plan.name')}</th>
                      <th scope="col">{t('patrol.plan.domain')}</th>
                      <th scope="col">{t('patrol.plan.frequency')}</th>
                      <th scope="col">{t('patrol.plan.team')}</th>
                      <th scope="col">{t('patrol.plan.targets')}</th>
                      <th scope="col">{t('patrol.plan.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={value().items}>
                      {(p) => (
                        <tr data-testid={`patrol-plan-${p.id}`} data-status={p.status}>
                          <td data-label={t('patrol.plan.name')}>{p.name}</td>
                          <td data-label={t('patrol.plan.domain')}>{localized(PATROL_DOMAIN_NAMES[p.domain])}</td>
                          <td data-label={t('patrol.plan.frequency')}>{frequencyText(p.frequency)}</td>
                          <td data-label={t('patrol.plan.team')}>{teamName(p.teamId)}</td>
                          <td data-label={t('patrol.plan.targets')}>{p.targets.map((x) => x.name).join('、')}</td>
                          <td data-label={t('patrol.plan.status')}>
                            <PlanStatus plan={p} manager={isManager()} onChanged={reloadAll} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Async>
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
      <Show when={change.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
    </span>
  );
}

function TaskTable(props: { tasks: Resource<{ items: PatrolTask[] }>; onRetry: () => void; teamName: (id: string) => string }) {
  return (
    <Panel title={t('patrol.tasks')} testid="patrol-tasks">
      <Async resource={props.tasks} onRetry={props.onRetry}>
        {(value) => (
          <Show when={value().items.length > 0} fallback={<EmptyState title={t('patrol.task.none')} testid="patrol-tasks-empty" />}>
            <div class="table-scroll">
              <table class="data-table" data-testid="patrol-task-table">
                <thead>
                  <tr>
                    <th scope="col">{t('patrol.task.cycleDay')}</th>
                    <th scope="col">{t('patrol.plan.name')}</th>
                    <th scope="col">{t('patrol.plan.team')}</th>
                    <th scope="col">{t('patrol.task.due')}</th>
                    <th scope="col">{t('patrol.task.progress')}</th>
                    <th scope="col">{t('patrol.plan.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={value().items}>
                    {(task) => (
                      <tr data-testid={`patrol-task-${task.id}`} data-state={taskState(task)}>
                        <td data-label={t('patrol.task.cycleDay')}>{task.cycleDay}</td>
                        <td data-label={t('patrol.plan.name')}>{task.planName}</td>
                        <td data-label={t('patrol.plan.team')}>{props.teamName(task.teamId)}</td>
                        <td data-label={t('patrol.task.due')}>{formatDateTime(task.dueAt)}</td>
                        <td data-label={t('patrol.task.progress')} class="num">
                          {t('patrol.task.progressValue', { done: task.recorded.length, total: task.targets.length })}
                          <Show when={task.abnormal > 0}>
                            <span class="muted small"> · {t('patrol.task.abnormalN', { n: task.abnormal })}</span>
                          </Show>
                        </td>
                        <td data-label={t('patrol.plan.status')}>{t(`patrol.task.state.${taskState(task)}`)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Async>
    </Panel>
  );
}

function StatsTable(props: { title: string; rows: readonly PatrolStatsRow[]; testid: string }) {
  const rate = (r: number | null) => (r === null ? t('common.dash') : `${Math.round(r * 1000) / 10}%`);
  return (
    <div class="table-scroll">
      <table class="data-table" data-testid={props.testid}>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('patrol.plan.name')}</th>
            <th scope="col">{t('patrol.stats.due')}</th>
            <th scope="col">{t('patrol.stats.completed')}</th>
            <th scope="col">{t('patrol.stats.onTime')}</th>
            <th scope="col">{t('patrol.stats.overdue')}</th>
            <th scope="col">{t('patrol.stats.rate')}</th>
            <th scope="col">{t('patrol.stats.abnormal')}</th>
            <th scope="col">{t('patrol.stats.cases')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows} fallback={<tr><td colSpan={8}>{t('patrol.task.none')}</td></tr>}>
            {(r) => (
              <tr data-testid={`${props.testid}-${r.id}`}>
                <td>{r.name}</td>
                <td class="num">{r.due}</td>
                <td class="num">{r.completed}</td>
                <td class="num">{r.completedOnTime}</td>
                <td class="num">{r.overdue}</td>
                <td class="num" data-testid="patrol-rate">{rate(r.onTimeRate)}</td>
                <td class="num">{r.abnormal}</td>
                <td class="num">{r.casesReported}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
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
        <label class="field">
          <span>{t('patrol.team.name')}</span>
          <input data-testid="team-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('patrol.team.inspectors')}</span>
          <input data-testid="team-subjects" value={subjects()} placeholder="430100.inspector" onInput={(e) => setSubjects(e.currentTarget.value)} />
        </label>
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
        <Show when={problem()}>
          <p class="field-error" role="alert" data-testid="team-problem">
            {problem()}
          </p>
        </Show>
        <Show when={create.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn" data-testid="team-submit" disabled={create.pending()}>
            {create.pending() ? t('common.submitting') : t('patrol.team.create')}
          </button>
        </div>
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
          <label class="field">
            <span>{t('patrol.plan.name')}</span>
            <input data-testid="plan-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('patrol.plan.domain')}</span>
            <select data-testid="plan-domain" value={domain()} onChange={(e) => setDomain(e.currentTarget.value)}>
              <For each={PATROL_DOMAIN_IDS}>{(d) => <option value={d} selected={domain() === d}>{localized(PATROL_DOMAIN_NAMES[d])}</option>}</For>
            </select>
          </label>
        </div>
        <div class="field-row">
          <label class="field">
            <span>{t('patrol.plan.team')}</span>
            <select data-testid="plan-team" value={teamId()} onChange={(e) => setTeamId(e.currentTarget.value)}>
              <option value="" selected={teamId() === ''}>{t('patrol.plan.chooseTeam')}</option>
              <For each={props.teams}>{(team) => <option value={team.id} selected={teamId() === team.id}>{team.name}</option>}</For>
            </select>
          </label>
          <label class="field">
            <span>{t('patrol.plan.frequency')}</span>
            <select data-testid="plan-frequency" value={frequency()} onChange={(e) => setFrequency(e.currentTarget.value as 'daily' | 'weekly' | 'monthly')}>
              <For each={['daily', 'weekly', 'monthly'] as const}>{(f) => <option value={f} selected={frequency() === f}>{t(`patrol.freq.${f}`)}</option>}</For>
            </select>
          </label>
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
          <label class="field">
            <span>{t('patrol.plan.day')}</span>
            <input data-testid="plan-day" inputmode="numeric" value={day()} onInput={(e) => setDay(e.currentTarget.value)} />
          </label>
        </Show>
        <div class="field-row">
          <label class="field">
            <span>{t('patrol.plan.activeFrom')}</span>
            <input type="date" data-testid="plan-from" value={activeFrom()} onInput={(e) => setActiveFrom(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('patrol.plan.activeTo')}</span>
            <input type="date" data-testid="plan-to" value={activeTo()} onInput={(e) => setActiveTo(e.currentTarget.value)} />
          </label>
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
        <label class="field">
          <span>{t('patrol.plan.checklist')}</span>
          <textarea data-testid="plan-checklist" rows={3} value={checklist()} placeholder={t('patrol.plan.checklistPlaceholder')} onInput={(e) => setChecklist(e.currentTarget.value)} />
        </label>
        <Show when={problem()}>
          <p class="field-error" role="alert" data-testid="plan-problem">
            {problem()}
          </p>
        </Show>
        <Show when={create.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <Show when={done()}>
          <p class="notice" data-testid="plan-done">
            {done()}
          </p>
        </Show>
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-primary" data-testid="plan-submit" disabled={create.pending()}>
            {create.pending() ? t('common.submitting') : t('patrol.plan.submit')}
          </button>
        </div>
      </form>
    </Panel>
  );
}
