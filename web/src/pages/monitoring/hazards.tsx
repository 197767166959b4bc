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
import { ErrorMessage } from '../../components/error-message';
import { FilterBar, FilterSelect } from '../../components/monitoring/bits';
import { EmptyState, Panel, RefreshButton } from '../../components/panel';
import { t } from '../../i18n';
import { createAction } from '../../lib/action';
import { newClientId } from '../../lib/ids';
import { DOMAINS, domainName } from '../../lib/monitoring';
import { HAZARD_COLORS, HAZARD_LEVELS, HAZARD_SOURCES, HAZARD_STATUSES, hazardActions, hazardLevelName, hazardSourceName, hazardStatusName, NOTE_REQUIRED } from '../../lib/risks';
import { formatDateTime } from '../../lib/time';
import { isRiskManager, useDepartments } from './risks';

type StatusFilter = NonNullable<HazardFilter['status']>;
const STATUS_FILTERS: readonly StatusFilter[] = ['open', ...HAZARD_STATUSES, 'all'];
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
        <FilterSelect
          label={t('hazard.status')}
          testid="filter-hazard-status"
          value={status()}
          choices={STATUS_FILTERS.map((s) => ({ value: s, label: s === 'open' ? t('hazard.status.open') : s === 'all' ? t('mon.all') : hazardStatusName(s) }))}
          onChange={(s) => setStatus(s || 'open')}
        />
        <FilterSelect label={t('mon.domain')} testid="filter-domain" value={domain()} all={t('mon.all')} choices={DOMAINS.map((d) => ({ value: d, label: domainName(d) }))} onChange={setDomain} />
        <FilterSelect label={t('hazard.level')} testid="filter-hazard-level" value={level()} all={t('mon.all')} choices={HAZARD_LEVELS.map((l) => ({ value: l, label: hazardLevelName(l) }))} onChange={setLevel} />
      </FilterBar>
      <Panel
        title={t('section.hazards')}
        testid="hazard-list"
        actions={
          <>
            <Show when={hazards.latest}>{(items) => <span class="count">{t('common.count', { n: items().length })}</span>}</Show>
            <RefreshButton onClick={() => void refetch()} busy={hazards.loading} />
          </>
        }
      >
        <Show when={hazards.error}>{(error) => <ErrorMessage error={error()} onRetry={() => void refetch()} />}</Show>
        <Show when={hazards.latest}>
          {(items) => (
            <Show when={items().length > 0} fallback={<EmptyState title={t('hazard.none')} testid="hazards-empty" />}>
              <div class="table-scroll">
                <table class="data-table" data-testid="hazard-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('hazard.level')}</th>
                      <th scope="col">{t('hazard.title')}</th>
                      <th scope="col">{t('hazard.source')}</th>
                      <th scope="col">{t('hazard.status')}</th>
                      <th scope="col">{t('hazard.department')}</th>
                      <th scope="col">{t('hazard.deadline')}</th>
                      <th scope="col">{t('hazard.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(h) => (
                        <tr data-testid={`hazard-row-${h.id}`} data-status={h.status} data-overdue={h.overdue ? 'true' : 'false'}>
                          <td data-label={t('hazard.level')}>
                            <span class="badge level-chip" style={{ '--level-color': HAZARD_COLORS[h.level] }}>
                              {hazardLevelName(h.level)}
                            </span>
                          </td>
                          <td data-label={t('hazard.title')} class="span">
                            <strong>{h.title}</strong>
                            <div class="muted small">
                              {domainName(h.domain)} · {h.description}
                            </div>
                          </td>
                          <td data-label={t('hazard.source')}>
                            {hazardSourceName(h.source)}
                            <div class="muted small">
                              <time datetime={h.reportedAt}>{formatDateTime(h.reportedAt)}</time>
                            </div>
                          </td>
                          <td data-label={t('hazard.status')}>
                            <span class="badge" data-testid="hazard-status">
                              {hazardStatusName(h.status)}
                            </span>
                          </td>
                          <td data-label={t('hazard.department')}>{h.department ? deps.name(h.department) : t('common.dash')}</td>
                          <td data-label={t('hazard.deadline')}>
                            <Show when={h.deadline} fallback={t('common.dash')}>
                              {(d) => <time datetime={d()}>{formatDateTime(d())}</time>}
                            </Show>
                            <Show when={h.overdue}>
                              <span class="badge overdue" data-testid="hazard-overdue">
                                {t('hazard.overdue')}
                              </span>
                            </Show>
                          </td>
                          <td data-label={t('hazard.actions')} class="actions-cell span">
                            <HazardActions hazard={h} departments={deps.departments()} onDone={replace} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Show>
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
                <For each={HAZARD_LEVELS}>{(l) => <option value={l} selected={l === level()}>{hazardLevelName(l)}</option>}</For>
              </select>
              <select aria-label={t('hazard.department')} data-testid="hazard-form-department" value={department()} onChange={(e) => setDepartment(e.currentTarget.value)}>
                <option value="">{t('hazard.noDepartment')}</option>
                <For each={props.departments}>{(d) => <option value={d.code} selected={d.code === department()}>{d.name.zh}</option>}</For>
              </select>
            </Show>
            <input aria-label={t('hazard.note')} placeholder={t('hazard.note')} data-testid="hazard-note" value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <Show when={problem()}>
              <p class="form-problems" data-testid="hazard-problem">
                {problem()}
              </p>
            </Show>
            <Show when={act.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
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
  const select = <T extends string>(key: 'source' | 'level' | 'domain', label: string, values: readonly T[], name: (v: T) => string) => (
    <label class="field">
      <span>{label}</span>
      <select data-testid={`hazard-${key}`} value={v()[key]} onChange={(e) => set({ [key]: e.currentTarget.value })}>
        <For each={values}>{(x) => <option value={x} selected={x === v()[key]}>{name(x)}</option>}</For>
      </select>
    </label>
  );
  return (
    <Panel title={t('hazard.report.title')} testid="hazard-report">
      <form class="form-grid" data-testid="hazard-report-form" onSubmit={submit}>
        <label class="field">
          <span>{t('hazard.title')}</span>
          <input data-testid="hazard-title" value={v().title} onInput={(e) => set({ title: e.currentTarget.value })} />
        </label>
        {select('source', t('hazard.source'), HAZARD_SOURCES, hazardSourceName)}
        {select('level', t('hazard.level'), HAZARD_LEVELS, hazardLevelName)}
        {select('domain', t('mon.domain'), DOMAINS, domainName)}
        <label class="field">
          <span>{t('risk.lng')}</span>
          <input data-testid="hazard-lng" inputmode="decimal" value={v().lng} onInput={(e) => set({ lng: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('risk.lat')}</span>
          <input data-testid="hazard-lat" inputmode="decimal" value={v().lat} onInput={(e) => set({ lat: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('hazard.department')}</span>
          <select data-testid="hazard-department" value={v().department} onChange={(e) => set({ department: e.currentTarget.value })}>
            <option value="">{t('hazard.noDepartment')}</option>
            <For each={props.departments}>{(d) => <option value={d.code} selected={d.code === v().department}>{d.name.zh}</option>}</For>
          </select>
        </label>
        <label class="field span">
          <span>{t('risk.description')}</span>
          <textarea data-testid="hazard-description" value={v().description} onInput={(e) => set({ description: e.currentTarget.value })} />
        </label>
        <Show when={problems().length}>
          <ul class="form-problems" data-testid="hazard-problems">
            <For each={problems()}>{(p) => <li>{p}</li>}</For>
          </ul>
        </Show>
        <Show when={report.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <Show when={done()}>
          <p class="ok" data-testid="hazard-reported">
            {done()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" data-testid="hazard-report-submit" disabled={report.pending()}>
          {t('hazard.report.submit')}
        </button>
      </form>
    </Panel>
  );
}

