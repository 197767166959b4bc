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
import { DataTable, ListActions, type Column } from '../../components/data-table';
import { ActionError, choicesOf, Field, FormProblem, Options, SelectField, SubmitButton } from '../../components/form-field';
import { DeviceStateBadge } from '../../components/monitoring/bits';
import { CredentialsPanel, type IssuedCredentials } from '../../components/monitoring/credentials';
import { DomainFilter, FilterBar, FilterSelect, ValueFilter } from '../../components/monitoring/filters';
import { createLiveList, LiveIndicator, useMonitoringEvents } from '../../components/monitoring/live';
import { Panel } from '../../components/panel';
import { localized, t, type MessageKey } from '../../i18n';
import { createAction } from '../../lib/action';
import { saveBlob } from '../../lib/download';
import { applyDeviceEvent, deviceKindName, detectImportFormat, domainName, KINDS, KINDS_BY_DOMAIN } from '../../lib/monitoring';
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
  const columns: Column<DeviceView>[] = [
    {
      header: 'mon.device.name',
      class: 'span',
      cell: (d) => (
        <>
          <A class="case-link" href={`/monitoring/devices/${encodeURIComponent(d.id)}`}>
            {d.name}
          </A>
          <div class="mono small muted">{d.id}</div>
        </>
      ),
    },
    {
      header: 'mon.device.kind',
      cell: (d) => (
        <>
          {deviceKindName(d.kind)}
          <div class="muted small">{domainName(d.domain)}</div>
        </>
      ),
    },
    { header: 'mon.device.state', cell: (d) => <DeviceStateBadge device={d} /> },
    { header: 'case.grid', class: 'mono', cell: (d) => d.gridId ?? t('common.dash') },
    { header: 'mon.device.owner', cell: (d) => (d.ownerDepartment ? departmentName(d.ownerDepartment) : t('common.dash')) },
    { header: 'mon.device.lastReport', cell: (d) => (d.live?.lastTs ? formatDateTime(d.live.lastTs) : t('mon.device.never')) },
  ];

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
        <DomainFilter
          value={domain()}
          onChange={(d) => {
            setDomain(d);
            setKind('');
          }}
        />
        <ValueFilter label={t('mon.device.kind')} testid="filter-kind" values={kinds()} name={deviceKindName} value={kind()} onChange={setKind} />
        <FilterSelect
          label={t('mon.device.status')}
          testid="filter-device-status"
          value={status()}
          choices={(['active', 'decommissioned', 'all'] as const).map((s) => ({ value: s, label: s === 'all' ? t('mon.all') : t(`mon.device.status.${s}`) }))}
          onChange={(s) => setStatus(s || 'active')}
        />
      </FilterBar>
      <Panel title={t('mon.device.list')} testid="device-list" actions={<ListActions count={devices.items()?.length} onRefresh={() => void devices.reload()} busy={devices.loading()} />}>
        <DataTable
          testid="device-table"
          class="device-table"
          rows={devices.items()}
          error={devices.error()}
          onRetry={() => void devices.reload()}
          columns={columns}
          row={(d) => ({ 'data-testid': `device-row-${d.id}`, 'data-device': d.id, 'data-status': d.status })}
          empty={{ title: t('mon.device.none'), testid: 'devices-empty' }}
        />
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
                  <Options choices={choicesOf(group.kinds, deviceKindName)} selected={value('kind') as DeviceKind | ''} />
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
            <SelectField
              label={t('mon.device.owner')}
              testid="reg-ownerDepartment"
              value={value('ownerDepartment')}
              blank={t('mon.reg.noOwner')}
              choices={props.departments.map((d) => ({ value: d.code, label: localized(d.name) }))}
              onChange={(code) => set('ownerDepartment', code)}
            />
          </Show>
        </div>
        {input('address', 'case.address')}
        <ActionError error={register.error()} />
        <SubmitButton label={t('mon.reg.submit')} pending={register.pending()} testid="reg-submit" />
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

const IMPORT_ERROR_COLUMNS: readonly Column<ImportDevicesResult['errors'][number]>[] = [
  { header: 'mon.import.row', class: 'num', cell: (e) => e.row },
  { header: 'mon.device.id', class: 'mono', cell: (e) => e.id ?? t('common.dash') },
  { header: 'errors.code', class: 'mono', cell: (e) => e.code },
  { header: 'mon.import.reason', class: 'wrap', cell: (e) => e.message },
];

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
        <Field label={t('mon.import.file')}>
          <input type="file" data-testid="import-file" accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json" onChange={(e) => void chooseFile(e.currentTarget.files?.[0])} />
        </Field>
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
        <FormProblem problem={problem()} />
        <ActionError error={run.error()} />
        <SubmitButton label={t('mon.import.submit')} pending={run.pending()} testid="import-submit" />
      </form>
      <Show when={result()}>
        {(r) => (
          <div class="import-result stack" data-testid="import-result" data-registered={r().registered.length} data-errors={r().errors.length}>
            <p class={r().errors.length > 0 ? 'notice notice-warn' : 'notice'} data-testid="import-summary">
              {t('mon.import.summary', { registered: r().registered.length, refused: r().errors.length })}
            </p>
            <Show when={r().errors.length > 0}>
              <DataTable testid="import-errors" rows={r().errors} columns={IMPORT_ERROR_COLUMNS} row={(e) => ({ 'data-testid': 'import-error', 'data-row': String(e.row), 'data-code': e.code })} />
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
