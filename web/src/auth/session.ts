/**
 * The signed-in session: the access token (sessionStorage, so it dies with the tab), the principal from
 * /v1/me, and the role the user is working in. A user with several roles picks one; each role has a home.
 */
import { createSignal } from 'solid-js';
import type { Role } from '../../../contracts';
import { api, configureClient } from '../api/client';
import type { Me, TokenResponse } from '../api/schemas';

const TOKEN_KEY = 'cityops.session';
const ROLE_KEY = 'cityops.role';

interface StoredSession {
  accessToken: string;
  idToken?: string;
  /** Epoch milliseconds after which the token is no longer sent. */
  expiresAt: number;
}

function readStored(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(TOKEN_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return null;
    return value.expiresAt > Date.now() ? (value as StoredSession) : null;
  } catch {
    return null;
  }
}

const [session, setSession] = createSignal<StoredSession | null>(readStored());
const [me, setMe] = createSignal<Me | null>(null);
const [role, setRole] = createSignal<Role | null>(null);
const [expired, setExpired] = createSignal(false);

/** Whether the last session ended because the API refused the token (401), not by signing out. Reactive. */
export const sessionExpired = (): boolean => expired();

/** Whether a (not yet expired) token is held. Reactive. */
export const isSignedIn = (): boolean => session() !== null;

/** The token for API calls, or undefined once it has expired. */
export function accessToken(): string | undefined {
  const s = session();
  if (!s) return undefined;
  if (s.expiresAt <= Date.now()) {
    expire();
    return undefined;
  }
  // The API reads tenant, roles and department from the token's claims; Cognito (and most OIDC providers)
  // put custom attributes into the ID token only, so send it when we have one.
  return s.idToken ?? s.accessToken;
}

/** The signed-in principal, once /v1/me has answered. Reactive. */
export { me };

/** The role the user currently works in (always one of `me().roles`). Reactive. */
export const currentRole = (): Role | null => role();

/** Keep a token from the login endpoint or the OIDC token endpoint. */
export function signIn(tokens: TokenResponse): void {
  const next: StoredSession = {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    expiresAt: Date.now() + tokens.expires_in * 1000,
  };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(next));
  setExpired(false);
  setMe(null);
  setSession(next);
}

/** Forget the token, the principal and the chosen role. */
export function signOut(): void {
  setExpired(false);
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ROLE_KEY);
  setMe(null);
  setRole(null);
  setSession(null);
}

/** Ask the API who we are, and settle on a role: the remembered one if still granted, else the first. */
export async function loadMe(): Promise<Me> {
  const principal = await api.me();
  setMe(principal);
  const remembered = sessionStorage.getItem(ROLE_KEY);
  const chosen = principal.roles.find((r) => r === remembered) ?? principal.roles[0] ?? null;
  setRole(chosen);
  return principal;
}

/** Work in another of the user's roles; ignored for roles the user does not hold. */
export function setCurrentRole(next: Role): void {
  if (!me()?.roles.includes(next)) return;
  sessionStorage.setItem(ROLE_KEY, next);
  setRole(next);
}

/** The API refused the token: drop the session and let the login page say why. */
function expire(): void {
  signOut();
  setExpired(true);
}

configureClient({ getToken: accessToken, onUnauthorized: expire });
