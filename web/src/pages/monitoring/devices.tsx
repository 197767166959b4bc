/**
 * 设备台账 (MUN-3 "one cover one number", `/monitoring/devices`): the devices by domain, kind and status, each
 * opening its page. The tenant admin and the monitoring operator also register one device (kind picker by domain, location, component,
 * owner department) or imports many from CSV or GeoJSON (file or paste): refused rows are listed with their row
 * number and reason, and the credentials of the registered devices are shown once, with a CSV to keep.
 */
import { A } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { DEVICE_IMPORT_COLUMNS, RegisterDevice, type DeviceDomain, type DeviceKind, type DeviceView, type ImportDevicesResult } from '../../../../contracts';
import { api, type DeviceQuery } from '../../api/client';
import { currentRole } from '../../auth/session';
import { departmentNamer } from '../../components/case-timeline';
import { ErrorMessage } from '../../components/error-message';
import { DeviceStateBadge, FilterBar, FilterSelect } from '../../components/monitoring/bits';
import { CredentialsPanel, type IssuedCredentials } from '../../components/monitoring/credentials';
import { createLiveList, LiveAsync, LiveIndicator, useMonitoringEvents } from '../../components/monitoring/live';
import { EmptyState, Panel, RefreshButton } from '../../components/panel';
import { localized, t, type MessageKey } from '../../i18n';
import { createAction } from '../../lib/action';
import { saveBlob } from '../../lib/download';
import { applyDeviceEvent, deviceKindName, detectImportFormat, DOMAINS, domainName, KINDS, KINDS_BY_DOMAIN } from '../../lib/monitoring';
import { formatDateTime } from '../../lib/time';
import { DEVICE_MANAGER_ROLES } from '../../roles/trees';

type StatusFilter = NonNullable<DeviceQuery['status']>;

