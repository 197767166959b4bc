/** /auth/callback: the OIDC issuer sends the browser back here with a code; exchange it and go home. */
import { A, useNavigate } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { appConfig } from '../auth/config';
import { exchangeCode, OidcCallbackError, oidcSettings } from '../auth/oidc';
import { currentRole, loadMe, signIn } from '../auth/session';
import { ErrorMessage } from '../components/error-message';
import { Loading } from '../components/panel';
import { t } from '../i18n';
import { homePathFor } from '../roles/trees';

export default function OidcCallback() {
  const navigate = useNavigate();
  const [failure, setFailure] = createSignal<unknown>(undefined);

  onMount(async () => {
    try {
      const settings = oidcSettings(await appConfig());
      if (!settings) throw new OidcCallbackError('token', 'OIDC settings missing');
      signIn(await exchangeCode(settings, new URLSearchParams(location.search)));
      await loadMe();
      const role = currentRole();
      navigate(role ? homePathFor(role) : '/', { replace: true });
    } catch (error) {
      setFailure(() => error);
    }
  });

  const message = () => {
    const error = failure();
    if (!(error instanceof OidcCallbackError)) return undefined;
    if (error.kind === 'state') return t('callback.stateMismatch');
    if (error.kind === 'denied') return t('callback.denied', { reason: error.reason });
    return `${t('callback.tokenFailed')}${error.reason ? ` (${error.reason})` : ''}`;
  };

  return (
    <main class="page-center" id="main">
      <Show when={failure() !== undefined} fallback={<Loading text={t('callback.signingIn')} />}>
        <Show when={message()} fallback={<ErrorMessage error={failure()} />}>
          <p class="error" role="alert">
            {message()}
          </p>
        </Show>
        <A class="btn" href="/login">
          {t('callback.backToLogin')}
        </A>
      </Show>
    </main>
  );
}
