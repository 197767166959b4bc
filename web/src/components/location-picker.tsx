/**
 * Where the problem is (CMD-4): the phone's GPS (with its accuracy), a point picked on the map when GPS is
 * denied or imprecise, or an address searched in the gazetteer (hotline intake). Every point is
 * reverse-geocoded to show its unit grid and address; a point outside the tenant's grids is flagged here
 * (the API refuses it with LOCATION_OUTSIDE_TENANT).
 */
import { createResource, createSignal, For, onMount, Show } from 'solid-js';
import type { GeoPoint } from '../../../contracts';
import { api } from '../api/client';
import type { GeocodeResult } from '../api/schemas';
import { t } from '../i18n';
import { createAction } from '../lib/action';
import { STATUS_COLORS } from '../lib/case-format';
import { ErrorMessage } from './error-message';
import { PinIcon } from './icons';
import { MapView } from './map';

export interface LocationValue {
  point?: GeoPoint;
  /** GPS accuracy in metres. */
  accuracy?: number;
  /** From reverse geocoding: the grid (null: outside the tenant's grids; undefined: not known yet). */
  gridId?: string | null;
  address?: string;
}

const CHANGSHA: GeoPoint = { lng: 112.9388, lat: 28.2282 };

export function LocationPicker(props: {
  value: LocationValue;
  onChange: (value: LocationValue) => void;
  /** Offer the address search (hotline intake). */
  search?: boolean;
  /** Ask for the GPS position when shown (inspectors in the field). */
  autoLocate?: boolean;
  invalid?: boolean;
}) {
  const [locating, setLocating] = createSignal(false);
  const [gpsProblem, setGpsProblem] = createSignal<string>();
  const [showMap, setShowMap] = createSignal(false);
  const [tenant] = createResource(showMap, () => api.tenant());
  let sequence = 0;

  /** Take a point; then ask which grid and address it has (the latest point wins). */
  const setPoint = async (point: GeoPoint, extra: { accuracy?: number; address?: string; gridId?: string | null } = {}) => {
    const mine = ++sequence;
    props.onChange({ point, accuracy: extra.accuracy, address: extra.address, gridId: extra.gridId ?? undefined });
    try {
      const found = await api.geocode.reverse(point);
      if (mine !== sequence) return;
      props.onChange({ point, accuracy: extra.accuracy, gridId: found.gridId ?? extra.gridId ?? null, address: extra.address ?? found.address ?? undefined });
    } catch {
      // The grid stays unknown; the API checks the location on submit anyway.
    }
  };

  const locate = () => {
    const geo = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
    if (!geo) {
      setGpsProblem(t('loc.unsupported'));
      setShowMap(true);
      return;
    }
    setLocating(true);
    setGpsProblem(undefined);
    geo.getCurrentPosition(
      (position) => {
        setLocating(false);
        void setPoint({ lng: round(position.coords.longitude), lat: round(position.coords.latitude) }, { accuracy: Math.round(position.coords.accuracy) });
      },
      (error) => {
        setLocating(false);
        setGpsProblem(t('loc.denied', { reason: error.message || String(error.code) }));
        setShowMap(true);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };
  onMount(() => {
    if (props.autoLocate && !props.value.point) locate();
  });

  const center = (): GeoPoint => {
    if (props.value.point) return props.value.point;
    const bounds = tenant.state === 'ready' ? tenant().bounds : undefined;
    return bounds ? { lng: (bounds[0] + bounds[2]) / 2, lat: (bounds[1] + bounds[3]) / 2 } : CHANGSHA;
  };

  return (
    <fieldset class="location stack" data-testid="location-picker" aria-invalid={props.invalid}>
      <legend class="field-legend">{t('loc.title')}</legend>
      <Show when={props.search}>
        <AddressSearch onChoose={(r) => void setPoint(r.location, { address: r.address, gridId: r.gridId ?? undefined })} />
      </Show>
      <div class="form-actions form-actions-start">
        <button type="button" class="btn" data-testid="locate" onClick={locate} disabled={locating()}>
          <PinIcon /> {locating() ? t('loc.locating') : t('loc.gps')}
        </button>
        <button type="button" class="btn btn-ghost" data-testid="toggle-map" aria-expanded={showMap()} onClick={() => setShowMap(!showMap())}>
          {showMap() ? t('loc.hideMap') : t('loc.pickOnMap')}
        </button>
      </div>
      <Show when={gpsProblem()}>
        <p class="notice notice-warn" role="status">
          {gpsProblem()}
        </p>
      </Show>
      <Show when={props.value.point}>
        {(point) => (
          <dl class="facts facts-inline" data-testid="location-value" data-lng={point().lng} data-lat={point().lat} data-grid={props.value.gridId ?? ''}>
            <dt>{t('loc.point')}</dt>
            <dd class="mono">
              {point().lng.toFixed(6)}, {point().lat.toFixed(6)}
              <Show when={props.value.accuracy !== undefined}>
                {' '}
                <span class="muted">{t('loc.accuracy', { m: props.value.accuracy ?? 0 })}</span>
              </Show>
            </dd>
            <dt>{t('loc.grid')}</dt>
            <dd>
              <Show when={props.value.gridId !== null} fallback={<span class="field-error">{t('loc.outside')}</span>}>
                <span class="mono">{props.value.gridId ?? t('common.dash')}</span>
              </Show>
            </dd>
            <Show when={props.value.address}>
              <dt>{t('case.address')}</dt>
              <dd>{props.value.address}</dd>
            </Show>
          </dl>
        )}
      </Show>
      <Show when={showMap()}>
        <p class="muted small">{t('loc.mapHint')}</p>
        <div class="map map-pick" data-testid="location-map">
          <MapView
            label={t('loc.title')}
            center={center()}
            zoom={props.value.point ? 17 : 14}
            markers={props.value.point ? [{ id: 'picked', ...props.value.point, color: STATUS_COLORS.handling, label: t('loc.title'), emphasis: true }] : []}
            loadGrids={(box) => api.basedata.grids(box)}
            highlightGrid={props.value.gridId ?? undefined}
            onPick={(point) => void setPoint(point)}
          />
        </div>
      </Show>
    </fieldset>
  );
}

function AddressSearch(props: { onChoose: (result: GeocodeResult) => void }) {
  const [q, setQ] = createSignal('');
  const [results, setResults] = createSignal<GeocodeResult[]>();
  const search = createAction(async (text: string) => setResults((await api.geocode.search(text)).items));
  const submit = () => {
    if (q().trim().length > 0) void search.run(q().trim());
  };
  return (
    <div class="field address-search">
      <span>{t('loc.search')}</span>
      <div class="input-row">
        <input
          type="search"
          data-testid="address-search"
          value={q()}
          placeholder={t('loc.searchPlaceholder')}
          onInput={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" class="btn" onClick={submit} disabled={search.pending()}>
          {t('common.search')}
        </button>
      </div>
      <Show when={search.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <Show when={results()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">{t('loc.noResults')}</p>}>
            <ul class="geocode-results">
              <For each={list()}>
                {(result) => (
                  <li>
                    <button
                      type="button"
                      class="btn btn-small"
                      data-testid="geocode-result"
                      onClick={() => {
                        props.onChoose(result);
                        setResults(undefined);
                      }}
                    >
                      {result.address}
                      <Show when={result.gridId}>
                        <span class="mono muted small"> {result.gridId}</span>
                      </Show>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </div>
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
