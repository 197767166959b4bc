/**
 * 隐患排查治理 (MON-2, `/monitoring/hazards`): the hidden hazards by status (default: not yet closed), domain and
 * level, newest first, each with its deadline (overdue marked) and responsible department. Managers report one
 * (any source, optionally on a risk point) and take each step the status allows — confirm (level, department:
 * the deadline follows from the tenant's settings), start, complete, close (验收销号), reopen (验收不合格),
 * reject; the responsible department's handlers start and complete. A refused step shows the API's message.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { ReportHazard, type DeviceDomain, type HazardAction, type HazardLevel, type HazardSource, type HazardView } from '../../../../contracts';
import { riskApi, type HazardFilter } from '../../api/risks';
import { currentRole, me } from '../../auth/session';
import { DataTable, ListActions, type Column } from '../../components/data-table';
import { ActionError, choicesOf, Notice, Options, ProblemList, SelectField, TextField } from '../../components/form-field';
import { DomainFilter, FilterBar, OpenStatusFilter, ValueFilter } from '../../components/monitoring/filters';
import { Panel, settled } from '../../components/panel';
import { t } from '../../i18n';
import { createAction } from '../../lib/action';
import { newClientId } from '../../lib/ids';
import { DOMAINS, domainName } from '../../lib/monitoring';
import { HAZARD_COLORS, HAZARD_LEVELS, HAZARD_SOURCES, HAZARD_STATUSES, hazardActions, hazardLevelName, hazardSourceName, hazardStatusName, NOTE_REQUIRED } from '../../lib/risks';
import { formatDateTime } from '../../lib/time';
import { departmentChoices, isRiskManager, useDepartments } from './risks';

type StatusFilter = NonNullable<HazardFilter['status']>;
type Department = { code: string; name: { zh: string; en: string } };

export default function HazardPage() {
  const [status, setStatus] = createSignal<StatusFilter>('open');
  const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
  const [level, setLevel] = createSignal<HazardLevel | ''>('');
  const [hazards, { refetch, mutate }] = createResource(
    () => ({ status: status(), domain: domain() || undefined, level: level() || undefined }),
    (f) => riskApi.hazards.list(f).then((r) => r.items),
  );
  const deps = useDepartments();
  const replace = (next: HazardView) => mutate((list) => (list ?? []).map((h) => (h.id === next.id ? next : h)));
  const columns: Column<HazardView>[] = [
    {
      header: 'hazard.level',
      cell: (h) => (
        <span class="badge level-chip" style={{ '--level-color': HAZARD_COLORS[h.level] }}>
          {hazardLevelName(h.level)}
        </span>
      ),
    },
    {
      header: 'hazard.title',
      class: 'span',
      cell: (h) => (
        <>
          <strong>{h.title}</strong>
          <div class="muted small">
            {domainName(h.domain)} · {h.description}
          </div>
        </>
      ),
    },
    {
      header: 'hazard.source',
      cell: (h) => (
        <>
          {hazardSourceName(h.source)}
          <div class="muted small">
            <time datetime={h.reportedAt}>{formatDateTime(h.reportedAt)}</time>
          </div>
        </>
      ),
    },
    {
      header: 'hazard.status',
      cell: (h) => (
        <span class="badge" data-testid="hazard-status">
          {hazardStatusName(h.status)}
        </span>
      ),
    },
    { header: 'hazard.department', cell: (h) => (h.department ? deps.name(h.department) : t('common.dash')) },
    {
      header: 'hazard.deadline',
      cell: (h) => (
        <>
          <Show when={h.deadline} fallback={t('common.dash')}>
            {(d) => <time datetime={d()}>{formatDateTime(d())}</time>}
          </Show>
          <Show when={h.overdue}>
            <span class="badge overdue" data-testid="hazard-overdue">
              {t('hazard.overdue')}
            </span>
          </Show>
        </>
      ),
    },
    { header: 'hazard.actions', class: 'actions-cell span', cell: (h) => <HazardActions hazard={h} departments={deps.departments()} onDone={replace} /> },
  ];

  return (
    <section class="home hazard-page" data-testid="hazard-page">
      <header class="home-head">
        <h1>{t('section.hazards')}</h1>
      </header>
      <Show when={isRiskManager()}>
        <div class="registry-forms">
          <ReportPanel departments={deps.departments()} onReported={() => void refetch()} />
        </div>
      </Show>
      <FilterBar>
        <OpenStatusFilter label={t('hazard.status')} testid="filter-hazard-status" openLabel={t('hazard.status.open')} statuses={HAZARD_STATUSES} name={hazardStatusName} value={status()} onChange={setStatus} />
        <DomainFilter value={domain()} onChange={setDomain} />
        <ValueFilter label={t('hazard.level')} testid="filter-hazard-level" values={HAZARD_LEVELS} name={hazardLevelName} value={level()} onChange={setLevel} />
      </FilterBar>
      <Panel title={t('section.hazards')} testid="hazard-list" actions={<ListActions count={settled(hazards)?.length} onRefresh={() => void refetch()} busy={hazards.loading} />}>
        <DataTable
          testid="hazard-table"
          rows={settled(hazards)}
          error={hazards.error}
          onRetry={() => void refetch()}
          columns={columns}
          row={(h) => ({ 'data-testid': `hazard-row-${h.id}`, 'data-status': h.status, 'data-overdue': h.overdue ? 'true' : 'false' })}
          empty={{ title: t('hazard.none'), testid: 'hazards-empty' }}
        />
      </Panel>
    </section>
  );
}

/** The step buttons of one hazard and the form of the chosen step. */
function HazardActions(props: { hazard: HazardView; departments: readonly Department[]; onDone: (h: HazardView) => void }) {
  const actions = () => hazardActions(props.hazard, currentRole(), me()?.department);
  const [chosen, setChosen] = createSignal<HazardAction | null>(null);
  const [note, setNote] = createSignal('');
  const [level, setLevel] = createSignal<HazardLevel>(props.hazard.level);
  const [department, setDepartment] = createSignal(props.hazard.department ?? '');
  const [problem, setProblem] = createSignal('');
  const act = createAction((id: string, body: Parameters<typeof riskApi.hazards.transition>[1]) => riskApi.hazards.transition(id, body));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const action = chosen();
    if (!action) return;
    const text = note().trim();
    if (NOTE_REQUIRED.has(action) && text.length < 2) return setProblem(t('hazard.noteRequired'));
    if (action === 'confirm' && !department()) return setProblem(t('hazard.departmentRequired'));
    setProblem('');
    const body = action === 'confirm' ? { action, level: level(), department: department(), note: text } : { action, note: text };
    const next = await act.run(props.hazard.id, body as Parameters<typeof riskApi.hazards.transition>[1]);
    if (next) {
      setChosen(null);
      setNote('');
      props.onDone(next);
    }
  };

  return (
    <Show when={actions().length > 0} fallback={t('common.dash')}>
      <div class="action-buttons">
        <For each={actions()}>
          {(a) => (
            <button type="button" class="btn btn-small" classList={{ 'btn-primary': chosen() === a }} data-testid={`hazard-${a}`} onClick={() => setChosen(a)}>
              {t(`hazard.action.${a}`)}
            </button>
          )}
        </For>
      </div>
      <Show when={chosen()}>
        {(a) => (
          <form class="inline-form" data-testid="hazard-form" data-action={a()} onSubmit={submit}>
            <Show when={a() === 'confirm'}>
              <select aria-label={t('hazard.level')} data-testid="hazard-form-level" value={level()} onChange={(e) => setLevel(e.currentTarget.value as HazardLevel)}>
                <Options choices={choicesOf(HAZARD_LEVELS, hazardLevelName)} selected={level()} />
              </select>
              <select aria-label={t('hazard.department')} data-testid="hazard-form-department" value={department()} onChange={(e) => setDepartment(e.currentTarget.value)}>
                <option value="">{t('hazard.noDepartment')}</option>
                <Options choices={departmentChoices(props.departments)} selected={department()} />
              </select>
            </Show>
            <input aria-label={t('hazard.note')} placeholder={t('hazard.note')} data-testid="hazard-note" value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <Show when={problem()}>
              <p class="form-problems" data-testid="hazard-problem">
                {problem()}
              </p>
            </Show>
            <ActionError error={act.error()} />
            <button type="submit" class="btn btn-small btn-primary" data-testid="hazard-submit" disabled={act.pending()}>
              {t('hazard.submit')}
            </button>
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setChosen(null)}>
              {t('common.cancel')}
            </button>
          </form>
        )}
      </Show>
    </Show>
  );
}

