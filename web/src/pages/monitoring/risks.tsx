/**
 * 风险点台账 (MON-2, `/monitoring/risks`): the risk points by domain and level, most severe first, with their
 * control measures and last assessment; the monitoring operator and the tenant admin register one (location
 * inside the tenant's grids, measures with their responsible departments) and review one (a new level and the
 * measures' status, on top of the version read: a stale review is refused with the API's message). Below, the
 * accident statistics of a month with 环比/同比, and the form to record an accident.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { CreateRiskPoint, RecordAccident, RISK_LEVEL_COLOURS, type AccidentCounts, type ControlMeasure, type DeviceDomain, type RiskLevel, type RiskPoint } from '../../../../contracts';
import { api } from '../../api/client';
import { riskApi } from '../../api/risks';
import { currentRole } from '../../auth/session';
import { departmentNamer } from '../../components/case-timeline';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar, FilterSelect } from '../../components/monitoring/bits';
import { EmptyState, Panel, RefreshButton } from '../../components/panel';
import { t } from '../../i18n';
import { createAction } from '../../lib/action';
import { newClientId } from '../../lib/ids';
import { DOMAINS, domainName } from '../../lib/monitoring';
import { formatChange, MEASURE_STATUSES, measureStatusName, RISK_LEVELS, RISK_MANAGER_ROLES, riskColor, riskLevelName } from '../../lib/risks';
import { formatDateTime } from '../../lib/time';

type Department = { code: string; name: { zh: string; en: string } };

/** The tenant's departments for pickers (empty while loading or when the profile cannot be read). */
export function useDepartments() {
  const [tenant] = createResource(() => api.tenant().catch(() => undefined));
  const departments = (): readonly Department[] => (tenant.state === 'ready' ? (tenant()?.departments ?? []) : []);
  return { departments, name: (code: string) => departmentNamer(departments())(code) };
}

export const isRiskManager = (): boolean => {
  const role = currentRole();
  return role !== null && RISK_MANAGER_ROLES.includes(role);
};

/** 重大/较大/一般/低 chip in the colour of the level (the alarm chips' red, orange, yellow, blue). */
export function RiskLevelChip(props: { level: RiskLevel }) {
  return (
    <span class={`badge level-chip level-${RISK_LEVEL_COLOURS[props.level]}`} data-testid="risk-level" data-level={props.level} style={{ '--level-color': riskColor(props.level) }}>
      {riskLevelName(props.level)}
    </span>
  );
}

