/**
 * `/case/:id` (CMD-8): one case for every staff tree — what, where, since when, in which state; the map with
 * the case over its unit grids; photos per stage; the timeline; and the actions this viewer may take.
 */
import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { api } from '../api/client';
import type { CaseDetail } from '../api/schemas';
import { CaseActions } from '../components/case-actions';
import { StatusBadge, UrgencyBadge } from '../components/case-bits';
import { CaseTimeline, departmentNamer } from '../components/case-timeline';
import { MapView } from '../components/map';
import { Async, Panel, RefreshButton } from '../components/panel';
import { PhotoGallery } from '../components/photos';
import { t } from '../i18n';
import { kindName, sourceName, STATUS_COLORS, typeLabel } from '../lib/case-format';
import { bboxAround } from '../lib/geo';
import { dueText, formatDateTime, useNow } from '../lib/time';

export default function CaseDetailPage() {
  const params = useParams<{ id: string }>();
  const [kase, { refetch }] = createResource(() => params.id, (id) => api.cases.get(id));
  return (
    <section class="home case-page">
      <header class="home-head">
        <A href="/" class="btn btn-ghost btn-small" onClick={(e) => goBack(e)}>
          ← {t('common.back')}
        </A>
        <h1>{t('case.detailTitle')}</h1>
        <RefreshButton onClick={() => void refetch()} busy={kase.loading} />
      </header>
      <Async resource={kase} onRetry={() => void refetch()}>
        {(value) => <CaseView kase={value()} reload={() => refetch()} />}
      </Async>
    </section>
  );
}

/** Back where the user came from (the board, a task), or home when the page was opened directly. */
function goBack(event: MouseEvent) {
  if (history.length > 1) {
    event.preventDefault();
    history.back();
  }
}

function CaseView(props: { kase: CaseDetail; reload: () => unknown }) {
  const now = useNow();
  const [tenant] = createResource(async () => {
    try {
      return await api.tenant();
    } catch {
      return undefined;
    }
  });
  const pointKey = () => `${props.kase.location.lng},${props.kase.location.lat}`;
  const [grids] = createResource(pointKey, async () => {
    try {
      return await api.basedata.grids(bboxAround(props.kase.location, 400));
    } catch {
      return undefined;
    }
  });
  const departmentName = (code: string) => departmentNamer(tenant.state === 'ready' ? tenant()?.departments : undefined)(code);
  const gridName = () => (grids.state === 'ready' ? grids()?.features.find((f) => f.properties.id === props.kase.gridId)?.properties.name : undefined);
  const open = () => props.kase.status !== 'closed' && props.kase.status !== 'cancelled';

  return (
    <div class="case-layout" data-testid="case-detail" data-status={props.kase.status} data-case={props.kase.id}>
      <Panel title={`${t('case.number')} ${props.kase.number}`} class="case-facts" testid="case-facts">
        <div class="case-badges">
          <StatusBadge status={props.kase.status} />
          <UrgencyBadge urgency={props.kase.urgency} />
          <span class="tag">{sourceName(props.kase.source)}</span>
          <Show when={props.kase.escalations > 0}>
            <span class="badge badge-warn">{t('tasks.escalations', { n: props.kase.escalations })}</span>
          </Show>
        </div>
        <p class="case-description">{props.kase.description}</p>
        <dl class="facts">
          <dt>{t('case.number')}</dt>
          <dd class="mono" data-testid="case-number">
            {props.kase.number}
          </dd>
          <dt>{t('case.type')}</dt>
          <dd data-testid="case-type">
            {kindName(props.kase.kind)} · {typeLabel(props.kase.kind, props.kase.typeCode)}
          </dd>
          <Show when={props.kase.componentId}>
            <dt>{t('report.component')}</dt>
            <dd class="mono">{props.kase.componentId}</dd>
          </Show>
          <dt>{t('case.source')}</dt>
          <dd>{sourceName(props.kase.source)}</dd>
          <dt>{t('case.grid')}</dt>
          <dd>
            <Show when={gridName()}>{(n) => <>{n()} </>}</Show>
            <span class="mono">{props.kase.gridId}</span>
          </dd>
          <Show when={props.kase.address}>
            <dt>{t('case.address')}</dt>
            <dd>{props.kase.address}</dd>
          </Show>
          <dt>{t('case.createdAt')}</dt>
          <dd>
            <time datetime={props.kase.createdAt}>{formatDateTime(props.kase.createdAt)}</time> · <span class="muted">{props.kase.reportedBy}</span>
          </dd>
          <Show when={open() && props.kase.dueAt}>
            {(due) => (
              <>
                <dt>{t('case.dueAt')}</dt>
                <dd>
                  <time datetime={due()}>{formatDateTime(due())}</time> <strong class="due-text">{dueText(due(), now())}</strong>
                </dd>
              </>
            )}
          </Show>
          <Show when={props.kase.departments.length > 0}>
            <dt>{t('case.departments')}</dt>
            <dd data-testid="case-departments">
              {props.kase.departments.map((d, i) => `${departmentName(d)}${props.kase.departments.length > 1 ? `（${i === 0 ? t('case.lead') : t('case.joint')}）` : ''}`).join('、')}
            </dd>
          </Show>
          <Show when={props.kase.extensionHours > 0}>
            <dt>{t('action.name.extension')}</dt>
            <dd>{t('case.extensionHours', { n: props.kase.extensionHours })}</dd>
          </Show>
          <Show when={props.kase.reworks > 0}>
            <dt>{t('case.event.check-failed')}</dt>
            <dd>{t('case.reworks', { n: props.kase.reworks })}</dd>
          </Show>
          <Show when={props.kase.closedAt}>
            {(at) => (
              <>
                <dt>{t('case.closedAt')}</dt>
                <dd>
                  <time datetime={at()}>{formatDateTime(at())}</time>
                  <Show when={props.kase.closeType}>{(type) => <> · {t(`case.closeType.${type()}`)}</>}</Show>
                </dd>
              </>
            )}
          </Show>
          <Show when={props.kase.mergedInto}>
            {(into) => (
              <>
                <dt>{t('case.mergedInto')}</dt>
                <dd>
                  <A href={`/case/${into()}`} class="mono">
                    {into()}
                  </A>
                </dd>
              </>
            )}
          </Show>
        </dl>
      </Panel>

      <CaseActions kase={props.kase} onChanged={props.reload} />

      <Panel title={t('case.map')} class="case-map-panel">
        <div class="map map-case" data-testid="case-map" data-kind="detail" data-lng={props.kase.location.lng} data-lat={props.kase.location.lat} data-grid={props.kase.gridId}>
          <MapView
            label={t('case.map')}
            center={props.kase.location}
            zoom={17}
            grids={grids.state === 'ready' ? grids() : undefined}
            highlightGrid={props.kase.gridId}
            markers={[{ id: props.kase.id, ...props.kase.location, color: STATUS_COLORS[props.kase.status], label: props.kase.number, emphasis: true }]}
          />
        </div>
      </Panel>

      <Panel title={t('case.photos')} class="case-photos" testid="case-photos">
        <PhotoGallery photos={props.kase.photos} />
      </Panel>

      <Panel title={t('case.timeline')} class="case-timeline-panel">
        <CaseTimeline history={props.kase.history} departmentName={departmentName} />
      </Panel>
    </div>
  );
}
