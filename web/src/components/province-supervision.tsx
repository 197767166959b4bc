/**
 * PRV-SUP on the province side: the supervision items of every tenant (or of the tenant chosen in the
 * switcher), a form to assign a new one, and accept / return for items awaiting review. The analyst reads
 * only; the server enforces the same rule.
 */
import { createResource, createSignal, For, Show, type Accessor } from 'solid-js';
import { CreateSupervision, SupervisionReview, type TenantProfile } from '../../../contracts';
import { api } from '../api/client';
import { randomToken } from '../auth/oidc';
import { localized, t } from '../i18n';
import { createAction } from '../lib/action';
import { useNow } from '../lib/time';
import { ErrorMessage } from './error-message';
import { Async, EmptyState, Panel, RefreshButton } from './panel';
import { SupervisionCard } from './supervision-card';
import { sortSupervision } from './supervision-inbox';

export interface ProvinceSupervisionProps {
  tenants: Accessor<readonly TenantProfile[]>;
  /** The tenant chosen in the switcher; undefined lists all tenants. */
  filter: Accessor<string | undefined>;
  canSupervise: boolean;
  class?: string;
}

/**
 * A fresh idempotency key for one create: a re-sent submit of the same draft returns the same item.
 * (getRandomValues, not randomUUID: the latter needs a secure context, and intranet deployments may be plain http.)
 */
export const newRequestId = (): string => randomToken(16);

export function ProvinceSupervision(props: ProvinceSupervisionProps) {
  const [items, { refetch }] = createResource(
    () => ({ tenant: props.filter() }),
    async ({ tenant }) => sortSupervision((await api.province.supervision(tenant)).items),
  );
  const now = useNow();
  const [notice, setNotice] = createSignal<'prov.created' | 'prov.reviewed' | undefined>();
  const tenantLabel = (code: string) => {
    const tenant = props.tenants().find((x) => x.code === code);
    return tenant ? `${localized(tenant.name)} · ${code}` : code;
  };
  const done = (what: 'prov.created' | 'prov.reviewed') => {
    setNotice(what);
    void refetch();
  };

  return (
    <Panel
      title={t('prov.supervisionTitle')}
      testid="supervision-list"
      class={props.class}
      actions={<RefreshButton onClick={() => void refetch()} busy={items.loading} />}
    >
      <Show when={props.canSupervise} fallback={<p class="muted">{t('prov.readOnly')}</p>}>
        <CreateForm tenants={props.tenants} initialTenant={props.filter} onCreated={() => done('prov.created')} />
      </Show>
      <Show when={notice()}>
        {(key) => (
          <p class="notice" role="status">
            {t(key())}
          </p>
        )}
      </Show>
      <Async resource={items} onRetry={() => void refetch()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<EmptyState title={t('sup.empty')} />}>
            <div class="sup-list">
              <For each={list()}>
                {(item) => (
                  <SupervisionCard item={item} now={now()} tenantLabel={tenantLabel(item.tenant)}>
                    <Show when={props.canSupervise && item.status === 'awaiting-review'}>
                      <ReviewForm id={item.id} onReviewed={() => done('prov.reviewed')} />
                    </Show>
                  </SupervisionCard>
                )}
              </For>
            </div>
          </Show>
        )}
      </Async>
    </Panel>
  );
}

function CreateForm(props: { tenants: Accessor<readonly TenantProfile[]>; initialTenant: Accessor<string | undefined>; onCreated: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [tenant, setTenant] = createSignal('');
  const [title, setTitle] = createSignal('');
  const [detail, setDetail] = createSignal('');
  const [urgency, setUrgency] = createSignal<'ordinary' | 'urgent'>('ordinary');
  const [invalid, setInvalid] = createSignal(false);
  // One key per draft: kept across retries of a failed submit, renewed once the item exists.
  let requestId = newRequestId();
  const create = createAction(api.province.createSupervision);

  const start = () => {
    setTenant(props.initialTenant() ?? '');
    setOpen(true);
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = CreateSupervision.safeParse({ clientRequestId: requestId, tenant: tenant(), title: title(), detail: detail(), urgency: urgency() });
    setInvalid(!parsed.success);
    if (!parsed.success) return;
    await create.run(parsed.data);
    if (create.error() !== undefined) return;
    requestId = newRequestId();
    setTitle('');
    setDetail('');
    setUrgency('ordinary');
    setOpen(false);
    props.onCreated();
  };

  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="btn btn-primary" data-testid="supervision-create-open" onClick={start}>
          {t('prov.createTitle')}
        </button>
      }
    >
      <form class="stack create-form" data-testid="supervision-create" onSubmit={submit} noValidate>
        <h3>{t('prov.createTitle')}</h3>
        <label class="field">
          <span>{t('prov.form.tenant')}</span>
          <select value={tenant()} onChange={(e) => setTenant(e.currentTarget.value)} required>
            <option value="">{t('prov.choose')}</option>
            <For each={props.tenants().filter((x) => x.level !== 'province')}>
              {(x) => (
                <option value={x.code}>
                  {localized(x.name)} · {x.code}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('prov.form.title')}</span>
          <input type="text" value={title()} maxLength={100} required onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('prov.form.detail')}</span>
          <textarea rows={3} value={detail()} maxLength={2000} onInput={(e) => setDetail(e.currentTarget.value)} />
        </label>
        <fieldset class="field choice">
          <legend>{t('prov.form.urgency')}</legend>
          <For each={['ordinary', 'urgent'] as const}>
            {(value) => (
              <label>
                <input type="radio" name="urgency" value={value} checked={urgency() === value} onChange={() => setUrgency(value)} />{' '}
                {t(`sup.urgency.${value}`)}
              </label>
            )}
          </For>
        </fieldset>
        <Show when={invalid()}>
          <p class="field-error" role="alert">
            {t('prov.form.invalid')}
          </p>
        </Show>
        <Show when={create.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <div class="form-actions">
          <button type="button" class="btn" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={create.pending()}>
            {create.pending() ? t('common.submitting') : t('prov.form.submit')}
          </button>
        </div>
      </form>
    </Show>
  );
}

function ReviewForm(props: { id: string; onReviewed: () => void }) {
  const [comment, setComment] = createSignal('');
  const review = createAction((decision: 'accept' | 'return') => api.province.review(props.id, SupervisionReview.parse({ decision, comment: comment() })));
  const decide = async (decision: 'accept' | 'return') => {
    await review.run(decision);
    if (review.error() === undefined) props.onReviewed();
  };
  return (
    <div class="stack" data-testid="review-form">
      <label class="field">
        <span>{t('prov.reviewComment')}</span>
        <textarea rows={2} value={comment()} maxLength={2000} onInput={(e) => setComment(e.currentTarget.value)} />
      </label>
      <Show when={review.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <div class="form-actions">
        <button type="button" class="btn btn-danger-outline" disabled={review.pending()} onClick={() => void decide('return')}>
          {t('prov.return')}
        </button>
        <button type="button" class="btn btn-primary" disabled={review.pending()} onClick={() => void decide('accept')}>
          {t('prov.accept')}
        </button>
      </div>
    </div>
  );
}