export default function DeviceRegistryPage() {
  const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
  const [kind, setKind] = createSignal<DeviceKind | ''>('');
  const [status, setStatus] = createSignal<StatusFilter>('active');
  const devices = createLiveList(
    (): Promise<readonly DeviceView[]> => api.devices.list({ domain: domain() || undefined, kind: kind() || undefined, status: status() }).then((r) => r.items),
    applyDeviceEvent,
  );
  const live = useMonitoringEvents({ onDevice: devices.apply, onReconnect: () => void devices.reload() });
  createEffect(on([domain, kind, status], () => void devices.reload()));
  const [tenant] = createResource(async () => {
    try {
      return await api.tenant();
    } catch {
      return undefined;
    }
  });
  const departments = () => (tenant.state === 'ready' ? (tenant()?.departments ?? []) : []);
  const departmentName = (code: string) => departmentNamer(departments())(code);
  const isAdmin = () => {
    const role = currentRole();
    return role !== null && DEVICE_MANAGER_ROLES.includes(role);
  };
  const kinds = () => KINDS.filter((k) => !domain() || KINDS_BY_DOMAIN.find((g) => g.domain === domain())?.kinds.includes(k));

  return (
    <section class="home device-registry-page" data-testid="device-registry-page">
      <header class="home-head">
        <h1>{t('section.devices')}</h1>
        <LiveIndicator state={live()} />
      </header>
      <Show when={isAdmin()}>
        <div class="registry-forms">
          <RegisterPanel departments={departments()} onRegistered={() => void devices.reload()} />
          <ImportPanel onImported={() => void devices.reload()} />
        </div>
      </Show>
      <FilterBar>
        <FilterSelect
          label={t('mon.domain')}
          testid="filter-domain"
          value={domain()}
          all={t('mon.all')}
          choices={DOMAINS.map((d) => ({ value: d, label: domainName(d) }))}
          onChange={(d) => {
            setDomain(d);
            setKind('');
          }}
        />
        <FilterSelect label={t('mon.device.kind')} testid="filter-kind" value={kind()} all={t('mon.all')} choices={kinds().map((k) => ({ value: k, label: deviceKindName(k) }))} onChange={setKind} />
        <FilterSelect
          label={t('mon.device.status')}
          testid="filter-device-status"
          value={status()}
          choices={(['active', 'decommissioned', 'all'] as const).map((s) => ({ value: s, label: s === 'all' ? t('mon.all') : t(`mon.device.status.${s}`) }))}
          onChange={(s) => setStatus(s || 'active')}
        />
      </FilterBar>
      <Panel
        title={t('mon.device.list')}
        testid="device-list"
        actions={
          <>
            <Show when={devices.items()}>{(items) => <span class="count">{t('common.count', { n: items().length })}</span>}</Show>
            <RefreshButton onClick={() => void devices.reload()} busy={devices.loading()} />
          </>
        }
      >
        <LiveAsync list={devices}>
          {(items) => (
            <Show when={items().length > 0} fallback={<EmptyState title={t('mon.device.none')} testid="devices-empty" />}>
              <div class="table-scroll">
                <table class="data-table device-table" data-testid="device-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('mon.device.name')}</th>
                      <th scope="col">{t('mon.device.kind')}</th>
                      <th scope="col">{t('mon.device.state')}</th>
                      <th scope="col">{t('case.grid')}</th>
                      <th scope="col">{t('mon.device.owner')}</th>
                      <th scope="col">{t('mon.device.lastReport')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(d) => (
                        <tr data-testid={`device-row-${d.id}`} data-device={d.id} data-status={d.status}>
                          <td data-label={t('mon.device.name')} class="span">
                            <A class="case-link" href={`/monitoring/devices/${encodeURIComponent(d.id)}`}>
                              {d.name}
                            </A>
                            <div class="mono small muted">{d.id}</div>
                          </td>
                          <td data-label={t('mon.device.kind')}>
                            {deviceKindName(d.kind)}
                            <div class="muted small">{domainName(d.domain)}</div>
                          </td>
                          <td data-label={t('mon.device.state')}>
                            <DeviceStateBadge device={d} />
                          </td>
                          <td data-label={t('case.grid')} class="mono">
                            {d.gridId ?? t('common.dash')}
                          </td>
                          <td data-label={t('mon.device.owner')}>{d.ownerDepartment ? departmentName(d.ownerDepartment) : t('common.dash')}</td>
                          <td data-label={t('mon.device.lastReport')}>{d.live?.lastTs ? formatDateTime(d.live.lastTs) : t('mon.device.never')}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </LiveAsync>
      </Panel>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Register one device

type Field = 'id' | 'name' | 'kind' | 'lng' | 'lat' | 'componentId' | 'address' | 'ownerDepartment';
const FIELD_PROBLEMS: Record<Field, MessageKey> = {
  id: 'mon.reg.invalid.id',
  name: 'mon.reg.invalid.name',
  kind: 'mon.reg.invalid.kind',
  lng: 'mon.reg.invalid.lng',
  lat: 'mon.reg.invalid.lat',
  componentId: 'mon.reg.invalid.componentId',
  address: 'mon.reg.invalid.address',
  ownerDepartment: 'mon.reg.invalid.ownerDepartment',
};

function RegisterPanel(props: { departments: readonly { code: string; name: { zh: string; en: string } }[]; onRegistered: () => void }) {
  const [values, setValues] = createSignal<Record<Field, string>>({ id: '', name: '', kind: '', lng: '', lat: '', componentId: '', address: '', ownerDepartment: '' });
  const [problems, setProblems] = createSignal<Partial<Record<Field, string>>>({});
  const [issued, setIssued] = createSignal<IssuedCredentials[]>([]);
  const register = createAction((body: RegisterDevice) => api.devices.register(body));
  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const value = (field: Field) => values()[field];
  const problem = (field: Field) => problems()[field];

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const v = values();
    const optional = (s: string) => (s.trim() === '' ? undefined : s.trim());
    const number = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
    const body = {
      id: v.id.trim(),
      kind: v.kind,
      name: v.name.trim(),
      location: { lng: number(v.lng), lat: number(v.lat) },
      componentId: optional(v.componentId),
      address: optional(v.address),
      ownerDepartment: optional(v.ownerDepartment),
    };
    const parsed = RegisterDevice.safeParse(body);
    if (!parsed.success) {
      const found: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const [first, second] = issue.path;
        const field = (first === 'location' ? second : first) as Field;
        if (field in FIELD_PROBLEMS) found[field] ??= t(FIELD_PROBLEMS[field]);
      }
      setProblems(found);
      return;
    }
    setProblems({});
    const result = await register.run(parsed.data);
    if (result) {
      setIssued([{ deviceId: result.device.id, name: result.device.name, credentials: result.credentials }]);
      setValues({ id: '', name: '', kind: v.kind, lng: '', lat: '', componentId: '', address: '', ownerDepartment: v.ownerDepartment });
      props.onRegistered();
    }
  };

  const input = (field: Field, label: MessageKey, extra: { placeholder?: string; inputmode?: 'decimal' | 'numeric'; required?: boolean } = {}) => (
    <label class="field">
      <span>
        {t(label)}
        <Show when={extra.required}>
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        </Show>
      </span>
      <input
        data-testid={`reg-${field}`}
        value={value(field)}
        placeholder={extra.placeholder}
        inputmode={extra.inputmode}
        aria-invalid={problem(field) !== undefined}
        onInput={(e) => set(field, e.currentTarget.value)}
      />
      <Show when={problem(field)}>
        <span class="field-error" data-testid={`reg-${field}-error`}>
          {problem(field)}
        </span>
      </Show>
    </label>
  );

  return (
    <Panel title={t('mon.reg.title')} class="register-panel" testid="device-register">
      <form class="stack" data-testid="device-register-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field-row">
          {input('id', 'mon.device.id', { placeholder: 'MH-0001', required: true })}
          {input('name', 'mon.device.name', { placeholder: t('mon.reg.namePlaceholder'), required: true })}
        </div>
        <label class="field">
          <span>
            {t('mon.device.kind')}
            <span class="required" aria-hidden="true">
              {' '}
              *
            </span>
          </span>
          <select data-testid="reg-kind" value={value('kind')} aria-invalid={problem('kind') !== undefined} onChange={(e) => set('kind', e.currentTarget.value)}>
            <option value="" selected={value('kind') === ''}>
              {t('type.choose')}
            </option>
            <For each={KINDS_BY_DOMAIN}>
              {(group) => (
                <optgroup label={domainName(group.domain)}>
                  <For each={group.kinds}>
                    {(k) => (
                      <option value={k} selected={value('kind') === k}>
                        {deviceKindName(k)}
                      </option>
                    )}
                  </For>
                </optgroup>
              )}
            </For>
          </select>
          <Show when={problem('kind')}>
            <span class="field-error" data-testid="reg-kind-error">
              {problem('kind')}
            </span>
          </Show>
        </label>
        <div class="field-row">
          {input('lng', 'mon.reg.lng', { placeholder: '112.938800', inputmode: 'decimal', required: true })}
          {input('lat', 'mon.reg.lat', { placeholder: '28.228200', inputmode: 'decimal', required: true })}
        </div>
        <div class="field-row">
          {input('componentId', 'mon.device.component', { placeholder: t('mon.reg.componentPlaceholder'), inputmode: 'numeric' })}
          <Show when={props.departments.length > 0} fallback={input('ownerDepartment', 'mon.device.owner')}>
            <label class="field">
              <span>{t('mon.device.owner')}</span>
              <select data-testid="reg-ownerDepartment" value={value('ownerDepartment')} onChange={(e) => set('ownerDepartment', e.currentTarget.value)}>
                <option value="" selected={value('ownerDepartment') === ''}>
                  {t('mon.reg.noOwner')}
                </option>
                <For each={props.departments}>
                  {(d) => (
                    <option value={d.code} selected={value('ownerDepartment') === d.code}>
                      {localized(d.name)}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </Show>
        </div>
        {input('address', 'case.address')}
        <Show when={register.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-primary" data-testid="reg-submit" disabled={register.pending()}>
            {register.pending() ? t('common.submitting') : t('mon.reg.submit')}
          </button>
        </div>
      </form>
      <Show when={issued().length > 0}>
        <p class="notice" data-testid="reg-done">
          {t('mon.reg.done', { id: issued()[0]!.deviceId })}
        </p>
        <CredentialsPanel items={issued()} onDismiss={() => setIssued([])} filename={`device-credentials-${issued()[0]!.deviceId}.csv`} />
      </Show>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Import

const TEMPLATE = `${DEVICE_IMPORT_COLUMNS.join(',')}\nMH-0001,manhole-cover,五一大道 1 号井盖,112.9762,28.1957,,五一大道 1 号,\n`;

function ImportPanel(props: { onImported: () => void }) {
  const [content, setContent] = createSignal('');
  const [format, setFormat] = createSignal<'csv' | 'geojson'>('csv');
  const [fileName, setFileName] = createSignal<string>();
  const [result, setResult] = createSignal<ImportDevicesResult>();
  const [problem, setProblem] = createSignal('');
  const run = createAction((body: { format: 'csv' | 'geojson'; content: string }) => api.devices.import(body));

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setFileName(file.name);
    setContent(text);
    setFormat(detectImportFormat(file.name, text));
    setProblem('');
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (content().trim() === '') {
      setProblem(t('mon.import.empty'));
      return;
    }
    setProblem('');
    setResult(undefined);
    const answer = await run.run({ format: format(), content: content() });
    if (answer) {
      setResult(answer);
      if (answer.registered.length > 0) props.onImported();
    }
  };

  return (
    <Panel
      title={t('mon.import.title')}
      class="import-panel"
      testid="device-import"
      actions={
        <button type="button" class="btn btn-small btn-ghost" data-testid="import-template" onClick={() => saveBlob(new Blob([`\uFEFF${TEMPLATE}`], { type: 'text/csv;charset=utf-8' }), 'devices-template.csv')}>
          {t('mon.import.template')}
        </button>
      }
    >
      <form class="stack" data-testid="device-import-form" onSubmit={(e) => void submit(e)} noValidate>
        <p class="muted small">{t('mon.import.hint', { columns: DEVICE_IMPORT_COLUMNS.join(',') })}</p>
        <label class="field">
          <span>{t('mon.import.file')}</span>
          <input type="file" data-testid="import-file" accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json" onChange={(e) => void chooseFile(e.currentTarget.files?.[0])} />
        </label>
        <label class="field">
          <span>
            {t('mon.import.paste')}
            <Show when={fileName()}>{(name) => <span class="muted"> · {name()}</span>}</Show>
          </span>
          <textarea
            data-testid="import-content"
            rows={5}
            class="mono"
            value={content()}
            placeholder={TEMPLATE}
            onInput={(e) => {
              setContent(e.currentTarget.value);
              setFileName(undefined);
              setFormat(detectImportFormat(undefined, e.currentTarget.value));
            }}
          />
        </label>
        <fieldset class="field choice">
          <legend>{t('mon.import.format')}</legend>
          <label class="check-line">
            <input type="radio" name="import-format" data-testid="import-format-csv" checked={format() === 'csv'} onChange={() => setFormat('csv')} />
            CSV
          </label>
          <label class="check-line">
            <input type="radio" name="import-format" data-testid="import-format-geojson" checked={format() === 'geojson'} onChange={() => setFormat('geojson')} />
            GeoJSON
          </label>
        </fieldset>
        <Show when={problem()}>
          <p class="field-error" role="alert">
            {problem()}
          </p>
        </Show>
        <Show when={run.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-primary" data-testid="import-submit" disabled={run.pending()}>
            {run.pending() ? t('common.submitting') : t('mon.import.submit')}
          </button>
        </div>
      </form>
      <Show when={result()}>
        {(r) => (
          <div class="import-result stack" data-testid="import-result" data-registered={r().registered.length} data-errors={r().errors.length}>
            <p class={r().errors.length > 0 ? 'notice notice-warn' : 'notice'} data-testid="import-summary">
              {t('mon.import.summary', { registered: r().registered.length, refused: r().errors.length })}
            </p>
            <Show when={r().errors.length > 0}>
              <div class="table-scroll">
                <table class="data-table" data-testid="import-errors">
                  <thead>
                    <tr>
                      <th scope="col">{t('mon.import.row')}</th>
                      <th scope="col">{t('mon.device.id')}</th>
                      <th scope="col">{t('errors.code')}</th>
                      <th scope="col">{t('mon.import.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={r().errors}>
                      {(e) => (
                        <tr data-testid="import-error" data-row={e.row} data-code={e.code}>
                          <td class="num" data-label={t('mon.import.row')}>
                            {e.row}
                          </td>
                          <td class="mono" data-label={t('mon.device.id')}>
                            {e.id ?? t('common.dash')}
                          </td>
                          <td class="mono" data-label={t('errors.code')}>
                            {e.code}
                          </td>
                          <td class="wrap" data-label={t('mon.import.reason')}>
                            {e.message}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
            <Show when={r().registered.length > 0}>
              <CredentialsPanel
                items={r().registered.map((x) => ({ deviceId: x.device.id, name: x.device.name, credentials: x.credentials }))}
                onDismiss={() => setResult({ ...r(), registered: [] })}
              />
            </Show>
          </div>
        )}
      </Show>
    </Panel>
  );
}
