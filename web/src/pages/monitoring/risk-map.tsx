/**
 * 风险一张图 (MON-2, `/monitoring/risk-map`): the tenant's risk points on the map in the four risk colours (重大 红,
 * 较大 橙, 一般 黄, 低 蓝) and the hazards still being worked on (purple, larger when overdue), with filters by
 * domain and risk level, beside the open hazards, overdue first. `data-risks`/`data-hazards` say what is shown.
 */
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import type { DeviceDomain, HazardView, RiskLevel } from '../../../../contracts';
import { api } from '../../api/client';
import { riskApi } from '../../api/risks';
import { ErrorMessage } from '../../components/error-message';
import { MapView } from '../../components/map';
import { DomainFilter, FilterBar, RiskLevelFilter } from '../../components/monitoring/filters';
import { EmptyState, Panel, RefreshButton } from '../../components/panel';
import { t } from '../../i18n';
import { bboxOf } from '../../lib/geo';
import { domainName } from '../../lib/monitoring';
import { HAZARD_COLORS, HAZARD_LEVELS, hazardLevelName, hazardMarkers, hazardStatusName, RISK_LEVELS, riskColor, riskLevelName, riskMarkers } from '../../lib/risks';
import { formatDateTime } from '../../lib/time';

export default function RiskMapPage() {
  const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
  const [level, setLevel] = createSignal<RiskLevel | ''>('');
  const [risks, { refetch: reloadRisks }] = createResource(() => riskApi.risks.list().then((r) => r.items));
  const [hazards, { refetch: reloadHazards }] = createResource(() => riskApi.hazards.list({ status: 'open' }).then((r) => r.items));
  const [tenant] = createResource(() => api.tenant().catch(() => undefined));

  const visibleRisks = createMemo(() => (risks.latest ?? []).filter((r) => (!domain() || r.domain === domain()) && (!level() || r.level === level())));
  const visibleHazards = createMemo(() =>
    (hazards.latest ?? []).filter((h) => !domain() || h.domain === domain()).sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.reportedAt.localeCompare(a.reportedAt)),
  );
  const markers = createMemo(() => [...riskMarkers(visibleRisks()), ...hazardMarkers(visibleHazards())]);
  const fit = createMemo(() => {
    const box = bboxOf([...(risks.latest ?? []).map((r) => r.location), ...(hazards.latest ?? []).map((h) => h.location)]);
    return box ? ([box[0] - 0.002, box[1] - 0.002, box[2] + 0.002, box[3] + 0.002] as const) : undefined;
  });
  const center = () => {
    const b = tenant()?.bounds;
    return b ? { lng: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2 } : undefined;
  };
  const loaded = () => risks.state === 'ready' && hazards.state === 'ready';
  const reload = () => {
    void reloadRisks();
    void reloadHazards();
  };

  return (
    <section class="home risk-map-page" data-testid="risk-map-page">
      <header class="home-head">
        <h1>{t('section.riskMap')}</h1>
      </header>
      <FilterBar>
        <DomainFilter value={domain()} onChange={setDomain} />
        <RiskLevelFilter value={level()} onChange={setLevel} />
        <div class="filter-status">
          <span class="muted" data-testid="risk-counts">
            {t('risk.counts', { risks: visibleRisks().length, hazards: visibleHazards().length, overdue: visibleHazards().filter((h) => h.overdue).length })}
          </span>
        </div>
      </FilterBar>
      <div class="monitoring-layout">
        <Panel title={t('section.riskMap')} class="monitoring-map-panel" actions={<RiskLegend />}>
          <Show when={risks.error ?? hazards.error}>{(error) => <ErrorMessage error={error()} onRetry={reload} />}</Show>
          <div class="map map-monitoring" data-testid="risk-map" data-risks={visibleRisks().length} data-hazards={visibleHazards().length} data-loaded={loaded() ? 'true' : 'false'}>
            <MapView label={t('section.riskMap')} fit={fit()} center={center()} zoom={12} markers={markers()} loadGrids={(box) => api.basedata.grids(box)} />
          </div>
        </Panel>
        <Panel
          title={t('risk.openHazards')}
          class="monitoring-alarms-panel"
          actions={
            <>
              <span class="count">{t('common.count', { n: visibleHazards().length })}</span>
              <RefreshButton onClick={reload} busy={risks.loading || hazards.loading} />
              <A class="btn btn-small btn-ghost" href="/monitoring/hazards">
                {t('section.hazards')}
              </A>
            </>
          }
        >
          <HazardFeed hazards={visibleHazards()} />
        </Panel>
      </div>
    </section>
  );
}

function HazardFeed(props: { hazards: readonly HazardView[] }) {
  return (
    <Show when={props.hazards.length > 0} fallback={<EmptyState title={t('hazard.none')} testid="hazards-empty" />}>
      <ol class="alarm-feed" data-testid="hazard-feed">
        <For each={props.hazards}>
          {(h) => (
            <li class="alarm-item" data-testid={`hazard-item-${h.id}`} data-overdue={h.overdue ? 'true' : 'false'}>
              <div class="alarm-item-head">
                <span class="badge" style={{ '--level-color': HAZARD_COLORS[h.level] }}>
                  {hazardLevelName(h.level)}
                </span>
                <strong>{h.title}</strong>
                <span class="badge">{hazardStatusName(h.status)}</span>
                <Show when={h.overdue}>
                  <span class="badge overdue" data-testid="hazard-overdue">
                    {t('hazard.overdue')}
                  </span>
                </Show>
              </div>
              <div class="alarm-item-meta">
                <span>{domainName(h.domain)}</span>
                <Show when={h.deadline}>{(deadline) => <span>{t('hazard.deadline')} {formatDateTime(deadline())}</span>}</Show>
              </div>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}

/** What the colours mean: the four risk levels, then the two hazard levels. */
function RiskLegend() {
  return (
    <ul class="legend" aria-label={t('mon.legend')} data-testid="risk-legend">
      <For each={RISK_LEVELS}>
        {(l) => (
          <li>
            <span class="dot" aria-hidden="true" style={{ '--status-color': riskColor(l) }} />
            {riskLevelName(l)}
          </li>
        )}
      </For>
      <For each={HAZARD_LEVELS}>
        {(l) => (
          <li>
            <span class="dot" aria-hidden="true" style={{ '--status-color': HAZARD_COLORS[l] }} />
            {hazardLevelName(l)}
          </li>
        )}
      </For>
    </ul>
  );
}
