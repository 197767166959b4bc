/**
 * Sign-in against a real OIDC issuer: authorization code with PKCE (RFC 7636), no client secret, the
 * verifier and state kept in sessionStorage for the round trip. Small on purpose: one redirect out, one
 * code exchange back.
 */
import { TokenResponse } from '../api/schemas';
import type { AppConfig } from '../api/schemas';

const PENDING_KEY = 'cityops.oidc';
export const CALLBACK_PATH = '/auth/callback';

interface Pending {
  verifier: string;
  state: string;
}

/** Base64url without padding, as PKCE and JWTs use it. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random URL-safe string of `byteLength` random bytes. */
export function randomToken(byteLength = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** The S256 code challenge for a verifier. */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

type OidcSettings = Required<Pick<AppConfig['auth'], 'clientId' | 'authorizeUrl' | 'tokenUrl'>>;

/** The OIDC settings, or undefined when the deployment left one out. */
export function oidcSettings(config: AppConfig): OidcSettings | undefined {
  const { clientId, authorizeUrl, tokenUrl } = config.auth;
  return clientId && authorizeUrl && tokenUrl ? { clientId, authorizeUrl, tokenUrl } : undefined;
}

export const redirectUri = (): string => `${location.origin}${CALLBACK_PATH}`;

/** Build the authorize URL and remember the verifier and state for the callback. */
export async function authorizeUrl(settings: OidcSettings): Promise<string> {
  const pending: Pending = { verifier: randomToken(48), state: randomToken(16) };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(settings.authorizeUrl, location.origin);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid profile',
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Why a callback could not complete. `reason` is the issuer's error text, when it sent one. */
export class OidcCallbackError extends Error {
  public override readonly name = 'OidcCallbackError';
  public constructor(
    public readonly kind: 'state' | 'denied' | 'token',
    public readonly reason = '',
  ) {
    super(`${kind}${reason ? `: ${reason}` : ''}`);
  }
}

/** Finish the redirect: check the state, exchange the code for tokens with the verifier. */
export async function exchangeCode(settings: OidcSettings, query: URLSearchParams): Promise<TokenResponse> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const error = query.get('error');
  if (error) throw new OidcCallbackError('denied', query.get('error_description') ?? error);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  const code = query.get('code');
  if (!pending || !code || query.get('state') !== pending.state) throw new OidcCallbackError('state');

  const response = await fetch(settings.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: settings.clientId,
      code_verifier: pending.verifier,
    }).toString(),
  }).catch(() => undefined);
  const parsed = TokenResponse.safeParse(await response?.json().catch(() => undefined));
  if (!response?.ok || !parsed.success) throw new OidcCallbackError('token', response ? `HTTP ${response.status}` : '');
  return parsed.data;
}
