/**
 * Device credentials as the API hands them out: once, at registration, import or rotation. The panel says so,
 * offers copying each secret and a CSV of all of them, and forgets them when closed (they are never stored).
 */
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { DeviceCredentialsView } from '../../../../contracts';
import { t } from '../../i18n';
import { saveBlob } from '../../lib/download';
import { credentialsCsv } from '../../lib/monitoring';

export interface IssuedCredentials {
  deviceId: string;
  name?: string;
  credentials: DeviceCredentialsView;
}

type PasswordCredentials = Extract<DeviceCredentialsView, { type: 'password' }>;
type X509Credentials = Extract<DeviceCredentialsView, { type: 'x509' }>;
const asPassword = (c: DeviceCredentialsView): PasswordCredentials | undefined => (c.type === 'password' ? c : undefined);
const asX509 = (c: DeviceCredentialsView): X509Credentials | undefined => (c.type === 'x509' ? c : undefined);

function CopyButton(props: { value: string; label: string }) {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard (plain http, old browser): the value is on screen to select by hand.
    }
  };
  return (
    <button type="button" class="btn btn-small btn-ghost" aria-label={`${t('mon.cred.copy')} ${props.label}`} onClick={() => void copy()}>
      {copied() ? t('mon.cred.copied') : t('mon.cred.copy')}
    </button>
  );
}

function Secret(props: { label: string; value: string; multiline?: boolean; testid?: string }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd class="secret">
        <Show when={props.multiline} fallback={<code data-testid={props.testid}>{props.value}</code>}>
          <pre class="secret-block" data-testid={props.testid}>
            {props.value}
          </pre>
        </Show>
        <CopyButton value={props.value} label={props.label} />
      </dd>
    </>
  );
}

export function CredentialsPanel(props: { items: readonly IssuedCredentials[]; onDismiss?: () => void; filename?: string }) {
  const download = () =>
    saveBlob(new Blob([credentialsCsv(props.items)], { type: 'text/csv;charset=utf-8' }), props.filename ?? `device-credentials-${new Date().toISOString().slice(0, 10)}.csv`);
  return (
    <div class="credentials" data-testid="credentials" data-count={props.items.length} role="region" aria-label={t('mon.cred.title')}>
      <p class="notice notice-warn" data-testid="credentials-once">
        {t('mon.cred.once')}
      </p>
      <div class="form-actions form-actions-start">
        <button type="button" class="btn btn-small btn-primary" data-testid="credentials-download" onClick={download}>
          {t('mon.cred.download')}
        </button>
        <Show when={props.onDismiss}>
          <button type="button" class="btn btn-small btn-ghost" data-testid="credentials-dismiss" onClick={() => props.onDismiss?.()}>
            {t('mon.cred.dismiss')}
          </button>
        </Show>
      </div>
      <ul class="credential-list">
        <For each={props.items}>
          {(item) => (
            <li class="credential" data-testid="credential" data-device={item.deviceId}>
              <h3>
                <span class="mono">{item.deviceId}</span>
                <Show when={item.name}>{(name) => <span class="muted"> {name()}</span>}</Show>
              </h3>
              <dl class="facts">
                <Switch>
                  <Match when={asPassword(item.credentials)}>
                    {(c) => (
                      <>
                        <Secret label={t('mon.cred.username')} value={c().username} testid="credential-username" />
                        <Secret label={t('mon.cred.password')} value={c().password} testid="credential-password" />
                        <Show when={c().mqttUrl}>{(url) => <Secret label={t('mon.cred.mqttUrl')} value={url()} />}</Show>
                      </>
                    )}
                  </Match>
                  <Match when={asX509(item.credentials)}>
                    {(c) => (
                      <>
                        <Secret label={t('mon.cred.thingName')} value={c().thingName} />
                        <Show when={c().endpoint}>{(endpoint) => <Secret label={t('mon.cred.endpoint')} value={endpoint()} />}</Show>
                        <Secret label={t('mon.cred.certificateArn')} value={c().certificateArn} />
                        <Secret label={t('mon.cred.certificate')} value={c().certificatePem} multiline />
                        <Secret label={t('mon.cred.privateKey')} value={c().privateKey} multiline testid="credential-private-key" />
                      </>
                    )}
                  </Match>
                </Switch>
              </dl>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
