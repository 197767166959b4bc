/**
 * 信息采集 (CMD-2): one form for every reporter — the inspector in the field (source inspector, GPS, camera),
 * the acceptor taking a hotline call or WeChat message (source hotline|citizen, address search, the caller's
 * contact) and the monitoring operator (sensor|video). The form's clientId is made once and re-sent on every
 * retry, so a submit repeated after a network failure returns the same case instead of a second one.
 */
import { A } from '@solidjs/router';
import { createEffect, createResource, createSignal, createUniqueId, For, on, Show } from 'solid-js';
import type { Case, CaseSource, Urgency } from '../../../contracts';
import { api, ApiError, type ReportInput } from '../api/client';
import { t } from '../i18n';
import { createAction } from '../lib/action';
import { sourceName, urgencyName } from '../lib/case-format';
import { bboxAround } from '../lib/geo';
import { newClientId } from '../lib/ids';
import { ErrorMessage } from './error-message';
import { LocationPicker, type LocationValue } from './location-picker';
import { createPhotoUploads, PhotoUploader } from './photos';
import { TypePicker, type TypeValue } from './type-picker';

export interface ReportFormProps {
  /** The sources this reporter may use; the first is preselected, a choice is offered when there are several. */
  sources: readonly CaseSource[];
  /** Hotline/WeChat intake: address search and the caller's contact. */
  intake?: boolean;
  /** Ask for the GPS position at once (inspectors). */
  autoLocate?: boolean;
}

const PHONE = /^[0-9+\-() ]{5,20}$/;