function ReportPanel(props: { departments: readonly Department[]; onReported: () => void }) {
  const empty = () => ({ title: '', source: 'inspection' as HazardSource, level: 'general' as HazardLevel, domain: 'gas' as DeviceDomain, lng: '', lat: '', description: '', department: '' });
  const [v, setV] = createSignal(empty());
  const [problems, setProblems] = createSignal<string[]>([]);
  const [done, setDone] = createSignal('');
  let clientId = newClientId();
  const report = createAction((body: ReportHazard) => riskApi.hazards.report(body));
  const set = (patch: Partial<ReturnType<typeof empty>>) => setV((x) => ({ ...x, ...patch }));
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const x = v();
    const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
    const parsed = ReportHazard.safeParse({
      clientId,
      title: x.title.trim(),
      source: x.source,
      level: x.level,
      domain: x.domain,
      location: { lng: num(x.lng), lat: num(x.lat) },
      description: x.description.trim(),
      ...(x.department ? { department: x.department } : {}),
    });
    if (!parsed.success) {
      const found = new Set<string>();
      for (const issue of parsed.error.issues) {
        const f = String(issue.path[0]);
        found.add(f === 'title' ? t('risk.invalid.name') : f === 'description' ? t('risk.invalid.description') : f === 'location' ? t('risk.invalid.location') : `${f}: ${issue.message}`);
      }
      setProblems([...found]);
      return;
    }
    setProblems([]);
    const r = await report.run(parsed.data);
    if (r) {
      setDone(t('hazard.report.done', { title: r.title }));
      clientId = newClientId();
      setV(empty());
      props.onReported();
    }
  };
  return (
    <Panel title={t('hazard.report.title')} testid="hazard-report">
      <form class="form-grid" data-testid="hazard-report-form" onSubmit={submit}>
        <TextField label={t('hazard.title')} testid="hazard-title" value={v().title} onInput={(title) => set({ title })} />
        <SelectField label={t('hazard.source')} testid="hazard-source" value={v().source} choices={choicesOf(HAZARD_SOURCES, hazardSourceName)} onChange={(source) => set({ source })} />
        <SelectField label={t('hazard.level')} testid="hazard-level" value={v().level} choices={choicesOf(HAZARD_LEVELS, hazardLevelName)} onChange={(level) => set({ level })} />
        <SelectField label={t('mon.domain')} testid="hazard-domain" value={v().domain} choices={choicesOf(DOMAINS, domainName)} onChange={(domain) => set({ domain })} />
        <TextField label={t('risk.lng')} testid="hazard-lng" inputmode="decimal" value={v().lng} onInput={(lng) => set({ lng })} />
        <TextField label={t('risk.lat')} testid="hazard-lat" inputmode="decimal" value={v().lat} onInput={(lat) => set({ lat })} />
        <SelectField label={t('hazard.department')} testid="hazard-department" value={v().department} blank={t('hazard.noDepartment')} choices={departmentChoices(props.departments)} onChange={(department) => set({ department })} />
        <TextField label={t('risk.description')} class="span" testid="hazard-description" rows={0} value={v().description} onInput={(description) => set({ description })} />
        <ProblemList problems={problems()} testid="hazard-problems" />
        <ActionError error={report.error()} />
        <Notice text={done()} testid="hazard-reported" />
        <button type="submit" class="btn btn-primary" data-testid="hazard-report-submit" disabled={report.pending()}>
          {t('hazard.report.submit')}
        </button>
      </form>
    </Panel>
  );
}

