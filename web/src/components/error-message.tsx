/**
 * An error as people read it: the API's message in the current language, then the code (and the request id
 * for the service desk). Client-side failures (network, bad response) use the catalogue's text.
 */
import { For, Show } from 'solid-js';
import { ApiError } from '../api/client';
import { localized, t } from '../i18n';

export interface ErrorView {
  text: string;
  code?: string;
  requestId?: string;
  /** Field problems the API named (VALIDATION_FAILED …). */
  details?: readonly { path: string; message: string }[];
}

/** What to show for any thrown value (reactive: reads the current language). */
export function describeError(error: unknown): ErrorView {
  if (error instanceof ApiError) {
    const text = error.messages
      ? localized(error.messages)
      : error.code === 'HTTP_ERROR'
        ? t('errors.HTTP_ERROR', { status: error.status })
        : error.code === 'NETWORK_ERROR' || error.code === 'BAD_RESPONSE'
          ? t(`errors.${error.code}`)
          : t('errors.unknown');
    return { text, code: error.code, requestId: error.requestId, details: error.details };
  }
  return { text: t('errors.unknown') };
}

export function ErrorMessage(props: { error: unknown; onRetry?: () => void; testid?: string }) {
  const view = () => describeError(props.error);
  return (
    <div class="error" role="alert" data-testid={props.testid ?? 'error-message'} data-code={view().code}>
      <p class="error-text">{view().text}</p>
      <Show when={view().details?.length}>
        <ul class="error-details">
          <For each={view().details}>
            {(detail) => (
              <li>
                <code>{detail.path}</code> {detail.message}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={view().code}>
        <p class="error-meta">
          <span>
            {t('errors.code')}: <code>{view().code}</code>
          </span>
          <Show when={view().requestId}>
            <span>
              {t('errors.requestId')}: <code>{view().requestId}</code>
            </span>
          </Show>
        </p>
      </Show>
      <Show when={props.onRetry}>
        <button type="button" class="btn btn-small" onClick={() => props.onRetry?.()}>
          {t('common.retry')}
        </button>
      </Show>
    </div>
  );
}