export function ReportForm(props: ReportFormProps) {
  const id = createUniqueId();
  const [clientId, setClientId] = createSignal(newClientId());
  const [source, setSource] = createSignal<CaseSource>(props.sources[0] ?? 'inspector');
  const [type, setType] = createSignal<TypeValue>({ kind: 'matter' });
  const [location, setLocation] = createSignal<LocationValue>({});
  const [address, setAddress] = createSignal('');
  const [addressEdited, setAddressEdited] = createSignal(false);
  const [description, setDescription] = createSignal('');
  const [urgency, setUrgency] = createSignal<Urgency>('ordinary');
  const [componentId, setComponentId] = createSignal('');
  const [contactName, setContactName] = createSignal('');
  const [contactPhone, setContactPhone] = createSignal('');
  const [attempted, setAttempted] = createSignal(false);
  const [created, setCreated] = createSignal<Case>();
  const uploads = createPhotoUploads('report');
  const send = createAction((body: ReportInput) => api.cases.report(body));

  // The address found for the point fills the field until the reporter writes their own.
  createEffect(
    on(
      () => location().address,
      (found) => {
        if (found && !addressEdited()) setAddress(found);
      },
    ),
  );

  // Components of the chosen type near the point (部件 reports may name the one they are about).
  const [nearby] = createResource(
    () => {
      const point = location().point;
      const code = type().code;
      return type().kind === 'component' && point && code ? { point, code } : undefined;
    },
    async ({ point, code }) => (await api.basedata.components(bboxAround(point, 150))).features.map((f) => f.properties).filter((p) => p.typeCode === code),
  );
  createEffect(on(() => [type().code, location().point], () => setComponentId(''), { defer: true }));

  const problems = () => ({
    type: !type().code,
    location: !location().point,
    description: description().trim().length < 2,
    phone: contactPhone().trim() !== '' && !PHONE.test(contactPhone().trim()),
  });
  const invalid = () => Object.values(problems()).some(Boolean);

  const body = (): ReportInput => {
    const contact = props.intake && (contactName().trim() || contactPhone().trim())
      ? { name: contactName().trim() || undefined, phone: contactPhone().trim() || undefined }
      : undefined;
    return {
      clientId: clientId(),
      source: source(),
      kind: type().kind,
      typeCode: type().code!,
      componentId: componentId() || undefined,
      description: description().trim(),
      location: location().point!,
      address: address().trim() || undefined,
      urgency: urgency(),
      photoIds: uploads.ids(),
      reporterContact: contact,
    };
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (invalid() || uploads.unsettled()) return;
    const result = await send.run(body());
    if (result) setCreated(result);
  };

  const reset = () => {
    setClientId(newClientId());
    setType({ kind: type().kind });
    setLocation({});
    setAddress('');
    setAddressEdited(false);
    setDescription('');
    setUrgency('ordinary');
    setComponentId('');
    setContactName('');
    setContactPhone('');
    setAttempted(false);
    uploads.reset();
    send.clearError();
    setCreated(undefined);
  };

  const retryable = () => {
    const error = send.error();
    return error instanceof ApiError && (error.code === 'NETWORK_ERROR' || error.status >= 500);
  };

  return (
    <Show
      when={!created()}
      fallback={
        <div class="notice report-done" role="status" data-testid="report-done" data-case={created()?.id}>
          <p>{t('report.submitted', { number: created()?.number ?? '' })}</p>
          <div class="form-actions form-actions-start">
            <A class="btn btn-primary" href={`/case/${created()?.id ?? ''}`}>
              {t('report.view')}
            </A>
            <button type="button" class="btn" data-testid="report-again" onClick={reset}>
              {t('report.again')}
            </button>
          </div>
        </div>
      }
    >
      <form class="stack report-form" data-testid="report-form" data-client-id={clientId()} onSubmit={submit} noValidate>
        <Show when={props.sources.length > 1}>
          <fieldset class="field choice">
            <legend>{t('report.source')}</legend>
            <For each={props.sources}>
              {(s) => (
                <label>
                  <input type="radio" name={`${id}-source`} value={s} checked={source() === s} onChange={() => setSource(s)} />
                  {sourceName(s)}
                </label>
              )}
            </For>
          </fieldset>
        </Show>

        <PhotoUploader uploads={uploads} />

        <LocationPicker value={location()} onChange={setLocation} search={props.intake} autoLocate={props.autoLocate} invalid={attempted() && problems().location} />
        <Show when={attempted() && problems().location}>
          <p class="field-error" role="alert">
            {t('loc.required')}
          </p>
        </Show>
        <label class="field">
          <span>{t('report.address')}</span>
          <input
            type="text"
            data-testid="report-address"
            value={address()}
            maxLength={256}
            placeholder={t('report.addressPlaceholder')}
            onInput={(e) => {
              setAddress(e.currentTarget.value);
              setAddressEdited(true);
            }}
          />
        </label>

        <TypePicker value={type()} onChange={setType} invalid={attempted() && problems().type} />
        <Show when={attempted() && problems().type}>
          <p class="field-error" role="alert">
            {t('type.required')}
          </p>
        </Show>
        <Show when={nearby.state === 'ready' && nearby().length > 0}>
          <label class="field">
            <span>{t('report.component')}</span>
            <select data-testid="report-component" value={componentId()} onChange={(e) => setComponentId(e.currentTarget.value)}>
              <option value="">{t('report.componentNone')}</option>
              <For each={nearby.state === 'ready' ? nearby() : []}>
                {(c) => (
                  <option value={c.id}>
                    {c.name ?? c.typeCode} · {c.id}
                  </option>
                )}
              </For>
            </select>
          </label>
        </Show>

        <label class="field">
          <span>{t('report.description')}</span>
          <textarea
            rows={3}
            data-testid="report-description"
            value={description()}
            maxLength={1000}
            placeholder={t('report.descriptionPlaceholder')}
            aria-invalid={attempted() && problems().description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <Show when={attempted() && problems().description}>
          <p class="field-error" role="alert">
            {t('report.descriptionRequired')}
          </p>
        </Show>

        <fieldset class="field choice">
          <legend>{t('report.urgency')}</legend>
          <For each={['ordinary', 'urgent'] as const}>
            {(u) => (
              <label>
                <input type="radio" name={`${id}-urgency`} value={u} checked={urgency() === u} onChange={() => setUrgency(u)} />
                {urgencyName(u)}
              </label>
            )}
          </For>
        </fieldset>

        <Show when={props.intake}>
          <div class="field-row">
            <label class="field">
              <span>{t('report.contactName')}</span>
              <input type="text" data-testid="contact-name" value={contactName()} maxLength={50} onInput={(e) => setContactName(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>{t('report.contactPhone')}</span>
              <input
                type="tel"
                data-testid="contact-phone"
                value={contactPhone()}
                maxLength={20}
                aria-invalid={attempted() && problems().phone}
                onInput={(e) => setContactPhone(e.currentTarget.value)}
              />
            </label>
          </div>
          <Show when={attempted() && problems().phone}>
            <p class="field-error" role="alert">
              {t('report.phoneInvalid')}
            </p>
          </Show>
        </Show>

        <Show when={attempted() && uploads.unsettled()}>
          <p class="field-error" role="alert">
            {t('photo.wait')}
          </p>
        </Show>
        <Show when={send.error()}>
          {(error) => (
            <>
              <ErrorMessage error={error()} testid="report-error" />
              <Show when={retryable()}>
                <p class="muted small">{t('report.retryHint')}</p>
              </Show>
            </>
          )}
        </Show>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-wide" data-testid="report-submit" disabled={send.pending()}>
            {send.pending() ? t('common.submitting') : t('report.submit')}
          </button>
        </div>
      </form>
    </Show>
  );
}