export default function RiskRegistryPage() {
  const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
  const [level, setLevel] = createSignal<RiskLevel | ''>('');
  const [risks, { refetch }] = createResource(() => ({ domain: domain() || undefined, level: level() || undefined }), (f) => riskApi.risks.list(f).then((r) => r.items));
  const deps = useDepartments();

  return (
    <section class="home risk-registry-page" data-testid="risk-registry-page">
      <header class="home-head">
        <h1>{t('section.risks')}</h1>
      </header>
      <Show when={isRiskManager()}>
        <div class="registry-forms">
          <CreateRiskPanel departments={deps.departments()} onCreated={() => void refetch()} />
        </div>
      </Show>
      <FilterBar>
        <FilterSelect label={t('mon.domain')} testid="filter-domain" value={domain()} all={t('mon.all')} choices={DOMAINS.map((d) => ({ value: d, label: domainName(d) }))} onChange={setDomain} />
        <FilterSelect label={t('risk.level')} testid="filter-risk-level" value={level()} all={t('mon.all')} choices={RISK_LEVELS.map((l) => ({ value: l, label: riskLevelName(l) }))} onChange={setLevel} />
      </FilterBar>
      <Panel
        title={t('risk.points')}
        testid="risk-list"
        actions={
          <>
            <Show when={risks.latest}>{(items) => <span class="count">{t('common.count', { n: items().length })}</span>}</Show>
            <RefreshButton onClick={() => void refetch()} busy={risks.loading} />
          </>
        }
      >
        <Show when={risks.error}>{(error) => <ErrorMessage error={error()} onRetry={() => void refetch()} />}</Show>
        <Show when={risks.latest}>
          {(items) => (
            <Show when={items().length > 0} fallback={<EmptyState title={t('risk.noRisks')} testid="risks-empty" />}>
              <div class="table-scroll">
                <table class="data-table" data-testid="risk-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('risk.level')}</th>
                      <th scope="col">{t('risk.name')}</th>
                      <th scope="col">{t('mon.domain')}</th>
                      <th scope="col">{t('case.grid')}</th>
                      <th scope="col">{t('risk.measures')}</th>
                      <th scope="col">{t('risk.reviewed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(r) => (
                        <tr data-testid={`risk-row-${r.id}`} data-level={r.level}>
                          <td data-label={t('risk.level')}>
                            <RiskLevelChip level={r.level} />
                          </td>
                          <td data-label={t('risk.name')} class="span">
                            <strong>{r.name}</strong>
                            <div class="muted small">{r.description}</div>
                          </td>
                          <td data-label={t('mon.domain')}>{domainName(r.domain)}</td>
                          <td data-label={t('case.grid')} class="mono">
                            {r.gridId}
                          </td>
                          <td data-label={t('risk.measures')}>
                            <ul class="plain-list">
                              <For each={r.controlMeasures}>
                                {(m) => (
                                  <li>
                                    {m.text} <span class="muted small">{deps.name(m.department)} · {measureStatusName(m.status)}</span>
                                  </li>
                                )}
                              </For>
                            </ul>
                          </td>
                          <td data-label={t('risk.reviewed')}>
                            <time datetime={r.reviewedAt}>{formatDateTime(r.reviewedAt)}</time>
                            <div class="muted small">
                              {r.reviewedBy} · {t('risk.version', { n: r.version })}
                            </div>
                            <Show when={isRiskManager()}>
                              <ReviewForm risk={r} onDone={() => void refetch()} />
                            </Show>
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
      <AccidentPanel />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Register a risk point

type MeasureDraft = { text: string; department: string; status: ControlMeasure['status'] };

function MeasureEditor(props: { measures: MeasureDraft[]; departments: readonly Department[]; onChange: (m: MeasureDraft[]) => void; testid: string }) {
  const set = (i: number, patch: Partial<MeasureDraft>) => props.onChange(props.measures.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset class="measure-editor" data-testid={props.testid}>
      <legend>{t('risk.measures')}</legend>
      <For each={props.measures}>
        {(m, i) => (
          <div class="measure-row" data-testid="measure-row">
            <input aria-label={t('risk.measure.text')} data-testid="measure-text" value={m.text} onInput={(e) => set(i(), { text: e.currentTarget.value })} />
            <select aria-label={t('risk.measure.department')} data-testid="measure-department" value={m.department} onChange={(e) => set(i(), { department: e.currentTarget.value })}>
              <option value="">{t('hazard.noDepartment')}</option>
              <For each={props.departments}>{(d) => <option value={d.code} selected={d.code === m.department}>{d.name.zh}</option>}</For>
            </select>
            <select aria-label={t('risk.measure.status')} data-testid="measure-status" value={m.status} onChange={(e) => set(i(), { status: e.currentTarget.value as MeasureDraft['status'] })}>
              <For each={MEASURE_STATUSES}>{(s) => <option value={s} selected={s === m.status}>{measureStatusName(s)}</option>}</For>
            </select>
            <button type="button" class="btn btn-small btn-ghost" onClick={() => props.onChange(props.measures.filter((_, j) => j !== i()))}>
              {t('risk.measure.remove')}
            </button>
          </div>
        )}
      </For>
      <button type="button" class="btn btn-small" data-testid="measure-add" onClick={() => props.onChange([...props.measures, { text: '', department: '', status: 'planned' }])}>
        {t('risk.measure.add')}
      </button>
    </fieldset>
  );
}

function CreateRiskPanel(props: { departments: readonly Department[]; onCreated: () => void }) {
  const empty = () => ({ name: '', domain: 'gas' as DeviceDomain, level: 'general' as RiskLevel, lng: '', lat: '', address: '', description: '' });
  const [v, setV] = createSignal(empty());
  const [measures, setMeasures] = createSignal<MeasureDraft[]>([]);
  const [problems, setProblems] = createSignal<string[]>([]);
  const [done, setDone] = createSignal('');
  // One client id per intended risk point: a retry after a lost answer registers it once.
  let clientId = newClientId();
  const create = createAction((body: CreateRiskPoint) => riskApi.risks.create(body));
  const set = (patch: Partial<ReturnType<typeof empty>>) => setV((x) => ({ ...x, ...patch }));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const x = v();
    const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
    const parsed = CreateRiskPoint.safeParse({
      clientId,
      name: x.name.trim(),
      domain: x.domain,
      level: x.level,
      location: { lng: num(x.lng), lat: num(x.lat) },
      ...(x.address.trim() ? { address: x.address.trim() } : {}),
      description: x.description.trim(),
      controlMeasures: measures().map((m) => ({ ...m, text: m.text.trim() })),
    });
    if (!parsed.success) {
      const found = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        found.add(field === 'name' ? t('risk.invalid.name') : field === 'description' ? t('risk.invalid.description') : field === 'location' ? t('risk.invalid.location') : field === 'controlMeasures' ? t('risk.invalid.measure') : `${field}: ${issue.message}`);
      }
      setProblems([...found]);
      return;
    }
    setProblems([]);
    const r = await create.run(parsed.data);
    if (r) {
      setDone(t('risk.create.done', { name: r.name }));
      clientId = newClientId();
      setV(empty());
      setMeasures([]);
      props.onCreated();
    }
  };

  return (
    <Panel title={t('risk.create.title')} testid="risk-create">
      <form class="form-grid" onSubmit={submit} data-testid="risk-create-form">
        <label class="field">
          <span>{t('risk.name')}</span>
          <input data-testid="risk-name" value={v().name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('mon.domain')}</span>
          <select data-testid="risk-domain" value={v().domain} onChange={(e) => set({ domain: e.currentTarget.value as DeviceDomain })}>
            <For each={DOMAINS}>{(d) => <option value={d} selected={d === v().domain}>{domainName(d)}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span>{t('risk.level')}</span>
          <select data-testid="risk-level-input" value={v().level} onChange={(e) => set({ level: e.currentTarget.value as RiskLevel })}>
            <For each={RISK_LEVELS}>{(l) => <option value={l} selected={l === v().level}>{riskLevelName(l)}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span>{t('risk.lng')}</span>
          <input data-testid="risk-lng" inputmode="decimal" value={v().lng} onInput={(e) => set({ lng: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('risk.lat')}</span>
          <input data-testid="risk-lat" inputmode="decimal" value={v().lat} onInput={(e) => set({ lat: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('risk.address')}</span>
          <input data-testid="risk-address" value={v().address} onInput={(e) => set({ address: e.currentTarget.value })} />
        </label>
        <label class="field span">
          <span>{t('risk.description')}</span>
          <textarea data-testid="risk-description" value={v().description} onInput={(e) => set({ description: e.currentTarget.value })} />
        </label>
        <MeasureEditor measures={measures()} departments={props.departments} onChange={setMeasures} testid="risk-measures" />
        <Show when={problems().length}>
          <ul class="form-problems" data-testid="risk-problems">
            <For each={problems()}>{(p) => <li>{p}</li>}</For>
          </ul>
        </Show>
        <Show when={create.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <Show when={done()}>
          <p class="ok" data-testid="risk-created">
            {done()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" data-testid="risk-submit" disabled={create.pending()}>
          {create.pending() ? t('common.submitting') : t('risk.create.submit')}
        </button>
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Review (复核)

function ReviewForm(props: { risk: RiskPoint; onDone: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [level, setLevel] = createSignal<RiskLevel>(props.risk.level);
  const [statuses, setStatuses] = createSignal(props.risk.controlMeasures.map((m) => m.status));
  const [note, setNote] = createSignal('');
  const review = createAction(() =>
    riskApi.risks.review(props.risk.id, {
      version: props.risk.version,
      level: level(),
      controlMeasures: props.risk.controlMeasures.map((m, i) => ({ ...m, status: statuses()[i] ?? m.status })),
      note: note().trim(),
    }),
  );
  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="btn btn-small" data-testid="risk-review" onClick={() => setOpen(true)}>
          {t('risk.review')}
        </button>
      }
    >
      <form
        class="inline-form"
        data-testid="risk-review-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await review.run()) {
            setOpen(false);
            props.onDone();
          }
        }}
      >
        <select aria-label={t('risk.level')} data-testid="review-level" value={level()} onChange={(e) => setLevel(e.currentTarget.value as RiskLevel)}>
          <For each={RISK_LEVELS}>{(l) => <option value={l} selected={l === level()}>{riskLevelName(l)}</option>}</For>
        </select>
        <For each={props.risk.controlMeasures}>
          {(m, i) => (
            <label class="field">
              <span>{m.text}</span>
              <select data-testid="review-measure-status" value={statuses()[i()]} onChange={(e) => setStatuses((s) => s.map((x, j) => (j === i() ? (e.currentTarget.value as ControlMeasure['status']) : x)))}>
                <For each={MEASURE_STATUSES}>{(s) => <option value={s} selected={s === statuses()[i()]}>{measureStatusName(s)}</option>}</For>
              </select>
            </label>
          )}
        </For>
        <input aria-label={t('risk.review.note')} placeholder={t('risk.review.note')} data-testid="review-note" value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        <Show when={review.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <button type="submit" class="btn btn-small btn-primary" data-testid="review-submit" disabled={review.pending()}>
          {t('risk.review.submit')}
        </button>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </form>
    </Show>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Accidents (事故统计)

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

function AccidentPanel() {
  const [month, setMonth] = createSignal(thisMonth());
  const [stats, { refetch }] = createResource(month, (m) => riskApi.accidents.stats(m));
  const row = (label: string, c: AccidentCounts, testid: string) => (
    <tr data-testid={testid}>
      <th scope="row">{label}</th>
      <td class="num">{c.total}</td>
      <td class="num">{c.deaths}</td>
      <td class="num">{c.injuries}</td>
      <td class="num">{c.directLossWanYuan}</td>
      <td>{Object.entries(c.byDomain).map(([d, n]) => `${domainName(d as DeviceDomain)} ${n}`).join('，') || t('common.dash')}</td>
    </tr>
  );
  return (
    <Panel title={t('risk.accidents')} testid="accident-panel" actions={<RefreshButton onClick={() => void refetch()} busy={stats.loading} />}>
      <label class="field filter-field">
        <span>{t('risk.accident.month')}</span>
        <input type="month" data-testid="accident-month" value={month()} onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
      </label>
      <Show when={stats.error}>{(error) => <ErrorMessage error={error()} onRetry={() => void refetch()} />}</Show>
      <Show when={stats.latest}>
        {(s) => (
          <>
            <div class="table-scroll">
              <table class="data-table" data-testid="accident-stats">
                <thead>
                  <tr>
                    <th scope="col">{t('risk.accident.period')}</th>
                    <th scope="col">{t('risk.accident.total')}</th>
                    <th scope="col">{t('risk.accident.deaths')}</th>
                    <th scope="col">{t('risk.accident.injuries')}</th>
                    <th scope="col">{t('risk.accident.loss')}</th>
                    <th scope="col">{t('risk.accident.byDomain')}</th>
                  </tr>
                </thead>
                <tbody>
                  {row(t('risk.accident.current'), s().current, 'accident-current')}
                  {row(t('risk.accident.previous'), s().previousMonth, 'accident-previous')}
                  {row(t('risk.accident.lastYear'), s().sameMonthLastYear, 'accident-last-year')}
                </tbody>
              </table>
            </div>
            <p class="muted" data-testid="accident-change">
              {t('risk.accident.mom')} {formatChange(s().monthOnMonth)} · {t('risk.accident.yoy')} {formatChange(s().yearOnYear)}
            </p>
          </>
        )}
      </Show>
      <Show when={isRiskManager()}>
        <AccidentForm onRecorded={() => void refetch()} />
      </Show>
    </Panel>
  );
}

function AccidentForm(props: { onRecorded: () => void }) {
  const empty = () => ({ title: '', occurredAt: '', domain: 'gas' as DeviceDomain, lng: '', lat: '', deaths: '0', injuries: '0', loss: '0', cause: '' });
  const [v, setV] = createSignal(empty());
  const [invalid, setInvalid] = createSignal(false);
  const [done, setDone] = createSignal('');
  let clientId = newClientId();
  const record = createAction((body: RecordAccident) => riskApi.accidents.record(body));
  const set = (patch: Partial<ReturnType<typeof empty>>) => setV((x) => ({ ...x, ...patch }));
  const field = (key: keyof ReturnType<typeof empty>, label: string, type = 'text') => (
    <label class="field">
      <span>{label}</span>
      <input type={type} data-testid={`accident-${key}`} value={v()[key]} onInput={(e) => set({ [key]: e.currentTarget.value })} />
    </label>
  );
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const x = v();
    const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
    // A datetime-local value is Beijing time.
    const occurredAt = x.occurredAt ? `${x.occurredAt.length === 16 ? `${x.occurredAt}:00` : x.occurredAt}+08:00` : '';
    const parsed = RecordAccident.safeParse({ clientId, title: x.title.trim(), occurredAt, domain: x.domain, location: { lng: num(x.lng), lat: num(x.lat) }, deaths: num(x.deaths), injuries: num(x.injuries), directLossWanYuan: num(x.loss), cause: x.cause.trim() });
    setInvalid(!parsed.success);
    if (!parsed.success) return;
    const r = await record.run(parsed.data);
    if (r) {
      setDone(t('risk.accident.done', { title: r.title }));
      clientId = newClientId();
      setV(empty());
      props.onRecorded();
    }
  };
  return (
    <form class="form-grid" data-testid="accident-form" onSubmit={submit}>
      <h3 class="span">{t('risk.accident.record')}</h3>
      {field('title', t('risk.accident.title'))}
      {field('occurredAt', t('risk.accident.occurredAt'), 'datetime-local')}
      <label class="field">
        <span>{t('mon.domain')}</span>
        <select data-testid="accident-domain" value={v().domain} onChange={(e) => set({ domain: e.currentTarget.value as DeviceDomain })}>
          <For each={DOMAINS}>{(d) => <option value={d} selected={d === v().domain}>{domainName(d)}</option>}</For>
        </select>
      </label>
      {field('lng', t('risk.lng'))}
      {field('lat', t('risk.lat'))}
      {field('deaths', t('risk.accident.deaths'), 'number')}
      {field('injuries', t('risk.accident.injuries'), 'number')}
      {field('loss', t('risk.accident.loss'), 'number')}
      {field('cause', t('risk.accident.cause'))}
      <Show when={invalid()}>
        <p class="form-problems" data-testid="accident-invalid">
          {t('risk.accident.invalid')}
        </p>
      </Show>
      <Show when={record.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <Show when={done()}>
        <p class="ok" data-testid="accident-recorded">
          {done()}
        </p>
      </Show>
      <button type="submit" class="btn btn-primary" data-testid="accident-submit" disabled={record.pending()}>
        {t('risk.accident.submit')}
      </button>
    </form>
  );
}
