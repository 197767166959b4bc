/**
 * 应急预案库 (MON-6, `/monitoring/plans` and `/monitoring/plans/:id`): the tenant's contingency plans with their
 * category, domains, version and status, and one plan in full — response levels (with the alarm level each
 * starts from), the response steps in order (who, within how long), the contacts by role and department, and the
 * alarm rules that lead to it. The alarm board links here.
 */
import { A, useParams } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { ROLE_NAMES, type PlanView } from '../../../../contracts';
import { riskApi } from '../../api/risks';
import { ErrorMessage } from '../../components/error-message';
import { DataTable, type Column } from '../../components/data-table';
import { Loading, Panel, RefreshButton, settled } from '../../components/panel';
import { localized, t } from '../../i18n';
import { domainName, levelName } from '../../lib/monitoring';
import { planCategoryName, planStatusName, responseLevelName } from '../../lib/risks';
import { useDepartments } from './risks';

const planHref = (id: string) => `/monitoring/plans/${encodeURIComponent(id)}`;

const COLUMNS: readonly Column<PlanView>[] = [
  {
    header: 'risk.name',
    class: 'span',
    cell: (p) => (
      <>
        <A class="case-link" href={planHref(p.id)} data-testid="plan-link">
          {localized(p.name)}
        </A>
        <div class="muted small">{p.issuedBy}</div>
      </>
    ),
  },
  { header: 'plan.category', cell: (p) => planCategoryName(p.category) },
  { header: 'plan.domains', cell: (p) => p.domains.map(domainName).join('、') },
  { header: 'plan.version', cell: (p) => p.version },
  { header: 'plan.status', cell: (p) => planStatusName(p.status) },
  { header: 'plan.rules', class: 'num', cell: (p) => p.ruleIds.length },
];

export default function PlanLibraryPage() {
  const [plans, { refetch }] = createResource(() => riskApi.plans.list().then((r) => r.items));
  return (
    <section class="home plan-library-page" data-testid="plan-library-page">
      <header class="home-head">
        <h1>{t('section.plans')}</h1>
      </header>
      <Panel title={t('section.plans')} testid="plan-list" actions={<RefreshButton onClick={() => void refetch()} busy={plans.loading} />}>
        <DataTable
          testid="plan-table"
          rows={settled(plans)}
          error={plans.error}
          onRetry={() => void refetch()}
          columns={COLUMNS}
          row={(p) => ({ 'data-testid': `plan-row-${p.id}` })}
          empty={{ title: t('plan.none'), testid: 'plans-empty' }}
        />
      </Panel>
    </section>
  );
}

export function PlanDetailPage() {
  const params = useParams<{ id: string }>();
  const [plan, { refetch }] = createResource(() => params.id, (id) => riskApi.plans.get(id));
  const deps = useDepartments();
  return (
    <section class="home plan-detail-page" data-testid="plan-detail-page">
      <header class="home-head">
        <A class="btn btn-small btn-ghost" href="/monitoring/plans">
          {t('plan.back')}
        </A>
      </header>
      <Show when={plan.error}>{(error) => <ErrorMessage error={error()} onRetry={() => void refetch()} />}</Show>
      <Show when={plan.latest} fallback={<Show when={!plan.error}><Loading /></Show>}>
        {(p) => <PlanBody plan={p()} department={deps.name} />}
      </Show>
    </section>
  );
}

function PlanBody(props: { plan: PlanView; department: (code: string) => string }) {
  const p = () => props.plan;
  const who = (x: { role?: keyof typeof ROLE_NAMES | undefined; department?: string | undefined }) =>
    [x.role ? localized(ROLE_NAMES[x.role]) : '', x.department ? props.department(x.department) : ''].filter(Boolean).join(' · ');
  return (
    <>
      <h1 data-testid="plan-name">{localized(p().name)}</h1>
      <p class="muted">
        {planCategoryName(p().category)} · {p().issuedBy} · {t('plan.version')} {p().version} · {planStatusName(p().status)}
      </p>
      <Show when={p().note}>
        {(note) => (
          <p class="muted small" data-testid="plan-note">
            {t('plan.note')}：{note()}
          </p>
        )}
      </Show>
      <Panel title={t('plan.responseLevels')} testid="plan-levels">
        <ul class="plain-list">
          <For each={p().responseLevels}>
            {(l) => (
              <li>
                <strong>{responseLevelName(l.level)}</strong> {l.trigger}
                <Show when={l.fromAlarmLevel}>{(a) => <span class="muted small"> （{t('plan.fromAlarm', { level: levelName(a()) })}）</span>}</Show>
              </li>
            )}
          </For>
        </ul>
      </Panel>
      <Panel title={t('plan.steps')} testid="plan-steps">
        <ol>
          <For each={p().steps}>
            {(s) => (
              <li data-testid="plan-step">
                <strong>{s.title}</strong>：{s.action}
                <div class="muted small">
                  {who(s)}
                  <Show when={s.withinMinutes !== undefined}> · {t('plan.within', { n: s.withinMinutes ?? 0 })}</Show>
                </div>
              </li>
            )}
          </For>
        </ol>
      </Panel>
      <Panel title={t('plan.contacts')} testid="plan-contacts">
        <ul class="plain-list">
          <For each={p().contacts}>
            {(c) => (
              <li>
                {who(c)}：{c.duty}
              </li>
            )}
          </For>
        </ul>
      </Panel>
      <Panel title={t('plan.rules')} testid="plan-rules">
        <Show when={p().ruleIds.length > 0} fallback={t('common.dash')}>
          <p class="mono small">{p().ruleIds.join(', ')}</p>
        </Show>
      </Panel>
    </>
  );
}
