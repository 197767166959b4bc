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
import { DataTable, ListActions, type Column } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { ActionError, choicesOf, Field, Notice, Options, ProblemList, SelectField, TextField, type Choice } from '../../components/form-field';
import { DomainFilter, FilterBar, RiskLevelFilter } from '../../components/monitoring/filters';
import { Panel, RefreshButton, settled } from '../../components/panel';
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

/** The departments as choices of a select (by their Chinese name, as the registry forms show them). */
export const departmentChoices = (departments: readonly Department[]): Choice<string>[] => departments.map((d) => ({ value: d.code, label: d.name.zh }));

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
  const columns: Column<RiskPoint>[] = [
    { header: 'risk.level', cell: (r) => <RiskLevelChip level={r.level} /> },
    {
      header: 'risk.name',
      class: 'span',
      cell: (r) => (
        <>
          <strong>{r.name}</strong>
          <div class="muted small">{r.description}</div>
        </>
      ),
    },
    { header: 'mon.domain', cell: (r) => domainName(r.domain) },
    { header: 'case.grid', class: 'mono', cell: (r) => r.gridId },
    {
      header: 'risk.measures',
      cell: (r) => (
        <ul class="plain-list">
          <For each={r.controlMeasures}>
            {(m) => (
              <li>
                {m.text} <span class="muted small">{deps.name(m.department)} · {measureStatusName(m.status)}</span>
              </li>
            )}
          </For>
        </ul>
      ),
    },
    {
      header: 'risk.reviewed',
      cell: (r) => (
        <>
          <time datetime={r.reviewedAt}>{formatDateTime(r.reviewedAt)}</time>
          <div class="muted small">
            {r.reviewedBy} · {t('risk.version', { n: r.version })}
          </div>
          <Show when={isRiskManager()}>
            <ReviewForm risk={r} onDone={() => void refetch()} />
          </Show>
        </>
      ),
    },
  ];

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
        <DomainFilter value={domain()} onChange={setDomain} />
        <RiskLevelFilter value={level()} onChange={setLevel} />
      </FilterBar>
      <Panel title={t('risk.points')} testid="risk-list" actions={<ListActions count={settled(risks)?.length} onRefresh={() => void refetch()} busy={risks.loading} />}>
        <DataTable
          testid="risk-table"
          rows={settled(risks)}
          error={risks.error}
          onRetry={() => void refetch()}
          columns={columns}
          row={(r) => ({ 'data-testid': `risk-row-${r.id}`, 'data-level': r.level })}
          empty={{ title: t('risk.noRisks'), testid: 'risks-empty' }}
        />
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
              <Options choices={departmentChoices(props.departments)} selected={m.department} />
            </select>
            <select aria-label={t('risk.measure.status')} data-testid="measure-status" value={m.status} onChange={(e) => set(i(), { status: e.currentTarget.value as MeasureDraft['status'] })}>
              <Options choices={choicesOf(MEASURE_STATUSES, measureStatusName)} selected={m.status} />
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
        <TextField label={t('risk.name')} testid="risk-name" value={v().name} onInput={(name) => set({ name })} />
        <SelectField label={t('mon.domain')} testid="risk-domain" value={v().domain} choices={choicesOf(DOMAINS, domainName)} onChange={(domain) => set({ domain })} />
        <SelectField label={t('risk.level')} testid="risk-level-input" value={v().level} choices={choicesOf(RISK_LEVELS, riskLevelName)} onChange={(level) => set({ level })} />
        <TextField label={t('risk.lng')} testid="risk-lng" inputmode="decimal" value={v().lng} onInput={(lng) => set({ lng })} />
        <TextField label={t('risk.lat')} testid="risk-lat" inputmode="decimal" value={v().lat} onInput={(lat) => set({ lat })} />
        <TextField label={t('risk.address')} testid="risk-address" value={v().address} onInput={(address) => set({ address })} />
        <TextField label={t('risk.description')} class="span" testid="risk-description" rows={0} value={v().description} onInput={(description) => set({ description })} />
        <MeasureEditor measures={measures()} departments={props.departments} onChange={setMeasures} testid="risk-measures" />
        <ProblemList problems={problems()} testid="risk-problems" />
        <ActionError error={create.error()} />
        <Notice text={done()} testid="risk-created" />
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
          <Options choices={choicesOf(RISK_LEVELS, riskLevelName)} selected={level()} />
        </select>
        <For each={props.risk.controlMeasures}>
          {(m, i) => (
            <Field label={m.text}>
              <select data-testid="review-measure-status" value={statuses()[i()]} onChange={(e) => setStatuses((s) => s.map((x, j) => (j === i() ? (e.currentTarget.value as ControlMeasure['status']) : x)))}>
                <Options choices={choicesOf(MEASURE_STATUSES, measureStatusName)} selected={statuses()[i()] ?? ''} />
              </select>
            </Field>
          )}
        </For>
        <input aria-label={t('risk.review.note')} placeholder={t('risk.review.note')} data-testid="review-note" value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        <ActionError error={review.error()} />
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
    <TextField label={label} type={type} testid={`accident-${key}`} value={v()[key]} onInput={(value) => set({ [key]: value })} />
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
      <SelectField label={t('mon.domain')} testid="accident-domain" value={v().domain} choices={choicesOf(DOMAINS, domainName)} onChange={(domain) => set({ domain })} />
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
      <ActionError error={record.error()} />
      <Notice text={done()} testid="accident-recorded" />
      <button type="submit" class="btn btn-primary" data-testid="accident-submit" disabled={record.pending()}>
        {t('risk.accident.submit')}
      </button>
    </form>
  );
}
